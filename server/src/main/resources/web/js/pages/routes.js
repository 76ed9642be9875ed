// Outbound routes (PBX-2, PBX-7): by dialled prefix to a trunk, with digit manipulation, caller ID
// and an optional PIN (write only). Listed in the order the router tries them.

import { api, t } from '../common.js';
import { blankToNull, enabledLabel, intOrNull } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

export const RoutesPage = {
  components: { CrudTable },
  data() { return { trunks: [] }; },
  created() { this.loadTrunks(); },
  computed: {
    columns() {
      return [
        { key: 'order', label: '#', cls: 'muted' },
        { key: 'name', label: t('routes.name'), span: 'name' },
        { key: 'prefix', label: t('routes.prefix') },
        { key: 'digits', label: t('routes.digits'), cls: 'muted',
          text: (x) => x.stripDigits || x.addPrefix ? t('routes.stripAdd', { strip: x.stripDigits || 0, add: x.addPrefix || '—' }) : t('routes.asDialled') },
        { key: 'trunkId', label: t('routes.trunk'), text: (x) => this.trunkName(x.trunkId) },
        { key: 'callerId', label: t('routes.callerId'), cls: 'mono', text: (x) => x.callerId || t('routes.trunkCallerId') },
        { key: 'pin', label: t('routes.pin') },
        { key: 'priority', label: t('routes.priority'), text: (x) => x.priority },
        { key: 'enabled', label: t('routes.status') },
      ];
    },
    fields() {
      return [
        { key: 'name', label: t('routes.name'), required: true },
        { key: 'trunkId', testid: 'trunk', label: t('routes.trunk'), required: true, type: 'select', none: t('common.choose'),
          options: this.trunks.map((tr) => ({ value: tr.id, label: tr.name })) },
        { key: 'prefix', label: t('routes.prefix'), hint: t('routes.prefixHint'), inputmode: 'tel' },
        { key: 'priority', label: t('routes.priority'), hint: t('routes.priorityHint'), inputmode: 'numeric' },
        { key: 'stripDigits', testid: 'strip', label: t('routes.stripDigits'), hint: t('routes.stripDigitsHint'), inputmode: 'numeric' },
        { key: 'addPrefix', testid: 'add', label: t('routes.addPrefix'), hint: t('routes.addPrefixHint'), inputmode: 'tel' },
        { key: 'callerId', testid: 'caller-id', label: t('routes.callerId'), hint: t('routes.callerIdHint'), inputmode: 'tel' },
        { key: 'pin', label: t('routes.pin') },
        { key: 'enabled', label: t('common.enabled'), type: 'checkbox' },
      ];
    },
  },
  methods: {
    enabledLabel,
    async loadTrunks() {
      try { this.trunks = await api.get('/trunks'); } catch (e) { this.trunks = []; }
    },
    trunkName(id) {
      const tr = this.trunks.find((x) => x.id === id);
      return tr ? tr.name : '#' + id;
    },
    blank() {
      return { name: '', prefix: '', stripDigits: '0', addPrefix: '', trunkId: this.trunks.length === 1 ? this.trunks[0].id : '',
        callerId: '', pin: '', removePin: false, priority: '100', enabled: true };
    },
    toForm(x) {
      return { name: x.name, prefix: x.prefix || '', stripDigits: String(x.stripDigits || 0), addPrefix: x.addPrefix || '', trunkId: x.trunkId,
        callerId: x.callerId || '', pin: '', removePin: false, priority: String(x.priority), enabled: x.enabled !== false };
    },
    toBody(f, d) {
      const body = {
        name: f.name.trim(), prefix: f.prefix.trim(), stripDigits: intOrNull(f.stripDigits), addPrefix: blankToNull(f.addPrefix),
        trunkId: f.trunkId === '' || f.trunkId === null ? null : Number(f.trunkId), callerId: blankToNull(f.callerId),
        priority: intOrNull(f.priority), enabled: !!f.enabled,
      };
      // PIN is write only: blank keeps the current one (or none), "" removes it.
      if (d.mode === 'edit' && f.removePin) body.pin = '';
      else if (f.pin.trim() !== '') body.pin = f.pin.trim();
      return body;
    },
    confirmText(x) { return t('routes.confirmDelete', { name: x.name }); },
  },
  template: `
    <crud-table path="/outbound-routes" name="route" table-testid="routes-table" write-perm="routing.write"
      :title="t('routes.title')" :subtitle="t('routes.subtitle')" :new-label="t('routes.new')" :edit-title="t('routes.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :row-id="(x) => x.name" :confirm-text="confirmText">
      <template #cell-order="{ index }">{{ index + 1 }}</template>
      <template #cell-prefix="{ row }"><span v-if="row.prefix" class="mono">{{ row.prefix }}</span><span v-else class="muted">{{ t('routes.anyNumber') }}</span></template>
      <template #cell-pin="{ row }"><span v-if="row.hasPin" class="badge badge-blue" :data-testid="'route-pin-' + row.name">{{ t('routes.hasPin') }}</span><span v-else class="muted">—</span></template>
      <template #cell-enabled="{ row }"><span class="badge" :class="row.enabled ? 'badge-ok' : 'badge-off'">{{ enabledLabel(row.enabled) }}</span></template>
      <template #below><div class="field-hint page-note">{{ t('routes.orderHint') }}</div></template>
      <template #field-pin="{ dialog }">
        <div class="field">
          <form-field :label="t('routes.pin')" :error="dialog.errors.pin" testid="route-form-pin-error"
                      :hint="dialog.row && dialog.row.hasPin ? t('routes.pinKeep') : t('routes.pinHint')">
            <input type="password" v-model="dialog.form.pin" data-testid="route-form-pin" inputmode="numeric" autocomplete="new-password"
                   :disabled="dialog.form.removePin">
          </form-field>
          <label v-if="dialog.mode === 'edit' && dialog.row.hasPin" class="check"><input type="checkbox" v-model="dialog.form.removePin" data-testid="route-form-remove-pin"> {{ t('routes.removePin') }}</label>
        </div>
      </template>
    </crud-table>`,
};
