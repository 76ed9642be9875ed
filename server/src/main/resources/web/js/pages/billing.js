// Billing (RPT-5): totals of the rated calls by enterprise, department, agent or trunk for a date range, the detailed
// bill (every answered call out through a trunk with its rate and amount, unrated calls marked), exports to xlsx and
// CSV (the same tables, written by the server), rating a range again; and the rate tables, one per trunk and direction
// (outbound: numbers dialled out; inbound: calls arriving, e.g. toll-free numbers) with their periods (peak, off-peak ...:
// days of the week and hours) and rates (prefix, period or any time, price per minute, first increment and increment in
// seconds, connection fee), edited by an admin.

import { api, t, i18n, errorText, fieldErrorText, confirmDialog, toast, toastError } from '../common.js';
import { ymd, fmtTime } from '../format.js';

const TABS = ['totals', 'calls', 'rates'];
/** Rows of the detailed bill a page shows (the API's most), and an export holds (its most: a longer bill is exported in parts). */
const PAGE = 1000;
const EXPORT_ROWS = 50000;
const BY = ['enterprise', 'department', 'agent', 'trunk', 'direction'];
const DIRECTIONS = ['outbound', 'inbound'];
const DAYS = [1, 2, 3, 4, 5, 6, 7];

/** "YYYY-MM-DD" (local) → the instant of that local midnight, plus days; null when not a date. */
function dayStart(s, plusDays) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (plusDays || 0)).toISOString();
}

/** Money as sent (up to 4 decimals), shown with at least 2. */
export function money(v) {
  if (v === null || v === undefined || v === '') return '—';
  const s = String(v);
  const [whole, frac = ''] = s.split('.');
  const trimmed = frac.replace(/0+$/, '');
  return whole + '.' + (trimmed.length >= 2 ? trimmed : (trimmed + '00').slice(0, 2));
}

/** The API's field messages of rate tables, in the page's language. */
const MESSAGES = {
  '1–20 digits': 'billing.err.prefix',
  'must not be negative': 'billing.err.negative',
  'at most 4 decimals': 'billing.err.decimals',
  '1..3600 seconds': 'billing.err.increment',
  'appears twice': 'billing.err.twice',
  'no such trunk': 'billing.err.noTrunk',
  'has a rate table already': 'billing.err.hasTable',
  'a three-letter ISO 4217 code such as CNY': 'billing.err.currency',
  'outbound or inbound': 'billing.err.direction',
  'not a period of this table': 'billing.err.period',
  'one or more of 1 (Monday) .. 7 (Sunday), each once': 'billing.err.days',
  'a time HH:mm such as 08:00': 'billing.err.time',
  'a time HH:mm such as 20:00': 'billing.err.time',
};

function blankPeriod() {
  return { name: '', days: [1, 2, 3, 4, 5], from: '08:00', to: '20:00' };
}

function blankRate() {
  return { prefix: '', description: '', pricePerMinute: '', firstIncrement: 60, increment: 60, connectionFee: '0', period: '' };
}

