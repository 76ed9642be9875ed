// Extensions: number, bound user, enabled, may call out, live SIP registration; the generated SIP
// password is shown once after creation.

import { api, t } from '../common.js';
import { blankToNull, byNumber, enabledLabel } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

export const ExtensionsPage = {
  components: { CrudTable },
  setup() { return { byNumber }; },
  data() { return { users: [], registrations: [], regError: null, secret: null }; },
  created() { this.loadUsers(); this.loadRegistrations(); },
  computed: {
    columns() {
      return [
        { key: 'number', label: t('extensions.number'), span: 'name mono' },
        { key: 'userName', label: t('extensions.user') },
        { key: 'enabled', label: t('extensions.status') },
        { key: 'outboundAllowed', label: t('extensions.outbound'), testid: (x) => 'extension-outbound-' + x.number },
        { key: 'registration', label: t('extensions.registration'), testid: (x) => 'extension-reg-' + x.number },
      ];
    },
    fields() {
      return [
        { key: 'number', label: t('extensions.number'), required: true, hint: t('extensions.numberHint'), inputmode: 'numeric' },
        { key: 'userId', testid: 'user', label: t('extensions.user'), type: 'select', none: t('common.none'),
          options: this.users.map((u) => ({ value: u.id, label: u.username + (u.displayName ? ' · ' + u.displayName : '') })) },
        { key: 'sipPassword', testid: 'password', label: t('extensions.sipPassword'), type: 'password', autocomplete: 'new-password',
          hint: (d) => d.mode === 'create' ? t('extensions.sipPasswordGenerate') : t('extensions.sipPasswordKeep') },
        { key: 'enabled', label: t('common.enabled'), type: 'checkbox' },
        { key: 'outboundAllowed', testid: 'outbound', label: t('extensions.outboundAllowed'), type: 'checkbox' },
      ];
    },
  },
  methods: {
    enabledLabel,
    async loadRegistrations() {
      try { this.registrations = await api.get('/registrations'); this.regError = null; } catch (e) { this.registrations = []; this.regError = e; }
    },
    refresh() { this.$refs.crud.load(); this.loadRegistrations(); },
    regsOf(number) { return this.registrations.filter((r) => String(r.extension) === String(number)); },
    async loadUsers() {
      if (!this.can('user.read')) return;
      try { this.users = await api.get('/users'); } catch (e) { this.users = []; }
    },
    blank() { return { number: '', userId: '', sipPassword: '', enabled: true, outboundAllowed: true }; },
    toForm(x) { return { number: String(x.number), userId: x.userId || '', sipPassword: '', enabled: x.enabled !== false, outboundAllowed: x.outboundAllowed !== false }; },
    toBody(f) {
      const body = { number: f.number.trim(), userId: f.userId === '' ? null : Number(f.userId), enabled: !!f.enabled, outboundAllowed: !!f.outboundAllowed };
      const pw = blankToNull(f.sipPassword);
      if (pw) body.sipPassword = pw;
      return body;
    },
    confirmText(x) { return t('extensions.confirmDelete', { number: x.number }); },
    /** A generated SIP password is shown once, instead of the "Saved" toast. */
    showSecret(res, d) {
      if (!(res && res.generatedPassword)) return false;
      this.secret = { number: res.number || d.form.number.trim(), password: res.generatedPassword, copied: false };
      return true;
    },
    async copy() {
      try { await navigator.clipboard.writeText(this.secret.password); this.secret.copied = true; } catch (e) { /* clipboard unavailable */ }
    },
  },
  template: `
    <crud-table ref="crud" path="/extensions" name="extension" table-testid="extensions-table" write-perm="extension.write" modal-size="small"
      :title="t('extensions.title')" :subtitle="t('extensions.subtitle')" :new-label="t('extensions.new')" :edit-title="t('extensions.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :sort="byNumber" :row-id="(x) => x.number"
      :confirm-text="confirmText" :after-save="showSecret" :known="['number', 'userId', 'sipPassword', 'outboundAllowed']">
      <template #head><button class="btn" data-testid="extensions-refresh" @click="refresh">{{ t('common.refresh') }}</button></template>
      <template #alerts><div v-if="regError" class="alert alert-error" data-testid="registrations-error">{{ t('extensions.regUnavailable') }} {{ errorText(regError) }}</div></template>
      <template #cell-enabled="{ row }"><span class="badge" :class="row.enabled ? 'badge-ok' : 'badge-off'">{{ enabledLabel(row.enabled) }}</span></template>
      <template #cell-outboundAllowed="{ row }">
        <span v-if="row.outboundAllowed !== false" class="badge badge-ok">{{ t('extensions.outboundYes') }}</span>
        <span v-else class="badge badge-off">{{ t('extensions.outboundNo') }}</span>
      </template>
      <template #cell-registration="{ row }">
        <template v-if="regsOf(row.number).length">
          <div v-for="r in regsOf(row.number)" :key="r.contact" class="reg">
            <span class="badge badge-ok">{{ t('extensions.reg.registered') }}</span>
            <span class="mono reg-addr" :title="r.contact">{{ r.source || r.contact }}<template v-if="r.transport"> / {{ String(r.transport).toUpperCase() }}</template></span>
            <span class="muted reg-exp">{{ t('extensions.regExpires', { time: fmtTime(r.expiresAt) }) }}</span>
            <span v-if="r.userAgent" class="muted reg-ua">{{ r.userAgent }}</span>
          </div>
        </template>
        <span v-else class="badge badge-off">{{ t('extensions.reg.unregistered') }}</span>
      </template>
    </crud-table>
    <modal v-if="secret" size="small" :title="t('extensions.createdTitle', { number: secret.number })" testid="extension-secret-dialog" @close="secret = null">
      <div class="alert alert-info">{{ t('extensions.passwordOnce') }}</div>
      <div class="secret"><code data-testid="extension-secret">{{ secret.password }}</code>
        <button class="btn btn-sm" @click="copy">{{ secret.copied ? t('common.copied') : t('common.copy') }}</button></div>
      <template #footer><button class="btn btn-primary" data-testid="extension-secret-close" @click="secret = null">{{ t('common.done') }}</button></template>
    </modal>`,
};
