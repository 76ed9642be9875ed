// Callback list (PBX-6): a listed caller is hung up on and called back after a delay, through the
// outbound routes, then connected to the destination of the number they dialled.

import { t } from '../common.js';
import { blankToNull, fmtTime } from '../format.js';
import { CrudTable, conflictOn } from '../components/crud-table.js';

export const CallbacksPage = {
  components: { CrudTable },
  computed: {
    columns() {
      return [
        { key: 'number', label: t('blacklist.number'), span: 'name mono' },
        { key: 'delaySeconds', label: t('callbacks.delay'), text: (x) => t('callbacks.after', { n: x.delaySeconds }) },
        { key: 'note', label: t('blacklist.note') },
        { key: 'createdAt', label: t('blacklist.createdAt'), cls: 'mono', style: 'white-space:nowrap', text: (x) => fmtTime(x.createdAt) },
      ];
    },
    fields() {
      return [
        { key: 'number', label: t('blacklist.number'), required: true, hint: t('blacklist.numberHint'), inputmode: 'tel' },
        { key: 'delaySeconds', testid: 'delay', label: t('callbacks.delay'), hint: t('callbacks.delayHint'), inputmode: 'numeric' },
        { key: 'note', label: t('blacklist.note') },
      ];
    },
  },
  methods: {
    blank() { return { number: '', delaySeconds: '10', note: '' }; },
    toBody(f) {
      const delay = String(f.delaySeconds).trim();
      return { number: f.number.trim(), delaySeconds: /^\d+$/.test(delay) ? Number(delay) : -1, note: blankToNull(f.note) };
    },
    confirmText(x) { return t('callbacks.confirmDelete', { number: x.number }); },
    onSaveError: conflictOn('number', 'already exists'),
  },
  template: `
    <crud-table path="/callback-list" name="callback" table-testid="callbacks-table" write-perm="routing.write" modal-size="small"
      :title="t('callbacks.title')" :subtitle="t('callbacks.subtitle')" :new-label="t('callbacks.new')"
      :columns="columns" :fields="fields" :blank="blank" :to-body="toBody" :editable="false" :row-id="(x) => x.number"
      :confirm-text="confirmText" :on-save-error="onSaveError" :empty-text="t('callbacks.empty')"></crud-table>`,
};
