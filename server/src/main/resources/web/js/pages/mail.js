// E-mail (MSG-2): the enterprise's SMTP server (or the server's default), a test message sent at once, the voicemail
// boxes that send their messages by e-mail, and the outbox: every message with its attempts and last error, and a
// button to send a failed one again.

import { api, t, toast, toastError } from '../common.js';
import { fmtTime } from '../format.js';

const SECURITY = ['starttls', 'tls', 'none'];
const FIELDS = ['host', 'port', 'security', 'username', 'password', 'from'];

export const MailPage = {
  setup() { return { SECURITY, FIELDS, fmtTime }; },
  data() {
    return {
      view: null, form: null, errors: {}, formError: null, saving: false,
      testTo: '', testError: null, testing: false,
      status: '', outbox: [], loading: true,
      boxes: [], box: { boxType: 'extension', box: '', enabled: true, to: '' }, boxErrors: {}, boxError: null,
    };
  },
  created() { this.load(); this.loadOutbox(); this.loadBoxes(); },
  methods: {
    async load() {
      try {
        const v = await api.get('/mail/settings');
        this.view = v;
        this.form = { host: v.host || '', port: v.port || 587, security: v.security || 'starttls', username: v.username || '', password: '',
          from: v.from || '', ticketNotifications: v.ticketNotifications };
      } catch (e) { toastError(e); }
    },
    async save() {
      this.errors = {};
      this.formError = null;
      this.saving = true;
      const f = this.form;
      const body = { host: f.host.trim(), port: Number(f.port) || null, security: f.security, username: f.username.trim(),
        from: f.from.trim(), ticketNotifications: f.ticketNotifications };
      if (f.password !== '') body.password = f.password;
      try {
        await api.put('/mail/settings', body);
        toast(t('common.saved'));
        await this.load();
      } catch (e) {
        const fe = e.fields ? e.fields() : {};
        if (Object.keys(fe).length) this.errors = fe;
        this.formError = e;
      } finally { this.saving = false; }
    },
    async test() {
      this.testError = null;
      this.testing = true;
      try {
        await api.post('/mail/test', { to: this.testTo.trim() });
        toast(t('mail.testSent', { to: this.testTo.trim() }));
      } catch (e) { this.testError = e; } finally { this.testing = false; }
    },
    async loadOutbox() {
      this.loading = true;
      try { this.outbox = await api.get('/mail/outbox' + (this.status ? '?status=' + this.status : '')); } catch (e) { toastError(e); }
      this.loading = false;
    },
    async retry(m) {
      try { await api.post('/mail/outbox/' + m.id + '/retry', {}); toast(t('mail.retrying')); await this.loadOutbox(); } catch (e) { toastError(e); }
    },
    async loadBoxes() {
      try { this.boxes = await api.get('/voicemail/email-boxes'); } catch (e) { toastError(e); }
    },
    async saveBox() {
      this.boxErrors = {};
      this.boxError = null;
      const b = this.box;
      const path = '/voicemail/boxes/' + encodeURIComponent(b.boxType) + '/' + encodeURIComponent(b.box.trim()) + '/email';
      if (!b.box.trim()) { this.boxErrors = { box: t('validation.required') }; return; }
      try {
        await api.put(path, { enabled: b.enabled, to: b.to.trim() });
        toast(t('common.saved'));
        await this.loadBoxes();
      } catch (e) {
        if (e.status === 404) this.boxErrors = { box: t('mail.noBox') };
        else { this.boxErrors = e.fields ? e.fields() : {}; this.boxError = e; }
      }
    },
    statusClass(s) { return s === 'sent' ? 'badge-ok' : s === 'failed' ? 'badge-danger' : 'badge-warn'; },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('mail.title') }}</h1>
      <span class="sub">{{ t('mail.subtitle') }}</span>
    </div>
    <div class="panel" v-if="form" data-testid="mail-settings">
      <div class="panel-head"><h2>{{ t('mail.server') }}</h2>
        <span class="badge" data-testid="mail-source">{{ t('mail.source.' + view.source) }}</span></div>
      <div class="panel-body">
        <p class="muted" v-if="view.serverDefault">{{ t('mail.serverDefault', { host: view.serverDefault.host, port: view.serverDefault.port }) }}</p>
        <p class="muted">{{ t('mail.hostHint') }}</p>
        <form class="form-grid" @submit.prevent="save" novalidate data-testid="mail-form">
          <form-field :label="t('mail.host')" :error="errors.host" testid="mail-host-error"><input type="text" v-model="form.host" data-testid="mail-host"></form-field>
          <form-field :label="t('mail.port')" :error="errors.port" testid="mail-port-error"><input type="number" v-model="form.port" data-testid="mail-port"></form-field>
          <form-field :label="t('mail.security')" :error="errors.security" testid="mail-security-error">
            <select v-model="form.security" data-testid="mail-security"><option v-for="s in SECURITY" :key="s" :value="s">{{ t('mail.security.' + s) }}</option></select>
          </form-field>
          <form-field :label="t('mail.username')" :error="errors.username" testid="mail-username-error"><input type="text" v-model="form.username" autocomplete="off" data-testid="mail-username"></form-field>
          <form-field :label="t('mail.password')" :error="errors.password" testid="mail-password-error" :hint="view.passwordSet ? t('mail.passwordKept') : ''">
            <input type="password" v-model="form.password" autocomplete="new-password" data-testid="mail-password"></form-field>
          <form-field :label="t('mail.from')" :error="errors.from" testid="mail-from-error"><input type="email" v-model="form.from" data-testid="mail-from"></form-field>
          <label class="check"><input type="checkbox" v-model="form.ticketNotifications" data-testid="mail-tickets"> {{ t('mail.ticketNotifications') }}</label>
          <button type="submit" class="btn btn-primary" :disabled="saving" data-testid="mail-save">{{ t('common.save') }}</button>
        </form>
        <form-alert :error="formError" :known="FIELDS" testid="mail-form-error"></form-alert>
        <form class="toolbar" @submit.prevent="test" novalidate data-testid="mail-test-form">
          <form-field :label="t('mail.testTo')"><input type="email" v-model="testTo" data-testid="mail-test-to"></form-field>
          <button type="submit" class="btn" :disabled="testing" data-testid="mail-test">{{ testing ? t('mail.testing') : t('mail.test') }}</button>
        </form>
        <div v-if="testError" class="alert alert-error" data-testid="mail-test-error">{{ errorText(testError) }}</div>
      </div>
    </div>
    <div class="panel" data-testid="mail-boxes">
      <div class="panel-head"><h2>{{ t('mail.boxes') }}</h2><span class="muted small">{{ t('mail.boxesHint') }}</span></div>
      <div class="panel-body">
        <form class="toolbar" @submit.prevent="saveBox" novalidate data-testid="mail-box-form">
          <form-field :label="t('voicemail.boxType')">
            <select v-model="box.boxType" data-testid="mail-box-type"><option value="extension">{{ t('voicemail.boxType.extension') }}</option><option value="queue">{{ t('voicemail.boxType.queue') }}</option></select>
          </form-field>
          <form-field :label="t('voicemail.box')" :error="boxErrors.box" testid="mail-box-error"><input type="text" v-model="box.box" data-testid="mail-box"></form-field>
          <form-field :label="t('mail.boxTo')" :error="boxErrors.to" testid="mail-box-to-error"><input type="email" v-model="box.to" :placeholder="t('mail.boxToHint')" data-testid="mail-box-to"></form-field>
          <label class="check"><input type="checkbox" v-model="box.enabled" data-testid="mail-box-enabled"> {{ t('mail.boxEnabled') }}</label>
          <button type="submit" class="btn btn-primary" data-testid="mail-box-save">{{ t('common.save') }}</button>
        </form>
        <table class="grid" data-testid="mail-boxes-table">
          <tbody>
            <tr v-for="b in boxes" :key="b.boxType + '-' + b.box" :data-testid="'mail-box-row-' + b.boxType + '-' + b.box">
              <td>{{ t('voicemail.boxType.' + b.boxType) }} <span class="mono">{{ b.box }}</span></td>
              <td>{{ b.enabled ? t('mail.boxOn') : t('mail.boxOff') }}</td>
              <td class="mono">{{ b.to || t('mail.ownerAddress') }}</td>
            </tr>
            <empty-row v-if="!boxes.length" :cols="3"></empty-row>
          </tbody>
        </table>
      </div>
    </div>
    <div class="panel" data-testid="mail-outbox">
      <div class="panel-head"><h2>{{ t('mail.outbox') }}</h2>
        <select v-model="status" @change="loadOutbox" data-testid="mail-outbox-status">
          <option value="">{{ t('mail.status.all') }}</option><option value="pending">{{ t('mail.status.pending') }}</option>
          <option value="sent">{{ t('mail.status.sent') }}</option><option value="failed">{{ t('mail.status.failed') }}</option>
        </select>
        <button class="btn-link" @click="loadOutbox" data-testid="mail-outbox-refresh">{{ t('mail.refresh') }}</button></div>
      <table class="grid" data-testid="mail-outbox-table">
        <thead><tr><th>{{ t('mail.created') }}</th><th>{{ t('mail.kind') }}</th><th>{{ t('mail.to') }}</th><th>{{ t('mail.subject') }}</th>
          <th>{{ t('mail.statusCol') }}</th><th>{{ t('mail.attempts') }}</th><th>{{ t('mail.lastError') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="m in outbox" :key="m.id" :data-testid="'mail-row-' + m.id">
            <td class="mono">{{ fmtTime(m.createdAt) }}</td>
            <td>{{ t('mail.kind.' + m.kind) }}</td>
            <td class="mono">{{ m.to }}</td>
            <td>{{ m.subject }}</td>
            <td><span class="badge" :class="statusClass(m.status)" :data-testid="'mail-status-' + m.id">{{ t('mail.status.' + m.status) }}</span></td>
            <td class="mono">{{ m.attempts }}</td>
            <td class="small" :data-testid="'mail-error-' + m.id">{{ m.lastError || '' }}</td>
            <td class="actions"><button v-if="m.status !== 'sent'" class="btn-link" :data-testid="'mail-retry-' + m.id" @click="retry(m)">{{ t('mail.retry') }}</button></td>
          </tr>
          <empty-row v-if="!outbox.length" :cols="8" :loading="loading" testid="mail-outbox-empty"></empty-row>
        </tbody>
      </table>
    </div>`,
};
