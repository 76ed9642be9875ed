// Enterprises (operator only): create with its first admin, rename, enable/disable.

import { api, t, toast } from '../common.js';

export const EnterprisesPage = {
  data() { return { items: [], loading: true, loadError: null, dialog: null }; },
  created() { this.load(); },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/enterprises'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    openCreate() { this.dialog = { mode: 'create', id: null, form: { code: '', name: '', adminUsername: 'admin', adminPassword: '', enabled: true }, errors: {}, error: null, saving: false }; },
    openEdit(x) { this.dialog = { mode: 'edit', id: x.id, form: { code: x.code, name: x.name, enabled: x.enabled !== false }, errors: {}, error: null, saving: false }; },
    async save() {
      const d = this.dialog;
      const f = d.form;
      d.saving = true; d.errors = {}; d.error = null;
      try {
        if (d.mode === 'create') {
          await api.post('/enterprises', { code: f.code.trim(), name: f.name.trim(), adminUsername: f.adminUsername.trim(), adminPassword: f.adminPassword });
        } else {
          await api.put('/enterprises/' + d.id, { name: f.name.trim(), enabled: !!f.enabled });
        }
        this.dialog = null; toast(t('common.saved')); await this.load();
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('enterprises.title') }}</h1>
      <span class="sub">{{ t('enterprises.subtitle') }}</span>
      <div class="spacer"></div>
      <button class="btn btn-primary" data-testid="enterprise-new" @click="openCreate">+ {{ t('enterprises.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="enterprises-table">
        <thead><tr><th>{{ t('enterprises.code') }}</th><th>{{ t('enterprises.name') }}</th><th>{{ t('enterprises.status') }}</th><th>{{ t('enterprises.createdAt') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="x in items" :key="x.id" :data-testid="'enterprise-row-' + x.code">
            <td><span class="name mono">{{ x.code }}</span></td>
            <td>{{ x.name }}</td>
            <td><span class="badge" :class="x.enabled ? 'badge-ok' : 'badge-off'">{{ x.enabled ? t('common.enabled') : t('common.disabled') }}</span></td>
            <td class="mono">{{ fmtTime(x.createdAt) }}</td>
            <td class="actions"><button class="btn-link" :data-testid="'enterprise-edit-' + x.code" @click="openEdit(x)">{{ t('common.edit') }}</button></td>
          </tr>
          <tr v-if="!loading && !items.length"><td class="empty" colspan="5">{{ t('common.noData') }}</td></tr>
        </tbody>
      </table>
    </div>
    <modal v-if="dialog" :title="t(dialog.mode === 'create' ? 'enterprises.new' : 'enterprises.edit')" testid="enterprise-dialog" @close="dialog = null">
      <form class="form-grid" @submit.prevent="save" novalidate>
        <form-field :label="t('enterprises.code')" required :error="dialog.errors.code" testid="enterprise-form-code-error" :hint="t('enterprises.codeHint')">
          <input type="text" v-model="dialog.form.code" data-testid="enterprise-form-code" :disabled="dialog.mode === 'edit'">
        </form-field>
        <form-field :label="t('enterprises.name')" required :error="dialog.errors.name" testid="enterprise-form-name-error">
          <input type="text" v-model="dialog.form.name" data-testid="enterprise-form-name">
        </form-field>
        <template v-if="dialog.mode === 'create'">
          <form-field :label="t('enterprises.adminUsername')" required :error="dialog.errors.adminUsername" testid="enterprise-form-admin-username-error">
            <input type="text" v-model="dialog.form.adminUsername" data-testid="enterprise-form-admin-username">
          </form-field>
          <form-field :label="t('enterprises.adminPassword')" required :error="dialog.errors.adminPassword" testid="enterprise-form-admin-password-error" :hint="t('users.passwordRule')">
            <input type="password" v-model="dialog.form.adminPassword" data-testid="enterprise-form-admin-password" autocomplete="new-password">
          </form-field>
        </template>
        <label v-else class="check span-2"><input type="checkbox" v-model="dialog.form.enabled" data-testid="enterprise-form-enabled"> {{ t('enterprises.enabledLabel') }}</label>
        <div class="span-2"><form-alert :error="dialog.error" :known="['code', 'name', 'adminUsername', 'adminPassword', 'enabled']"></form-alert></div>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="enterprise-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
