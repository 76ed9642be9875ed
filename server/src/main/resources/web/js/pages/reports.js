// Call center reports (RPT-2) with the standard KPIs (RPT-3): enterprise summary, by queue, by agent and
// unanswered calls by the four ways of loss, for a date range grouped by hour/day/week/month, filtered by
// queue and agent; each a table (the columns come with the report from GET /reports/{name}) and one ECharts
// chart; exports to xlsx and CSV (the same table, written by the server) and print. A glossary tab gives
// every metric's formula in zh and en. Buckets are counted in the browser's time zone.

import { api, t, tOr, i18n, errorText } from '../common.js';
import { ymd, byName } from '../format.js';
import { loadEcharts } from '../components/flow-stats.js';

const REPORTS = ['summary', 'queues', 'agents', 'unanswered', 'satisfaction', 'satisfaction-agents'];
/** Reports the agent filter applies to. */
const BY_AGENT = ['agents', 'satisfaction-agents'];
const GROUPS = ['hour', 'day', 'week', 'month'];
export const GLOSSARY = ['offered', 'answered', 'answeredInTarget', 'serviceLevel', 'abandoned', 'shortAbandoned', 'abandonedRinging',
  'overflowed', 'voicemail', 'callback', 'waiting', 'reconciliation', 'answerRate', 'abandonRate', 'abandonRateExShort', 'asa', 'aht',
  'avgAbandon', 'longestWait', 'talk', 'hold', 'wrapUp', 'transfers', 'inbound', 'missed', 'signedIn', 'notReady', 'occupancy',
  'callsPerHour', 'leftInIvr', 'abandonedQueued', 'notAnswered', 'surveyed', 'surveyAnswered', 'surveyAnswerRate', 'verySatisfied',
  'satisfied', 'unsatisfied', 'verySatisfiedRate', 'satisfiedRate', 'unsatisfiedRate', 'reasonService', 'reasonAttitude', 'reasonOther',
  'reasonNone'];

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
  setup() { return { REPORTS, GROUPS, GLOSSARY, BY_AGENT, i18n }; },
  data() {
    const today = new Date();
    return { tab: 'summary', from: ymd(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6)), to: ymd(today),
      group: 'day', queue: '', agent: '', queues: [], agents: [], report: null, loading: false, error: null, rangeError: null,
      chartError: null };
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
    tab(v) { if (v !== 'glossary') this.load(); },
  },
  computed: {
    columns() { return (this.report && this.report.columns) || []; },
    rows() { return (this.report && this.report.rows) || []; },
    params() {
      const p = { from: dayStart(this.from, 0), to: dayStart(this.to, 1), group: this.group, tz: zone() };
      if (this.queue) p.queue = this.queue;
      if (this.agent && BY_AGENT.includes(this.tab)) p.agent = this.agent;
      return p;
    },
  },
  methods: {
    errorText,
    tOr,
    label(c) { return i18n.lang === 'zh' ? c.zh : c.en; },
    cell(c, row) {
      const v = row[c.key];
      if (c.key === 'period' && v === 'total') return t('reports.total');
      if (v === null || v === undefined || v === '') return c.kind === 'text' ? '' : '—';
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
    },
    async load() {
      if (this.tab === 'glossary') return;
      this.rangeError = null;
      const p = this.params;
      if (!p.from || !p.to) { this.rangeError = t('reports.badRange'); return; }
      if (new Date(p.from) >= new Date(p.to)) { this.rangeError = t('reports.fromAfterTo'); return; }
      this.loading = true;
      const tab = this.tab;
      try {
        const r = await api.get('/reports/' + tab, p);
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
      const keys = ['leftInIvr', 'abandonedQueued', 'abandonedRinging', 'notAnswered'];
      return { ...base, color: ['#8b5cf6', '#ef4444', '#f59e0b', '#94a3b8'], legend: { top: 6 },
        xAxis: { type: 'category', data: rows.map((r) => r.period) }, yAxis: { type: 'value', minInterval: 1 },
        series: keys.map((k) => bar(k, 'lost', rows.map((r) => r[k]))) };
    },
    async draw() {
      if (!this.report || this.tab === 'glossary') return;
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
    <div class="seg report-noprint" role="tablist" style="align-self:flex-start">
      <button v-for="r in REPORTS.concat(['glossary'])" :key="r" type="button" role="tab" :aria-selected="tab === r" :class="{ active: tab === r }"
              :data-testid="'report-tab-' + r" @click="tab = r">{{ t('reports.tab.' + r) }}</button>
    </div>
    <template v-if="tab !== 'glossary'">
      <form class="toolbar report-noprint" @submit.prevent="load">
        <form-field :label="t('reports.from')" :error="rangeError" testid="report-range-error"><input type="date" v-model="from" data-testid="report-from"></form-field>
        <form-field :label="t('reports.to')"><input type="date" v-model="to" data-testid="report-to"></form-field>
        <form-field :label="t('reports.group')">
          <select v-model="group" data-testid="report-group" @change="load">
            <option v-for="g in GROUPS" :key="g" :value="g">{{ t('reports.group.' + g) }}</option>
          </select>
        </form-field>
        <form-field :label="t('reports.queue')">
          <select v-model="queue" data-testid="report-queue" @change="load">
            <option value="">{{ t('reports.allQueues') }}</option>
            <option v-for="q in queues" :key="q" :value="q">{{ q }}</option>
          </select>
        </form-field>
        <form-field v-if="BY_AGENT.includes(tab)" :label="t('reports.agent')">
          <select v-model="agent" data-testid="report-agent" @change="load">
            <option value="">{{ t('reports.allAgents') }}</option>
            <option v-for="a in agents" :key="a.id" :value="String(a.id)">{{ a.name }} ({{ a.jobNumber }})</option>
          </select>
        </form-field>
        <button type="submit" class="btn btn-primary" data-testid="report-apply" :disabled="loading">{{ t('reports.apply') }}</button>
        <div class="grow"></div>
        <a class="btn" :href="exportUrl('xlsx')" download data-testid="report-export-xlsx">{{ t('reports.exportXlsx') }}</a>
        <a class="btn" :href="exportUrl('csv')" download data-testid="report-export-csv">{{ t('reports.exportCsv') }}</a>
        <button type="button" class="btn" data-testid="report-print" @click="print">{{ t('reports.print') }}</button>
      </form>
      <div v-if="error" class="alert alert-error" data-testid="report-error">{{ errorText(error) }}</div>
      <div v-if="chartError" class="alert alert-error" data-testid="report-chart-error">{{ t('reports.chartUnavailable') }}</div>
      <div class="panel">
        <div ref="chart" class="stats-chart" data-testid="report-chart"></div>
      </div>
      <div class="panel table-wrap">
        <table class="grid report-table" data-testid="report-table">
          <thead><tr>
            <th v-for="c in columns" :key="c.key" :data-col="c.key">
              <a :href="'#/reports?glossary=' + c.key" class="muted" :title="tOr('reports.metric.' + c.key + '.formula', '')" @click.prevent="tab = 'glossary'">{{ label(c) }}</a>
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
      </div>
    </template>
    <div v-else class="panel" data-testid="report-glossary">
      <p class="muted">{{ t('reports.glossaryIntro') }}</p>
      <table class="grid">
        <thead><tr><th>{{ t('reports.metric') }}</th><th>{{ t('reports.formula') }}</th></tr></thead>
        <tbody>
          <tr v-for="k in GLOSSARY" :key="k" :data-metric="k">
            <td><b>{{ t('reports.metric.' + k + '.name') }}</b></td>
            <td>{{ t('reports.metric.' + k + '.formula') }}</td>
          </tr>
        </tbody>
      </table>
    </div>
  `,
};
