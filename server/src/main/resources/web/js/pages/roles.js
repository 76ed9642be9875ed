// Roles: built-in roles read-only; custom roles with permission checkboxes.

import { api, t, tOr } from '../common.js';
import { roleLabel, permLabel } from '../format.js';
import { CrudTable } from '../components/crud-table.js';
import { MaskingSettings } from '../components/masking-settings.js';

export const RolesPage = {
  components: { CrudTable, MaskingSettings },
  data() { return { permissions: [], permError: null }; },
  created() { this.loadPermissions(); },
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
    columns() {
      return [
        { key: 'name', label: t('roles.name'), style: 'width:180px', span: 'name', text: (r) => roleLabel(r) },
        { key: 'builtin', label: t('roles.type'), style: 'width:110px' },
        { key: 'permissions', label: t('roles.permissions') },
      ];
    },
    fields() { return [{ key: 'name' }, { key: 'permissions' }]; },
  },
  methods: {
    roleLabel, permLabel,
    groupLabel(g) { return tOr('permGroup.' + g, g); },
    async loadPermissions() {
      try { this.permissions = await api.get('/permissions'); this.permError = null; } catch (e) { this.permissions = []; this.permError = e; }
    },
    /** Built-in roles, and every role for those who may not change roles, open read only. */
    readOnly(r) { return !!r.builtin || !this.can('role.write'); },
    title(d) { return d.mode === 'create' ? t('roles.new') : (d.readOnly ? roleLabel(d.row) : t('roles.edit')); },
    blank() { return { name: '', permissions: [] }; },
    toForm(r) { return { name: r.name, permissions: [...(r.permissions || [])] }; },
    toBody(f) { return { name: f.name.trim(), permissions: f.permissions }; },
    confirmText(r) { return t('roles.confirmDelete', { name: r.name }); },
    toggleGroup(d, g, on) {
      const set = new Set(d.form.permissions);
      for (const p of g.perms) { if (on) set.add(p); else set.delete(p); }
      d.form.permissions = [...set];
    },
    groupChecked(d, g) { return g.perms.every((p) => d.form.permissions.includes(p)); },
  },
  template: `
    <masking-settings v-if="can('role.read')"></masking-settings>
    <crud-table path="/roles" name="role" table-testid="roles-table" write-perm="role.write" modal-size="wide" stacked
      :title="t('roles.title')" :subtitle="t('roles.subtitle')" :new-label="t('roles.new')" :dialog-title="title" :read-only="readOnly"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :row-id="(r) => r.name"
      :editable="false" :deletable="false" :confirm-text="confirmText">
      <template #alerts><div v-if="permError" class="alert alert-error">{{ errorText(permError) }}</div></template>
      <template #cell-builtin="{ row: r }"><span class="badge" :class="r.builtin ? 'badge-blue' : ''">{{ r.builtin ? t('roles.builtin') : t('roles.custom') }}</span></template>
      <template #cell-permissions="{ row: r }"><div class="chips"><span v-for="p in r.permissions" :key="p" class="badge">{{ permLabel(p) }}</span><span v-if="!r.permissions || !r.permissions.length" class="muted">—</span></div></template>
      <template #actions="{ row: r, edit, remove }">
        <button v-if="readOnly(r)" class="btn-link" :data-testid="'role-view-' + r.name" @click="edit(r)">{{ t('common.view') }}</button>
        <template v-else>
          <button class="btn-link" :data-testid="'role-edit-' + r.name" @click="edit(r)">{{ t('common.edit') }}</button>
          <button class="btn-link danger" :data-testid="'role-delete-' + r.name" @click="remove(r)">{{ t('common.delete') }}</button>
        </template>
      </template>
      <template #field-name="{ dialog }">
        <div v-if="dialog.readOnly" class="alert alert-info">{{ t('roles.builtinReadOnly') }}</div>
        <form-field v-else :label="t('roles.name')" required :error="dialog.errors.name" testid="role-form-name-error">
          <input type="text" v-model="dialog.form.name" data-testid="role-form-name">
        </form-field>
      </template>
      <template #field-permissions="{ dialog }">
        <div class="field">
          <span class="field-label">{{ t('roles.permissions') }}</span>
          <div class="perm-grid">
            <div v-for="g in groups" :key="g.id" class="perm-group">
              <h4><label class="check"><input type="checkbox" :checked="groupChecked(dialog, g)" :disabled="dialog.readOnly" @change="toggleGroup(dialog, g, $event.target.checked)"> {{ groupLabel(g.id) }}</label></h4>
              <div class="checks">
                <label v-for="p in g.perms" :key="p" class="check">
                  <input type="checkbox" :value="p" v-model="dialog.form.permissions" :disabled="dialog.readOnly" :data-testid="'role-perm-' + p"> {{ permLabel(p) }}
                </label>
              </div>
            </div>
          </div>
          <span v-if="dialog.errors.permissions" class="field-error">{{ fieldErrorText(dialog.errors.permissions) }}</span>
        </div>
      </template>
    </crud-table>`,
};
