// Ticket settings (BIZ-1): the tracking-number prefix, the business-hours calendar of the SLA clock (zone, working days,
// hours, holidays), the escalation stages, and the notices outside the console: the assignee by e-mail (the same switch as
// the e-mail settings'), the customer by e-mail and SMS on the chosen events (a reply for them among them), with the SMS
// text's {ticket}, {status}, {title}; the assignee told of comments; the customer field holding a customer's own language.

import { api, t, toast, toastError } from '../common.js';

const DAYS = [1, 2, 3, 4, 5, 6, 7];
const EVENTS = ['opened', 'assigned', 'in_progress', 'waiting_customer', 'resolved', 'closed', 'reopened', 'comment'];
const KNOWN = ['prefix', 'zone', 'workDays', 'workStart', 'workEnd', 'holidays', 'escalations', 'notices.language', 'notices.smsText',
  'notices.customerEvents', 'notices.languageField'];

export const TicketSettingsPage = {
  setup() { return { DAYS, EVENTS }; },
  data() { return { form: null, errors: {}, error: null, saving: false, fields: [] }; },
  computed: {
    known() {
      return KNOWN.concat(Object.keys(this.errors).filter((k) => /^(holidays|escalations|notices\.customerEvents)\[/.test(k)));
    },
    holidayError() { return this.firstError('holidays'); },
    eventsError() { return this.firstError('notices.customerEvents'); },
  },
  created() { this.load(); },
  methods: {
    async load() {
      try {
        const s = await api.get('/ticket-settings');
        // The customer fields that may hold a language (single choice or text); without customer.read only the one chosen.
        try { this.fields = (await api.get('/customer-fields')).filter((f) => f.type === 'single_choice' || f.type === 'text'); } catch (e) { this.fields = []; }
        const n = s.notices || {};
        this.form = {
          prefix: s.prefix, zone: s.zone, workDays: s.workDays.slice(), workStart: s.workStart, workEnd: s.workEnd,
          holidays: (s.holidays || []).join('\n'),
          escalations: s.escalations.map((x) => ({ percent: x.percent, target: x.target })),
          emailAssignee: !!n.emailAssignee, emailCustomer: !!n.emailCustomer, smsCustomer: !!n.smsCustomer,
          customerEvents: (n.customerEvents || []).slice(), language: n.language || 'zh', smsText: n.smsText || '',
          assigneeComments: !!n.assigneeComments, languageField: n.languageField || '',
        };
      } catch (e) { toastError(e); }
    },
    firstError(prefix) {
      const k = Object.keys(this.errors).find((x) => x === prefix || x.startsWith(prefix + '['));
      return k ? this.errors[k] : null;
    },
    addStage() { this.form.escalations.push({ percent: null, target: 'supervisor' }); },
    removeStage(i) { this.form.escalations.splice(i, 1); },
    async save() {
      const f = this.form;
      this.errors = {};
      this.error = null;
      this.saving = true;
      const body = {
        prefix: f.prefix.trim(), zone: f.zone.trim(), workDays: DAYS.filter((d) => f.workDays.includes(d)), workStart: f.workStart,
        workEnd: f.workEnd, holidays: f.holidays.split(/[\s,]+/).filter((x) => x),
        escalations: f.escalations.map((x) => ({ percent: x.percent === '' || x.percent == null ? null : Number(x.percent), target: x.target })),
        notices: {
          emailAssignee: f.emailAssignee, emailCustomer: f.emailCustomer, smsCustomer: f.smsCustomer,
          customerEvents: EVENTS.filter((x) => f.customerEvents.includes(x)), language: f.language, smsText: f.smsText.trim() || null,
          assigneeComments: f.assigneeComments, languageField: f.languageField || null,
        },
      };
      try {
        await api.put('/ticket-settings', body);
        toast(t('common.saved'));
        await this.load();
      } catch (e) {
        this.errors = e.fields ? e.fields() : {};
        this.error = e;
      } finally { this.saving = false; }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('ticketSettings.title') }}</h1>
      <span class="sub">{{ t('ticketSettings.subtitle') }}</span>
    </div>
    <form v-if="form" @submit.prevent="save" novalidate data-testid="ticket-settings-form">
      <div class="panel">
        <div class="panel-head"><h2>{{ t('ticketSettings.calendar') }}</h2></div>
        <div class="panel-body form-grid">
          <form-field :label="t('ticketSettings.prefix')" :error="errors.prefix" testid="ts-prefix-error" :hint="t('ticketSettings.prefixHint')">
            <input type="text" v-model="form.prefix" maxlength="8" data-testid="ts-prefix"></form-field>
          <form-field :label="t('ticketSettings.zone')" :error="errors.zone" testid="ts-zone-error">
            <input type="text" v-model="form.zone" data-testid="ts-zone"></form-field>
          <form-field :label="t('ticketSettings.workDays')" :error="errors.workDays" testid="ts-workDays-error" span>
            <div class="checks">
              <label v-for="d in DAYS" :key="d" class="check"><input type="checkbox" :value="d" v-model="form.workDays" :data-testid="'ts-day-' + d"> {{ t('flows.weekday.' + d) }}</label>
            </div>
          </form-field>
          <form-field :label="t('ticketSettings.workStart')" :error="errors.workStart" testid="ts-workStart-error">
            <input type="time" v-model="form.workStart" data-testid="ts-workStart"></form-field>
          <form-field :label="t('ticketSettings.workEnd')" :error="errors.workEnd" testid="ts-workEnd-error">
            <input type="time" v-model="form.workEnd" data-testid="ts-workEnd"></form-field>
          <form-field :label="t('ticketSettings.holidays')" :error="holidayError" testid="ts-holidays-error" :hint="t('ticketSettings.holidaysHint')" span>
            <textarea v-model="form.holidays" rows="3" data-testid="ts-holidays"></textarea></form-field>
        </div>
      </div>
      <div class="panel">
        <div class="panel-head"><h2>{{ t('ticketSettings.escalations') }}</h2><span class="muted small">{{ t('ticketSettings.escalationsHint') }}</span></div>
        <div class="panel-body">
          <div v-for="(x, i) in form.escalations" :key="i" class="toolbar" data-testid="ts-stage">
            <form-field :label="t('ticketSettings.percent')" :error="errors['escalations[' + i + '].percent']" :testid="'ts-stage-percent-error-' + i">
              <input type="number" min="1" max="1000" v-model="x.percent" :data-testid="'ts-stage-percent-' + i"></form-field>
            <form-field :label="t('ticketSettings.target')" :error="errors['escalations[' + i + '].target']">
              <select v-model="x.target" :data-testid="'ts-stage-target-' + i">
                <option value="assignee">{{ t('ticketSettings.target.assignee') }}</option>
                <option value="supervisor">{{ t('ticketSettings.target.supervisor') }}</option>
              </select></form-field>
            <button type="button" class="btn btn-sm" @click="removeStage(i)" :data-testid="'ts-stage-remove-' + i">{{ t('common.delete') }}</button>
          </div>
          <div v-if="errors.escalations" class="field-error" data-testid="ts-escalations-error">{{ errors.escalations }}</div>
          <button type="button" class="btn btn-sm" @click="addStage" :disabled="form.escalations.length >= 5" data-testid="ts-stage-add">{{ t('ticketSettings.addStage') }}</button>
        </div>
      </div>
      <div class="panel" data-testid="ts-notices">
        <div class="panel-head"><h2>{{ t('ticketSettings.notices') }}</h2><span class="muted small">{{ t('ticketSettings.noticesHint') }}</span></div>
        <div class="panel-body form-grid">
          <label class="check span-2"><input type="checkbox" v-model="form.emailAssignee" data-testid="ts-email-assignee"> {{ t('ticketSettings.emailAssignee') }}</label>
          <label class="check span-2"><input type="checkbox" v-model="form.assigneeComments" data-testid="ts-assignee-comments"> {{ t('ticketSettings.assigneeComments') }}</label>
          <label class="check span-2"><input type="checkbox" v-model="form.emailCustomer" data-testid="ts-email-customer"> {{ t('ticketSettings.emailCustomer') }}</label>
          <label class="check span-2"><input type="checkbox" v-model="form.smsCustomer" data-testid="ts-sms-customer"> {{ t('ticketSettings.smsCustomer') }}</label>
          <form-field :label="t('ticketSettings.events')" :error="eventsError" testid="ts-events-error" span>
            <div class="checks">
              <label v-for="ev in EVENTS" :key="ev" class="check"><input type="checkbox" :value="ev" v-model="form.customerEvents" :data-testid="'ts-event-' + ev">
                {{ ev === 'opened' || ev === 'comment' ? t('ticketSettings.event.' + ev) : t('tickets.status.' + ev) }}</label>
            </div>
          </form-field>
          <form-field :label="t('ticketSettings.language')" :error="errors['notices.language']" testid="ts-language-error">
            <select v-model="form.language" data-testid="ts-language"><option value="zh">中文</option><option value="en">English</option></select></form-field>
          <form-field :label="t('ticketSettings.languageField')" :error="errors['notices.languageField']" testid="ts-language-field-error"
            :hint="t('ticketSettings.languageFieldHint')">
            <select v-model="form.languageField" data-testid="ts-language-field"><option value="">{{ t('ticketSettings.languageFieldNone') }}</option>
              <option v-if="form.languageField && !fields.some((f) => f.key === form.languageField)" :value="form.languageField">{{ form.languageField }}</option>
              <option v-for="f in fields" :key="f.key" :value="f.key">{{ f.label }} ({{ f.key }})</option></select></form-field>
          <form-field :label="t('ticketSettings.smsText')" :error="errors['notices.smsText']" testid="ts-sms-text-error" :hint="t('ticketSettings.smsTextHint')" span>
            <textarea v-model="form.smsText" rows="2" maxlength="500" data-testid="ts-sms-text"></textarea></form-field>
        </div>
      </div>
      <form-alert :error="error" :known="known" testid="ts-alert"></form-alert>
      <div class="toolbar"><button type="submit" class="btn btn-primary" :disabled="saving" data-testid="ts-save">{{ t('common.save') }}</button></div>
    </form>`,
};
