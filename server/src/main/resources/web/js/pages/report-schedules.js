// Scheduled reports (MSG-2 with RPT-2): which report, its filters, the period it covers, its file format and language,
// who receives it and when; "send now"; and the log of reports sent (pending while the outbox tries, sent, or failed
// with the error).

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { fmtTime } from '../format.js';

// The reports and the filters each takes (the same as their routes; the server refuses any other, naming it).
const REPORTS = {
  summary: ['queue'], numbers: ['number'], queues: ['queue'], agents: ['queue', 'agent', 'department'],
  tracking: ['queue', 'agent', 'number', 'outcome'], unanswered: ['queue'], callbacks: ['queue', 'number'], tolerance: ['queue'],
  states: ['agent', 'department'], outbound: ['agent', 'department'], satisfaction: ['queue'], 'satisfaction-agents': ['queue', 'agent'],
};
const PERIODS = ['yesterday', 'last_week', 'last_month'];
const GROUPS = ['hour', 'day', 'week', 'month'];
const FREQUENCIES = ['daily', 'weekly', 'monthly'];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const OUTCOMES = ['answered', 'voicemail', 'ivr_only', 'left_ivr', 'abandoned_queued', 'abandoned_ringing', 'not_answered', 'lost'];
const FIELDS = ['name', 'report', 'queue', 'agent', 'department', 'number', 'outcome', 'period', 'group', 'format', 'lang', 'recipients',
  'frequency', 'time', 'weekday', 'dayOfMonth'];

function blank() {
  return { id: null, name: '', report: 'summary', queue: '', agent: '', department: '', number: '', outcome: '', period: 'yesterday',
    group: 'day', format: 'xlsx', lang: 'zh', recipients: '', frequency: 'daily', time: '08:00', weekday: 'monday', dayOfMonth: 1,
    enabled: true };
}

