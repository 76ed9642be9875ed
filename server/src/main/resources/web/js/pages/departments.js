// Departments: list with parent, create/edit dialog, delete.

import { t } from '../common.js';
import { CrudTable } from '../components/crud-table.js';

export const DepartmentsPage = {
  components: { CrudTable },
  data() { return { items: [] }; },
  computed: {
    byId() { const m = {}; for (const d of this.items) m[d.id] = d; return m; },
    columns() {
      return [
        { key: 'name', label: t('departments.name'), span: 'name' },
        { key: 'parentId', label: t('departments.parent'), text: (d) => this.parentName(d) },
      ];
    },
    fields() {
      return [
        { key: 'name', label: t('departments.name'), required: true },
        { key: 'parentId', label: t('departments.parent'), testid: 'parent', type: 'select', none: t('common.none'),
          options: (dialog) => this.items.filter((d) => d.id !== dialog.id).map((p) => ({ value: p.id, label: p.name })) },
      ];
    },
  },
  methods: {
    parentName(d) { return d.parentId && this.byId[d.parentId] ? this.byId[d.parentId].name : '—'; },
    blank() { return { name: '', parentId: '' }; },
    toForm(d) { return { name: d.name, parentId: d.parentId || '' }; },
    toBody(f) { return { name: f.name.trim(), parentId: f.parentId === '' ? null : Number(f.parentId) }; },
    confirmText(d) { return t('departments.confirmDelete', { name: d.name }); },
  },
  template: `
    <crud-table path="/departments" name="department" table-testid="departments-table" write-perm="department.write" modal-size="small"
      :title="t('departments.title')" :subtitle="t('departments.subtitle')" :new-label="t('departments.new')" :edit-title="t('departments.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :confirm-text="confirmText"
      @loaded="(list) => { items = list; }"></crud-table>`,
};
