// Extensions: number, bound user, enabled, may call out, live SIP registration; the generated SIP
// password is shown once after creation.

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { blankToNull } from '../format.js';

export const ExtensionsPage = {
  data() { return { items: [], users: [], registrations: [], regError: null, loading: true, loadError: null, dialog: null, secret: null }; },
  created() { this.load(); this.loadUsers(); this.loadRegistrations(); },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/extensions'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    async loadRegistrations() {
      try { this.registrations = await api.get('/registrations'); this.regError = null; } catch (e) { this.registrations = []; this.regError = e; }
    },
    refresh() { this.load(); this.loadRegistrations(); },
    regsOf(number) { return this.registrations.filter((r) => String(r.extension) === String(number)); },
    async loadUsers() {
      if (!this.can('user.read')) return;
      try { this.users = await api.get('/users'); } catch (e) { this.users = []; }
    },
    sorted() { return [...this.items].sort((a, b) => String(a.number).localeCompare(String(b.number), undefined, { numeric: true })); },
    openCreate() { this.dialog = { mode: 'create', id: null, form: { number: '', userId: '', sipPassword: '', enabled: true, outboundAllowed: true }, errors: {}, error: null, saving: false }; },
    openEdit(x) { this.dialog = { mode: 'edit', id: x.id, form: { number: String(x.number), userId: x.userId || '', sipPassword: '', enabled: x.enabled !== false, outboundAllowed: x.outboundAllowed !== false }, errors: {}, error: null, saving: false }; },
    async save() {
      const d = this.dialog;
      const f = d.form;
      const body = { number: f.number.trim(), userId: f.userId === '' ? null : Number(f.userId), enabled: !!f.enabled, outboundAllowed: !!f.outboundAllowed };
      const pw = blankToNull(f.sipPassword);
      if (pw) body.sipPassword = pw;
      d.saving = true; d.errors = {}; d.error = null;
      try {
        const res = d.mode === 'create' ? await api.post('/extensions', body) : await api.put('/extensions/' + d.id, body);
        this.dialog = null;
        if (res && res.generatedPassword) this.secret = { number: res.number || body.number, password: res.generatedPassword, copied: false };
        else toast(t('common.saved'));
        await this.load();
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
    async remove(x) {
      if (!(await confirmDialog(t('extensions.confirmDelete', { number: x.number })))) return;
      try { await api.del('/extensions/' + x.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
    async copy() {
      try { await navigator.clipboard.writeText(this.secret.password); this.secret.copied = true; } catch (e) { /* clipboard unavailable */ }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('extensions.title') }}</h1>
      <span class="sub">{{ t('extensions.subtitle') }}</span>
      <div class="spacer"></div>
      <button class="btn" data-testid="extensions-refresh" @click="refresh">{{ t('common.refresh') }}</button>
      <button v-if="can('extension.write')" class="btn btn-primary" data-testid="extension-new" @click="openCreate">+ {{ t('extensions.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div v-if="regError" class="alert alert-error" data-testid="registrations-error">{{ t('extensions.regUnavailable') }} {{ errorText(regError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="extensions-table">
        <thead><tr>
          <th>{{ t('extensions.number') }}</th><th>{{ t('extensions.user') }}</th><th>{{ t('extensions.status') }}</th>
          <th>{{ t('extensions.outbound') }}</th><th>{{ t('extensions.registration') }}</th><th v-if="can('extension.write')"></th>
        </tr></thead>
        <tbody>
          <tr v-for="x in sorted()" :key="x.id" :data-testid="'extension-row-' + x.number">
            <td><span class="name mono">{{ x.number }}</span></td>
            <td>{{ dash(x.userName) }}</td>
            <td><span class="badge" :class="x.enabled ? 'badge-ok' : 'badge-off'">{{ x.enabled ? t('common.enabled') : t('common.disabled') }}</span></td>
            <td :data-testid="'extension-outbound-' + x.number">
              <span v-if="x.outboundAllowed !== false" class="badge badge-ok">{{ t('extensions.outboundYes') }}</span>
              <span v-else class="badge badge-off">{{ t('extensions.outboundNo') }}</span>
            </td>
            <td :data-testid="'extension-reg-' + x.number">
              <template v-if="regsOf(x.number).length">
                <div v-for="r in regsOf(x.number)" :key="r.contact" class="reg">
                  <span class="badge badge-ok">{{ t('extensions.reg.registered') }}</span>
                  <span class="mono reg-addr" :title="r.contact">{{ r.source || r.contact }}<template v-if="r.transport"> / {{ String(r.transport).toUpperCase() }}</template></span>
                  <span class="muted reg-exp">{{ t('extensions.regExpires', { time: fmtTime(r.expiresAt) }) }}</span>
                  <span v-if="r.userAgent" class="muted reg-ua">{{ r.userAgent }}</span>
                </div>
              </template>
              <span v-else class="badge badge-off">{{ t('extensions.reg.unregistered') }}</span>
            </td>
            <td v-if="can('extension.write')" class="actions">
              <button class="btn-link" :data-testid="'extension-edit-' + x.number" @click="openEdit(x)">{{ t('common.edit') }}</button>
              <button class="btn-link danger" :data-testid="'extension-delete-' + x.number" @click="remove(x)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <tr v-if="!loading && !items.length"><td class="empty" colspan="6">{{ t('common.noData') }}</td></tr>
        </tbody>
      </table>
    </div>
    <modal v-if="dialog" size="small" :title="t(dialog.mode === 'create' ? 'extensions.new' : 'extensions.edit')" testid="extension-dialog" @close="dialog = null">
      <form @submit.prevent="save" novalidate style="display:flex;flex-direction:column;gap:14px">
        <form-field :label="t('extensions.number')" required :error="dialog.errors.number" testid="extension-form-number-error" :hint="t('extensions.numberHint')">
          <input type="text" v-model="dialog.form.number" data-testid="extension-form-number" inputmode="numeric">
        </form-field>
        <form-field :label="t('extensions.user')" :error="dialog.errors.userId" testid="extension-form-user-error">
          <select v-model="dialog.form.userId" data-testid="extension-form-user">
            <option value="">{{ t('common.none') }}</option>
            <option v-for="u in users" :key="u.id" :value="u.id">{{ u.username }}{{ u.displayName ? ' · ' + u.displayName : '' }}</option>
          </select>
        </form-field>
        <form-field :label="t('extensions.sipPassword')" :error="dialog.errors.sipPassword" testid="extension-form-password-error"
                    :hint="dialog.mode === 'create' ? t('extensions.sipPasswordGenerate') : t('extensions.sipPasswordKeep')">
          <input type="password" v-model="dialog.form.sipPassword" data-testid="extension-form-password" autocomplete="new-password">
        </form-field>
        <label class="check"><input type="checkbox" v-model="dialog.form.enabled" data-testid="extension-form-enabled"> {{ t('common.enabled') }}</label>
        <label class="check"><input type="checkbox" v-model="dialog.form.outboundAllowed" data-testid="extension-form-outbound"> {{ t('extensions.outboundAllowed') }}</label>
        <form-alert :error="dialog.error" :known="['number', 'userId', 'sipPassword', 'outboundAllowed']"></form-alert>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="extension-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>
    <modal v-if="secret" size="small" :title="t('extensions.createdTitle', { number: secret.number })" testid="extension-secret-dialog" @close="secret = null">
      <div class="alert alert-info">{{ t('extensions.passwordOnce') }}</div>
      <div class="secret"><code data-testid="extension-secret">{{ secret.password }}</code>
        <button class="btn btn-sm" @click="copy">{{ secret.copied ? t('common.copied') : t('common.copy') }}</button></div>
      <template #footer><button class="btn btn-primary" data-testid="extension-secret-close" @click="secret = null">{{ t('common.done') }}</button></template>
    </modal>`,
};
