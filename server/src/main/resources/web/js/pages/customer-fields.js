// Customer fields (CRM-1): the enterprise's own customer fields: key, label, type, options of a choice, required,
// display order and whether the screen pop shows it.

import { t, toast } from '../common.js';
import { CrudTable, conflictOn } from '../components/crud-table.js';

const TYPES = ['text', 'single_choice', 'multiple_choice', 'datetime', 'number', 'phone', 'email'];
const KNOWN = ['key', 'label', 'type', 'options', 'position'];

export const CustomerFieldsPage = {
  components: { CrudTable },
  props: { me: Object },
  setup() { return { KNOWN }; },
  computed: {
    columns() {
      return [
        { key: 'position', label: t('customerFields.position'), cls: 'mono' },
        { key: 'key', label: t('customerFields.key'), span: 'mono' },
        { key: 'label', label: t('customerFields.label'), span: 'name' },
        { key: 'type', label: t('customerFields.typeLabel'), text: (f) => t('customerFields.type.' + f.type) },
        { key: 'options', label: t('customerFields.options'), text: (f) => (f.options && f.options.length ? f.options.join(', ') : '—') },
        { key: 'required', label: t('customerFields.required'), text: (f) => (f.required ? '✓' : '') },
        { key: 'inPop', label: t('customerFields.inPop'), text: (f) => (f.inPop ? '✓' : '') },
      ];
    },
    fields() {
      return [
        { key: 'key', label: t('customerFields.key'), required: true, hint: t('customerFields.keyHint'), disabled: (d) => d.mode === 'edit' },
        { key: 'label', label: t('customerFields.label'), required: true },
        { key: 'type', label: t('customerFields.typeLabel'), type: 'select', required: true,
          options: TYPES.map((ty) => ({ value: ty, label: t('customerFields.type.' + ty) })) },
        { key: 'position', label: t('customerFields.position'), inputmode: 'numeric' },
        { key: 'options', label: t('customerFields.options'), span: true, hint: t('customerFields.optionsHint'),
          show: (d) => d.form.type === 'single_choice' || d.form.type === 'multiple_choice' },
        { key: 'required', label: t('customerFields.requiredLabel'), type: 'checkbox' },
        { key: 'inPop', label: t('customerFields.inPopLabel'), type: 'checkbox' },
      ];
    },
  },
  methods: {
    blank() { return { key: '', label: '', type: 'text', position: '', options: '', required: false, inPop: false }; },
    toForm(f) { return { key: f.key, label: f.label, type: f.type, position: String(f.position), options: (f.options || []).join('\n'), required: f.required, inPop: f.inPop }; },
    toBody(f) {
      const choice = f.type === 'single_choice' || f.type === 'multiple_choice';
      return { key: f.key.trim(), label: f.label.trim(), type: f.type, required: !!f.required, inPop: !!f.inPop,
        position: String(f.position).trim() === '' ? null : Number(f.position),
        options: choice ? f.options.split(/[\n,，;；]/).map((s) => s.trim()).filter(Boolean) : [] };
    },
    saved(res) { toast(t('common.saved')); return true; },
    confirmText(f) { return t('customerFields.confirmDelete', { name: f.label }); },
    conflict: conflictOn('key', 'already exists'),
  },
  template: `
    <crud-table path="/customer-fields" name="customer-field" table-testid="customer-fields-table" write-perm="customer.manage"
      :title="t('customerFields.title')" :subtitle="t('customerFields.subtitle')" :new-label="t('customerFields.new')" :edit-title="t('customerFields.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :row-id="(f) => f.key"
      :confirm-text="confirmText" :after-save="saved" :on-save-error="conflict" :known="KNOWN" alert-testid="customer-field-form-error">
      <template #field-options="{ dialog }">
        <form-field :label="t('customerFields.options')" span :error="dialog.errors.options" testid="customer-field-form-options-error" :hint="t('customerFields.optionsHint')">
          <textarea rows="4" v-model="dialog.form.options" data-testid="customer-field-form-options"></textarea>
        </form-field>
      </template>
    </crud-table>`,
};
