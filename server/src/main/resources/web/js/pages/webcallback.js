// Web callback (OUT-4): the enterprise's settings (callback queue, trunk, caller ID, business hours, allowed number
// prefixes, retries, limits, customer-first or agent-first), the public form's address and the snippet to embed it, the report of
// the last 7 days, and the requests with their state (filter by state; a waiting one can be cancelled).

import { api, t, errorText, toast } from '../common.js';
import { fmtTime } from '../format.js';
import { parseWindows } from './campaigns.js';

export const WebCallbackPage = {
  data() {
    return {
      loading: true, loadError: null, site: null, requests: [], trunks: [], queues: [], formError: null, report: null, stateFilter: '',
      listError: null,
      states: ['pending', 'queued', 'placing', 'done', 'failed', 'cancelled'],
      form: { enabled: true, mode: 'customer_first', queueId: '', trunkId: '', callerId: '', timeZone: 'Asia/Shanghai', windows: '09:00-18:00', prefixes: '1',
        maxAttempts: 3, retryMinutes: 10, perAddressPerHour: 5, perNumberPerDay: 3 },
    };
  },
  computed: {
    formUrl() { return this.site && this.site.formPath ? location.origin + this.site.formPath : ''; },
    snippet() { return this.formUrl ? '<iframe src="' + this.formUrl + '" width="380" height="320" style="border:0"></iframe>' : ''; },
  },
  async mounted() { await this.load(); },
  methods: {
    t,
    fmtTime,
    async load() {
      this.loading = true;
      try {
        [this.site, this.trunks, this.queues] = await Promise.all([api.get('/webcallback/settings'), api.get('/trunks'), api.get('/queues')]);
        await this.loadRequests();
        const s = this.site.settings;
        if (s) {
          Object.assign(this.form, { enabled: s.enabled, mode: s.mode || 'customer_first', queueId: s.queueId, trunkId: s.trunkId, callerId: s.callerId, timeZone: s.timeZone || '',
            windows: (s.windows || []).map((w) => w.from + '-' + w.to).join(', '), prefixes: (s.allowedPrefixes || []).join(', '),
            maxAttempts: s.maxAttempts, retryMinutes: s.retryMinutes, perAddressPerHour: s.perAddressPerHour, perNumberPerDay: s.perNumberPerDay });
        }
      } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    async loadRequests() {
      const q = this.stateFilter ? '?state=' + this.stateFilter : '';
      [this.requests, this.report] = await Promise.all([api.get('/webcallback/requests' + q), api.get('/webcallback/report')]);
    },
    async cancel(r) {
      this.listError = null;
      try {
        await api.post('/webcallback/requests/' + r.id + '/cancel', {});
        toast(t('webcallback.cancelled'));
        await this.loadRequests();
      } catch (e) { this.listError = errorText(e); }
    },
    cancellable(r) { return r.state === 'pending' || r.state === 'queued'; },
    async save() {
      this.formError = null;
      const f = this.form;
      const windows = parseWindows(f.windows);
      try {
        this.site = await api.put('/webcallback/settings', { enabled: f.enabled, mode: f.mode, queueId: Number(f.queueId) || null,
          trunkId: Number(f.trunkId) || null, callerId: f.callerId, timeZone: f.timeZone.trim() || null,
          windows: windows === null ? [{ from: f.windows, to: '' }] : windows,
          allowedPrefixes: f.prefixes.split(',').map((x) => x.trim()).filter(Boolean), maxAttempts: Number(f.maxAttempts) || null,
          retryMinutes: Number(f.retryMinutes) || null, perAddressPerHour: Number(f.perAddressPerHour) || null,
          perNumberPerDay: Number(f.perNumberPerDay) || null });
        toast(t('webcallback.saved'));
        await this.loadRequests();
      } catch (e) { this.formError = errorText(e); }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('webcallback.title') }}</h1>
      <span class="sub">{{ t('webcallback.subtitle') }}</span>
    </div>
    <div v-if="loadError" class="alert alert-error" role="alert">{{ loadError.message }}</div>
    <section class="panel">
      <div class="panel-head"><h2>{{ t('webcallback.settings') }}</h2></div>
      <form class="form-grid" @submit.prevent="save">
        <label class="field"><span class="field-label">{{ t('webcallback.enabled') }}</span><input type="checkbox" v-model="form.enabled" data-testid="wcb-enabled"></label>
        <label class="field"><span class="field-label">{{ t('webcallback.mode') }}</span>
          <select v-model="form.mode" data-testid="wcb-mode">
            <option value="customer_first">{{ t('webcallback.modes.customer_first') }}</option>
            <option value="agent_first">{{ t('webcallback.modes.agent_first') }}</option></select>
          <span class="field-hint">{{ t('webcallback.modeHint') }}</span></label>
        <label class="field"><span class="field-label">{{ t('webcallback.queue') }}</span>
          <select v-model="form.queueId" data-testid="wcb-queue"><option v-for="q in queues" :key="q.id" :value="q.id">{{ q.name }}</option></select></label>
        <label class="field"><span class="field-label">{{ t('webcallback.trunk') }}</span>
          <select v-model="form.trunkId" data-testid="wcb-trunk"><option v-for="x in trunks" :key="x.id" :value="x.id">{{ x.name }}</option></select></label>
        <label class="field"><span class="field-label">{{ t('webcallback.callerId') }}</span><input v-model="form.callerId" data-testid="wcb-callerid"></label>
        <label class="field"><span class="field-label">{{ t('webcallback.timeZone') }}</span><input v-model="form.timeZone"></label>
        <label class="field"><span class="field-label">{{ t('webcallback.hours') }}</span><input v-model="form.windows" data-testid="wcb-hours"></label>
        <label class="field"><span class="field-label">{{ t('webcallback.prefixes') }}</span><input v-model="form.prefixes" data-testid="wcb-prefixes">
          <span class="field-hint">{{ t('webcallback.prefixesHint') }}</span></label>
        <label class="field"><span class="field-label">{{ t('webcallback.maxAttempts') }}</span><input v-model="form.maxAttempts" type="number" min="1" max="5"></label>
        <label class="field"><span class="field-label">{{ t('webcallback.retryMinutes') }}</span><input v-model="form.retryMinutes" type="number" min="1"></label>
        <label class="field"><span class="field-label">{{ t('webcallback.perAddress') }}</span><input v-model="form.perAddressPerHour" type="number" min="1"></label>
        <label class="field"><span class="field-label">{{ t('webcallback.perNumber') }}</span><input v-model="form.perNumberPerDay" type="number" min="1"></label>
        <div v-if="formError" class="alert alert-error" role="alert" data-testid="wcb-error">{{ formError }}</div>
        <button type="submit" class="btn btn-primary" data-testid="wcb-save">{{ t('common.save') }}</button>
      </form>
      <p v-if="formUrl">{{ t('webcallback.form') }} <a :href="formUrl" target="_blank" data-testid="wcb-form-url">{{ formUrl }}</a></p>
      <p v-if="snippet">{{ t('webcallback.embed') }}</p>
      <pre v-if="snippet" class="mono" data-testid="wcb-snippet">{{ snippet }}</pre>
    </section>
    <section class="panel" v-if="report">
      <div class="panel-head"><h2>{{ t('webcallback.report') }}</h2></div>
      <div class="kpis" data-testid="wcb-report">
        <div class="panel kpi"><div class="label">{{ t('webcallback.reportRequests') }}</div><div class="value" data-testid="wcb-report-requests">{{ report.requests }}</div>
          <div class="muted">{{ states.map((s) => t('webcallback.states.' + s) + ' ' + (report.byState[s] || 0)).join(' · ') }}</div></div>
        <div class="panel kpi"><div class="label">{{ t('webcallback.reportConnected') }}</div>
          <div class="value" data-testid="wcb-report-connected">{{ report.connectedPercent == null ? '—' : report.connectedPercent + '%' }}</div></div>
        <div class="panel kpi"><div class="label">{{ t('webcallback.reportAttempts') }}</div>
          <div class="value">{{ report.attemptsPerRequest == null ? '—' : report.attemptsPerRequest }}</div></div>
        <div class="panel kpi"><div class="label">{{ t('webcallback.reportToConnect') }}</div>
          <div class="value">{{ report.avgSecondsToConnect == null ? '—' : report.avgSecondsToConnect + ' s' }}</div></div>
      </div>
    </section>
    <section class="panel">
      <div class="panel-head"><h2>{{ t('webcallback.requests') }}</h2>
        <select v-model="stateFilter" @change="loadRequests" data-testid="wcb-state-filter" :aria-label="t('webcallback.state')">
          <option value="">{{ t('webcallback.allStates') }}</option>
          <option v-for="s in states" :key="s" :value="s">{{ t('webcallback.states.' + s) }}</option></select></div>
      <div v-if="listError" class="alert alert-error" role="alert" data-testid="wcb-list-error">{{ listError }}</div>
      <table class="grid" data-testid="wcb-requests">
        <thead><tr><th>{{ t('webcallback.number') }}</th><th>{{ t('webcallback.name') }}</th><th>{{ t('webcallback.requestedAt') }}</th>
          <th>{{ t('webcallback.mode') }}</th><th>{{ t('webcallback.state') }}</th><th>{{ t('webcallback.attempts') }}</th>
          <th>{{ t('webcallback.result') }}</th><th></th></tr></thead>
        <tbody><tr v-for="r in requests" :key="r.id" :data-testid="'wcb-row-' + r.id"><td class="mono">{{ r.number }}</td><td>{{ r.name || '—' }}</td>
          <td>{{ fmtTime(r.requestedAt) }}</td><td>{{ t('webcallback.modes.' + r.mode) }}</td>
          <td :data-testid="'wcb-state-' + r.id">{{ t('webcallback.states.' + r.state) }}</td><td>{{ r.attempts }}</td>
          <td>{{ r.lastResult || '—' }}<span v-if="r.cancelledBy"> ({{ r.cancelledBy }})</span></td>
          <td><button v-if="cancellable(r)" class="btn btn-sm" @click="cancel(r)" :data-testid="'wcb-cancel-' + r.id">{{ t('webcallback.cancel') }}</button></td></tr>
          <tr v-if="!requests.length"><td colspan="8" class="muted">{{ t('webcallback.none') }}</td></tr></tbody>
      </table>
    </section>`,
};
