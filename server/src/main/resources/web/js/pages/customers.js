// Customers (CRM-1..3, docs/crm.md): search by name, number or field value with paging; a create/edit dialog whose
// inputs follow the enterprise's field definitions; transfer; CSV/xlsx template, export and import with the job's
// progress and its row errors (row, column, reason).

import { api, t, toast, toastError, confirmDialog, errorText, fieldErrorText } from '../common.js';
import { dash } from '../format.js';
import { request } from '../api.js';
import { CustomerTimeline } from '../components/customer-timeline.js';

const PAGE = 20;
const SHARING = ['private', 'department', 'enterprise'];

/** A server reason of an import row in the UI language where the bundle knows it. */
export function reasonText(reason) {
  if (!reason) return '';
  let m = /^not one of (.+)$/.exec(reason);
  if (m) return t('customers.reason.notOneOf', { options: m[1] });
  m = /^'(.*)' is not a phone number$/.exec(reason);
  if (m) return t('customers.reason.notPhone', { value: m[1] });
  m = /^'(.*)' is not one of (.+)$/.exec(reason);
  if (m) return t('customers.reason.optionNotOneOf', { value: m[1], options: m[2] });
  const known = { 'not a number': 'customers.reason.notNumber', 'not a phone number': 'customers.reason.notPhone',
    'no such field': 'customers.reason.noSuchField', 'unknown column: not name, phones or a customer field': 'customers.reason.unknownColumn',
    'the file has no name column': 'customers.reason.noNameColumn', 'a date (2024-01-31) or date and time (2024-01-31 09:30)': 'customers.reason.date' };
  if (known[reason]) return t(known[reason], { value: '' });
  return fieldErrorText(reason);
}

/** The customer id in the address (#/customers?id=12): that customer's record and timeline are shown above the list. */
function idFromHash() {
  const m = /[?&]id=(\d+)/.exec(location.hash || '');
  return m ? Number(m[1]) : null;
}