export const ReportSchedulesPage = {
  setup() { return { REPORTS, PERIODS, GROUPS, FREQUENCIES, WEEKDAYS, OUTCOMES, FIELDS, fmtTime }; },
  data() {
    return { schedules: [], sends: [], users: [], departments: [], loading: true, editor: null, errors: {}, formError: null, saving: false };
  },
  created() { this.load(); },
  computed: {
    names() { return Object.fromEntries(this.schedules.map((s) => [s.id, s.name])); },
  },
  methods: {
    async load() {
      this.loading = true;
      try {
        [this.schedules, this.sends] = await Promise.all([api.get('/report-schedules'), api.get('/report-sends?limit=50')]);
      } catch (e) { toastError(e); }
      this.loading = false;
      if (this.can('user.read') && !this.users.length) {
        try { this.users = await api.get('/users'); } catch (e) { this.users = []; }
      }
      if (this.can('department.read') && !this.departments.length) {
        try { this.departments = await api.get('/departments'); } catch (e) { this.departments = []; }
      }
    },
    takes(f) { return (REPORTS[this.editor.form.report] || []).includes(f); },
    reportName(r) { return t('reports.tab.' + r); },
    when(s) {
      if (s.frequency === 'weekly') return t('schedules.whenWeekly', { day: t('schedules.weekday.' + s.weekday), time: s.time });
      if (s.frequency === 'monthly') return t('schedules.whenMonthly', { day: s.dayOfMonth, time: s.time });
      return t('schedules.whenDaily', { time: s.time });
    },
    open(s) {
      const f = blank();
      if (s) {
        Object.assign(f, { id: s.id, name: s.name, report: s.report, queue: s.queue || '', agent: s.agent || '', department: s.department || '',
          number: s.number || '', outcome: s.outcome || '', period: s.period, group: s.group, format: s.format, lang: s.lang,
          recipients: s.recipients.join(', '), frequency: s.frequency, time: s.time, weekday: s.weekday || 'monday',
          dayOfMonth: s.dayOfMonth || 1, enabled: s.enabled });
      }
      this.errors = {};
      this.formError = null;
      this.editor = { form: f };
    },
    async save() {
      const f = this.editor.form;
      const body = { name: f.name.trim(), report: f.report, period: f.period, group: f.group, format: f.format, lang: f.lang,
        recipients: f.recipients.split(/[\s,;]+/).filter((x) => x), frequency: f.frequency, time: f.time, enabled: f.enabled };
      if (this.takes('queue') && f.queue.trim()) body.queue = f.queue.trim();
      if (this.takes('agent') && f.agent) body.agent = Number(f.agent);
      if (this.takes('department') && f.department) body.department = Number(f.department);
      if (this.takes('number') && f.number.trim()) body.number = f.number.trim();
      if (this.takes('outcome') && f.outcome) body.outcome = f.outcome;
      if (f.frequency === 'weekly') body.weekday = f.weekday;
      if (f.frequency === 'monthly') body.dayOfMonth = Number(f.dayOfMonth);
      this.saving = true;
      this.errors = {};
      this.formError = null;
      try {
        if (f.id) await api.put('/report-schedules/' + f.id, body);
        else await api.post('/report-schedules', body);
        this.editor = null;
        toast(t('common.saved'));
        await this.load();
      } catch (e) {
        this.errors = e.fields ? e.fields() : {};
        this.formError = e;
      } finally { this.saving = false; }
    },
    async sendNow(s) {
      try {
        const r = await api.post('/report-schedules/' + s.id + '/send', {});
        toast(r.status === 'failed' ? t('schedules.sendFailed', { error: r.error }) : t('schedules.sending', { to: r.recipients }),
          r.status === 'failed' ? 'error' : undefined);
        await this.load();
      } catch (e) { toastError(e); }
    },
    async remove(s) {
      if (!(await confirmDialog(t('schedules.confirmDelete', { name: s.name })))) return;
      try { await api.del('/report-schedules/' + s.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
    statusClass(s) { return s === 'sent' ? 'badge-ok' : s === 'failed' ? 'badge-danger' : 'badge-warn'; },
    day(iso) { return iso ? fmtTime(iso) : ''; },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('schedules.title') }}</h1>
      <span class="sub">{{ t('schedules.subtitle') }}</span>
      <button class="btn btn-primary" @click="open(null)" data-testid="schedule-new">{{ t('schedules.new') }}</button>
    </div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="schedules-table">
        <thead><tr><th>{{ t('schedules.name') }}</th><th>{{ t('schedules.report') }}</th><th>{{ t('schedules.period') }}</th>
          <th>{{ t('schedules.when') }}</th><th>{{ t('schedules.recipients') }}</th><th>{{ t('schedules.next') }}</th>
          <th>{{ t('schedules.lastSend') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="s in schedules" :key="s.id" :data-testid="'schedule-row-' + s.id">
            <td>{{ s.name }} <span v-if="!s.enabled" class="badge">{{ t('schedules.off') }}</span></td>
            <td>{{ reportName(s.report) }} <span class="muted small">{{ s.format }} · {{ s.lang }}</span></td>
            <td>{{ t('schedules.period.' + s.period) }}</td>
            <td :data-testid="'schedule-when-' + s.id">{{ when(s) }} <span class="muted small">{{ s.zone }}</span></td>
            <td class="mono small">{{ s.recipients.join(', ') }}</td>
            <td class="mono">{{ day(s.nextAt) }}</td>
            <td><span v-if="s.lastSend" class="badge" :class="statusClass(s.lastSend.status)" :data-testid="'schedule-last-' + s.id">{{ t('mail.status.' + s.lastSend.status) }}</span></td>
            <td class="actions">
              <button class="btn-link" @click="open(s)" :data-testid="'schedule-edit-' + s.id">{{ t('common.edit') }}</button>
              <button class="btn-link" @click="sendNow(s)" :data-testid="'schedule-send-' + s.id">{{ t('schedules.sendNow') }}</button>
              <button class="btn-link danger" @click="remove(s)" :data-testid="'schedule-delete-' + s.id">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <empty-row v-if="!schedules.length" :cols="8" :loading="loading" :hint="t('schedules.emptyHint')" testid="schedules-empty"></empty-row>
        </tbody>
      </table>
    </div>
    <div class="panel table-wrap" data-testid="schedule-sends">
      <div class="panel-head"><h2>{{ t('schedules.sends') }}</h2>
        <button class="btn-link" @click="load" data-testid="schedule-sends-refresh">{{ t('mail.refresh') }}</button></div>
      <table class="grid" data-testid="schedule-sends-table">
        <thead><tr><th>{{ t('mail.created') }}</th><th>{{ t('schedules.name') }}</th><th>{{ t('schedules.covered') }}</th>
          <th>{{ t('mail.to') }}</th><th>{{ t('mail.statusCol') }}</th><th>{{ t('mail.lastError') }}</th></tr></thead>
        <tbody>
          <tr v-for="x in sends" :key="x.id" :data-testid="'send-row-' + x.id">
            <td class="mono">{{ fmtTime(x.createdAt) }} <span v-if="x.manual" class="muted small">{{ t('schedules.manual') }}</span></td>
            <td>{{ names[x.scheduleId] || x.scheduleId }}</td>
            <td class="mono small">{{ fmtTime(x.periodFrom) }} – {{ fmtTime(x.periodTo) }}</td>
            <td class="mono small">{{ x.recipients }}</td>
            <td><span class="badge" :class="statusClass(x.status)" :data-testid="'send-status-' + x.id">{{ t('mail.status.' + x.status) }}</span></td>
            <td class="small" :data-testid="'send-error-' + x.id">{{ x.error || '' }}</td>
          </tr>
          <empty-row v-if="!sends.length" :cols="6" :loading="loading" testid="schedule-sends-empty"></empty-row>
        </tbody>
      </table>
    </div>
    <modal v-if="editor" :title="editor.form.id ? t('schedules.edit') : t('schedules.new')" size="wide" testid="schedule-editor" @close="editor = null">
      <form class="form-grid" @submit.prevent="save" novalidate data-testid="schedule-form">
        <form-field :label="t('schedules.name')" :error="errors.name" testid="schedule-name-error" required span>
          <input type="text" v-model="editor.form.name" data-testid="schedule-name"></form-field>
        <form-field :label="t('schedules.report')" :error="errors.report" testid="schedule-report-error">
          <select v-model="editor.form.report" data-testid="schedule-report"><option v-for="(f, r) in REPORTS" :key="r" :value="r">{{ reportName(r) }}</option></select>
        </form-field>
        <form-field :label="t('schedules.period')" :error="errors.period" testid="schedule-period-error">
          <select v-model="editor.form.period" data-testid="schedule-period"><option v-for="p in PERIODS" :key="p" :value="p">{{ t('schedules.period.' + p) }}</option></select>
        </form-field>
        <form-field v-if="takes('queue')" :label="t('schedules.queue')" :error="errors.queue" testid="schedule-queue-error">
          <input type="text" v-model="editor.form.queue" :placeholder="t('schedules.allQueues')" data-testid="schedule-queue"></form-field>
        <form-field v-if="takes('agent')" :label="t('schedules.agent')" :error="errors.agent" testid="schedule-agent-error">
          <select v-model="editor.form.agent" data-testid="schedule-agent"><option value="">{{ t('schedules.allAgents') }}</option>
            <option v-for="u in users" :key="u.id" :value="u.id">{{ u.displayName || u.username }}</option></select>
        </form-field>
        <form-field v-if="takes('department')" :label="t('schedules.department')" :error="errors.department" testid="schedule-department-error">
          <select v-model="editor.form.department" data-testid="schedule-department"><option value="">{{ t('schedules.allDepartments') }}</option>
            <option v-for="d in departments" :key="d.id" :value="d.id">{{ d.name }}</option></select>
        </form-field>
        <form-field v-if="takes('number')" :label="t('schedules.number')" :error="errors.number" testid="schedule-number-error">
          <input type="text" v-model="editor.form.number" data-testid="schedule-number"></form-field>
        <form-field v-if="takes('outcome')" :label="t('schedules.outcome')" :error="errors.outcome" testid="schedule-outcome-error">
          <select v-model="editor.form.outcome" data-testid="schedule-outcome"><option value="">{{ t('schedules.allOutcomes') }}</option>
            <option v-for="o in OUTCOMES" :key="o" :value="o">{{ o }}</option></select>
        </form-field>
        <form-field :label="t('schedules.group')" :error="errors.group" testid="schedule-group-error">
          <select v-model="editor.form.group" data-testid="schedule-group"><option v-for="g in GROUPS" :key="g" :value="g">{{ t('schedules.group.' + g) }}</option></select>
        </form-field>
        <form-field :label="t('schedules.format')" :error="errors.format" testid="schedule-format-error">
          <select v-model="editor.form.format" data-testid="schedule-format"><option value="xlsx">Excel (xlsx)</option><option value="csv">CSV</option></select>
        </form-field>
        <form-field :label="t('schedules.lang')" :error="errors.lang" testid="schedule-lang-error">
          <select v-model="editor.form.lang" data-testid="schedule-lang"><option value="zh">中文</option><option value="en">English</option></select>
        </form-field>
        <form-field :label="t('schedules.recipients')" :error="errors.recipients" testid="schedule-recipients-error" :hint="t('schedules.recipientsHint')" span>
          <textarea rows="2" v-model="editor.form.recipients" data-testid="schedule-recipients"></textarea></form-field>
        <form-field :label="t('schedules.frequency')" :error="errors.frequency" testid="schedule-frequency-error">
          <select v-model="editor.form.frequency" data-testid="schedule-frequency"><option v-for="f in FREQUENCIES" :key="f" :value="f">{{ t('schedules.frequency.' + f) }}</option></select>
        </form-field>
        <form-field v-if="editor.form.frequency === 'weekly'" :label="t('schedules.weekdayLabel')" :error="errors.weekday" testid="schedule-weekday-error">
          <select v-model="editor.form.weekday" data-testid="schedule-weekday"><option v-for="d in WEEKDAYS" :key="d" :value="d">{{ t('schedules.weekday.' + d) }}</option></select>
        </form-field>
        <form-field v-if="editor.form.frequency === 'monthly'" :label="t('schedules.dayOfMonth')" :error="errors.dayOfMonth" testid="schedule-day-error">
          <input type="number" min="1" max="31" v-model="editor.form.dayOfMonth" data-testid="schedule-day"></form-field>
        <form-field :label="t('schedules.time')" :error="errors.time" testid="schedule-time-error" :hint="t('schedules.timeHint')">
          <input type="time" v-model="editor.form.time" data-testid="schedule-time"></form-field>
        <label class="check"><input type="checkbox" v-model="editor.form.enabled" data-testid="schedule-enabled"> {{ t('schedules.enabled') }}</label>
      </form>
      <form-alert :error="formError" :known="FIELDS" testid="schedule-form-error"></form-alert>
      <template #footer>
        <button class="btn" @click="editor = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" :disabled="saving" @click="save" data-testid="schedule-save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
