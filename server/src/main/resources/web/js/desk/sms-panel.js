// MSG-3 on the desk: an SMS to the current caller (by the number's reference when it is masked) or to any number, with
// a template picker (the server fills in {name}, {number}, {agent}, ...), and the agent's last messages with their state.

import { api, t } from '../common.js';
import { fmtTime } from '../format.js';
import { desk, current, other, otherRef } from './store.js';

export const SmsPanel = {
  setup() { return { current, fmtTime }; },
  data() { return { to: '', toRef: null, toCaller: false, templateId: '', text: '', templates: [], sent: [], errors: {}, error: null, sending: false }; },
  computed: {
    call() { return current.value; },
  },
  watch: {
    'call.callId': { immediate: true, handler() { if (this.call) this.useCaller(); } },
  },
  created() { this.loadTemplates(); this.loadSent(); },
  methods: {
    useCaller() {
      this.to = other(this.call);
      this.toRef = otherRef(this.call);
      this.toCaller = true;
    },
    typed() { this.toRef = null; this.toCaller = false; },
    async loadTemplates() {
      try { this.templates = await api.get('/sms/templates'); } catch (e) { this.error = e; }
    },
    async loadSent() {
      try { this.sent = await api.get('/sms/messages', { limit: 5 }); } catch (e) { this.error = e; }
    },
    pick() {
      const tp = this.templates.find((x) => String(x.id) === String(this.templateId));
      this.text = tp ? tp.body : '';
    },
    async send() {
      this.errors = {}; this.error = null; this.sending = true;
      const tp = this.templates.find((x) => String(x.id) === String(this.templateId));
      const body = { to: this.toRef || this.to.trim() };
      if (tp && tp.body === this.text) body.templateId = tp.id; else body.text = this.text;
      if (this.call && this.toCaller) {
        body.callId = this.call.callId;
        if (desk.customerOf[this.call.callId]) body.customerId = desk.customerOf[this.call.callId];
      }
      try {
        await api.post('/sms/send', body);
        this.text = ''; this.templateId = '';
        await this.loadSent();
      } catch (e) {
        this.errors = e.fields ? e.fields() : {};
        this.error = e;
      } finally { this.sending = false; }
    },
  },
  template: `
    <div class="panel" data-testid="desk-sms">
      <div class="panel-head"><h2>{{ t('desk.sms.title') }}</h2>
        <button v-if="call" class="btn-link" type="button" data-testid="desk-sms-caller" @click="useCaller">{{ t('desk.sms.toCaller') }}</button></div>
      <div class="panel-body">
        <form @submit.prevent="send" novalidate data-testid="desk-sms-form">
          <form-field :label="t('sms.to')" :error="errors.to" testid="desk-sms-to-error">
            <input type="tel" v-model="to" @input="typed" data-testid="desk-sms-to"></form-field>
          <form-field :label="t('sms.template')">
            <select v-model="templateId" @change="pick" data-testid="desk-sms-template">
              <option value="">—</option><option v-for="tp in templates" :key="tp.id" :value="tp.id">{{ tp.name }}</option></select></form-field>
          <form-field :label="t('sms.text')" :error="errors.text" testid="desk-sms-text-error">
            <textarea v-model="text" rows="3" style="width:100%" data-testid="desk-sms-text"></textarea></form-field>
          <button type="submit" class="btn btn-primary btn-sm" :disabled="sending" data-testid="desk-sms-send">{{ t('sms.sendButton') }}</button>
        </form>
        <div v-if="error && !Object.keys(errors).length" class="alert alert-error" data-testid="desk-sms-error">{{ errorText(error) }}</div>
        <table class="grid compact" data-testid="desk-sms-sent">
          <tbody>
            <tr v-for="m in sent" :key="m.id" :data-testid="'desk-sms-row-' + m.id">
              <td class="mono small">{{ fmtTime(m.createdAt) }}</td><td class="mono">{{ m.number }}</td>
              <td class="small" :data-testid="'desk-sms-text-' + m.id">{{ m.text }}</td>
              <td><span class="badge" :data-testid="'desk-sms-status-' + m.id">{{ t('sms.status.' + m.status) }}</span></td></tr>
            <tr v-if="!sent.length"><td colspan="4" class="muted small">{{ t('common.noData') }}</td></tr>
          </tbody>
        </table>
      </div>
    </div>`,
};
