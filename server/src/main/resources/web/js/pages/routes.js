// Outbound routes (PBX-2, PBX-7): by dialled prefix to a trunk, with digit manipulation, caller ID
// and an optional PIN (write only). Listed in the order the router tries them.

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { blankToNull, intOrNull } from '../format.js';

export const RoutesPage = {
  data() { return { items: [], trunks: [], loading: true, loadError: null, dialog: null }; },
  created() { this.load(); this.loadTrunks(); },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/outbound-routes'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    async loadTrunks() {
      try { this.trunks = await api.get('/trunks'); } catch (e) { this.trunks = []; }
    },
    trunkName(id) {
      const tr = this.trunks.find((x) => x.id === id);
      return tr ? tr.name : '#' + id;
    },
    openCreate() {
      this.dialog = { mode: 'create', id: null, hasPin: false, errors: {}, error: null, saving: false, form: {
        name: '', prefix: '', stripDigits: '0', addPrefix: '', trunkId: this.trunks.length === 1 ? this.trunks[0].id : '',
        callerId: '', pin: '', removePin: false, priority: '100', enabled: true } };
    },
    openEdit(x) {
      this.dialog = { mode: 'edit', id: x.id, hasPin: !!x.hasPin, errors: {}, error: null, saving: false, form: {
        name: x.name, prefix: x.prefix || '', stripDigits: String(x.stripDigits || 0), addPrefix: x.addPrefix || '', trunkId: x.trunkId,
        callerId: x.callerId || '', pin: '', removePin: false, priority: String(x.priority), enabled: x.enabled !== false } };
    },
    async save() {
      const d = this.dialog;
      const f = d.form;
      const body = {
        name: f.name.trim(), prefix: f.prefix.trim(), stripDigits: intOrNull(f.stripDigits), addPrefix: blankToNull(f.addPrefix),
        trunkId: f.trunkId === '' || f.trunkId === null ? null : Number(f.trunkId), callerId: blankToNull(f.callerId),
        priority: intOrNull(f.priority), enabled: !!f.enabled,
      };
      // PIN is write only: blank keeps the current one (or none), "" removes it.
      if (d.mode === 'edit' && f.removePin) body.pin = '';
      else if (f.pin.trim() !== '') body.pin = f.pin.trim();
      d.saving = true; d.errors = {}; d.error = null;
      try {
        if (d.mode === 'create') await api.post('/outbound-routes', body); else await api.put('/outbound-routes/' + d.id, body);
        this.dialog = null; toast(t('common.saved')); await this.load();
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
    async remove(x) {
      if (!(await confirmDialog(t('routes.confirmDelete', { name: x.name })))) return;
      try { await api.del('/outbound-routes/' + x.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('routes.title') }}</h1>
      <span class="sub">{{ t('routes.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('routing.write')" class="btn btn-primary" data-testid="route-new" @click="openCreate">+ {{ t('routes.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="routes-table">
        <thead><tr>
          <th>#</th><th>{{ t('routes.name') }}</th><th>{{ t('routes.prefix') }}</th><th>{{ t('routes.digits') }}</th>
          <th>{{ t('routes.trunk') }}</th><th>{{ t('routes.callerId') }}</th><th>{{ t('routes.pin') }}</th>
          <th>{{ t('routes.priority') }}</th><th>{{ t('routes.status') }}</th><th v-if="can('routing.write')"></th>
        </tr></thead>
        <tbody>
          <tr v-for="(x, i) in items" :key="x.id" :data-testid="'route-row-' + x.name">
            <td class="muted">{{ i + 1 }}</td>
            <td><span class="name">{{ x.name }}</span></td>
            <td><span v-if="x.prefix" class="mono">{{ x.prefix }}</span><span v-else class="muted">{{ t('routes.anyNumber') }}</span></td>
            <td class="muted">{{ x.stripDigits || x.addPrefix ? t('routes.stripAdd', { strip: x.stripDigits || 0, add: x.addPrefix || '—' }) : t('routes.asDialled') }}</td>
            <td>{{ trunkName(x.trunkId) }}</td>
            <td class="mono">{{ x.callerId || t('routes.trunkCallerId') }}</td>
            <td><span v-if="x.hasPin" class="badge badge-blue" :data-testid="'route-pin-' + x.name">{{ t('routes.hasPin') }}</span><span v-else class="muted">—</span></td>
            <td>{{ x.priority }}</td>
            <td><span class="badge" :class="x.enabled ? 'badge-ok' : 'badge-off'">{{ x.enabled ? t('common.enabled') : t('common.disabled') }}</span></td>
            <td v-if="can('routing.write')" class="actions">
              <button class="btn-link" :data-testid="'route-edit-' + x.name" @click="openEdit(x)">{{ t('common.edit') }}</button>
              <button class="btn-link danger" :data-testid="'route-delete-' + x.name" @click="remove(x)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <tr v-if="!loading && !items.length"><td class="empty" colspan="10">{{ t('common.noData') }}</td></tr>
        </tbody>
      </table>
    </div>
    <div class="field-hint page-note">{{ t('routes.orderHint') }}</div>
    <modal v-if="dialog" :title="t(dialog.mode === 'create' ? 'routes.new' : 'routes.edit')" testid="route-dialog" @close="dialog = null">
      <form @submit.prevent="save" novalidate class="form-grid">
        <form-field :label="t('routes.name')" required :error="dialog.errors.name" testid="route-form-name-error">
          <input type="text" v-model="dialog.form.name" data-testid="route-form-name">
        </form-field>
        <form-field :label="t('routes.trunk')" required :error="dialog.errors.trunkId" testid="route-form-trunk-error">
          <select v-model="dialog.form.trunkId" data-testid="route-form-trunk">
            <option value="">{{ t('common.choose') }}</option>
            <option v-for="tr in trunks" :key="tr.id" :value="tr.id">{{ tr.name }}</option>
          </select>
        </form-field>
        <form-field :label="t('routes.prefix')" :error="dialog.errors.prefix" testid="route-form-prefix-error" :hint="t('routes.prefixHint')">
          <input type="text" v-model="dialog.form.prefix" data-testid="route-form-prefix" inputmode="tel">
        </form-field>
        <form-field :label="t('routes.priority')" :error="dialog.errors.priority" testid="route-form-priority-error" :hint="t('routes.priorityHint')">
          <input type="text" v-model="dialog.form.priority" data-testid="route-form-priority" inputmode="numeric">
        </form-field>
        <form-field :label="t('routes.stripDigits')" :error="dialog.errors.stripDigits" testid="route-form-strip-error" :hint="t('routes.stripDigitsHint')">
          <input type="text" v-model="dialog.form.stripDigits" data-testid="route-form-strip" inputmode="numeric">
        </form-field>
        <form-field :label="t('routes.addPrefix')" :error="dialog.errors.addPrefix" testid="route-form-add-error" :hint="t('routes.addPrefixHint')">
          <input type="text" v-model="dialog.form.addPrefix" data-testid="route-form-add" inputmode="tel">
        </form-field>
        <form-field :label="t('routes.callerId')" :error="dialog.errors.callerId" testid="route-form-caller-id-error" :hint="t('routes.callerIdHint')">
          <input type="text" v-model="dialog.form.callerId" data-testid="route-form-caller-id" inputmode="tel">
        </form-field>
        <div class="field">
          <form-field :label="t('routes.pin')" :error="dialog.errors.pin" testid="route-form-pin-error"
                      :hint="dialog.hasPin ? t('routes.pinKeep') : t('routes.pinHint')">
            <input type="password" v-model="dialog.form.pin" data-testid="route-form-pin" inputmode="numeric" autocomplete="new-password"
                   :disabled="dialog.form.removePin">
          </form-field>
          <label v-if="dialog.mode === 'edit' && dialog.hasPin" class="check"><input type="checkbox" v-model="dialog.form.removePin" data-testid="route-form-remove-pin"> {{ t('routes.removePin') }}</label>
        </div>
        <label class="check span-2"><input type="checkbox" v-model="dialog.form.enabled" data-testid="route-form-enabled"> {{ t('common.enabled') }}</label>
        <form-alert class="span-2" :error="dialog.error" :known="['name', 'prefix', 'stripDigits', 'addPrefix', 'trunkId', 'callerId', 'pin', 'priority']"></form-alert>
        <button type="submit" hidden></button>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="route-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
