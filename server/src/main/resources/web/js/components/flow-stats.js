// IVR statistics of one flow (IVR-5, GET /flows/{id}/stats): per node the visits, the keys pressed,
// the timeouts and the callers who hung up there, over a date range (default the last 7 days), as a
// table and as ECharts bar charts (visits and hang-ups per node; key distribution of a menu node).
// ECharts is loaded on first use, only by this tab.

import { api, t, tOr, i18n } from '../common.js';
import { ymd } from '../format.js';

const ECHARTS = '/webjars/echarts/5.3.1/dist/echarts.min.js';
const KEY_ORDER = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];
let echartsLoading = null;

/** Loads ECharts once (a <script> tag), resolving to window.echarts. */
export function loadEcharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!echartsLoading) {
    echartsLoading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = ECHARTS;
      s.onload = () => resolve(window.echarts);
      s.onerror = () => { echartsLoading = null; reject(new Error('cannot load ' + ECHARTS)); };
      document.head.appendChild(s);
    });
  }
  return echartsLoading;
}

/** "YYYY-MM-DD" (local) → the instant of that local midnight, plus days. */
function dayStart(s, plusDays) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (plusDays || 0)).toISOString();
}
function keyOrder(a, b) {
  const i = KEY_ORDER.indexOf(a), j = KEY_ORDER.indexOf(b);
  return (i < 0 ? 99 : i) - (j < 0 ? 99 : j);
}
export function sortedKeys(keys) { return Object.keys(keys || {}).sort(keyOrder).map((k) => ({ key: k, n: keys[k] })); }

