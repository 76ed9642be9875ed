// Conference rooms (PBX-5): dialled by number from extensions or reached from a DID, optionally
// PIN-protected (write only) and recorded; the live participant count.

import { t, toast } from '../common.js';
import { blankToNull, byNumber } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

export const ConferencesPage = {
  components: { CrudTable },
  setup() { return { byNumber }; },
  computed: {
    columns() {
      return [
        { key: 'number', label: t('conferences.number'), span: 'name mono' },
        { key: 'name', label: t('conferences.name') },
        { key: 'pin', label: t('conferences.pin') },
        { key: 'record', label: t('conferences.record') },
        { key: 'participants', label: t('conferences.participants'), testid: (x) => 'conference-participants-' + x.number },
      ];
    },
    fields() {
      return [
        { key: 'number', label: t('conferences.number'), required: true, hint: t('conferences.numberHint'), inputmode: 'numeric' },
        { key: 'name', label: t('conferences.name'), required: true },
        { key: 'pin', label: t('conferences.pin') },
        { key: 'record', label: t('conferences.recordRoom'), type: 'checkbox' },
      ];
    },
  },
  methods: {
    blank() { return { number: '', name: '', pin: '', removePin: false, record: false }; },
    toForm(x) { return { number: String(x.number), name: x.name || '', pin: '', removePin: false, record: !!x.record }; },
    toBody(f, d) {
      const body = { number: f.number.trim(), name: blankToNull(f.name), record: !!f.record };
      // PIN is write only: blank keeps the current one (or none), "" removes it.
      if (d.mode === 'edit' && f.removePin) body.pin = '';
      else if (f.pin.trim() !== '') body.pin = f.pin.trim();
      return body;
    },
    confirmText(x) { return t('conferences.confirmDelete', { number: x.number }); },
    inUse(e, x) {
      if (e.status !== 409) return false;
      toast(t('conferences.inUse', { number: x.number }), 'error');
      return true;
    },
  },
  template: `
    <crud-table path="/conference-rooms" name="conference" table-testid="conferences-table" write-perm="routing.write" modal-size="small"
      :title="t('conferences.title')" :subtitle="t('conferences.subtitle')" :new-label="t('conferences.new')" :edit-title="t('conferences.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :sort="byNumber" :row-id="(x) => x.number"
      :confirm-text="confirmText" :on-delete-error="inUse" refresh-testid="conferences-refresh" loading-row empty-testid="conferences-empty">
      <template #cell-pin="{ row }"><span v-if="row.hasPin" class="badge badge-blue" :data-testid="'conference-pin-' + row.number">{{ t('conferences.hasPin') }}</span><span v-else class="muted">{{ t('conferences.open') }}</span></template>
      <template #cell-record="{ row }"><span v-if="row.record" class="badge badge-warn" :data-testid="'conference-record-' + row.number">{{ t('conferences.recorded') }}</span><span v-else class="muted">—</span></template>
      <template #cell-participants="{ row }"><span class="badge" :class="row.participants ? 'badge-ok' : 'badge-off'">{{ t('conferences.live', { n: row.participants || 0 }) }}</span></template>
      <template #below><div class="field-hint page-note">{{ t('conferences.dialHint') }}</div></template>
      <template #field-pin="{ dialog }">
        <div class="field">
          <form-field :label="t('conferences.pin')" :error="dialog.errors.pin" testid="conference-form-pin-error"
                      :hint="dialog.row && dialog.row.hasPin ? t('conferences.pinKeep') : t('conferences.pinHint')">
            <input type="password" v-model="dialog.form.pin" data-testid="conference-form-pin" inputmode="numeric" autocomplete="new-password"
                   :disabled="dialog.form.removePin">
          </form-field>
          <label v-if="dialog.mode === 'edit' && dialog.row.hasPin" class="check"><input type="checkbox" v-model="dialog.form.removePin" data-testid="conference-form-remove-pin"> {{ t('conferences.removePin') }}</label>
        </div>
      </template>
    </crud-table>`,
};
