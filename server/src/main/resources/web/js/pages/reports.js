// Call center reports (RPT-2) with the standard KPIs (RPT-3): enterprise summary, by called number, by queue, by
// agent, inbound call tracking, unanswered calls by the four ways of loss, lost callers' call-back status, caller
// tolerance, agent state log and outbound, for a date range grouped by hour/day/week/month, filtered by queue, agent,
// department, number and outcome where the report takes them; each a table (the columns come with the report from
// GET /reports/{name}; list reports are paged) and, where it means something, one ECharts chart; exports to xlsx and
// CSV (the same table, written by the server) and print. A glossary tab gives every metric's formula in zh and en; a
// column header links to its metric's line. Buckets and times are in the browser's time zone.

import { api, t, tOr, i18n, errorText } from '../common.js';
import { ymd, byName } from '../format.js';
import { loadEcharts } from '../components/flow-stats.js';

const REPORTS = ['summary', 'numbers', 'queues', 'agents', 'tracking', 'unanswered', 'callbacks', 'tolerance', 'states', 'outbound',
  'satisfaction', 'satisfaction-agents'];
const GROUPS = ['hour', 'day', 'week', 'month'];
/** The filters each report takes (the server answers 400 to any other). */
const FILTERS = {
  queue: ['summary', 'queues', 'agents', 'tracking', 'unanswered', 'callbacks', 'tolerance', 'satisfaction', 'satisfaction-agents'],
  agent: ['agents', 'tracking', 'states', 'outbound', 'satisfaction-agents'],
  department: ['agents', 'states', 'outbound'],
  number: ['numbers', 'tracking', 'callbacks'],
  outcome: ['tracking'],
};
/** Reports of one row per call or state change: paged, no chart. */
const LISTS = ['tracking', 'callbacks', 'states'];
const PAGE = 50;
const OUTCOMES = ['answered', 'voicemail', 'ivr_only', 'left_ivr', 'abandoned_queued', 'abandoned_ringing', 'not_answered', 'lost'];
/** Text columns whose values are codes shown in words. */
const CODED = ['outcome', 'callbackStatus', 'state', 'previous', 'reachedVia', 'cause'];
export const GLOSSARY = ['offered', 'answered', 'answeredInTarget', 'serviceLevel', 'abandoned', 'shortAbandoned', 'abandonedRinging',
  'overflowed', 'voicemail', 'callback', 'waiting', 'reconciliation', 'answerRate', 'abandonRate', 'abandonRateExShort', 'asa', 'aht',
  'avgAbandon', 'longestWait', 'talk', 'hold', 'wrapUp', 'transfers', 'inbound', 'missed', 'signedIn', 'notReady', 'occupancy',
  'callsPerHour', 'leftInIvr', 'abandonedQueued', 'notAnswered', 'lost', 'number', 'abandonedCalls', 'selfService', 'numberAnswerRate',
  'callTalk', 'avgCallTalk', 'queues', 'wait', 'duration', 'outcome', 'callbackStatus', 'reachedAt', 'toleranceBucket', 'stateDuration',
  'outboundCalls', 'outboundAnswered', 'outboundAnswerRate', 'outboundTalk', 'avgOutboundTalk', 'surveyed', 'surveyAnswered', 'surveyAnswerRate', 'verySatisfied',
  'satisfied', 'unsatisfied', 'verySatisfiedRate', 'satisfiedRate', 'unsatisfiedRate', 'reasonService', 'reasonAttitude', 'reasonOther',
  'reasonNone'];
/** Columns explained by another metric's line. */
const METRIC_OF = { abandonedRinging: 'abandonedRinging', wrapUpState: 'wrapUp', notReadyByReason: 'notReady', reachedAfter: 'reachedAt',
  reachedBy: 'reachedAt', onCall: 'occupancy', ready: 'occupancy', ringing: 'occupancy' };

/** The glossary line of a column, or null: a bucket of caller tolerance → its line; else the column's own if there is one. */
export function metricOf(key) {
  if (/^(answered|abandoned)_\d$/.test(key)) return 'toleranceBucket';
  if (METRIC_OF[key]) return METRIC_OF[key];
  return GLOSSARY.includes(key) ? key : null;
}

/** "YYYY-MM-DD" (local) → the instant of that local midnight, plus days; null when not a date. */
function dayStart(s, plusDays) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (plusDays || 0)).toISOString();
}

function zone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch (e) { return 'UTC'; }
}

