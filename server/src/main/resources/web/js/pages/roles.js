// Roles: built-in roles read-only; custom roles with permission checkboxes.

import { api, t, tOr, toast, toastError, confirmDialog } from '../common.js';
import { roleLabel, permLabel } from '../format.js';

export const RolesPage = {
  data() { return { roles: [], permissions: [], loading: true, loadError: null, dialog: null }; },
  created() { this.load(); },
  computed: {
    groups() {
      const order = [];
      const map = {};
      for (const p of this.permissions) {
        const g = p.group || p.name.split('.')[0];
        if (!map[g]) { map[g] = []; order.push(g); }
        map[g].push(p.name);
      }
      return order.map((g) => ({ id: g, perms: map[g] }));
    },
  },
  methods: {
    roleLabel, permLabel,
    groupLabel(g) { return tOr('permGroup.' + g, g); },
    async load() {
      this.loading = true;
      try {
        const [roles, perms] = await Promise.all([api.get('/roles'), api.get('/permissions')]);
        this.roles = roles; this.permissions = perms; this.loadError = null;
      } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    openCreate() { this.dialog = { mode: 'create', id: null, readOnly: false, form: { name: '', permissions: [] }, errors: {}, error: null, saving: false }; },
    openEdit(r) {
      this.dialog = { mode: r.builtin ? 'view' : 'edit', id: r.id, readOnly: !!r.builtin || !this.can('role.write'),
        title: roleLabel(r), form: { name: r.name, permissions: [...(r.permissions || [])] }, errors: {}, error: null, saving: false };
    },
    toggleGroup(g, on) {
      const set = new Set(this.dialog.form.permissions);
      for (const p of g.perms) { if (on) set.add(p); else set.delete(p); }
      this.dialog.form.permissions = [...set];
    },
    groupChecked(g) { return g.perms.every((p) => this.dialog.form.permissions.includes(p)); },
    async save() {
      const d = this.dialog;
      const body = { name: d.form.name.trim(), permissions: d.form.permissions };
      d.saving = true; d.errors = {}; d.error = null;
      try {
        if (d.mode === 'create') await api.post('/roles', body); else await api.put('/roles/' + d.id, body);
        this.dialog = null; toast(t('common.saved')); await this.load();
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
    async remove(r) {
      if (!(await confirmDialog(t('roles.confirmDelete', { name: r.name })))) return;
      try { await api.del('/roles/' + r.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('roles.title') }}</h1>
      <span class="sub">{{ t('roles.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('role.write')" class="btn btn-primary" data-testid="role-new" @click="openCreate">+ {{ t('roles.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="roles-table">
        <thead><tr><th style="width:180px">{{ t('roles.name') }}</th><th style="width:110px">{{ t('roles.type') }}</th><th>{{ t('roles.permissions') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="r in roles" :key="r.id" :data-testid="'role-row-' + r.name">
            <td><span class="name">{{ roleLabel(r) }}</span></td>
            <td><span class="badge" :class="r.builtin ? 'badge-blue' : ''">{{ r.builtin ? t('roles.builtin') : t('roles.custom') }}</span></td>
            <td><div class="chips"><span v-for="p in r.permissions" :key="p" class="badge">{{ permLabel(p) }}</span><span v-if="!r.permissions || !r.permissions.length" class="muted">—</span></div></td>
            <td class="actions">
              <button v-if="r.builtin || !can('role.write')" class="btn-link" :data-testid="'role-view-' + r.name" @click="openEdit(r)">{{ t('common.view') }}</button>
              <template v-else>
                <button class="btn-link" :data-testid="'role-edit-' + r.name" @click="openEdit(r)">{{ t('common.edit') }}</button>
                <button class="btn-link danger" :data-testid="'role-delete-' + r.name" @click="remove(r)">{{ t('common.delete') }}</button>
              </template>
            </td>
          </tr>
          <tr v-if="!loading && !roles.length"><td class="empty" colspan="4">{{ t('common.noData') }}</td></tr>
        </tbody>
      </table>
    </div>
    <modal v-if="dialog" size="wide" :title="dialog.mode === 'create' ? t('roles.new') : (dialog.readOnly ? dialog.title : t('roles.edit'))" testid="role-dialog" @close="dialog = null">
      <div v-if="dialog.readOnly" class="alert alert-info">{{ t('roles.builtinReadOnly') }}</div>
      <form-field v-else :label="t('roles.name')" required :error="dialog.errors.name" testid="role-form-name-error">
        <input type="text" v-model="dialog.form.name" data-testid="role-form-name">
      </form-field>
      <div class="field">
        <span class="field-label">{{ t('roles.permissions') }}</span>
        <div class="perm-grid">
          <div v-for="g in groups" :key="g.id" class="perm-group">
            <h4><label class="check"><input type="checkbox" :checked="groupChecked(g)" :disabled="dialog.readOnly" @change="toggleGroup(g, $event.target.checked)"> {{ groupLabel(g.id) }}</label></h4>
            <div class="checks">
              <label v-for="p in g.perms" :key="p" class="check">
                <input type="checkbox" :value="p" v-model="dialog.form.permissions" :disabled="dialog.readOnly" :data-testid="'role-perm-' + p"> {{ permLabel(p) }}
              </label>
            </div>
          </div>
        </div>
        <span v-if="dialog.errors.permissions" class="field-error">{{ fieldErrorText(dialog.errors.permissions) }}</span>
      </div>
      <form-alert :error="dialog.error" :known="['name', 'permissions']"></form-alert>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ dialog.readOnly ? t('common.close') : t('common.cancel') }}</button>
        <button v-if="!dialog.readOnly" class="btn btn-primary" data-testid="role-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