export const BillingPage = {
  setup() { return { TABS, BY, DIRECTIONS, DAYS, i18n, EXPORT_ROWS }; },
  data() {
    const today = new Date();
    return { tab: 'totals', from: ymd(new Date(today.getFullYear(), today.getMonth(), 1)), to: ymd(today), by: 'enterprise',
      report: null, offset: 0, after: null, cursors: [], loading: false, error: null, rangeError: null, tables: [], trunks: [], form: null, formError: null, saving: false };
  },
  created() { this.load(); this.loadTables(); },
  watch: {
    tab(v) { this.firstPage(); if (v !== 'rates') this.load(); else this.loadTables(); },
  },
  computed: {
    columns() { return (this.report && this.report.columns) || []; },
    rows() { return (this.report && this.report.rows) || []; },
    params() { return { from: dayStart(this.from, 0), to: dayStart(this.to, 1) }; },
    path() { return this.tab === 'calls' ? '/billing/calls' : '/billing/totals'; },
    /** The bill's page is asked for by the cursor of the page before it (keyset paging: a deep page costs as the first). */
    query() {
      if (this.tab !== 'calls') return { ...this.params, by: this.by };
      return this.after ? { ...this.params, limit: PAGE, after: this.after } : { ...this.params, limit: PAGE };
    },
    /**
     * The detailed bill's page: every call of the range, PAGE at a time (the total row's calls counts them all); offset is
     * where the page starts (pages turned times PAGE), next the API's cursor of the page after it (none on the last).
     */
    page() {
      if (this.tab !== 'calls' || !this.report || !this.report.total) return null;
      return { total: Number(this.report.total.calls) || 0, offset: this.offset, next: (this.report.page && this.report.page.next) || null };
    },
    /** The part of the bill an export holds: the EXPORT_ROWS rows from the one that holds the page shown. */
    exportOffset() { return Math.floor(this.offset / EXPORT_ROWS) * EXPORT_ROWS; },
    /** The fields the form shows its errors beside. */
    knownFields() {
      const f = ['trunkId', 'currency', 'direction', 'periods'];
      (this.form ? this.form.periods : []).forEach((p, i) => ['name', 'days', 'from', 'to'].forEach((k) => f.push('periods[' + i + '].' + k)));
      (this.form ? this.form.rates : []).forEach((r, i) => ['prefix', 'pricePerMinute', 'firstIncrement', 'increment', 'connectionFee', 'period']
        .forEach((k) => f.push('rates[' + i + '].' + k)));
      return f;
    },
    /** Trunks without a table for the form's direction (the form's own table aside). */
    freeTrunks() {
      const dir = this.form ? this.form.direction : 'outbound';
      const used = new Set(this.tables.filter((x) => (!this.form || x.id !== this.form.id) && x.direction === dir).map((x) => x.trunkId));
      return this.trunks.filter((k) => !used.has(k.id));
    },
    /** Whether some trunk still lacks a table for some direction. */
    anyFree() { return this.trunks.length * DIRECTIONS.length > this.tables.length; },
    /** The names of the form's periods, for the rates' period choice. */
    periodNames() { return (this.form ? this.form.periods : []).map((p) => p.name.trim()).filter((n) => n); },
  },
  methods: {
    errorText,
    money,
    fmtTime,
    label(c) { return i18n.lang === 'zh' ? c.zh : c.en; },
    cell(c, row) {
      const v = row[c.key];
      if (c.key === 'name' && v === 'total') return t('billing.total');
      if (c.key === 'callId' && v === 'total') return t('billing.total');
      if (c.key === 'name' && row.id === null && this.report.report === 'billing-department' && v !== 'total') return t('billing.noDepartment');
      if (c.key === 'name' && row.id === null && this.report.report === 'billing-agent' && v !== 'total') return t('billing.noAgent');
      if (c.key === 'answeredAt' && v) return fmtTime(v);
      if (c.key === 'direction' && v) return t('billing.dir.' + v);
      if (c.key === 'name' && this.report.report === 'billing-direction' && v !== 'total' && v) return t('billing.dir.' + v);
      if (c.kind === 'money') return money(v);
      if (v === null || v === undefined || v === '') return c.kind === 'text' ? '' : '—';
      return String(v);
    },
    exportUrl(format) {
      const query = this.tab === 'calls' ? { ...this.params, offset: this.exportOffset } : this.query;
      const q = new URLSearchParams({ ...query, format, lang: i18n.lang === 'zh' ? 'zh' : 'en' });
      return '/api/v1' + this.path + '?' + q.toString();
    },
    apply() { this.firstPage(); this.load(); },
    /** Back to the bill's first page (a new range or tab): no cursor, none kept. */
    firstPage() { this.offset = 0; this.after = null; this.cursors = []; },
    /** Next: the page after the cursor the API gave (the one shown is remembered); previous: the cursor remembered last. */
    turn(delta) {
      if (delta > 0) {
        if (!this.page || !this.page.next) return;
        this.cursors.push(this.after);
        this.after = this.page.next;
        this.offset += PAGE;
      } else {
        if (!this.cursors.length) return;
        this.after = this.cursors.pop();
        this.offset = Math.max(0, this.offset - PAGE);
      }
      this.load();
    },
    async load() {
      if (this.tab === 'rates') return;
      this.rangeError = null;
      const p = this.params;
      if (!p.from || !p.to) { this.rangeError = t('billing.badRange'); return; }
      if (new Date(p.from) >= new Date(p.to)) { this.rangeError = t('billing.fromAfterTo'); return; }
      this.loading = true;
      const tab = this.tab;
      try {
        const r = await api.get(this.path, this.query);
        if (tab !== this.tab) return;
        this.report = r;
        this.error = null;
      } catch (e) { this.error = e; this.report = null; } finally { this.loading = false; }
    },
    async rerate() {
      if (!(await confirmDialog(t('billing.rerateConfirm'), { danger: false, okKey: 'billing.rerate' }))) return;
      try {
        const r = await api.post('/billing/rerate', this.params);
        toast(t('billing.rerated', { n: r.rerated }));
        this.load();
      } catch (e) { toastError(e); }
    },
    async loadTables() {
      if (!this.can('routing.read')) return;
      try {
        this.tables = (await api.get('/billing/rate-tables')) || [];
        this.trunks = ((await api.get('/trunks')) || []).map((k) => ({ id: k.id, name: k.name }));
      } catch (e) { toastError(e); }
    },
    edit(table) {
      this.formError = null;
      this.form = table
        ? { id: table.id, trunkId: table.trunkId, direction: table.direction || 'outbound', currency: table.currency,
          periods: (table.periods || []).map((p) => ({ name: p.name, days: [...p.days], from: p.from, to: p.to })),
          rates: table.rates.map((r) => ({ prefix: r.prefix, description: r.description || '', pricePerMinute: String(r.pricePerMinute),
            firstIncrement: r.firstIncrement, increment: r.increment, connectionFee: String(r.connectionFee), period: r.period || '' })) }
        : { id: null, trunkId: null, direction: 'outbound', currency: 'CNY', periods: [], rates: [blankRate()] };
      if (!table) this.form.trunkId = this.freeTrunks.length ? this.freeTrunks[0].id : (this.trunks[0] || {}).id || null;
    },
    fieldError(field) {
      const fe = this.formError && (this.formError.fieldErrors || []).find((x) => x.field === field);
      if (!fe) return null;
      if (fe.message.startsWith('appears twice in period ')) return t('billing.err.twicePeriod');
      return MESSAGES[fe.message] ? t(MESSAGES[fe.message]) : fieldErrorText(fe.message);
    },
    body() {
      const num = (v) => (v === '' || v === null || v === undefined ? null : v);
      return { trunkId: this.form.trunkId, direction: this.form.direction, currency: this.form.currency,
        periods: this.form.periods.map((p) => ({ name: p.name.trim(), days: [...p.days].sort(), from: p.from, to: p.to })),
        rates: this.form.rates.map((r) => ({ prefix: String(r.prefix).trim(), description: r.description.trim() || null,
          pricePerMinute: num(String(r.pricePerMinute).trim()), firstIncrement: num(r.firstIncrement), increment: num(r.increment),
          connectionFee: num(String(r.connectionFee).trim()), period: r.period || null })) };
    },
    toggleDay(p, d) {
      const i = p.days.indexOf(d);
      if (i >= 0) p.days.splice(i, 1); else p.days.push(d);
    },
    async save() {
      this.saving = true;
      try {
        if (this.form.id) await api.put('/billing/rate-tables/' + this.form.id, this.body());
        else await api.post('/billing/rate-tables', this.body());
        this.form = null;
        this.formError = null;
        toast(t('common.saved'));
        this.loadTables();
      } catch (e) { this.formError = e; } finally { this.saving = false; }
    },
    async remove(table) {
      if (!(await confirmDialog(t('billing.confirmDelete', { trunk: table.trunk })))) return;
      try {
        await api.del('/billing/rate-tables/' + table.id);
        toast(t('common.deleted'));
        this.loadTables();
      } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('billing.title') }}</h1>
      <span class="sub">{{ t('billing.subtitle') }}</span>
    </div>
    <div class="seg report-noprint" role="tablist" style="align-self:flex-start">
      <button v-for="x in TABS.filter((x) => x !== 'rates' || can('routing.read'))" :key="x" type="button" role="tab" :aria-selected="tab === x"
              :class="{ active: tab === x }" :data-testid="'billing-tab-' + x" @click="tab = x">{{ t('billing.tab.' + x) }}</button>
    </div>
    <template v-if="tab !== 'rates'">
      <form class="toolbar report-noprint" @submit.prevent="apply">
        <form-field :label="t('billing.from')" :error="rangeError" testid="billing-range-error"><input type="date" v-model="from" data-testid="billing-from"></form-field>
        <form-field :label="t('billing.to')"><input type="date" v-model="to" data-testid="billing-to"></form-field>
        <form-field v-if="tab === 'totals'" :label="t('billing.by')">
          <select v-model="by" data-testid="billing-by" @change="apply">
            <option v-for="b in BY" :key="b" :value="b">{{ t('billing.by.' + b) }}</option>
          </select>
        </form-field>
        <button type="submit" class="btn btn-primary" data-testid="billing-apply" :disabled="loading">{{ t('billing.apply') }}</button>
        <div class="grow"></div>
        <button v-if="can('routing.write')" type="button" class="btn" data-testid="billing-rerate" @click="rerate">{{ t('billing.rerate') }}</button>
        <a class="btn" :href="exportUrl('xlsx')" download data-testid="billing-export-xlsx">{{ t('billing.exportXlsx') }}</a>
        <a class="btn" :href="exportUrl('csv')" download data-testid="billing-export-csv">{{ t('billing.exportCsv') }}</a>
      </form>
      <div v-if="error" class="alert alert-error" data-testid="billing-error">{{ errorText(error) }}</div>
      <div class="panel table-wrap">
        <table class="grid report-table" data-testid="billing-table">
          <thead><tr><th v-for="c in columns" :key="c.key" :data-col="c.key">{{ label(c) }}</th><th v-if="tab === 'calls'" data-col="rated"></th></tr></thead>
          <tbody>
            <tr v-for="(r, i) in rows" :key="i" data-testid="billing-row">
              <td v-for="c in columns" :key="c.key" :data-col="c.key" :class="{ mono: c.kind !== 'text' }">{{ cell(c, r) }}</td>
              <td v-if="tab === 'calls'" data-col="rated"><span v-if="!r.rated" class="badge badge-warn" data-testid="billing-unrated">{{ t('billing.unrated') }}</span></td>
            </tr>
            <tr v-if="!rows.length && !loading"><td :colspan="columns.length || 1" class="muted" data-testid="billing-empty">{{ t('common.noData') }}</td></tr>
          </tbody>
          <tfoot v-if="report && report.total">
            <tr data-testid="billing-total"><th v-for="c in columns" :key="c.key" :data-col="c.key">{{ cell(c, report.total) }}</th><th v-if="tab === 'calls'"></th></tr>
          </tfoot>
        </table>
      </div>
      <div v-if="page" class="toolbar report-noprint" data-testid="billing-pager">
        <span class="muted" data-testid="billing-page-info" :data-total="page.total">{{ t('reports.pageInfo', { from: page.total ? page.offset + 1 : 0, to: page.offset + rows.length, total: page.total }) }}</span>
        <button type="button" class="btn" data-testid="billing-prev" :disabled="loading || !cursors.length" @click="turn(-1)">{{ t('reports.prev') }}</button>
        <button type="button" class="btn" data-testid="billing-next" :disabled="loading || !page.next" @click="turn(1)">{{ t('reports.next') }}</button>
        <span v-if="page.total > EXPORT_ROWS" class="muted" data-testid="billing-export-part">{{ t('billing.exportPart', { from: exportOffset + 1, to: Math.min(exportOffset + EXPORT_ROWS, page.total), total: page.total }) }}</span>
      </div>
      <p class="muted">{{ t('billing.note') }}</p>
    </template>
    <template v-else>
      <div class="toolbar">
        <span class="muted">{{ t('billing.ratesNote') }}</span>
        <div class="grow"></div>
        <button v-if="can('routing.write')" type="button" class="btn btn-primary" data-testid="rate-new" :disabled="!anyFree" @click="edit(null)">{{ t('billing.newTable') }}</button>
      </div>
      <div v-if="!tables.length" class="panel muted" data-testid="rate-empty">{{ t('billing.noTables') }}</div>
      <div v-for="x in tables" :key="x.id" class="panel table-wrap" data-testid="rate-table" :data-trunk="x.trunk" :data-direction="x.direction">
        <div class="toolbar">
          <b>{{ t('billing.trunk') }}: {{ x.trunk }}</b><span class="badge" data-testid="rate-table-direction">{{ t('billing.dir.' + x.direction) }}</span>
          <span class="badge">{{ x.currency }}</span>
          <div class="grow"></div>
          <button v-if="can('routing.write')" type="button" class="btn" data-testid="rate-edit" @click="edit(x)">{{ t('common.edit') }}</button>
          <button v-if="can('routing.write')" type="button" class="btn btn-danger" data-testid="rate-delete" @click="remove(x)">{{ t('common.delete') }}</button>
        </div>
        <div v-if="x.periods && x.periods.length" class="muted" data-testid="rate-periods">{{ t('billing.periods') }}:
          <span v-for="p in x.periods" :key="p.name" class="badge" data-testid="rate-period" :data-period="p.name">{{ p.name }} {{ dayList(p.days) }} {{ p.from }}–{{ p.to }}</span>
        </div>
        <table class="grid">
          <thead><tr><th>{{ t('billing.prefix') }}</th><th>{{ t('billing.period') }}</th><th>{{ t('billing.description') }}</th><th>{{ t('billing.price') }}</th>
            <th>{{ t('billing.increments') }}</th><th>{{ t('billing.fee') }}</th></tr></thead>
          <tbody>
            <tr v-for="r in x.rates" :key="r.prefix + '/' + (r.period || '')" data-testid="rate-row" :data-prefix="r.prefix" :data-period="r.period || ''">
              <td class="mono">{{ r.prefix }}</td><td data-col="period">{{ r.period || t('billing.anyTime') }}</td><td>{{ r.description }}</td>
              <td class="mono" data-col="price">{{ money(r.pricePerMinute) }}</td>
              <td class="mono">{{ r.firstIncrement }}/{{ r.increment }}</td><td class="mono">{{ money(r.connectionFee) }}</td>
            </tr>
            <tr v-if="!x.rates.length"><td colspan="6" class="muted">{{ t('billing.noRates') }}</td></tr>
          </tbody>
        </table>
      </div>
    </template>
    <modal v-if="form" :title="form.id ? t('billing.editTable') : t('billing.newTable')" size="wide" testid="rate-form" @close="form = null">
      <form class="form-grid" @submit.prevent="save">
        <form-field :label="t('billing.trunk')" :error="fieldError('trunkId')" testid="rate-trunk-error" required>
          <select v-model="form.trunkId" data-testid="rate-trunk">
            <option v-for="k in freeTrunks" :key="k.id" :value="k.id">{{ k.name }}</option>
          </select>
        </form-field>
        <form-field :label="t('billing.direction')" :error="fieldError('direction')" testid="rate-direction-error" required>
          <select v-model="form.direction" data-testid="rate-direction">
            <option v-for="d in DIRECTIONS" :key="d" :value="d">{{ t('billing.dir.' + d) }}</option>
          </select>
        </form-field>
        <form-field :label="t('billing.currency')" :error="fieldError('currency')" testid="rate-currency-error" required>
          <input v-model="form.currency" maxlength="3" data-testid="rate-currency">
        </form-field>
      </form>
      <p class="muted">{{ t(form.direction === 'inbound' ? 'billing.inboundNote' : 'billing.periodsNote') }}</p>
      <div class="table-wrap">
      <table class="grid" data-testid="rate-form-periods">
        <thead><tr><th>{{ t('billing.period') }}</th><th>{{ t('billing.days') }}</th><th>{{ t('billing.periodFrom') }}</th><th>{{ t('billing.periodTo') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="(p, i) in form.periods" :key="i" data-testid="rate-form-period">
            <td><input v-model="p.name" size="10" maxlength="32" :data-testid="'period-name-' + i">
              <div v-if="fieldError('periods[' + i + '].name')" class="field-error" :data-testid="'period-name-error-' + i">{{ fieldError('periods[' + i + '].name') }}</div></td>
            <td><label v-for="d in DAYS" :key="d" class="check-inline"><input type="checkbox" :checked="p.days.includes(d)" @change="toggleDay(p, d)"
                :data-testid="'period-day-' + i + '-' + d">{{ t('billing.day.' + d) }}</label>
              <div v-if="fieldError('periods[' + i + '].days')" class="field-error" :data-testid="'period-days-error-' + i">{{ fieldError('periods[' + i + '].days') }}</div></td>
            <td><input v-model="p.from" type="time" :data-testid="'period-from-' + i">
              <div v-if="fieldError('periods[' + i + '].from')" class="field-error">{{ fieldError('periods[' + i + '].from') }}</div></td>
            <td><input v-model="p.to" type="time" :data-testid="'period-to-' + i">
              <div v-if="fieldError('periods[' + i + '].to')" class="field-error">{{ fieldError('periods[' + i + '].to') }}</div></td>
            <td><button type="button" class="icon-btn" :aria-label="t('common.delete')" @click="form.periods.splice(i, 1)">×</button></td>
          </tr>
        </tbody>
      </table>
      </div>
      <button type="button" class="btn" data-testid="period-add" @click="form.periods.push(blankPeriod())">{{ t('billing.addPeriod') }}</button>
      <div class="table-wrap">
      <table class="grid">
        <thead><tr><th>{{ t('billing.prefix') }}</th><th>{{ t('billing.period') }}</th><th>{{ t('billing.description') }}</th><th>{{ t('billing.price') }}</th>
          <th>{{ t('billing.firstIncrement') }}</th><th>{{ t('billing.increment') }}</th><th>{{ t('billing.fee') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="(r, i) in form.rates" :key="i" data-testid="rate-form-row">
            <td><input v-model="r.prefix" inputmode="numeric" size="8" :data-testid="'rate-prefix-' + i">
              <div v-if="fieldError('rates[' + i + '].prefix')" class="field-error" :data-testid="'rate-prefix-error-' + i">{{ fieldError('rates[' + i + '].prefix') }}</div></td>
            <td><select v-model="r.period" :data-testid="'rate-period-' + i">
                <option value="">{{ t('billing.anyTime') }}</option>
                <option v-for="n in periodNames" :key="n" :value="n">{{ n }}</option>
              </select>
              <div v-if="fieldError('rates[' + i + '].period')" class="field-error" :data-testid="'rate-period-error-' + i">{{ fieldError('rates[' + i + '].period') }}</div></td>
            <td><input v-model="r.description" size="12" :data-testid="'rate-description-' + i"></td>
            <td><input v-model="r.pricePerMinute" inputmode="decimal" size="7" :data-testid="'rate-price-' + i">
              <div v-if="fieldError('rates[' + i + '].pricePerMinute')" class="field-error" :data-testid="'rate-price-error-' + i">{{ fieldError('rates[' + i + '].pricePerMinute') }}</div></td>
            <td><input v-model.number="r.firstIncrement" type="number" min="1" style="width:5em" :data-testid="'rate-first-' + i">
              <div v-if="fieldError('rates[' + i + '].firstIncrement')" class="field-error">{{ fieldError('rates[' + i + '].firstIncrement') }}</div></td>
            <td><input v-model.number="r.increment" type="number" min="1" style="width:5em" :data-testid="'rate-increment-' + i">
              <div v-if="fieldError('rates[' + i + '].increment')" class="field-error">{{ fieldError('rates[' + i + '].increment') }}</div></td>
            <td><input v-model="r.connectionFee" inputmode="decimal" size="6" :data-testid="'rate-fee-' + i">
              <div v-if="fieldError('rates[' + i + '].connectionFee')" class="field-error">{{ fieldError('rates[' + i + '].connectionFee') }}</div></td>
            <td><button type="button" class="icon-btn" :aria-label="t('common.delete')" @click="form.rates.splice(i, 1)">×</button></td>
          </tr>
        </tbody>
      </table>
      </div>
      <button type="button" class="btn" data-testid="rate-add" @click="form.rates.push(blankRate())">{{ t('billing.addRate') }}</button>
      <form-alert :error="formError" :known="knownFields" testid="rate-form-error"></form-alert>
      <template #footer>
        <button type="button" class="btn" @click="form = null">{{ t('common.cancel') }}</button>
        <button type="button" class="btn btn-primary" data-testid="rate-save" :disabled="saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>
  `,
};
BillingPage.methods.blankRate = blankRate;
BillingPage.methods.blankPeriod = blankPeriod;
BillingPage.methods.dayList = (days) => days.map((d) => t('billing.day.' + d)).join(' ');