export const FlowStats = {
  props: { flowId: Number, graph: Object },
  data() {
    const today = new Date();
    const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6);
    return { from: ymd(from), to: ymd(today), stats: null, loading: false, error: null, rangeError: null, keyNode: null, chartError: null };
  },
  created() { this.load(); },
  mounted() { window.addEventListener('resize', this.resize); },
  unmounted() {
    window.removeEventListener('resize', this.resize);
    for (const c of [this.nodeChart, this.keyChart]) if (c) c.dispose();
    this.nodeChart = null; this.keyChart = null;
  },
  watch: {
    'i18n.lang'() { this.draw(); },
    keyNode() { this.draw(); },
  },
  setup() { return { i18n, sortedKeys }; },
  computed: {
    rows() {
      const nodes = (this.stats && this.stats.nodes) || [];
      // Draft order (start first) where the node still exists, then the rest by visits.
      const order = this.graph && this.graph.nodes ? Object.keys(this.graph.nodes) : [];
      const start = this.graph && this.graph.start;
      const rank = (n) => (n.node === start ? -1 : order.indexOf(n.node) < 0 ? 1000 : order.indexOf(n.node));
      return [...nodes].sort((a, b) => rank(a) - rank(b) || (b.visits || 0) - (a.visits || 0));
    },
    menuRows() { return this.rows.filter((r) => r.type === 'menu' || r.type === 'language' || Object.keys(r.keys || {}).length); },
    keyRow() { return this.rows.find((r) => r.node === this.keyNode) || null; },
    totals() {
      const s = { visits: 0, timeouts: 0, hangups: 0, keys: 0 };
      for (const r of this.rows) { s.visits += r.visits || 0; s.timeouts += r.timeouts || 0; s.hangups += r.hangups || 0; for (const k of Object.values(r.keys || {})) s.keys += k; }
      return s;
    },
  },
  methods: {
    typeLabel(type) { return tOr('flows.type.' + type, type || '—'); },
    async load() {
      this.rangeError = null;
      const from = dayStart(this.from, 0), to = dayStart(this.to, 1);
      if (!from || !to) { this.rangeError = t('flowStats.badRange'); return; }
      if (new Date(from) >= new Date(to)) { this.rangeError = t('flowStats.fromAfterTo'); return; }
      this.loading = true;
      try {
        this.stats = await api.get('/flows/' + this.flowId + '/stats', { from, to });
        this.error = null;
        if (!this.keyRow) {
          const withKeys = this.menuRows.find((r) => Object.keys(r.keys || {}).length);
          this.keyNode = withKeys ? withKeys.node : (this.menuRows[0] ? this.menuRows[0].node : null);
        }
      } catch (e) { this.error = e; } finally { this.loading = false; }
      await this.$nextTick();
      this.draw();
    },
    lastDays(n) {
      const today = new Date();
      this.to = ymd(today);
      this.from = ymd(new Date(today.getFullYear(), today.getMonth(), today.getDate() - (n - 1)));
      this.load();
    },
    pickKeyNode(r) { if (Object.keys(r.keys || {}).length || r.type === 'menu' || r.type === 'language') this.keyNode = r.node; },
    resize() { for (const c of [this.nodeChart, this.keyChart]) if (c) c.resize(); },
    async draw() {
      if (!this.stats) return;
      let echarts;
      try { echarts = await loadEcharts(); this.chartError = null; } catch (e) { this.chartError = String(e.message || e); return; }
      await this.$nextTick();
      const el1 = this.$refs.nodeChart, el2 = this.$refs.keyChart;
      if (!el1) return;
      if (!this.nodeChart || this.nodeChart.getDom() !== el1) { if (this.nodeChart) this.nodeChart.dispose(); this.nodeChart = echarts.init(el1); }
      const names = this.rows.map((r) => r.node);
      const grid = { left: 48, right: 16, top: 40, bottom: 56 };
      this.nodeChart.setOption({
        animation: false,
        color: ['#3b82f6', '#ef4444', '#f59e0b'],
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 6, data: [t('flowStats.visits'), t('flowStats.hangups'), t('flowStats.timeouts')] },
        grid,
        xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0, fontFamily: 'monospace' } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: t('flowStats.visits'), type: 'bar', data: this.rows.map((r) => r.visits || 0), barMaxWidth: 28 },
          { name: t('flowStats.hangups'), type: 'bar', data: this.rows.map((r) => r.hangups || 0), barMaxWidth: 28 },
          { name: t('flowStats.timeouts'), type: 'bar', data: this.rows.map((r) => r.timeouts || 0), barMaxWidth: 28 },
        ],
      }, true);
      el1.setAttribute('data-bars', String(names.length));
      if (el2) {
        if (!this.keyChart || this.keyChart.getDom() !== el2) { if (this.keyChart) this.keyChart.dispose(); this.keyChart = echarts.init(el2); }
        const keys = this.keyRow ? sortedKeys(this.keyRow.keys) : [];
        this.keyChart.setOption({
          animation: false,
          color: ['#10b981'],
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
          grid: { left: 48, right: 16, top: 24, bottom: 32 },
          xAxis: { type: 'category', data: keys.map((k) => t('flows.exit.key', { key: k.key })) },
          yAxis: { type: 'value', minInterval: 1 },
          series: [{ name: t('flowStats.presses'), type: 'bar', data: keys.map((k) => k.n), barMaxWidth: 36, label: { show: true, position: 'top' } }],
        }, true);
        el2.setAttribute('data-bars', String(keys.length));
      }
    },
  },
  template: `
    <div class="flow-stats" data-testid="flow-stats">
      <form class="toolbar" @submit.prevent="load">
        <form-field :label="t('flowStats.from')" :error="rangeError" testid="stats-range-error"><input type="date" v-model="from" data-testid="stats-from"></form-field>
        <form-field :label="t('flowStats.to')"><input type="date" v-model="to" data-testid="stats-to"></form-field>
        <button type="submit" class="btn btn-primary" data-testid="stats-apply" :disabled="loading">{{ t('flowStats.apply') }}</button>
        <button type="button" class="btn" data-testid="stats-7d" @click="lastDays(7)">{{ t('flowStats.last7') }}</button>
        <button type="button" class="btn" data-testid="stats-30d" @click="lastDays(30)">{{ t('flowStats.last30') }}</button>
        <div class="grow"></div>
        <span v-if="stats" class="stats-kpi"><span class="muted">{{ t('flowStats.calls') }}</span> <b data-testid="stats-calls">{{ stats.calls || 0 }}</b></span>
      </form>
      <div v-if="error" class="alert alert-error" data-testid="stats-error">{{ errorText(error) }}</div>
      <div v-if="chartError" class="alert alert-error" data-testid="stats-chart-error">{{ t('flowStats.chartUnavailable') }}</div>
      <div class="stats-charts">
        <div class="panel">
          <div class="panel-head"><h2>{{ t('flowStats.perNode') }}</h2><span class="muted">{{ t('flowStats.perNodeHint') }}</span></div>
          <div ref="nodeChart" class="stats-chart" data-testid="stats-chart-nodes"></div>
        </div>
        <div class="panel">
          <div class="panel-head">
            <h2>{{ t('flowStats.keys') }}</h2>
            <select v-if="menuRows.length" v-model="keyNode" data-testid="stats-key-node" :aria-label="t('flowStats.keyNode')">
              <option v-for="r in menuRows" :key="r.node" :value="r.node">{{ r.node }} · {{ typeLabel(r.type) }}</option>
            </select>
          </div>
          <div v-show="keyRow" ref="keyChart" class="stats-chart" data-testid="stats-chart-keys"></div>
          <div v-if="!keyRow" class="placeholder stats-chart-empty" data-testid="stats-keys-empty">{{ t('flowStats.noMenu') }}</div>
        </div>
      </div>
      <div class="panel table-wrap">
        <table class="grid clickable" data-testid="stats-table">
          <thead><tr>
            <th>{{ t('flowStats.node') }}</th><th>{{ t('flowStats.type') }}</th><th class="num">{{ t('flowStats.visits') }}</th>
            <th>{{ t('flowStats.keysPressed') }}</th><th class="num">{{ t('flowStats.timeouts') }}</th><th class="num">{{ t('flowStats.hangups') }}</th>
          </tr></thead>
          <tbody>
            <tr v-for="r in rows" :key="r.node" :data-testid="'stats-row-' + r.node" :class="{ selected: r.node === keyNode }" @click="pickKeyNode(r)">
              <td><span class="mono name">{{ r.node }}</span><span v-if="graph && !graph.nodes[r.node]" class="badge badge-off" style="margin-left:6px">{{ t('flowStats.removed') }}</span></td>
              <td><span class="ntype" :class="'ft-' + r.type"><span class="dot"></span>{{ typeLabel(r.type) }}</span></td>
              <td class="num mono" :data-testid="'stats-visits-' + r.node">{{ r.visits || 0 }}</td>
              <td :data-testid="'stats-keys-' + r.node">
                <span v-for="k in sortedKeys(r.keys)" :key="k.key" class="key-chip" :data-testid="'stats-key-' + r.node + '-' + k.key"><b class="mono">{{ k.key }}</b> × {{ k.n }}</span>
                <span v-if="!Object.keys(r.keys || {}).length" class="muted">—</span>
              </td>
              <td class="num mono" :data-testid="'stats-timeouts-' + r.node">{{ r.timeouts || 0 }}</td>
              <td class="num mono" :data-testid="'stats-hangups-' + r.node">{{ r.hangups || 0 }}</td>
            </tr>
            <empty-row v-if="!rows.length && (loading || stats)" :cols="6" :loading="loading" testid="stats-empty" :hint="t('flowStats.empty')"></empty-row>
          </tbody>
          <tfoot v-if="rows.length"><tr>
            <td colspan="2">{{ t('flowStats.total') }}</td><td class="num mono">{{ totals.visits }}</td><td class="mono">{{ totals.keys }}</td>
            <td class="num mono">{{ totals.timeouts }}</td><td class="num mono">{{ totals.hangups }}</td>
          </tr></tfoot>
        </table>
      </div>
      <div class="field-hint page-note">{{ t('flowStats.hint') }}</div>
    </div>`,
};
