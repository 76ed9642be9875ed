// Blacklist (PBX-6): callers on it are declined before anything else runs. Exact numbers or
// prefixes ending in "*".

import { t } from '../common.js';
import { blankToNull, fmtTime } from '../format.js';
import { CrudTable, conflictOn } from '../components/crud-table.js';

export const BlacklistPage = {
  components: { CrudTable },
  computed: {
    columns() {
      return [
        { key: 'number', label: t('blacklist.number'), span: 'name mono' },
        { key: 'match', label: t('blacklist.match') },
        { key: 'note', label: t('blacklist.note') },
        { key: 'createdAt', label: t('blacklist.createdAt'), cls: 'mono', style: 'white-space:nowrap', text: (x) => fmtTime(x.createdAt) },
      ];
    },
    fields() {
      return [
        { key: 'number', label: t('blacklist.number'), required: true, hint: t('blacklist.numberHint'), inputmode: 'tel' },
        { key: 'note', label: t('blacklist.note') },
      ];
    },
  },
  methods: {
    blank() { return { number: '', note: '' }; },
    toBody(f) { return { number: f.number.trim(), note: blankToNull(f.note) }; },
    confirmText(x) { return t('blacklist.confirmDelete', { number: x.number }); },
    onSaveError: conflictOn('number', 'already blocked'),
  },
  template: `
    <crud-table path="/blacklist" name="blacklist" table-testid="blacklist-table" write-perm="routing.write" modal-size="small"
      :title="t('blacklist.title')" :subtitle="t('blacklist.subtitle')" :new-label="t('blacklist.new')" :save-label="t('blacklist.add')"
      :columns="columns" :fields="fields" :blank="blank" :to-body="toBody" :editable="false" :row-id="(x) => x.number"
      delete-key="blacklist.unblock" :confirm-text="confirmText" :on-save-error="onSaveError" :empty-text="t('blacklist.empty')">
      <template #cell-match="{ row }"><span class="badge" :class="row.number.endsWith('*') ? 'badge-blue' : ''">{{ row.number.endsWith('*') ? t('blacklist.prefix') : t('blacklist.exact') }}</span></template>
    </crud-table>`,
};
