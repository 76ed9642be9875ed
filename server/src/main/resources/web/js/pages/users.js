// Users: search and filters, create/edit dialog (role, department, job number, extension, enabled), delete.

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { blankToNull, roleLabel } from '../format.js';

const FIELDS = ['username', 'displayName', 'password', 'roleId', 'departmentId', 'jobNumber', 'extension', 'email', 'enabled'];

export const UsersPage = {
  props: { me: Object },
  data() {
    return {
      users: [], roles: [], departments: [], loading: true, loadError: null,
      q: '', role: '', departmentId: '', dialog: null, FIELDS,
    };
  },
  async created() {
    await Promise.all([this.loadLookups(), this.load()]);
  },
  computed: {
    roleById() { const m = {}; for (const r of this.roles) m[r.id] = r; return m; },
  },
  methods: {
    roleLabel,
    async loadLookups() {
      const [roles, deps] = await Promise.all([
        this.can('role.read') ? api.get('/roles').catch(() => []) : Promise.resolve([]),
        this.can('department.read') ? api.get('/departments').catch(() => []) : Promise.resolve([]),
      ]);
      this.roles = roles || [];
      this.departments = deps || [];
    },
    async load() {
      this.loading = true;
      try {
        const roleName = this.role ? (this.roleById[this.role] || {}).name : '';
        this.users = await api.get('/users', { q: this.q.trim(), departmentId: this.departmentId, role: roleName });
        this.loadError = null;
      } catch (e) {
        this.loadError = e;
      } finally {
        this.loading = false;
      }
    },
    search() {
      clearTimeout(this._timer);
      this._timer = setTimeout(() => this.load(), 250);
    },
    roleText(u) {
      const r = this.roleById[u.roleId];
      return r ? roleLabel(r) : (u.roleName ? roleLabel({ name: u.roleName }) : '—');
    },
    openCreate() {
      const agent = this.roles.find((r) => r.name === 'agent');
      this.dialog = {
        mode: 'create', id: null, errors: {}, error: null, saving: false,
        form: { username: '', displayName: '', password: '', roleId: agent ? agent.id : '', departmentId: '', jobNumber: '', extension: '', email: '', enabled: true },
      };
    },
    openEdit(u) {
      this.dialog = {
        mode: 'edit', id: u.id, errors: {}, error: null, saving: false,
        form: {
          username: u.username, displayName: u.displayName || '', password: '', roleId: u.roleId || '',
          departmentId: u.departmentId || '', jobNumber: u.jobNumber || '', extension: u.extension || '',
          email: u.email || '', enabled: u.enabled !== false,
        },
      };
    },
    async save() {
      const d = this.dialog;
      const f = d.form;
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
      d.saving = true; d.errors = {}; d.error = null;
      try {
        if (d.mode === 'create') await api.post('/users', body);
        else await api.put('/users/' + d.id, body);
        this.dialog = null;
        toast(t(d.mode === 'create' ? 'users.created' : 'common.saved', { name: body.username }));
        await this.load();
      } catch (e) {
        d.errors = e.fields ? e.fields() : {};
        d.error = e;
        d.saving = false;
      }
    },
    async remove(u) {
      if (!(await confirmDialog(t('users.confirmDelete', { name: u.username })))) return;
      try {
        await api.del('/users/' + u.id);
        toast(t('common.deleted'));
        await this.load();
      } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('users.title') }}</h1>
      <span class="sub">{{ t('users.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('user.write')" class="btn btn-primary" data-testid="user-new" @click="openCreate">+ {{ t('users.new') }}</button>
    </div>
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
    <div v-if="loadError" class="alert alert-error" data-testid="users-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="users-table">
        <thead><tr>
          <th>{{ t('users.username') }}</th><th>{{ t('users.displayName') }}</th><th>{{ t('users.role') }}</th>
          <th>{{ t('users.department') }}</th><th>{{ t('users.jobNumber') }}</th><th>{{ t('users.extension') }}</th>
          <th>{{ t('users.status') }}</th><th v-if="can('user.write')"></th>
        </tr></thead>
        <tbody>
          <tr v-for="u in users" :key="u.id" :data-testid="'user-row-' + u.username">
            <td><span class="name">{{ u.username }}</span></td>
            <td>{{ dash(u.displayName) }}</td>
            <td>{{ roleText(u) }}</td>
            <td>{{ dash(u.departmentName) }}</td>
            <td>{{ dash(u.jobNumber) }}</td>
            <td>{{ dash(u.extension) }}</td>
            <td><span class="badge" :class="u.enabled ? 'badge-ok' : 'badge-off'">{{ u.enabled ? t('common.enabled') : t('common.disabled') }}</span></td>
            <td v-if="can('user.write')" class="actions">
              <button class="btn-link" :data-testid="'user-edit-' + u.username" @click="openEdit(u)">{{ t('common.edit') }}</button>
              <button class="btn-link danger" :data-testid="'user-delete-' + u.username" @click="remove(u)" :disabled="u.id === me.id">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <tr v-if="!loading && !users.length"><td class="empty" colspan="8">{{ t('common.noData') }}</td></tr>
          <tr v-if="loading && !users.length"><td class="empty" colspan="8">{{ t('common.loading') }}</td></tr>
        </tbody>
      </table>
    </div>

    <modal v-if="dialog" :title="t(dialog.mode === 'create' ? 'users.new' : 'users.edit')" testid="user-dialog" @close="dialog = null">
      <form class="form-grid" @submit.prevent="save" novalidate id="user-form">
        <form-field :label="t('users.username')" required :error="dialog.errors.username" testid="user-form-username-error">
          <input type="text" v-model="dialog.form.username" data-testid="user-form-username" autocomplete="off">
        </form-field>
        <form-field :label="t('users.displayName')" :error="dialog.errors.displayName" testid="user-form-display-name-error">
          <input type="text" v-model="dialog.form.displayName" data-testid="user-form-display-name">
        </form-field>
        <form-field :label="t('users.password')" :required="dialog.mode === 'create'" :error="dialog.errors.password" testid="user-form-password-error"
                    :hint="dialog.mode === 'edit' ? t('users.passwordKeep') : t('users.passwordRule')">
          <input type="password" v-model="dialog.form.password" data-testid="user-form-password" autocomplete="new-password">
        </form-field>
        <form-field :label="t('users.role')" required :error="dialog.errors.roleId" testid="user-form-role-error">
          <select v-model="dialog.form.roleId" data-testid="user-form-role">
            <option value="" disabled>{{ t('common.choose') }}</option>
            <option v-for="r in roles" :key="r.id" :value="r.id">{{ roleLabel(r) }}</option>
          </select>
        </form-field>
        <form-field :label="t('users.department')" :error="dialog.errors.departmentId" testid="user-form-department-error">
          <select v-model="dialog.form.departmentId" data-testid="user-form-department">
            <option value="">{{ t('common.none') }}</option>
            <option v-for="dep in departments" :key="dep.id" :value="dep.id">{{ dep.name }}</option>
          </select>
        </form-field>
        <form-field :label="t('users.jobNumber')" :error="dialog.errors.jobNumber" testid="user-form-job-number-error">
          <input type="text" v-model="dialog.form.jobNumber" data-testid="user-form-job-number">
        </form-field>
        <form-field :label="t('users.extension')" :error="dialog.errors.extension" testid="user-form-extension-error" :hint="t('users.extensionHint')">
          <input type="text" v-model="dialog.form.extension" data-testid="user-form-extension" inputmode="numeric">
        </form-field>
        <form-field :label="t('users.email')" :error="dialog.errors.email" testid="user-form-email-error">
          <input type="email" v-model="dialog.form.email" data-testid="user-form-email">
        </form-field>
        <label class="check span-2"><input type="checkbox" v-model="dialog.form.enabled" data-testid="user-form-enabled"> {{ t('users.enabledLabel') }}</label>
        <div class="span-2"><form-alert :error="dialog.error" :known="FIELDS" testid="user-form-error"></form-alert></div>
        <button type="submit" hidden></button>
      </form>
      <template #footer>
        <button class="btn" data-testid="user-cancel" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="user-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
