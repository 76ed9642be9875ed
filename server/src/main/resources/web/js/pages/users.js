// Users: search and filters, create/edit dialog (role, department, job number, extension, enabled), delete.

import { api, t, toast } from '../common.js';
import { blankToNull, enabledLabel, roleLabel } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

const FIELDS = ['username', 'displayName', 'password', 'roleId', 'departmentId', 'jobNumber', 'extension', 'email', 'enabled'];

export const UsersPage = {
  components: { CrudTable },
  props: { me: Object },
  setup() { return { FIELDS }; },
  data() { return { roles: [], departments: [], q: '', role: '', departmentId: '' }; },
  created() { this.loadLookups(); },
  computed: {
    roleById() { const m = {}; for (const r of this.roles) m[r.id] = r; return m; },
    columns() {
      return [
        { key: 'username', label: t('users.username'), span: 'name' },
        { key: 'displayName', label: t('users.displayName') },
        { key: 'roleId', label: t('users.role'), text: (u) => this.roleText(u) },
        { key: 'departmentName', label: t('users.department') },
        { key: 'jobNumber', label: t('users.jobNumber') },
        { key: 'extension', label: t('users.extension') },
        { key: 'enabled', label: t('users.status') },
      ];
    },
    fields() {
      return [
        { key: 'username', label: t('users.username'), required: true, autocomplete: 'off' },
        { key: 'displayName', testid: 'display-name', label: t('users.displayName') },
        { key: 'password', label: t('users.password'), type: 'password', autocomplete: 'new-password', required: (d) => d.mode === 'create',
          hint: (d) => d.mode === 'edit' ? t('users.passwordKeep') : t('users.passwordRule') },
        { key: 'roleId' },
        { key: 'departmentId', testid: 'department', label: t('users.department'), type: 'select', none: t('common.none'),
          options: this.departments.map((dep) => ({ value: dep.id, label: dep.name })) },
        { key: 'jobNumber', testid: 'job-number', label: t('users.jobNumber') },
        { key: 'extension', label: t('users.extension'), hint: t('users.extensionHint'), inputmode: 'numeric' },
        { key: 'email', label: t('users.email'), type: 'email' },
        { key: 'enabled', label: t('users.enabledLabel'), type: 'checkbox' },
      ];
    },
  },
  methods: {
    roleLabel,
    enabledLabel,
    async loadLookups() {
      const [roles, deps] = await Promise.all([
        this.can('role.read') ? api.get('/roles').catch(() => []) : Promise.resolve([]),
        this.can('department.read') ? api.get('/departments').catch(() => []) : Promise.resolve([]),
      ]);
      this.roles = roles || [];
      this.departments = deps || [];
    },
    /** The list's search and filters. */
    params() {
      const roleName = this.role ? (this.roleById[this.role] || {}).name : '';
      return { q: this.q.trim(), departmentId: this.departmentId, role: roleName };
    },
    load() { this.$refs.crud.load(); },
    search() {
      clearTimeout(this._timer);
      this._timer = setTimeout(() => this.load(), 250);
    },
    roleText(u) {
      const r = this.roleById[u.roleId];
      return r ? roleLabel(r) : (u.roleName ? roleLabel({ name: u.roleName }) : '—');
    },
    blank() {
      const agent = this.roles.find((r) => r.name === 'agent');
      return { username: '', displayName: '', password: '', roleId: agent ? agent.id : '', departmentId: '', jobNumber: '', extension: '', email: '', enabled: true };
    },
    toForm(u) {
      return {
        username: u.username, displayName: u.displayName || '', password: '', roleId: u.roleId || '',
        departmentId: u.departmentId || '', jobNumber: u.jobNumber || '', extension: u.extension || '',
        email: u.email || '', enabled: u.enabled !== false,
      };
    },
    toBody(f, d) {
      const body = {
        username: f.username.trim(),
        displayName: blankToNull(f.displayName),
        roleId: f.roleId === '' ? null : Number(f.roleId),
        departmentId: f.departmentId === '' ? null : Number(f.departmentId),
        jobNumber: blankToNull(f.jobNumber),
        extension: blankToNull(f.extension),
        email: blankToNull(f.email),
        enabled: !!f.enabled,
      };
      if (d.mode === 'create' || f.password) body.password = f.password;
      return body;
    },
    saved(res, d) {
      toast(t(d.mode === 'create' ? 'users.created' : 'common.saved', { name: d.form.username.trim() }));
      return true;
    },
    confirmText(u) { return t('users.confirmDelete', { name: u.username }); },
  },
  template: `
    <crud-table ref="crud" path="/users" name="user" table-testid="users-table" write-perm="user.write" :params="params"
      :title="t('users.title')" :subtitle="t('users.subtitle')" :new-label="t('users.new')" :edit-title="t('users.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :row-id="(u) => u.username"
      :confirm-text="confirmText" :after-save="saved" :delete-disabled="(u) => u.id === me.id" loading-row
      load-error-testid="users-error" alert-testid="user-form-error" :known="FIELDS">
      <template #toolbar>
        <div class="toolbar">
          <input type="search" class="grow" v-model="q" @input="search" :placeholder="t('users.searchHint')" data-testid="users-search">
          <select v-model="role" @change="load" data-testid="users-filter-role">
            <option value="">{{ t('users.allRoles') }}</option>
            <option v-for="r in roles" :key="r.id" :value="r.id">{{ roleLabel(r) }}</option>
          </select>
          <select v-model="departmentId" @change="load" data-testid="users-filter-department">
            <option value="">{{ t('users.allDepartments') }}</option>
            <option v-for="dep in departments" :key="dep.id" :value="dep.id">{{ dep.name }}</option>
          </select>
        </div>
      </template>
      <template #cell-enabled="{ row }"><span class="badge" :class="row.enabled ? 'badge-ok' : 'badge-off'">{{ enabledLabel(row.enabled) }}</span></template>
      <template #field-roleId="{ dialog }">
        <form-field :label="t('users.role')" required :error="dialog.errors.roleId" testid="user-form-role-error">
          <select v-model="dialog.form.roleId" data-testid="user-form-role">
            <option value="" disabled>{{ t('common.choose') }}</option>
            <option v-for="r in roles" :key="r.id" :value="r.id">{{ roleLabel(r) }}</option>
          </select>
        </form-field>
      </template>
    </crud-table>`,
};
