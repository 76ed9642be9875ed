// API tokens: create (the token is shown once), delete.

import { api, t, toast, toastError, confirmDialog } from '../common.js';

export const TokensPage = {
  data() { return { items: [], loading: true, loadError: null, dialog: null, secret: null }; },
  created() { this.load(); },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/tokens'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    openCreate() { this.dialog = { form: { name: '' }, errors: {}, error: null, saving: false }; },
    async save() {
      const d = this.dialog;
      d.saving = true; d.errors = {}; d.error = null;
      try {
        const res = await api.post('/tokens', { name: d.form.name.trim() });
        this.dialog = null;
        this.secret = { name: res.name, token: res.token, copied: false };
        await this.load();
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
    async remove(x) {
      if (!(await confirmDialog(t('tokens.confirmDelete', { name: x.name })))) return;
      try { await api.del('/tokens/' + x.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
    async copy() {
      try { await navigator.clipboard.writeText(this.secret.token); this.secret.copied = true; } catch (e) { /* clipboard unavailable */ }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('tokens.title') }}</h1>
      <span class="sub">{{ t('tokens.subtitle') }}</span>
      <div class="spacer"></div>
      <button class="btn btn-primary" data-testid="token-new" @click="openCreate">+ {{ t('tokens.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="tokens-table">
        <thead><tr><th>{{ t('tokens.name') }}</th><th>{{ t('tokens.createdAt') }}</th><th>{{ t('tokens.lastUsedAt') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="x in items" :key="x.id" :data-testid="'token-row-' + x.name">
            <td><span class="name">{{ x.name }}</span></td>
            <td class="mono">{{ fmtTime(x.createdAt) }}</td>
            <td class="mono">{{ fmtTime(x.lastUsedAt) }}</td>
            <td class="actions"><button class="btn-link danger" :data-testid="'token-delete-' + x.name" @click="remove(x)">{{ t('common.delete') }}</button></td>
          </tr>
          <tr v-if="!loading && !items.length"><td class="empty" colspan="4">{{ t('tokens.empty') }}</td></tr>
        </tbody>
      </table>
    </div>
    <modal v-if="dialog" size="small" :title="t('tokens.new')" testid="token-dialog" @close="dialog = null">
      <form @submit.prevent="save" novalidate style="display:flex;flex-direction:column;gap:14px">
        <form-field :label="t('tokens.name')" required :error="dialog.errors.name" testid="token-form-name-error" :hint="t('tokens.nameHint')">
          <input type="text" v-model="dialog.form.name" data-testid="token-form-name">
        </form-field>
        <form-alert :error="dialog.error" :known="['name']"></form-alert>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="token-save" :disabled="dialog.saving" @click="save">{{ t('common.create') }}</button>
      </template>
    </modal>
    <modal v-if="secret" :title="t('tokens.createdTitle', { name: secret.name })" testid="token-secret-dialog" @close="secret = null">
      <div class="alert alert-info">{{ t('tokens.tokenOnce') }}</div>
      <div class="secret"><code data-testid="token-secret">{{ secret.token }}</code>
        <button class="btn btn-sm" @click="copy">{{ secret.copied ? t('common.copied') : t('common.copy') }}</button></div>
      <div class="muted" style="font-size:13px">{{ t('tokens.usage') }} <code>Authorization: Bearer …</code></div>
      <template #footer><button class="btn btn-primary" data-testid="token-secret-close" @click="secret = null">{{ t('common.done') }}</button></template>
    </modal>`,
};