export const ReportsPage = {
  setup() { return { REPORTS, GROUPS, GLOSSARY, OUTCOMES, i18n }; },
  data() {
    const today = new Date();
    return { tab: 'summary', from: ymd(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6)), to: ymd(today),
      group: 'day', queue: '', agent: '', department: '', number: '', outcome: '', offset: 0, queues: [], agents: [], departments: [],
      report: null, loading: false, error: null, rangeError: null, chartError: null, focus: null };
  },
  created() { this.loadChoices(); this.load(); },
  mounted() { window.addEventListener('resize', this.resize); },
  unmounted() {
    window.removeEventListener('resize', this.resize);
    if (this.chart) this.chart.dispose();
    this.chart = null;
  },
  watch: {
    'i18n.lang'() { this.draw(); },
    tab(v) { this.offset = 0; if (v !== 'glossary') { this.report = null; this.load(); } },
  },
  computed: {
    columns() { return (this.report && this.report.columns) || []; },
    rows() { return (this.report && this.report.rows) || []; },
    params() {
      const p = { from: dayStart(this.from, 0), to: dayStart(this.to, 1), group: this.group, tz: zone() };
      for (const f of Object.keys(FILTERS)) if (this[f] && this.takes(f)) p[f] = String(this[f]).trim();
      return p;
    },
    isList() { return LISTS.includes(this.tab); },
    page() { return (this.report && this.report.page) || null; },
  },
  methods: {
    errorText,
    tOr,
    metricOf,
    takes(filter) { return FILTERS[filter].includes(this.tab); },
    label(c) { return i18n.lang === 'zh' ? c.zh : c.en; },
    /** To the glossary, on the line of the column's metric. */
    explain(key) {
      this.focus = key;
      this.tab = 'glossary';
      this.$nextTick(() => {
        const el = document.getElementById('metric-' + key);
        if (el && el.scrollIntoView) el.scrollIntoView({ block: 'center' });
      });
    },
    cell(c, row) {
      const v = row[c.key];
      if (c.key === 'period' && v === 'total') return t('reports.total');
      if (v === null || v === undefined || v === '') return c.kind === 'text' ? '' : '—';
      if (CODED.includes(c.key)) return tOr('reports.value.' + c.key + '.' + v, String(v));
      if (c.kind === 'rate') return (v * 100).toFixed(1) + '%';
      if (c.kind === 'seconds') return Number(v).toFixed(1);
      return String(v);
    },
    exportUrl(format) {
      const q = new URLSearchParams({ ...this.params, format, lang: i18n.lang === 'zh' ? 'zh' : 'en' });
      return '/api/v1/reports/' + this.tab + '?' + q.toString();
    },
    print() { window.print(); },
    async loadChoices() {
      try { this.queues = ((await api.get('/queues')) || []).map((q) => q.name).sort(); } catch (e) { this.queues = []; }
      try {
        const users = (await api.get('/users')) || [];
        this.agents = (Array.isArray(users) ? users : users.items || []).filter((u) => u.jobNumber)
          .map((u) => ({ id: u.id, name: u.displayName || u.username, jobNumber: u.jobNumber })).sort(byName);
      } catch (e) { this.agents = []; }
      try { this.departments = ((await api.get('/departments')) || []).slice().sort(byName); } catch (e) { this.departments = []; }
    },
    apply() { this.offset = 0; this.load(); },
    turn(delta) { this.offset = Math.max(0, this.offset + delta * PAGE); this.load(); },
    async load() {
      if (this.tab === 'glossary') return;
      this.rangeError = null;
      const p = this.params;
      if (!p.from || !p.to) { this.rangeError = t('reports.badRange'); return; }
      if (new Date(p.from) >= new Date(p.to)) { this.rangeError = t('reports.fromAfterTo'); return; }
      this.loading = true;
      const tab = this.tab;
      try {
        const r = await api.get('/reports/' + tab, this.isList ? { ...p, limit: PAGE, offset: this.offset } : p);
        if (tab !== this.tab) return;
        this.report = r;
        this.error = null;
      } catch (e) { this.error = e; this.report = null; } finally { this.loading = false; }
      await this.$nextTick();
      this.draw();
    },
    resize() { if (this.chart) this.chart.resize(); },
    /** One chart per report: what the manager looks at first. */
    option() {
      const rows = this.rows;
      const byCol = (k) => this.columns.find((c) => c.key === k);
      const name = (k) => (byCol(k) ? this.label(byCol(k)) : k);
      const bar = (k, stack, data) => ({ name: name(k), type: 'bar', stack, barMaxWidth: 28, data });
      const base = { animation: false, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, grid: { left: 56, right: 56, top: 48, bottom: 48 } };
      if (this.tab === 'summary') {
        const x = rows.map((r) => r.period);
        return { ...base, color: ['#3b82f6', '#10b981', '#ef4444', '#f59e0b'], legend: { top: 6 },
          xAxis: { type: 'category', data: x },
          yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
          series: [bar('offered', null, rows.map((r) => r.offered)), bar('answered', null, rows.map((r) => r.answered)),
            bar('abandoned', null, rows.map((r) => r.abandoned)),
            { name: name('serviceLevel'), type: 'line', yAxisIndex: 1, data: rows.map((r) => (r.serviceLevel === null ? null : +(r.serviceLevel * 100).toFixed(1))) }] };
      }
      if (this.tab === 'queues') {
        // Per queue over the whole range: where the offered calls went (the stack adds up to offered).
        const sums = {};
        const keys = ['answered', 'abandoned', 'overflowed', 'voicemail', 'callback', 'waiting'];
        for (const r of rows) { sums[r.queue] = sums[r.queue] || {}; for (const k of keys) sums[r.queue][k] = (sums[r.queue][k] || 0) + (r[k] || 0); }
        const qs = Object.keys(sums).sort();
        return { ...base, color: ['#10b981', '#ef4444', '#f59e0b', '#8b5cf6', '#06b6d4', '#94a3b8'], legend: { top: 6 },
          xAxis: { type: 'category', data: qs }, yAxis: { type: 'value', minInterval: 1 },
          series: keys.map((k) => bar(k, 'all', qs.map((q) => sums[q][k]))) };
      }
      if (this.tab === 'agents') {
        const sums = {};
        for (const r of rows) { const a = r.agent + (r.jobNumber ? ' (' + r.jobNumber + ')' : ''); sums[a] = sums[a] || { answered: 0, missed: 0 }; sums[a].answered += r.answered || 0; sums[a].missed += r.missed || 0; }
        const as = Object.keys(sums).sort();
        return { ...base, color: ['#10b981', '#ef4444'], legend: { top: 6 },
          xAxis: { type: 'category', data: as }, yAxis: { type: 'value', minInterval: 1 },
          series: [bar('answered', null, as.map((a) => sums[a].answered)), bar('missed', null, as.map((a) => sums[a].missed))] };
      }
      if (this.tab === 'satisfaction' || this.tab === 'satisfaction-agents') {
        // Per queue or agent over the whole range: the scores given (the stack adds up to those who answered the survey).
        const keys = ['verySatisfied', 'satisfied', 'unsatisfied'];
        const who = (r) => (this.tab === 'satisfaction' ? r.queue : r.agent + (r.jobNumber ? ' (' + r.jobNumber + ')' : ''));
        const sums = {};
        for (const r of rows) { const w = who(r); sums[w] = sums[w] || {}; for (const k of keys) sums[w][k] = (sums[w][k] || 0) + (r[k] || 0); }
        const ws = Object.keys(sums).sort();
        return { ...base, color: ['#10b981', '#3b82f6', '#ef4444'], legend: { top: 6 },
          xAxis: { type: 'category', data: ws }, yAxis: { type: 'value', minInterval: 1 },
          series: keys.map((k) => bar(k, 'scores', ws.map((w) => sums[w][k]))) };
      }
      if (this.tab === 'numbers') {
        // Per number over the whole range: how its calls ended.
        const sums = {};
        const keys = ['answered', 'abandonedCalls', 'notAnswered', 'selfService'];
        for (const r of rows) { sums[r.number] = sums[r.number] || {}; for (const k of keys) sums[r.number][k] = (sums[r.number][k] || 0) + (r[k] || 0); }
        const ns = Object.keys(sums).sort();
        return { ...base, color: ['#10b981', '#ef4444', '#94a3b8', '#8b5cf6'], legend: { top: 6 },
          xAxis: { type: 'category', data: ns }, yAxis: { type: 'value', minInterval: 1 },
          series: keys.map((k) => bar(k, 'all', ns.map((n) => sums[n][k]))) };
      }
      if (this.tab === 'tolerance') {
        // Answered and abandoned by wait bucket, all queues of the range.
        const buckets = this.columns.filter((c) => /^answered_\d$/.test(c.key)).map((c) => c.key.slice(9));
        const sum = (k) => rows.reduce((a, r) => a + (r[k] || 0), 0);
        const names = buckets.map((b) => this.label(this.columns.find((c) => c.key === 'answered_' + b)).replace(/^Answered |接听$/g, ''));
        return { ...base, color: ['#10b981', '#ef4444'], legend: { top: 6 },
          xAxis: { type: 'category', data: names }, yAxis: { type: 'value', minInterval: 1 },
          series: [bar('answered', null, buckets.map((b) => sum('answered_' + b))), bar('abandoned', null, buckets.map((b) => sum('abandoned_' + b)))] };
      }
      if (this.tab === 'outbound') {
        const sums = {};
        for (const r of rows) { const a = r.agent + (r.jobNumber ? ' (' + r.jobNumber + ')' : ''); sums[a] = sums[a] || { c: 0, a: 0 }; sums[a].c += r.outboundCalls || 0; sums[a].a += r.outboundAnswered || 0; }
        const as = Object.keys(sums).sort();
        return { ...base, color: ['#3b82f6', '#10b981'], legend: { top: 6 },
          xAxis: { type: 'category', data: as }, yAxis: { type: 'value', minInterval: 1 },
          series: [bar('outboundCalls', null, as.map((a) => sums[a].c)), bar('outboundAnswered', null, as.map((a) => sums[a].a))] };
      }
      const keys = ['leftInIvr', 'abandonedQueued', 'abandonedRinging', 'notAnswered'];
      return { ...base, color: ['#8b5cf6', '#ef4444', '#f59e0b', '#94a3b8'], legend: { top: 6 },
        xAxis: { type: 'category', data: rows.map((r) => r.period) }, yAxis: { type: 'value', minInterval: 1 },
        series: keys.map((k) => bar(k, 'lost', rows.map((r) => r[k]))) };
    },
    async draw() {
      if (!this.report || this.tab === 'glossary' || this.isList) return;
      let echarts;
      try { echarts = await loadEcharts(); this.chartError = null; } catch (e) { this.chartError = String(e.message || e); return; }
      await this.$nextTick();
      const el = this.$refs.chart;
      if (!el) return;
      if (!this.chart || this.chart.getDom() !== el) { if (this.chart) this.chart.dispose(); this.chart = echarts.init(el); }
      const opt = this.option();
      this.chart.setOption(opt, true);
      el.setAttribute('data-series', String(opt.series.length));
      el.setAttribute('data-points', String(opt.xAxis.data.length));
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('reports.title') }}</h1>
      <span class="sub">{{ t('reports.subtitle') }}</span>
    </div>
    <div class="seg report-noprint" role="tablist" style="align-self:flex-start;flex-wrap:wrap">
      <button v-for="r in REPORTS.concat(['glossary'])" :key="r" type="button" role="tab" :aria-selected="tab === r" :class="{ active: tab === r }"
              :data-testid="'report-tab-' + r" @click="tab = r">{{ t('reports.tab.' + r) }}</button>
    </div>
    <template v-if="tab !== 'glossary'">
      <form class="toolbar report-noprint" @submit.prevent="apply">
        <form-field :label="t('reports.from')" :error="rangeError" testid="report-range-error"><input type="date" v-model="from" data-testid="report-from"></form-field>
        <form-field :label="t('reports.to')"><input type="date" v-model="to" data-testid="report-to"></form-field>
        <form-field v-if="!isList" :label="t('reports.group')">
          <select v-model="group" data-testid="report-group" @change="apply">
            <option v-for="g in GROUPS" :key="g" :value="g">{{ t('reports.group.' + g) }}</option>
          </select>
        </form-field>
        <form-field v-if="takes('queue')" :label="t('reports.queue')">
          <select v-model="queue" data-testid="report-queue" @change="apply">
            <option value="">{{ t('reports.allQueues') }}</option>
            <option v-for="q in queues" :key="q" :value="q">{{ q }}</option>
          </select>
        </form-field>
        <form-field v-if="takes('department')" :label="t('reports.department')">
          <select v-model="department" data-testid="report-department" @change="apply">
            <option value="">{{ t('reports.allDepartments') }}</option>
            <option v-for="d in departments" :key="d.id" :value="String(d.id)">{{ d.name }}</option>
          </select>
        </form-field>
        <form-field v-if="takes('agent')" :label="t('reports.agent')">
          <select v-model="agent" data-testid="report-agent" @change="apply">
            <option value="">{{ t('reports.allAgents') }}</option>
            <option v-for="a in agents" :key="a.id" :value="String(a.id)">{{ a.name }} ({{ a.jobNumber }})</option>
          </select>
        </form-field>
        <form-field v-if="takes('number')" :label="t('reports.number')">
          <input v-model="number" data-testid="report-number" :placeholder="t('reports.anyNumber')" style="width:9em">
        </form-field>
        <form-field v-if="takes('outcome')" :label="t('reports.outcome')">
          <select v-model="outcome" data-testid="report-outcome" @change="apply">
            <option value="">{{ t('reports.allOutcomes') }}</option>
            <option v-for="o in OUTCOMES" :key="o" :value="o">{{ tOr('reports.value.outcome.' + o, o) }}</option>
          </select>
        </form-field>
        <button type="submit" class="btn btn-primary" data-testid="report-apply" :disabled="loading">{{ t('reports.apply') }}</button>
        <div class="grow"></div>
        <a class="btn" :href="exportUrl('xlsx')" download data-testid="report-export-xlsx">{{ t('reports.exportXlsx') }}</a>
        <a class="btn" :href="exportUrl('csv')" download data-testid="report-export-csv">{{ t('reports.exportCsv') }}</a>
        <button type="button" class="btn" data-testid="report-print" @click="print">{{ t('reports.print') }}</button>
      </form>
      <div v-if="error" class="alert alert-error" data-testid="report-error">{{ errorText(error) }}</div>
      <p v-if="tab === 'unanswered'" class="report-noprint"><a href="#/reports" data-testid="report-to-callbacks" @click.prevent="tab = 'callbacks'">{{ t('reports.toCallbacks') }}</a></p>
      <div v-if="chartError && !isList" class="alert alert-error" data-testid="report-chart-error">{{ t('reports.chartUnavailable') }}</div>
      <div v-if="!isList" class="panel">
        <div ref="chart" class="stats-chart" data-testid="report-chart"></div>
      </div>
      <div class="panel table-wrap">
        <table class="grid report-table" data-testid="report-table">
          <thead><tr>
            <th v-for="c in columns" :key="c.key" :data-col="c.key">
              <a v-if="metricOf(c.key)" :href="'#/reports?glossary=' + metricOf(c.key)" class="muted" :data-metric="metricOf(c.key)"
                 :title="tOr('reports.metric.' + metricOf(c.key) + '.formula', '')" @click.prevent="explain(metricOf(c.key))">{{ label(c) }}</a>
              <span v-else>{{ label(c) }}</span>
            </th>
          </tr></thead>
          <tbody>
            <tr v-for="(r, i) in rows" :key="i" data-testid="report-row">
              <td v-for="c in columns" :key="c.key" :data-col="c.key">{{ cell(c, r) }}</td>
            </tr>
            <tr v-if="!rows.length && !loading"><td :colspan="columns.length || 1" class="muted" data-testid="report-empty">{{ t('reports.empty') }}</td></tr>
          </tbody>
          <tfoot v-if="report && report.total">
            <tr data-testid="report-total"><th v-for="c in columns" :key="c.key" :data-col="c.key">{{ cell(c, report.total) }}</th></tr>
          </tfoot>
        </table>
        <div v-if="page" class="toolbar report-noprint" data-testid="report-pager">
          <span class="muted" data-testid="report-page-info" :data-total="page.total">{{ t('reports.pageInfo', { from: page.total ? page.offset + 1 : 0, to: page.offset + rows.length, total: page.total }) }}</span>
          <button type="button" class="btn" data-testid="report-prev" :disabled="loading || page.offset === 0" @click="turn(-1)">{{ t('reports.prev') }}</button>
          <button type="button" class="btn" data-testid="report-next" :disabled="loading || page.offset + rows.length >= page.total" @click="turn(1)">{{ t('reports.next') }}</button>
        </div>
      </div>
    </template>
    <div v-else class="panel" data-testid="report-glossary">
      <p class="muted">{{ t('reports.glossaryIntro') }}</p>
      <table class="grid">
        <thead><tr><th>{{ t('reports.metric') }}</th><th>{{ t('reports.formula') }}</th></tr></thead>
        <tbody>
          <tr v-for="k in GLOSSARY" :key="k" :id="'metric-' + k" :data-metric="k" :class="{ focus: focus === k }" :data-focused="focus === k ? 'true' : null"
              :style="focus === k ? 'background:var(--accent-soft, #fef3c7)' : ''">
            <td><b>{{ t('reports.metric.' + k + '.name') }}</b></td>
            <td>{{ t('reports.metric.' + k + '.formula') }}</td>
          </tr>
        </tbody>
      </table>
    </div>
  `,
};
