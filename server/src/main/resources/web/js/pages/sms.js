// SMS (MSG-3): the enterprise's gateway (SMPP 3.4 or an HTTP request template) with the link's state, quotas and usage;
// templates with variables; the after-call SMS per queue; a message to send; and the message log (outbound with their
// delivery state, inbound) with filters and a button to send a failed message again.

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { fmtTime } from '../format.js';

const KINDS = ['none', 'smpp', 'http'];
const FIELDS = ['kind', 'sourceAddress', 'host', 'port', 'systemId', 'password', 'systemType', 'url', 'method', 'contentType', 'body', 'success',
  'dailyQuota', 'monthlyQuota'];
const VARIABLES = '{name} {number} {ticket} {agent} {queue} {date} {time} {company}';

function num(v) { return v === '' || v == null ? null : Number(v); }

export const SmsPage = {
  setup() { return { KINDS, FIELDS, VARIABLES, fmtTime }; },
  data() {
    return {
      view: null, form: null, errors: {}, formError: null, saving: false,
      templates: [], tpl: null, tplErrors: {}, tplError: null,
      afterCall: [],
      out: { to: '', templateId: '', text: '' }, outErrors: {}, outError: null,
      filter: { status: '', direction: '', number: '' }, messages: [], loading: true,
    };
  },
  created() { this.load(); this.loadTemplates(); this.loadAfterCall(); this.loadMessages(); },
  methods: {
    async load() {
      try {
        const v = await api.get('/sms/settings');
        this.view = v;
        this.form = { kind: v.kind, sourceAddress: v.sourceAddress || '', host: v.host || '', port: v.port || 2775, systemId: v.systemId || '',
          password: '', systemType: v.systemType || '', url: v.url || '', method: v.method || 'POST', contentType: v.contentType || 'application/json',
          body: v.body || '', success: v.success || '200-299', dailyQuota: v.dailyQuota ?? '', monthlyQuota: v.monthlyQuota ?? '' };
      } catch (e) { toastError(e); }
    },
    async save() {
      this.errors = {}; this.formError = null; this.saving = true;
      const f = this.form;
      const body = { kind: f.kind, sourceAddress: f.sourceAddress.trim(), dailyQuota: num(f.dailyQuota), monthlyQuota: num(f.monthlyQuota) };
      if (f.kind === 'smpp') Object.assign(body, { host: f.host.trim(), port: num(f.port), systemId: f.systemId.trim(), systemType: f.systemType.trim() });
      if (f.kind === 'smpp' && f.password !== '') body.password = f.password;
      if (f.kind === 'http') Object.assign(body, { url: f.url.trim(), method: f.method, contentType: f.contentType.trim(), body: f.body, success: f.success.trim() });
      try {
        await api.put('/sms/settings', body);
        toast(t('common.saved'));
        await this.load();
      } catch (e) {
        const fe = e.fields ? e.fields() : {};
        if (Object.keys(fe).length) this.errors = fe;
        this.formError = e;
      } finally { this.saving = false; }
    },
    async loadTemplates() {
      try { this.templates = await api.get('/sms/templates'); } catch (e) { toastError(e); }
    },
    editTemplate(tp) { this.tplErrors = {}; this.tplError = null; this.tpl = tp ? { id: tp.id, name: tp.name, body: tp.body } : { id: null, name: '', body: '' }; },
    async saveTemplate() {
      this.tplErrors = {}; this.tplError = null;
      const body = { name: this.tpl.name.trim(), body: this.tpl.body };
      try {
        if (this.tpl.id) await api.put('/sms/templates/' + this.tpl.id, body); else await api.post('/sms/templates', body);
        toast(t('common.saved'));
        this.tpl = null;
        await this.loadTemplates();
        await this.loadAfterCall();
      } catch (e) { this.tplErrors = e.fields ? e.fields() : {}; this.tplError = e; }
    },
    async removeTemplate(tp) {
      if (!(await confirmDialog(t('sms.deleteTemplate', { name: tp.name })))) return;
      try { await api.del('/sms/templates/' + tp.id); await this.loadTemplates(); await this.loadAfterCall(); } catch (e) { toastError(e); }
    },
    async loadAfterCall() {
      try { this.afterCall = await api.get('/sms/after-call'); } catch (e) { toastError(e); }
    },
    async setAfterCall(a, value) {
      try {
        await api.put('/sms/after-call/' + a.queueId, { templateId: value ? Number(value) : null });
        toast(t('common.saved'));
        await this.loadAfterCall();
      } catch (e) { toastError(e); }
    },
    pickTemplate() {
      const tp = this.templates.find((x) => String(x.id) === String(this.out.templateId));
      if (tp) this.out.text = tp.body;
    },
    async send() {
      this.outErrors = {}; this.outError = null;
      const tp = this.templates.find((x) => String(x.id) === String(this.out.templateId));
      const body = { to: this.out.to.trim() };
      if (tp && tp.body === this.out.text) body.templateId = tp.id; else body.text = this.out.text;
      try {
        const m = await api.post('/sms/send', body);
        toast(t('sms.queued', { number: m.number, parts: m.parts }));
        this.out = { to: '', templateId: '', text: '' };
        await this.loadMessages();
        await this.load();
      } catch (e) { this.outErrors = e.fields ? e.fields() : {}; this.outError = e; }
    },
    async loadMessages() {
      this.loading = true;
      const p = {};
      for (const k of ['status', 'direction', 'number']) if (this.filter[k]) p[k] = this.filter[k].trim();
      try { this.messages = await api.get('/sms/messages', p); } catch (e) { toastError(e); }
      this.loading = false;
    },
    async retry(m) {
      try { await api.post('/sms/messages/' + m.id + '/retry', {}); toast(t('sms.retrying')); await this.loadMessages(); } catch (e) { toastError(e); }
    },
    statusClass(s) { return s === 'delivered' || s === 'received' ? 'badge-ok' : s === 'failed' ? 'badge-danger' : s === 'sent' ? 'badge-blue' : 'badge-warn'; },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('sms.title') }}</h1>
      <span class="sub">{{ t('sms.subtitle') }}</span>
    </div>
    <div class="panel" v-if="form" data-testid="sms-settings">
      <div class="panel-head"><h2>{{ t('sms.gateway') }}</h2>
        <span class="badge" :class="view.link.state === 'bound' || view.link.state === 'ready' ? 'badge-ok' : view.link.state === 'none' ? '' : 'badge-warn'"
              data-testid="sms-link">{{ t('sms.link.' + view.link.state) }}</span>
        <span class="muted small" data-testid="sms-usage">{{ t('sms.usage', { today: view.usedToday, month: view.usedThisMonth }) }}</span></div>
      <div class="panel-body">
        <div v-if="view.link.lastError" class="alert alert-error" data-testid="sms-link-error">{{ view.link.lastError }}</div>
        <form class="form-grid" @submit.prevent="save" novalidate data-testid="sms-form">
          <form-field :label="t('sms.kind')" :error="errors.kind" testid="sms-kind-error">
            <select v-model="form.kind" data-testid="sms-kind"><option v-for="k in KINDS" :key="k" :value="k">{{ t('sms.kind.' + k) }}</option></select>
          </form-field>
          <form-field :label="t('sms.sourceAddress')" :error="errors.sourceAddress" testid="sms-source-error"><input type="text" v-model="form.sourceAddress" data-testid="sms-source"></form-field>
          <template v-if="form.kind === 'smpp'">
            <form-field :label="t('sms.host')" :error="errors.host" testid="sms-host-error"><input type="text" v-model="form.host" data-testid="sms-host"></form-field>
            <form-field :label="t('sms.port')" :error="errors.port" testid="sms-port-error"><input type="number" v-model="form.port" data-testid="sms-port"></form-field>
            <form-field :label="t('sms.systemId')" :error="errors.systemId" testid="sms-system-id-error"><input type="text" v-model="form.systemId" autocomplete="off" data-testid="sms-system-id"></form-field>
            <form-field :label="t('sms.password')" :error="errors.password" testid="sms-password-error" :hint="view.passwordSet ? t('sms.passwordKept') : ''">
              <input type="password" v-model="form.password" autocomplete="new-password" data-testid="sms-password"></form-field>
            <form-field :label="t('sms.systemType')" :error="errors.systemType"><input type="text" v-model="form.systemType" data-testid="sms-system-type"></form-field>
          </template>
          <template v-if="form.kind === 'http'">
            <form-field :label="t('sms.url')" :error="errors.url" testid="sms-url-error" :hint="t('sms.placeholders')"><input type="text" v-model="form.url" data-testid="sms-url"></form-field>
            <form-field :label="t('sms.method')" :error="errors.method"><select v-model="form.method" data-testid="sms-method"><option>POST</option><option>GET</option><option>PUT</option></select></form-field>
            <form-field :label="t('sms.contentType')" :error="errors.contentType"><input type="text" v-model="form.contentType" data-testid="sms-content-type"></form-field>
            <form-field :label="t('sms.body')" :error="errors.body" testid="sms-body-error"><textarea v-model="form.body" rows="3" data-testid="sms-body"></textarea></form-field>
            <form-field :label="t('sms.success')" :error="errors.success" testid="sms-success-error"><input type="text" v-model="form.success" data-testid="sms-success"></form-field>
          </template>
          <form-field :label="t('sms.dailyQuota')" :error="errors.dailyQuota" testid="sms-daily-error" :hint="t('sms.quotaHint')"><input type="number" v-model="form.dailyQuota" data-testid="sms-daily"></form-field>
          <form-field :label="t('sms.monthlyQuota')" :error="errors.monthlyQuota" testid="sms-monthly-error"><input type="number" v-model="form.monthlyQuota" data-testid="sms-monthly"></form-field>
          <button type="submit" class="btn btn-primary" :disabled="saving" data-testid="sms-save">{{ t('common.save') }}</button>
        </form>
        <form-alert :error="formError" :known="FIELDS" testid="sms-form-error"></form-alert>
      </div>
    </div>
    <div class="panel" data-testid="sms-templates">
      <div class="panel-head"><h2>{{ t('sms.templates') }}</h2><span class="muted small">{{ t('sms.variables', { list: VARIABLES }) }}</span>
        <button class="btn btn-sm" data-testid="sms-template-add" @click="editTemplate(null)">{{ t('sms.addTemplate') }}</button></div>
      <div class="panel-body">
        <form v-if="tpl" class="form-grid" @submit.prevent="saveTemplate" novalidate data-testid="sms-template-form">
          <form-field :label="t('sms.templateName')" :error="tplErrors.name" testid="sms-template-name-error"><input type="text" v-model="tpl.name" data-testid="sms-template-name"></form-field>
          <form-field :label="t('sms.templateBody')" :error="tplErrors.body" testid="sms-template-body-error"><textarea v-model="tpl.body" rows="3" data-testid="sms-template-body"></textarea></form-field>
          <button type="submit" class="btn btn-primary" data-testid="sms-template-save">{{ t('common.save') }}</button>
          <button type="button" class="btn" @click="tpl = null">{{ t('common.cancel') }}</button>
        </form>
        <form-alert v-if="tpl" :error="tplError" :known="['name', 'body']"></form-alert>
        <table class="grid" data-testid="sms-templates-table">
          <thead><tr><th>{{ t('sms.templateName') }}</th><th>{{ t('sms.templateBody') }}</th><th>{{ t('sms.parts') }}</th><th></th></tr></thead>
          <tbody>
            <tr v-for="tp in templates" :key="tp.id" :data-testid="'sms-template-' + tp.id">
              <td>{{ tp.name }}</td><td class="small">{{ tp.body }}</td><td class="mono">{{ tp.parts }} · {{ tp.encoding }}</td>
              <td class="actions"><button class="btn-link" @click="editTemplate(tp)">{{ t('common.edit') }}</button>
                <button class="btn-link" @click="removeTemplate(tp)">{{ t('common.delete') }}</button></td>
            </tr>
            <empty-row v-if="!templates.length" :cols="4"></empty-row>
          </tbody>
        </table>
      </div>
    </div>
    <div class="panel" data-testid="sms-after-call">
      <div class="panel-head"><h2>{{ t('sms.afterCall') }}</h2><span class="muted small">{{ t('sms.afterCallHint') }}</span></div>
      <table class="grid">
        <tbody>
          <tr v-for="a in afterCall" :key="a.queueId" :data-testid="'sms-after-call-' + a.queue">
            <td>{{ a.queue }}</td>
            <td><select :value="a.templateId || ''" @change="setAfterCall(a, $event.target.value)" :data-testid="'sms-after-call-select-' + a.queue">
              <option value="">{{ t('sms.afterCallOff') }}</option>
              <option v-for="tp in templates" :key="tp.id" :value="tp.id">{{ tp.name }}</option></select></td>
          </tr>
          <empty-row v-if="!afterCall.length" :cols="2"></empty-row>
        </tbody>
      </table>
    </div>
    <div class="panel" data-testid="sms-send">
      <div class="panel-head"><h2>{{ t('sms.send') }}</h2></div>
      <div class="panel-body">
        <form class="form-grid" @submit.prevent="send" novalidate data-testid="sms-send-form">
          <form-field :label="t('sms.to')" :error="outErrors.to" testid="sms-to-error"><input type="tel" v-model="out.to" data-testid="sms-to"></form-field>
          <form-field :label="t('sms.template')"><select v-model="out.templateId" @change="pickTemplate" data-testid="sms-send-template">
            <option value="">—</option><option v-for="tp in templates" :key="tp.id" :value="tp.id">{{ tp.name }}</option></select></form-field>
          <form-field :label="t('sms.text')" :error="outErrors.text" testid="sms-text-error"><textarea v-model="out.text" rows="3" data-testid="sms-text"></textarea></form-field>
          <button type="submit" class="btn btn-primary" data-testid="sms-send-go">{{ t('sms.sendButton') }}</button>
        </form>
        <form-alert :error="outError" :known="['to', 'text', 'templateId']" testid="sms-send-error"></form-alert>
      </div>
    </div>
    <div class="panel" data-testid="sms-log">
      <div class="panel-head"><h2>{{ t('sms.log') }}</h2>
        <select v-model="filter.status" @change="loadMessages" data-testid="sms-filter-status">
          <option value="">{{ t('sms.status.all') }}</option>
          <option v-for="s in ['queued', 'sent', 'delivered', 'failed', 'received']" :key="s" :value="s">{{ t('sms.status.' + s) }}</option>
        </select>
        <select v-model="filter.direction" @change="loadMessages" data-testid="sms-filter-direction">
          <option value="">{{ t('sms.direction.all') }}</option><option value="out">{{ t('sms.direction.out') }}</option><option value="in">{{ t('sms.direction.in') }}</option>
        </select>
        <input type="search" v-model="filter.number" @change="loadMessages" :placeholder="t('sms.number')" data-testid="sms-filter-number">
        <button class="btn-link" @click="loadMessages" data-testid="sms-refresh">{{ t('sms.refresh') }}</button></div>
      <table class="grid" data-testid="sms-log-table">
        <thead><tr><th>{{ t('sms.created') }}</th><th>{{ t('sms.directionCol') }}</th><th>{{ t('sms.number') }}</th><th>{{ t('sms.customer') }}</th>
          <th>{{ t('sms.text') }}</th><th>{{ t('sms.parts') }}</th><th>{{ t('sms.statusCol') }}</th><th>{{ t('sms.lastError') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="m in messages" :key="m.id" :data-testid="'sms-row-' + m.id">
            <td class="mono">{{ fmtTime(m.createdAt) }}</td>
            <td>{{ t('sms.direction.' + m.direction) }} <span class="muted small">{{ tOr('sms.kind.' + m.kind, m.kind) }}</span></td>
            <td class="mono">{{ m.number }}</td>
            <td>{{ m.customerName || '' }}</td>
            <td class="small" :data-testid="'sms-text-' + m.id">{{ m.text }}</td>
            <td class="mono">{{ m.parts }} · {{ m.encoding }}</td>
            <td><span class="badge" :class="statusClass(m.status)" :data-testid="'sms-status-' + m.id">{{ t('sms.status.' + m.status) }}</span>
              <span class="muted small" v-if="m.attempts"> ×{{ m.attempts }}</span></td>
            <td class="small">{{ m.lastError || '' }}</td>
            <td class="actions"><button v-if="m.status === 'failed' || m.status === 'queued'" class="btn-link" :data-testid="'sms-retry-' + m.id" @click="retry(m)">{{ t('sms.retry') }}</button></td>
          </tr>
          <empty-row v-if="!messages.length" :cols="9" :loading="loading" testid="sms-log-empty"></empty-row>
        </tbody>
      </table>
    </div>`,
};
