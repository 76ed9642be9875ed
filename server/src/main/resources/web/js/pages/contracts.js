// Contracts (BIZ-4, seed 002 4.2.12 "转入合同管理" and 4.2.13 合同管理): the contracts of the customers this user may see
// (CRM-3), filtered by status, text and customer (#/contracts?customerId=3 from the customer's page), exported as CSV or
// xlsx; a dialog adds or changes one (number unique: a 409 shows on the number; exact amount; dates; the customer's
// orders it covers); one contract (#/contracts?id=12) with its orders, its allowed moves (draft → active → expired or
// terminated), the attached file (upload, download, remove) and deletion of a draft.

import { api, t, toast, confirmDialog } from '../common.js';
import { i18n } from '../i18n.js';
import { money } from './orders.js';

export const CONTRACT_STATUSES = ['draft', 'active', 'expired', 'terminated'];

function hashParam(name) {
  const m = new RegExp('[?&]' + name + '=(\\d+)').exec(location.hash || '');
  return m ? Number(m[1]) : null;
}

export const ContractsPage = {
  props: { me: Object },
  setup() { return { CONTRACT_STATUSES, money }; },
  data() {
    return { items: [], total: 0, loading: true, loadError: null, status: '', q: '', customerId: hashParam('customerId'),
      detailId: hashParam('id'), detail: null, detailError: null, moveTo: '', file: null,
      dialog: null, customers: [], customerQ: '', orders: [] };
  },
  created() {
    window.addEventListener('hashchange', this.syncHash);
    this.loadDetail();
    this.load();
  },
  beforeUnmount() { window.removeEventListener('hashchange', this.syncHash); },
  computed: {
    query() { return { status: this.status, q: this.q.trim(), customerId: this.customerId || '' }; },
    exportQuery() {
      const p = new URLSearchParams({ lang: i18n.lang === 'zh' ? 'zh' : 'en' });
      for (const [k, v] of Object.entries(this.query)) if (v) p.set(k, v);
      return p.toString();
    },
    editable() { return this.detail && ['draft', 'active'].includes(this.detail.contract.status); },
  },
  methods: {
    statusText(s) { return t('contracts.status.' + s); },
    async load() {
      this.loading = true;
      try { const page = await api.get('/contracts', Object.assign({ limit: 200 }, this.query)); this.items = page.items; this.total = page.total; this.loadError = null; }
      catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    syncHash() { this.detailId = hashParam('id'); this.customerId = hashParam('customerId'); this.loadDetail(); this.load(); },
    async loadDetail() {
      this.detail = null; this.detailError = null;
      if (!this.detailId) return;
      try { this.detail = await api.get('/contracts/' + this.detailId); } catch (e) { this.detailError = e; }
    },
    closeDetail() { location.hash = '#/contracts'; },
    async doMove() {
      if (!this.moveTo) return;
      this.detailError = null;
      try { this.detail = await api.post('/contracts/' + this.detail.contract.id + '/status', { status: this.moveTo }); this.moveTo = ''; await this.load(); }
      catch (e) { this.detailError = e; }
    },
    async remove() {
      const k = this.detail.contract;
      if (!(await confirmDialog(t('contracts.confirmDelete', { number: k.contractNumber }), { danger: true }))) return;
      try { await api.del('/contracts/' + k.id); toast(t('contracts.deleted')); location.hash = '#/contracts'; }
      catch (e) { this.detailError = e; }
    },
    pickFile(ev) { this.file = ev.target.files[0] || null; },
    async upload() {
      if (!this.file) return;
      this.detailError = null;
      try { this.detail = await api.uploadPut('/contracts/' + this.detail.contract.id + '/file', this.file); this.file = null; toast(t('contracts.fileSaved')); }
      catch (e) { this.detailError = e; }
    },
    async removeFile() {
      try { this.detail = await api.del('/contracts/' + this.detail.contract.id + '/file'); } catch (e) { this.detailError = e; }
    },
    // ---- the dialog
    async openNew() {
      this.dialog = { id: null, error: null, form: { customerId: this.customerId || '', contractNumber: '', title: '', amount: '',
        startDate: '', endDate: '', note: '', orderIds: [] } };
      this.customers = []; this.orders = []; this.customerQ = '';
      if (this.customerId) await this.loadCustomerOrders();
    },
    openEdit() {
      const k = this.detail.contract;
      this.dialog = { id: k.id, error: null, form: { customerId: k.customerId, contractNumber: k.contractNumber, title: k.title,
        amount: Number(k.amount).toFixed(2), startDate: k.startDate, endDate: k.endDate, note: k.note || '', orderIds: this.detail.orders.map((o) => o.id) } };
      this.customers = [{ id: k.customerId, name: k.customerName }];
      this.loadCustomerOrders();
    },
    async findCustomers() {
      const page = await api.get('/customers', { q: this.customerQ.trim(), limit: 20 }).catch(() => ({ items: [] }));
      this.customers = page.items;
    },
    async loadCustomerOrders() {
      const c = this.dialog.form.customerId;
      this.orders = c ? (await api.get('/orders', { customerId: c, limit: 200 }).catch(() => ({ items: [] }))).items : [];
    },
    fieldError(f) { return this.dialog && this.dialog.error ? this.dialog.error.fields()[f] : null; },
    async save() {
      const f = this.dialog.form;
      const body = { customerId: f.customerId === '' ? null : Number(f.customerId), contractNumber: f.contractNumber.trim(), title: f.title.trim(),
        amount: String(f.amount).trim() === '' ? null : String(f.amount).trim(), startDate: f.startDate || null, endDate: f.endDate || null,
        note: f.note.trim() || null, orderIds: f.orderIds };
      try {
        const saved = this.dialog.id ? await api.put('/contracts/' + this.dialog.id, body) : await api.post('/contracts', body);
        this.dialog = null;
        toast(t('contracts.saved'));
        if (location.hash === '#/contracts?id=' + saved.contract.id) { this.detail = saved; await this.load(); }
        else location.hash = '#/contracts?id=' + saved.contract.id;
      } catch (e) { this.dialog.error = e; }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('contracts.title') }}</h1>
      <span class="sub">{{ t('contracts.subtitle') }}</span>
      <div class="spacer"></div>
      <a class="btn" :href="'/api/v1/contracts/export?format=csv&' + exportQuery" data-testid="contracts-export-csv">CSV</a>
      <a class="btn" :href="'/api/v1/contracts/export?format=xlsx&' + exportQuery" data-testid="contracts-export-xlsx">Excel</a>
      <button v-if="can('contract.write')" class="btn btn-primary" data-testid="contract-new" @click="openNew">{{ t('contracts.new') }}</button>
    </div>
    <div v-if="detailError" class="alert alert-error" data-testid="contract-detail-error">{{ errorText(detailError) }}</div>
    <div v-if="detail" class="panel" style="margin-bottom:16px" data-testid="contract-detail" :data-status="detail.contract.status">
      <div class="panel-head">
        <h2><span class="mono" data-testid="contract-detail-number">{{ detail.contract.contractNumber }}</span> · {{ detail.contract.title }}</h2>
        <span class="spacer" style="flex:1"></span>
        <button v-if="can('contract.write') && editable" class="btn btn-sm" data-testid="contract-edit" @click="openEdit">{{ t('common.edit') }}</button>
        <button v-if="can('contract.write') && detail.contract.status === 'draft'" class="btn btn-sm btn-danger" data-testid="contract-delete"
          @click="remove">{{ t('common.delete') }}</button>
        <button class="btn btn-sm" data-testid="contract-detail-close" @click="closeDetail">{{ t('common.close') }}</button>
      </div>
      <div class="panel-body">
        <dl class="kv">
          <dt>{{ t('contracts.statusLabel') }}</dt><dd><span class="badge" data-testid="contract-detail-status">{{ statusText(detail.contract.status) }}</span></dd>
          <dt>{{ t('contracts.customer') }}</dt><dd><a :href="'#/customers?id=' + detail.contract.customerId">{{ detail.contract.customerName }}</a></dd>
          <dt>{{ t('contracts.amount') }}</dt><dd class="mono" data-testid="contract-detail-amount">{{ money(detail.contract.amount) }}</dd>
          <dt>{{ t('contracts.period') }}</dt><dd class="mono">{{ detail.contract.startDate }} – {{ detail.contract.endDate }}</dd>
          <dt>{{ t('contracts.note') }}</dt><dd>{{ dash(detail.contract.note) }}</dd>
          <dt>{{ t('contracts.file') }}</dt>
          <dd data-testid="contract-file">
            <template v-if="detail.contract.file"><a :href="'/api/v1/contracts/' + detail.contract.id + '/file'" data-testid="contract-file-link">{{ detail.contract.file.name }}</a>
              <button v-if="can('contract.write') && editable" class="btn btn-sm" data-testid="contract-file-remove" @click="removeFile">{{ t('common.delete') }}</button></template>
            <template v-else>—</template>
            <span v-if="can('contract.write') && editable" class="upload-row">
              <input type="file" @change="pickFile" data-testid="contract-file-input">
              <button class="btn btn-sm" :disabled="!file" data-testid="contract-file-upload" @click="upload">{{ t('contracts.attach') }}</button></span>
          </dd>
        </dl>
        <h3>{{ t('contracts.orders') }}</h3>
        <table class="grid compact" data-testid="contract-orders">
          <thead><tr><th>{{ t('orders.number') }}</th><th>{{ t('orders.statusLabel') }}</th><th>{{ t('orders.total') }}</th></tr></thead>
          <tbody><tr v-for="o in detail.orders" :key="o.id"><td class="mono"><a :href="'#/orders?id=' + o.id">{{ o.orderNumber }}</a></td>
            <td>{{ tOr('orders.status.' + o.status, o.status) }}</td><td class="mono">{{ money(o.total) }}</td></tr>
            <empty-row v-if="!detail.orders.length" :cols="3"></empty-row></tbody>
        </table>
        <form v-if="can('contract.write') && detail.next.length" class="toolbar" style="margin-top:12px" @submit.prevent="doMove">
          <select v-model="moveTo" data-testid="contract-move-status">
            <option value="">{{ t('orders.moveTo') }}</option>
            <option v-for="s in detail.next" :key="s" :value="s">{{ statusText(s) }}</option></select>
          <button class="btn" type="submit" data-testid="contract-move-go">{{ t('orders.move') }}</button>
        </form>
      </div>
    </div>

    <form class="toolbar" @submit.prevent="load">
      <input type="search" class="grow" v-model="q" :placeholder="t('contracts.searchHint')" data-testid="contracts-search">
      <select v-model="status" data-testid="contracts-status" @change="load">
        <option value="">{{ t('orders.anyStatus') }}</option><option v-for="s in CONTRACT_STATUSES" :key="s" :value="s">{{ statusText(s) }}</option></select>
      <button type="submit" class="btn btn-primary" data-testid="contracts-search-go">{{ t('common.search') }}</button>
    </form>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="contracts-table">
        <thead><tr><th>{{ t('contracts.number') }}</th><th>{{ t('contracts.titleLabel') }}</th><th>{{ t('contracts.customer') }}</th>
          <th>{{ t('contracts.statusLabel') }}</th><th>{{ t('contracts.amount') }}</th><th>{{ t('contracts.period') }}</th></tr></thead>
        <tbody>
          <tr v-for="k in items" :key="k.id" :data-testid="'contract-row-' + k.id" :data-status="k.status">
            <td class="mono"><a :href="'#/contracts?id=' + k.id" :data-testid="'contract-open-' + k.id">{{ k.contractNumber }}</a></td>
            <td>{{ k.title }}</td><td>{{ k.customerName }}</td><td><span class="badge">{{ statusText(k.status) }}</span></td>
            <td class="mono">{{ money(k.amount) }}</td><td class="mono">{{ k.startDate }} – {{ k.endDate }}</td>
          </tr>
          <empty-row v-if="!items.length" :cols="6" :loading="loading" testid="contracts-empty"></empty-row>
        </tbody>
      </table>
    </div>
    <div class="muted small" data-testid="contracts-total">{{ t('contracts.count', { n: total }) }}</div>

    <modal v-if="dialog" :title="dialog.id ? t('contracts.edit') : t('contracts.new')" testid="contract-dialog" @close="dialog = null">
      <form class="form-grid" @submit.prevent="save" novalidate>
        <form-alert :error="dialog.error" :known="['customerId', 'contractNumber', 'title', 'amount', 'startDate', 'endDate', 'note']" testid="contract-form-error"></form-alert>
        <form-field :label="t('contracts.customer')" required :error="fieldError('customerId')" testid="contract-form-customer-error" span>
          <div class="toolbar" v-if="!dialog.id">
            <input type="search" class="grow" v-model="customerQ" :placeholder="t('customers.searchHint')" data-testid="contract-form-customer-search"
              @keydown.enter.prevent="findCustomers">
            <button type="button" class="btn btn-sm" data-testid="contract-form-customer-find" @click="findCustomers">{{ t('common.search') }}</button></div>
          <select v-model="dialog.form.customerId" :disabled="!!dialog.id" data-testid="contract-form-customer" @change="loadCustomerOrders">
            <option value="">—</option>
            <option v-if="customerId && !customers.some((c) => c.id === customerId)" :value="customerId">#{{ customerId }}</option>
            <option v-for="c in customers" :key="c.id" :value="c.id">{{ c.name }}</option></select>
        </form-field>
        <form-field :label="t('contracts.number')" required :error="fieldError('contractNumber')" testid="contract-form-number-error">
          <input v-model="dialog.form.contractNumber" data-testid="contract-form-number"></form-field>
        <form-field :label="t('contracts.titleLabel')" required :error="fieldError('title')" testid="contract-form-title-error">
          <input v-model="dialog.form.title" data-testid="contract-form-title"></form-field>
        <form-field :label="t('contracts.amount')" required :error="fieldError('amount')" testid="contract-form-amount-error">
          <input v-model="dialog.form.amount" inputmode="decimal" data-testid="contract-form-amount"></form-field>
        <form-field :label="t('contracts.start')" required :error="fieldError('startDate')" testid="contract-form-start-error">
          <input type="date" v-model="dialog.form.startDate" data-testid="contract-form-start"></form-field>
        <form-field :label="t('contracts.end')" required :error="fieldError('endDate')" testid="contract-form-end-error">
          <input type="date" v-model="dialog.form.endDate" data-testid="contract-form-end"></form-field>
        <form-field :label="t('contracts.note')" :error="fieldError('note')" span>
          <input v-model="dialog.form.note" data-testid="contract-form-note"></form-field>
        <form-field :label="t('contracts.orders')" span>
          <div data-testid="contract-form-orders">
            <label v-for="o in orders" :key="o.id" class="check"><input type="checkbox" :value="o.id" v-model="dialog.form.orderIds"
              :data-testid="'contract-form-order-' + o.id"> <span class="mono">{{ o.orderNumber }}</span> {{ money(o.total) }}</label>
            <span v-if="!orders.length" class="muted">—</span>
          </div>
        </form-field>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="contract-save" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