export const CustomersPage = {
  components: { CustomerTimeline },
  props: { me: Object },
  setup() { return { PAGE, SHARING, reasonText }; },
  data() {
    return {
      fields: [], users: [], q: '', number: '', offset: 0, total: 0, items: [], loading: true, loadError: null,
      dialog: null, transfer: null, detailId: idFromHash(), detail: null, detailError: null, contracts: [],
      importFile: null, onDuplicate: 'skip', importSharing: 'private', job: null, importError: null, importing: false,
    };
  },
  async created() {
    try { this.fields = await api.get('/customer-fields'); } catch (e) { this.loadError = e; }
    if (this.can('addressbook.use')) this.users = await api.get('/staff-directory').catch(() => []);
    window.addEventListener('hashchange', this.syncDetail);
    this.loadDetail();
    await this.load();
  },
  beforeUnmount() { clearTimeout(this._poll); window.removeEventListener('hashchange', this.syncDetail); },
  computed: {
    first() { return this.total ? this.offset + 1 : 0; },
    last() { return Math.min(this.offset + PAGE, this.total); },
    listFields() { return this.fields.slice(0, 4); },
  },
  methods: {
    dash,
    sharingLabel(s) { return t('customers.sharing.' + s); },
    typeLabel(ty) { return t('customerFields.type.' + ty); },
    async load() {
      this.loading = true;
      try {
        const page = await api.get('/customers', { q: this.q.trim(), number: this.number.trim(), offset: this.offset, limit: PAGE });
        this.items = page.items; this.total = page.total; this.loadError = null;
      } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    search() { this.offset = 0; this.load(); },
    syncDetail() { this.detailId = idFromHash(); this.loadDetail(); },
    async loadDetail() {
      this.detail = null; this.detailError = null;
      if (!this.detailId) return;
      try { this.detail = await api.get('/customers/' + this.detailId); } catch (e) { this.detailError = e; }
      // BIZ-4: the customer's contracts (the server lists only those of customers one may see).
      this.contracts = this.detail && this.can('contract.read')
        ? (await api.get('/contracts', { customerId: this.detailId, limit: 50 }).catch(() => ({ items: [] }))).items : [];
    },
    closeDetail() { location.hash = '#/customers'; },
    prev() { this.offset = Math.max(0, this.offset - PAGE); this.load(); },
    next() { this.offset += PAGE; this.load(); },
    valueText(c, f) {
      const v = c.fields[f.key];
      if (v === undefined || v === null) return '—';
      return Array.isArray(v) ? v.join(', ') : String(v);
    },
    phonesText(c) { return c.phones.length ? c.phones.map((p) => p.number).join(', ') : '—'; },
    mayDispose(c) { return this.can('customer.manage') || c.ownerId === this.me.id; },
    formOf(c) {
      const values = {};
      for (const f of this.fields) {
        const v = c ? c.fields[f.key] : undefined;
        if (f.type === 'multiple_choice') values[f.key] = Array.isArray(v) ? [...v] : [];
        else values[f.key] = v === undefined || v === null ? '' : String(v);
      }
      const phones = c && c.phones.length ? c.phones.map((p) => ({ number: p.number, label: p.label || '' })) : [{ number: '', label: '' }];
      return { name: c ? c.name : '', phones, values, sharing: c ? c.sharing : 'private' };
    },
    openCreate() { this.dialog = { mode: 'create', id: null, form: this.formOf(null), errors: {}, error: null, saving: false }; },
    openEdit(c) { this.dialog = { mode: 'edit', id: c.id, row: c, form: this.formOf(c), errors: {}, error: null, saving: false }; },
    addPhone() { this.dialog.form.phones.push({ number: '', label: '' }); },
    inputType(f) { return { number: 'number', phone: 'tel', email: 'email', datetime: 'datetime-local' }[f.type] || 'text'; },
    bodyOf(form) {
      const fields = {};
      for (const f of this.fields) {
        const v = form.values[f.key];
        if (f.type === 'multiple_choice') { if (v.length) fields[f.key] = v; } else if (String(v).trim() !== '') fields[f.key] = String(v).trim();
      }
      return { name: form.name.trim(), phones: form.phones.filter((p) => p.number.trim()).map((p) => ({ number: p.number.trim(), label: p.label.trim() || null })),
        fields, sharing: form.sharing };
    },
    async save() {
      const d = this.dialog;
      d.saving = true; d.errors = {}; d.error = null;
      try {
        const body = this.bodyOf(d.form);
        const res = d.mode === 'create' ? await api.post('/customers', body) : await api.put('/customers/' + d.id, body);
        this.dialog = null;
        toast(t(d.mode === 'create' ? 'customers.created' : 'common.saved', { name: res.name }));
        await this.load();
      } catch (e) {
        d.errors = e.fields ? e.fields() : {};
        d.error = e;
        d.saving = false;
      }
    },
    async remove(c) {
      if (!(await confirmDialog(t('customers.confirmDelete', { name: c.name })))) return;
      try { await api.del('/customers/' + c.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
    openTransfer(c) { this.transfer = { row: c, ownerId: '', error: null }; },
    async doTransfer() {
      const tr = this.transfer;
      try {
        await api.post('/customers/' + tr.row.id + '/transfer', { ownerId: tr.ownerId === '' ? null : Number(tr.ownerId) });
        this.transfer = null; toast(t('customers.transferred')); await this.load();
      } catch (e) { tr.error = e; }
    },
    pickImport(ev) { this.importError = null; this.importFile = (ev.target.files && ev.target.files[0]) || null; },
    async startImport() {
      this.importError = null;
      if (!this.importFile) { this.importError = t('customers.import.chooseFile'); return; }
      this.importing = true;
      try {
        const fd = new FormData();
        fd.append('file', this.importFile, this.importFile.name);
        fd.append('onDuplicate', this.onDuplicate);
        fd.append('sharing', this.importSharing);
        this.job = await request('POST', '/customer-imports', fd);
        this.poll();
      } catch (e) { this.importError = errorText(e); this.importing = false; }
    },
    async poll() {
      try { this.job = await api.get('/customer-imports/' + this.job.id); } catch (e) { this.importError = errorText(e); this.importing = false; return; }
      if (this.job.state === 'queued' || this.job.state === 'running') { this._poll = setTimeout(() => this.poll(), 500); return; }
      this.importing = false;
      await this.load();
    },
    pct(job) { return job.totalRows ? Math.round((100 * job.processedRows) / job.totalRows) : 0; },
    fieldError(key) { return this.dialog && this.dialog.errors['fields.' + key]; },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('customers.title') }}</h1>
      <span class="sub">{{ t('customers.subtitle') }}</span>
      <div class="spacer"></div>
      <a v-if="can('customer.import')" class="btn" href="/api/v1/customers/template?format=csv" data-testid="customers-template-csv">{{ t('customers.templateCsv') }}</a>
      <a v-if="can('customer.import')" class="btn" href="/api/v1/customers/template?format=xlsx" data-testid="customers-template-xlsx">{{ t('customers.templateXlsx') }}</a>
      <a v-if="can('customer.export')" class="btn" :href="'/api/v1/customers/export?format=xlsx&q=' + encodeURIComponent(q.trim())" data-testid="customers-export">{{ t('customers.export') }}</a>
      <button v-if="can('customer.write')" class="btn btn-primary" data-testid="customer-new" @click="openCreate">+ {{ t('customers.new') }}</button>
    </div>
    <form class="toolbar" @submit.prevent="search">
      <input type="search" class="grow" v-model="q" :placeholder="t('customers.searchHint')" data-testid="customers-search">
      <input type="search" v-model="number" :placeholder="t('customers.numberHint')" data-testid="customers-number" inputmode="tel">
      <button type="submit" class="btn btn-primary" data-testid="customers-search-go">{{ t('common.search') }}</button>
    </form>
    <div v-if="detailError" class="alert alert-error" data-testid="customer-detail-error">{{ errorText(detailError) }}</div>
    <div v-if="detail" class="panel" style="margin-bottom:16px" data-testid="customer-detail" :data-id="detail.id">
      <div class="panel-head"><h2 data-testid="customer-detail-name">{{ detail.name }}</h2><span class="spacer" style="flex:1"></span>
        <button class="btn btn-sm" data-testid="customer-detail-close" @click="closeDetail">{{ t('common.close') }}</button></div>
      <div class="panel-body">
        <dl class="kv">
          <dt>{{ t('customers.phones') }}</dt><dd class="mono">{{ phonesText(detail) }}</dd>
          <dt>{{ t('customers.owner') }}</dt><dd>{{ dash(detail.ownerName) }}</dd>
          <template v-for="f in fields" :key="f.key"><dt>{{ f.label }}</dt><dd>{{ valueText(detail, f) }}</dd></template>
        </dl>
        <template v-if="can('contract.read')">
          <h3>{{ t('contracts.title') }} <a class="btn btn-sm" :href="'#/contracts?customerId=' + detail.id" data-testid="customer-contracts-all">{{ t('contracts.manage') }}</a></h3>
          <table class="grid compact" data-testid="customer-contracts">
            <tbody><tr v-for="k in contracts" :key="k.id"><td class="mono"><a :href="'#/contracts?id=' + k.id">{{ k.contractNumber }}</a></td><td>{{ k.title }}</td>
              <td><span class="badge">{{ t('contracts.status.' + k.status) }}</span></td><td class="mono">{{ Number(k.amount).toFixed(2) }}</td>
              <td class="mono">{{ k.startDate }} – {{ k.endDate }}</td></tr>
              <empty-row v-if="!contracts.length" :cols="5"></empty-row></tbody>
          </table>
        </template>
        <h3>{{ t('timeline.title') }}</h3>
        <customer-timeline :customer-id="detail.id" testid="customer-timeline"></customer-timeline>
      </div>
    </div>
    <div v-if="loadError" class="alert alert-error" data-testid="customers-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="customers-table">
        <thead><tr>
          <th>{{ t('customers.name') }}</th><th>{{ t('customers.phones') }}</th>
          <th v-for="f in listFields" :key="f.key">{{ f.label }}</th>
          <th>{{ t('customers.owner') }}</th><th>{{ t('customers.sharingLabel') }}</th><th></th>
        </tr></thead>
        <tbody>
          <tr v-for="c in items" :key="c.id" :data-testid="'customer-row-' + c.id">
            <td class="name"><a :href="'#/customers?id=' + c.id" :data-testid="'customer-open-' + c.id">{{ c.name }}</a></td>
            <td class="mono">{{ phonesText(c) }}</td>
            <td v-for="f in listFields" :key="f.key" :data-testid="'customer-' + c.id + '-' + f.key">{{ valueText(c, f) }}</td>
            <td>{{ dash(c.ownerName) }}</td>
            <td><span class="badge" :class="c.sharing === 'private' ? 'badge-off' : 'badge-blue'">{{ sharingLabel(c.sharing) }}</span></td>
            <td class="actions">
              <button v-if="can('customer.write') && mayDispose(c)" class="btn-link" :data-testid="'customer-transfer-' + c.id" @click="openTransfer(c)">{{ t('customers.transfer') }}</button>
              <button v-if="can('customer.write')" class="btn-link" :data-testid="'customer-edit-' + c.id" @click="openEdit(c)">{{ t('common.edit') }}</button>
              <button v-if="can('customer.write') && mayDispose(c)" class="btn-link danger" :data-testid="'customer-delete-' + c.id" @click="remove(c)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <empty-row v-if="!items.length" :cols="listFields.length + 5" :loading="loading" testid="customers-empty"></empty-row>
        </tbody>
      </table>
      <div class="pager">
        <span data-testid="customers-range">{{ t('common.range', { first, last, total }) }}</span>
        <button class="btn btn-sm" data-testid="customers-prev" :disabled="offset === 0 || loading" @click="prev">{{ t('common.prev') }}</button>
        <button class="btn btn-sm" data-testid="customers-next" :disabled="offset + PAGE >= total || loading" @click="next">{{ t('common.next') }}</button>
      </div>
    </div>

    <div v-if="can('customer.import')" class="panel" style="margin-top:16px" data-testid="customers-import">
      <div class="panel-head"><h2>{{ t('customers.import.title') }}</h2><span class="muted">{{ t('customers.import.hint') }}</span></div>
      <div class="panel-body">
        <div class="toolbar">
          <input type="file" accept=".csv,.xlsx" @change="pickImport" data-testid="customers-import-file">
          <label>{{ t('customers.import.onDuplicate') }}
            <select v-model="onDuplicate" data-testid="customers-import-dup">
              <option value="skip">{{ t('customers.import.skip') }}</option>
              <option value="update">{{ t('customers.import.update') }}</option>
              <option value="create">{{ t('customers.import.create') }}</option>
            </select></label>
          <label>{{ t('customers.sharingLabel') }}
            <select v-model="importSharing" data-testid="customers-import-sharing">
              <option v-for="s in SHARING" :key="s" :value="s">{{ sharingLabel(s) }}</option>
            </select></label>
          <button class="btn btn-primary" :disabled="importing" data-testid="customers-import-go" @click="startImport">{{ t('customers.import.go') }}</button>
        </div>
        <div v-if="importError" class="alert alert-error" data-testid="customers-import-error">{{ importError }}</div>
        <div v-if="job" data-testid="customers-import-job" :data-state="job.state">
          <div class="muted" data-testid="customers-import-progress">{{ t('customers.import.progress', { state: t('customers.import.state.' + job.state), processed: job.processedRows,
            total: job.totalRows, pct: pct(job), created: job.createdRows, updated: job.updatedRows, skipped: job.skippedRows, failed: job.failedRows }) }}</div>
          <div v-if="job.failure" class="alert alert-error" data-testid="customers-import-failure">{{ job.failure }}</div>
          <table v-if="job.errors && job.errors.length" class="grid compact" data-testid="customers-import-errors">
            <thead><tr><th>{{ t('customers.import.row') }}</th><th>{{ t('customers.import.column') }}</th><th>{{ t('customers.import.reason') }}</th></tr></thead>
            <tbody><tr v-for="(e, i) in job.errors" :key="i" :data-testid="'customers-import-error-' + e.row">
              <td class="mono">{{ e.row }}</td><td>{{ e.column }}</td><td>{{ reasonText(e.reason) }}</td></tr></tbody>
          </table>
        </div>
      </div>
    </div>

    <modal v-if="dialog" :title="dialog.mode === 'create' ? t('customers.new') : t('customers.edit')" testid="customer-dialog" @close="dialog = null">
      <form @submit.prevent="save" novalidate class="form-grid">
        <form-field :label="t('customers.name')" required :error="dialog.errors.name" testid="customer-form-name-error">
          <input v-model="dialog.form.name" data-testid="customer-form-name"></form-field>
        <form-field :label="t('customers.sharingLabel')" :error="dialog.errors.sharing">
          <select v-model="dialog.form.sharing" data-testid="customer-form-sharing" :disabled="dialog.mode === 'edit' && !mayDispose(dialog.row)">
            <option v-for="s in SHARING" :key="s" :value="s">{{ sharingLabel(s) }}</option></select></form-field>
        <form-field :label="t('customers.phones')" span :error="dialog.errors.phones" testid="customer-form-phones-error" :hint="t('customers.phonesHint')">
          <div v-for="(p, i) in dialog.form.phones" :key="i" style="display:flex;gap:8px;margin-bottom:6px">
            <input v-model="p.number" inputmode="tel" :data-testid="'customer-form-phone-' + i" :placeholder="t('customers.number')" style="flex:2">
            <input v-model="p.label" :data-testid="'customer-form-phone-label-' + i" :placeholder="t('customers.phoneLabel')" style="flex:1">
          </div>
          <button type="button" class="btn btn-sm" data-testid="customer-form-add-phone" @click="addPhone">+ {{ t('customers.addPhone') }}</button>
        </form-field>
        <template v-for="f in fields" :key="f.key">
          <form-field :label="f.label" :required="f.required" :error="fieldError(f.key)" :testid="'customer-form-' + f.key + '-error'"
                      :span="f.type === 'multiple_choice' || f.type === 'text'">
            <select v-if="f.type === 'single_choice'" v-model="dialog.form.values[f.key]" :data-testid="'customer-form-' + f.key">
              <option value="">{{ t('common.none') }}</option>
              <option v-for="o in f.options" :key="o" :value="o">{{ o }}</option></select>
            <div v-else-if="f.type === 'multiple_choice'" style="display:flex;flex-wrap:wrap;gap:12px">
              <label v-for="o in f.options" :key="o" class="check"><input type="checkbox" :value="o" v-model="dialog.form.values[f.key]"
                :data-testid="'customer-form-' + f.key + '-' + o"> {{ o }}</label></div>
            <input v-else :type="inputType(f)" v-model="dialog.form.values[f.key]" :data-testid="'customer-form-' + f.key" step="any">
          </form-field>
        </template>
        <form-alert class="span-2" :error="dialog.error" :known="['name', 'phones', 'sharing'].concat(fields.map((f) => 'fields.' + f.key))" testid="customer-form-alert"></form-alert>
        <button type="submit" hidden></button>
      </form>
      <template #footer>
        <button class="btn" data-testid="customer-cancel" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="customer-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>

    <modal v-if="transfer" size="small" :title="t('customers.transferTitle', { name: transfer.row.name })" testid="customer-transfer-dialog" @close="transfer = null">
      <form-field :label="t('customers.newOwner')" required>
        <select v-model="transfer.ownerId" data-testid="customer-transfer-owner">
          <option value="" disabled>{{ t('common.choose') }}</option>
          <option v-for="u in users" :key="u.userId" :value="u.userId">{{ u.displayName }} ({{ u.username }})</option></select></form-field>
      <form-alert :error="transfer.error" testid="customer-transfer-alert"></form-alert>
      <template #footer>
        <button class="btn" @click="transfer = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="customer-transfer-save" @click="doTransfer">{{ t('customers.transfer') }}</button>
      </template>
    </modal>`,
};
