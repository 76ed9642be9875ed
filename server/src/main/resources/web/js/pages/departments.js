// Departments: list with parent, create/edit dialog, delete.

import { api, t, toast, toastError, confirmDialog } from '../common.js';

export const DepartmentsPage = {
  data() { return { items: [], loading: true, loadError: null, dialog: null }; },
  created() { this.load(); },
  computed: {
    byId() { const m = {}; for (const d of this.items) m[d.id] = d; return m; },
    parentChoices() { return this.dialog ? this.items.filter((d) => d.id !== this.dialog.id) : []; },
  },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/departments'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    parentName(d) { return d.parentId && this.byId[d.parentId] ? this.byId[d.parentId].name : '—'; },
    openCreate() { this.dialog = { mode: 'create', id: null, form: { name: '', parentId: '' }, errors: {}, error: null, saving: false }; },
    openEdit(d) { this.dialog = { mode: 'edit', id: d.id, form: { name: d.name, parentId: d.parentId || '' }, errors: {}, error: null, saving: false }; },
    async save() {
      const d = this.dialog;
      const body = { name: d.form.name.trim(), parentId: d.form.parentId === '' ? null : Number(d.form.parentId) };
      d.saving = true; d.errors = {}; d.error = null;
      try {
        if (d.mode === 'create') await api.post('/departments', body); else await api.put('/departments/' + d.id, body);
        this.dialog = null;
        toast(t('common.saved'));
        await this.load();
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
    async remove(d) {
      if (!(await confirmDialog(t('departments.confirmDelete', { name: d.name })))) return;
      try { await api.del('/departments/' + d.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('departments.title') }}</h1>
      <span class="sub">{{ t('departments.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('department.write')" class="btn btn-primary" data-testid="department-new" @click="openCreate">+ {{ t('departments.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="departments-table">
        <thead><tr><th>{{ t('departments.name') }}</th><th>{{ t('departments.parent') }}</th><th v-if="can('department.write')"></th></tr></thead>
        <tbody>
          <tr v-for="d in items" :key="d.id" :data-testid="'department-row-' + d.id">
            <td><span class="name">{{ d.name }}</span></td>
            <td>{{ parentName(d) }}</td>
            <td v-if="can('department.write')" class="actions">
              <button class="btn-link" :data-testid="'department-edit-' + d.id" @click="openEdit(d)">{{ t('common.edit') }}</button>
              <button class="btn-link danger" :data-testid="'department-delete-' + d.id" @click="remove(d)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <tr v-if="!loading && !items.length"><td class="empty" colspan="3">{{ t('common.noData') }}</td></tr>
        </tbody>
      </table>
    </div>
    <modal v-if="dialog" size="small" :title="t(dialog.mode === 'create' ? 'departments.new' : 'departments.edit')" testid="department-dialog" @close="dialog = null">
      <form @submit.prevent="save" novalidate style="display:flex;flex-direction:column;gap:14px">
        <form-field :label="t('departments.name')" required :error="dialog.errors.name" testid="department-form-name-error">
          <input type="text" v-model="dialog.form.name" data-testid="department-form-name">
        </form-field>
        <form-field :label="t('departments.parent')" :error="dialog.errors.parentId" testid="department-form-parent-error">
          <select v-model="dialog.form.parentId" data-testid="department-form-parent">
            <option value="">{{ t('common.none') }}</option>
            <option v-for="p in parentChoices" :key="p.id" :value="p.id">{{ p.name }}</option>
          </select>
        </form-field>
        <form-alert :error="dialog.error" :known="['name', 'parentId']"></form-alert>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="department-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
