// Business reports (RPT-4): customers and their growth per period, customers by region (the region field of the
// settings, or the area code / mobile carrier of their first number), tickets opened per period and type with the
// state they are in now. Same range, grouping and exports (xlsx, CSV) as the call reports; one ECharts chart each.
// Customer figures count only the customers the user may see (the server applies the CRM's ownership).

import { api, t, tOr, i18n, errorText } from '../common.js';
import { ymd } from '../format.js';
import { loadEcharts } from '../components/flow-stats.js';

const TABS = ['customers', 'customer-regions', 'tickets'];
const GROUPS = ['hour', 'day', 'week', 'month'];
const STATES = ['new', 'assigned', 'in_progress', 'waiting_customer', 'resolved', 'closed', 'reopened'];

function dayStart(s, plusDays) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (plusDays || 0)).toISOString();
}

function zone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch (e) { return 'UTC'; }
}

export const BusinessReportsPage = {
  setup() { return { TABS, GROUPS, i18n }; },
  data() {
    const today = new Date();
    return { tab: 'customers', from: ymd(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29)), to: ymd(today), group: 'day',
      regionBy: '', regionField: '', fields: [], settingsSaved: false, settingsError: null, report: null, loading: false, error: null,
      rangeError: null, chartError: null };
  },
  created() { this.loadSettings(); this.load(); },
  mounted() { window.addEventListener('resize', this.resize); },
  unmounted() {
    window.removeEventListener('resize', this.resize);
    if (this.chart) this.chart.dispose();
    this.chart = null;
  },
  watch: {
    'i18n.lang'() { this.load(); },
    tab() { this.report = null; this.load(); },
  },
  computed: {
    columns() { return (this.report && this.report.columns) || []; },
    rows() { return (this.report && this.report.rows) || []; },
    params() {
      const p = { from: dayStart(this.from, 0), to: dayStart(this.to, 1), group: this.group, tz: zone(), lang: i18n.lang === 'zh' ? 'zh' : 'en' };
      if (this.tab === 'customer-regions' && this.regionBy) p.regionBy = this.regionBy;
      return p;
    },
  },
  methods: {
    errorText,
    label(c) { return i18n.lang === 'zh' ? c.zh : c.en; },
    cell(c, row) {
      const v = row[c.key];
      if (c.key === 'period' && v === 'total') return t('reports.total');
      if (v === null || v === undefined || v === '') return c.kind === 'text' ? '' : '—';
      if (c.kind === 'rate') return (v * 100).toFixed(1) + '%';
      return String(v);
    },
    exportUrl(format) {
      const q = new URLSearchParams({ ...this.params, format });
      return '/api/v1/reports/' + this.tab + '?' + q.toString();
    },
    async loadSettings() {
      try { this.regionField = (await api.get('/reports/business-settings')).regionField || ''; } catch (e) { this.regionField = ''; }
      try { this.fields = ((await api.get('/customer-fields')) || []).map((f) => ({ key: f.key, label: f.label })); } catch (e) { this.fields = []; }
    },
    async saveSettings() {
      this.settingsSaved = false;
      this.settingsError = null;
      try {
        await api.put('/reports/business-settings', { regionField: this.regionField || null });
        this.settingsSaved = true;
        this.load();
      } catch (e) { this.settingsError = e; }
    },
    async load() {
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
    option() {
      const rows = this.rows;
      const byCol = (k) => this.columns.find((c) => c.key === k);
      const name = (k) => (byCol(k) ? this.label(byCol(k)) : k);
      const base = { animation: false, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, grid: { left: 56, right: 56, top: 48, bottom: 48 } };
      if (this.tab === 'customers') {
        return { ...base, color: ['#3b82f6', '#10b981'], legend: { top: 6 }, xAxis: { type: 'category', data: rows.map((r) => r.period) },
          yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', minInterval: 1 }],
          series: [{ name: name('newCustomers'), type: 'bar', barMaxWidth: 28, data: rows.map((r) => r.newCustomers) },
            { name: name('customers'), type: 'line', yAxisIndex: 1, data: rows.map((r) => r.customers) }] };
      }
      if (this.tab === 'customer-regions') {
        return { ...base, color: ['#3b82f6', '#10b981'], legend: { top: 6 }, xAxis: { type: 'category', data: rows.map((r) => r.region) },
          yAxis: { type: 'value', minInterval: 1 },
          series: [{ name: name('customers'), type: 'bar', barMaxWidth: 28, data: rows.map((r) => r.customers) },
            { name: name('newCustomers'), type: 'bar', barMaxWidth: 28, data: rows.map((r) => r.newCustomers) }] };
      }
      // Tickets: opened per period, stacked by type.
      const periods = [...new Set(rows.map((r) => r.period))];
      const types = [...new Set(rows.map((r) => r.type))].sort();
      return { ...base, legend: { top: 6 }, xAxis: { type: 'category', data: periods }, yAxis: { type: 'value', minInterval: 1 },
        series: types.map((ty) => ({ name: ty, type: 'bar', stack: 'opened', barMaxWidth: 28,
          data: periods.map((p) => { const r = rows.find((x) => x.period === p && x.type === ty); return r ? r.opened : 0; }) })) };
    },
    async draw() {
      if (!this.report) return;
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
      <h1 data-testid="page-title">{{ t('bizReports.title') }}</h1>
      <span class="sub">{{ t('bizReports.subtitle') }}</span>
    </div>
    <div class="seg report-noprint" role="tablist" style="align-self:flex-start;flex-wrap:wrap">
      <button v-for="r in TABS" :key="r" type="button" role="tab" :aria-selected="tab === r" :class="{ active: tab === r }"
              :data-testid="'biz-tab-' + r" @click="tab = r">{{ t('bizReports.tab.' + r) }}</button>
    </div>
    <form class="toolbar report-noprint" @submit.prevent="load">
      <form-field :label="t('reports.from')" :error="rangeError" testid="biz-range-error"><input type="date" v-model="from" data-testid="biz-from"></form-field>
      <form-field :label="t('reports.to')"><input type="date" v-model="to" data-testid="biz-to"></form-field>
      <form-field v-if="tab !== 'customer-regions'" :label="t('reports.group')">
        <select v-model="group" data-testid="biz-group" @change="load">
          <option v-for="g in GROUPS" :key="g" :value="g">{{ t('reports.group.' + g) }}</option>
        </select>
      </form-field>
      <form-field v-if="tab === 'customer-regions'" :label="t('bizReports.regionBy')">
        <select v-model="regionBy" data-testid="biz-region-by" @change="load">
          <option value="">{{ t('bizReports.regionBy.default') }}</option>
          <option value="field">{{ t('bizReports.regionBy.field') }}</option>
          <option value="phone">{{ t('bizReports.regionBy.phone') }}</option>
        </select>
      </form-field>
      <button type="submit" class="btn btn-primary" data-testid="biz-apply" :disabled="loading">{{ t('reports.apply') }}</button>
      <div class="grow"></div>
      <a class="btn" :href="exportUrl('xlsx')" download data-testid="biz-export-xlsx">{{ t('reports.exportXlsx') }}</a>
      <a class="btn" :href="exportUrl('csv')" download data-testid="biz-export-csv">{{ t('reports.exportCsv') }}</a>
    </form>
    <div v-if="tab === 'customer-regions'" class="toolbar report-noprint" data-testid="biz-settings">
      <form-field :label="t('bizReports.regionField')" :hint="t('bizReports.regionFieldHint')" :error="settingsError ? errorText(settingsError) : null" testid="biz-region-field-error">
        <select v-model="regionField" data-testid="biz-region-field">
          <option value="">{{ t('bizReports.regionField.none') }}</option>
          <option v-for="f in fields" :key="f.key" :value="f.key">{{ f.label }} ({{ f.key }})</option>
        </select>
      </form-field>
      <button type="button" class="btn" data-testid="biz-region-save" @click="saveSettings">{{ t('common.save') }}</button>
      <span v-if="settingsSaved" class="muted small" data-testid="biz-region-saved">{{ t('bizReports.saved') }}</span>
    </div>
    <div v-if="error" class="alert alert-error" data-testid="biz-error">{{ errorText(error) }}</div>
    <div v-if="chartError" class="alert alert-error" data-testid="biz-chart-error">{{ t('reports.chartUnavailable') }}</div>
    <div class="panel"><div ref="chart" class="stats-chart" data-testid="biz-chart"></div></div>
    <div class="panel table-wrap">
      <table class="grid report-table" data-testid="biz-table">
        <thead><tr><th v-for="c in columns" :key="c.key" :data-col="c.key">{{ label(c) }}</th></tr></thead>
        <tbody>
          <tr v-for="(r, i) in rows" :key="i" data-testid="biz-row"><td v-for="c in columns" :key="c.key" :data-col="c.key">{{ cell(c, r) }}</td></tr>
          <tr v-if="!rows.length && !loading"><td :colspan="columns.length || 1" class="muted" data-testid="biz-empty">{{ t('reports.empty') }}</td></tr>
        </tbody>
        <tfoot v-if="report && report.total">
          <tr data-testid="biz-total"><th v-for="c in columns" :key="c.key" :data-col="c.key">{{ cell(c, report.total) }}</th></tr>
        </tfoot>
      </table>
    </div>
  `,
};
