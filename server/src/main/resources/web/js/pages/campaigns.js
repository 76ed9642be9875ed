// Outbound campaigns (OUT-1..3): the enterprise's campaigns (mode, trunk, caller IDs, calling windows, queue), a list
// imported from CSV or xlsx (bad rows, duplicates and do-not-call numbers left out and counted), start / pause /
// stop, progress per state, the attempts and outcomes from the event log; and the do-not-call list.

import { api, t, errorText, confirmDialog, toast, i18n } from '../common.js';
import { fmtTime } from '../format.js';

const MODES = ['preview', 'progressive', 'predictive', 'notification', 'sms'];
/** MSG-3: the outcomes a calling campaign may send its SMS after (settings.sms.on). */
const SMS_OUTCOMES = ['answered', 'busy', 'no_answer', 'machine', 'failed', 'abandoned', 'exhausted'];

/** "09:00-12:00, 18:30-20:30" → [{from, to}, ...]; null when a part is not HH:mm-HH:mm. */
export function parseWindows(s) {
  const parts = (s || '').split(',').map((x) => x.trim()).filter(Boolean);
  const out = [];
  for (const p of parts) {
    const m = /^(\d\d:\d\d)\s*[-–]\s*(\d\d:\d\d)$/.exec(p);
    if (!m) return null;
    out.push({ from: m[1], to: m[2] });
  }
  return out;
}

function blank() {
  return { name: '', mode: 'progressive', trunkId: '', callerIds: '', timeZone: 'Asia/Shanghai', windows: '09:00-12:00, 18:30-20:30',
    queueId: '', maxAttempts: 3, text: '', smsText: '', smsTemplateId: '', smsOn: [] };
}

/** MSG-3: the edit form of a campaign's SMS, filled from its settings.sms (null: none). */
function smsEditOf(sms) {
  return { templateId: sms && sms.templateId ? sms.templateId : '', text: (sms && sms.text) || '', on: (sms && sms.on) ? [...sms.on] : [],
    perMinute: sms && sms.perMinute ? String(sms.perMinute) : '' };
}

export const CampaignsPage = {
  data() {
    return { items: [], trunks: [], queues: [], dnc: [], loading: true, loadError: null, form: blank(), formError: null, fieldErrors: {},
      selected: null, view: null, contacts: [], events: [], file: null, importResult: null, importError: null, dncNumber: '', dncError: null,
      modes: MODES, smsOutcomes: SMS_OUTCOMES, smsTemplates: [], smsEdit: smsEditOf(null), smsEditErrors: {}, smsEditError: null };
  },
  created() { this.load(); },
  // The dialling of the campaign shown (dial level, reason, abandon windows) changes by itself: looked at again every 3 s.
  mounted() { this._poll = setInterval(() => this.refreshLive(), 3000); },
  beforeUnmount() { clearInterval(this._poll); },
  methods: {
    async load() {
      this.loading = true;
      try {
        [this.items, this.trunks, this.queues, this.dnc] = await Promise.all([api.get('/campaigns'), api.get('/trunks'), api.get('/queues'),
          api.get('/dnc')]);
        // MSG-3: the SMS templates a campaign's SMS may use (none offered to one who may not send SMS)
        this.smsTemplates = await api.get('/sms/templates').catch(() => []);
        this.loadError = null;
        if (this.selected) await this.open(this.selected);
      } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    /** OUT-2: every number's result (key, answer, the list's columns) as a file, headers in the console's language. */
    exportUrl(format) {
      return '/api/v1/campaigns/' + this.selected + '/results?format=' + format + '&lang=' + (i18n.lang === 'zh' ? 'zh' : 'en');
    },
    body() {
      const f = this.form;
      const windows = parseWindows(f.windows);
      const settings = { trunkId: f.trunkId ? Number(f.trunkId) : null, callerIds: f.callerIds.split(',').map((x) => x.trim()).filter(Boolean),
        timeZone: f.timeZone.trim() || null, windows: windows === null ? [{ from: f.windows, to: '' }] : windows,
        maxAttempts: Number(f.maxAttempts) || null };
      if (f.mode === 'notification') settings.notification = { text: f.text, repeat: 2, keys: { 1: 'confirm', 2: 'refuse', 0: 'agent' } };
      settings.queueId = f.queueId ? Number(f.queueId) : null;
      // MSG-3: a template or an own text; an SMS campaign sends it to every number, a calling one after the outcomes ticked
      const sms = f.smsTemplateId ? { templateId: Number(f.smsTemplateId) } : { text: f.smsText };
      if (f.mode === 'sms') { // no call, every number gets the SMS (the list's columns filled in)
        settings.trunkId = null; settings.callerIds = null; settings.queueId = null;
        settings.sms = sms;
      } else if (f.smsOn.length) {
        settings.sms = { ...sms, on: SMS_OUTCOMES.filter((o) => f.smsOn.includes(o)) };
      }
      return { name: f.name.trim(), mode: f.mode, settings };
    },
    async create() {
      this.formError = null;
      this.fieldErrors = {};
      try {
        const c = await api.post('/campaigns', this.body());
        toast(t('campaigns.created', { name: c.name }));
        this.form = blank();
        this.selected = c.id;
        await this.load();
      } catch (e) {
        for (const fe of e.fieldErrors || []) this.fieldErrors[fe.field] = fe.message;
        this.formError = errorText(e);
      }
    },
    async open(id) {
      this.selected = id;
      this.importResult = null;
      this.importError = null;
      [this.view, this.contacts, this.events] = await Promise.all([api.get('/campaigns/' + id), api.get('/campaigns/' + id + '/contacts'),
        api.get('/campaigns/' + id + '/events')]);
      this.smsEdit = smsEditOf(this.view.campaign.settings.sms);
      this.smsEditErrors = {};
      this.smsEditError = null;
    },
    /** MSG-3: saves the shown campaign's SMS (text or template, the outcomes that send it, an SMS campaign's rate). */
    async saveSms() {
      this.smsEditErrors = {};
      this.smsEditError = null;
      const e = this.smsEdit;
      const sms = e.templateId ? { templateId: Number(e.templateId) } : { text: e.text };
      if (this.view.campaign.mode === 'sms') {
        if (String(e.perMinute).trim() !== '') sms.perMinute = Number(e.perMinute);
      } else {
        sms.on = SMS_OUTCOMES.filter((o) => e.on.includes(o));
      }
      try {
        const c = await api.put('/campaigns/' + this.selected + '/sms', sms);
        this.view = { ...this.view, campaign: c };
        this.smsEdit = smsEditOf(c.settings.sms);
        toast(t('campaigns.smsSaved', { name: c.name }));
      } catch (err) {
        for (const fe of err.fieldErrors || []) this.smsEditErrors[fe.field] = fe.message;
        this.smsEditError = errorText(err);
      }
    },
    async refreshLive() {
      if (!this.selected || !this.view) return;
      try { this.view = await api.get('/campaigns/' + this.selected); } catch (e) { /* shown at the next load */ }
    },
    pct(x) { return (x * 100).toFixed(2) + ' %'; },
    pick(ev) { this.file = (ev.target.files && ev.target.files[0]) || null; },
    async importList() {
      this.importError = null;
      if (!this.file) { this.importError = t('campaigns.chooseFile'); return; }
      try {
        this.importResult = await api.upload('/campaigns/' + this.selected + '/contacts', this.file);
        const r = this.importResult;
        [this.view, this.contacts] = await Promise.all([api.get('/campaigns/' + this.selected), api.get('/campaigns/' + this.selected + '/contacts')]);
        this.importResult = r;
      } catch (e) { this.importError = errorText(e); }
    },
    async setState(state) {
      try {
        await api.post('/campaigns/' + this.selected + '/state', { state });
        await this.load();
      } catch (e) { toast(errorText(e), 'error'); }
    },
    async remove(c) {
      if (!(await confirmDialog(t('campaigns.confirmDelete', { name: c.name })))) return;
      try {
        await api.del('/campaigns/' + c.id);
        if (this.selected === c.id) { this.selected = null; this.view = null; }
        await this.load();
      } catch (e) { toast(errorText(e), 'error'); }
    },
    async addDnc() {
      this.dncError = null;
      try {
        await api.post('/dnc', { number: this.dncNumber });
        this.dncNumber = '';
        this.dnc = await api.get('/dnc');
      } catch (e) { this.dncError = errorText(e); }
    },
    async removeDnc(d) {
      try { await api.del('/dnc/' + d.id); this.dnc = await api.get('/dnc'); } catch (e) { toast(errorText(e), 'error'); }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('campaigns.title') }}</h1>
      <span class="sub">{{ t('campaigns.subtitle') }}</span>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="campaigns-table">
        <thead><tr><th>{{ t('campaigns.name') }}</th><th>{{ t('campaigns.mode') }}</th><th>{{ t('campaigns.state') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="c in items" :key="c.id" :data-testid="'campaign-row-' + c.name" :class="{ selected: c.id === selected }">
            <td><button class="btn-link" @click="open(c.id)">{{ c.name }}</button></td>
            <td>{{ t('campaigns.modes.' + c.mode) }}</td>
            <td><span class="badge" :data-testid="'campaign-state-' + c.name">{{ t('campaigns.states.' + c.state) }}</span></td>
            <td class="actions"><button class="btn-link danger" @click="remove(c)">{{ t('common.delete') }}</button></td>
          </tr>
          <empty-row v-if="!items.length" :cols="4" :loading="loading" testid="campaigns-empty"></empty-row>
        </tbody>
      </table>
    </div>
    <section v-if="view" class="panel" data-testid="campaign-detail">
      <div class="panel-head"><h2>{{ view.campaign.name }}</h2>
        <span class="muted">{{ t('campaigns.modes.' + view.campaign.mode) }} · {{ t('campaigns.states.' + view.campaign.state) }}</span></div>
      <div class="panel-body">
        <div class="upload-row">
          <button class="btn btn-primary" data-testid="campaign-start" :disabled="view.campaign.state === 'running' || view.campaign.state === 'stopped'" @click="setState('running')">{{ t('campaigns.start') }}</button>
          <button class="btn" data-testid="campaign-pause" :disabled="view.campaign.state !== 'running'" @click="setState('paused')">{{ t('campaigns.pause') }}</button>
          <button class="btn" data-testid="campaign-stop" :disabled="view.campaign.state === 'stopped'" @click="setState('stopped')">{{ t('campaigns.stop') }}</button>
        </div>
        <p data-testid="campaign-progress">
          <span v-for="(n, s) in view.contacts" :key="s" class="badge">{{ t('campaigns.contactStates.' + s) }}: {{ n }}</span>
        </p>
        <dl v-if="view.live" class="kv" data-testid="campaign-live">
          <dt>{{ t('campaigns.live.level') }}</dt><dd data-testid="campaign-live-level">{{ view.live.dialLevel.toFixed(2) }}</dd>
          <dt>{{ t('campaigns.live.reason') }}</dt><dd data-testid="campaign-live-reason">{{ view.live.reason }} <span class="muted">({{ t('campaigns.live.since', { at: fmtTime(view.live.reasonSince) }) }})</span></dd>
          <dt>{{ t('campaigns.live.lastChange') }}</dt><dd data-testid="campaign-live-change">{{ view.live.lastChange || '—' }}</dd>
          <dt>{{ t('campaigns.live.abandon24h') }}</dt><dd data-testid="campaign-live-24h">{{ pct(view.live.abandonRate24h) }} ({{ t('campaigns.live.counts', { abandons: view.live.abandons24h, answers: view.live.answers24h }) }})</dd>
          <dt>{{ t('campaigns.live.abandon30d') }}</dt><dd data-testid="campaign-live-30d">{{ pct(view.live.abandonRate30d) }} ({{ t('campaigns.live.counts', { abandons: view.live.abandons30d, answers: view.live.answers30d }) }})</dd>
          <dt>{{ t('campaigns.live.calls') }}</dt><dd data-testid="campaign-live-calls">{{ t('campaigns.live.callsValue', { ringing: view.live.inFlight, free: view.live.agentsFree, signedIn: view.live.agentsSignedIn, dials: view.live.dials, rate: pct(view.live.answerRate) }) }}</dd>
        </dl>
        <form v-if="view.campaign.state !== 'stopped'" data-testid="campaign-sms-edit" @submit.prevent="saveSms" novalidate>
          <h3>{{ t('campaigns.smsEdit') }}</h3>
          <div v-if="view.campaign.mode !== 'sms'" class="field"><span class="field-label">{{ t('campaigns.smsAfter') }}</span>
            <span class="upload-row"><label v-for="o in smsOutcomes" :key="o" class="check"><input type="checkbox" :value="o" v-model="smsEdit.on"
              :data-testid="'campaign-sms-edit-on-' + o"> {{ t('campaigns.smsOn.' + o) }}</label></span>
            <span class="field-hint">{{ t('campaigns.smsEditHint') }}</span>
            <span v-if="smsEditErrors.on" class="field-error" role="alert" data-testid="campaign-sms-edit-on-error">{{ smsEditErrors.on }}</span></div>
          <label class="field"><span class="field-label">{{ t('campaigns.smsTemplate') }}</span>
            <select v-model="smsEdit.templateId" data-testid="campaign-sms-edit-template"><option value="">{{ t('campaigns.smsOwnText') }}</option>
              <option v-for="x in smsTemplates" :key="x.id" :value="x.id">{{ x.name }}</option></select>
            <span v-if="smsEditErrors.templateId" class="field-error" role="alert">{{ smsEditErrors.templateId }}</span></label>
          <label v-if="!smsEdit.templateId" class="field"><span class="field-label">{{ t('campaigns.smsText') }}</span>
            <textarea v-model="smsEdit.text" rows="3" maxlength="1000" data-testid="campaign-sms-edit-text"></textarea>
            <span class="field-hint">{{ t('campaigns.smsTextHint') }}</span>
            <span v-if="smsEditErrors.text" class="field-error" role="alert" data-testid="campaign-sms-edit-text-error">{{ smsEditErrors.text }}</span></label>
          <label v-if="view.campaign.mode === 'sms'" class="field"><span class="field-label">{{ t('campaigns.smsPerMinute') }}</span>
            <input v-model="smsEdit.perMinute" inputmode="numeric" data-testid="campaign-sms-edit-rate">
            <span class="field-hint">{{ t('campaigns.smsPerMinuteHint') }}</span>
            <span v-if="smsEditErrors.perMinute" class="field-error" role="alert" data-testid="campaign-sms-edit-rate-error">{{ smsEditErrors.perMinute }}</span></label>
          <div v-if="smsEditError" class="alert alert-error" role="alert" data-testid="campaign-sms-edit-error">{{ smsEditError }}</div>
          <button type="submit" class="btn" data-testid="campaign-sms-edit-save">{{ t('campaigns.smsSave') }}</button>
        </form>
        <form class="upload-row" @submit.prevent="importList" novalidate>
          <label class="field grow">
            <span class="field-label">{{ t('campaigns.list') }}</span>
            <input type="file" accept=".csv,.xlsx" data-testid="campaign-file" @change="pick">
            <span class="field-hint">{{ t('campaigns.listHint') }}</span>
          </label>
          <button type="submit" class="btn btn-primary" data-testid="campaign-import">{{ t('campaigns.import') }}</button>
        </form>
        <div v-if="importError" class="alert alert-error" role="alert">{{ importError }}</div>
        <div v-if="importResult" class="alert" data-testid="campaign-import-result">
          {{ t('campaigns.importResult', { imported: importResult.imported, duplicates: importResult.duplicates, dnc: importResult.doNotCall, errors: importResult.errors.length }) }}
          <ul><li v-for="e in importResult.errors" :key="e.line">{{ t('campaigns.rowError', { line: e.line, field: e.field, message: e.message }) }}</li></ul>
        </div>
        <table class="grid" data-testid="campaign-contacts">
          <thead><tr><th>{{ t('campaigns.number') }}</th><th>{{ t('campaigns.name') }}</th><th>{{ t('campaigns.state') }}</th><th>{{ t('campaigns.attempts') }}</th><th>{{ t('campaigns.outcome') }}</th><th v-if="view.campaign.mode === 'notification'">{{ t('campaigns.answer') }}</th><th v-if="view.campaign.settings.sms">{{ t('campaigns.sms') }}</th></tr></thead>
          <tbody><tr v-for="x in contacts" :key="x.id"><td class="mono">{{ x.number }}</td><td>{{ x.name }}</td><td>{{ t('campaigns.contactStates.' + x.state) }}</td><td>{{ x.attempts }}</td><td>{{ x.lastOutcome || '—' }}</td>
            <td v-if="view.campaign.mode === 'notification'" :data-testid="'campaign-answer-' + x.number">{{ x.answer ? t('campaigns.answers.' + x.answer) + (x.answerKey ? ' (' + x.answerKey + ')' : '') : '—' }}</td>
            <td v-if="view.campaign.settings.sms" :data-testid="'campaign-sms-' + x.number">{{ x.smsStatus ? t('sms.status.' + x.smsStatus) : '—' }}</td></tr></tbody>
        </table>
        <div class="toolbar">
          <a class="btn" :href="exportUrl('xlsx')" download data-testid="campaign-export-xlsx">{{ t('campaigns.exportXlsx') }}</a>
          <a class="btn" :href="exportUrl('csv')" download data-testid="campaign-export-csv">{{ t('campaigns.exportCsv') }}</a>
        </div>
        <h3>{{ t('campaigns.events') }}</h3>
        <table class="grid" data-testid="campaign-events">
          <tbody><tr v-for="(e, i) in events" :key="i"><td class="mono">{{ fmtTime(e.at) }}</td><td>{{ e.type }}</td><td class="mono">{{ e.data }}</td></tr></tbody>
        </table>
      </div>
    </section>
    <section class="panel" data-testid="campaign-new">
      <div class="panel-head"><h2>{{ t('campaigns.new') }}</h2></div>
      <form class="panel-body" @submit.prevent="create" novalidate>
        <label class="field"><span class="field-label">{{ t('campaigns.name') }}</span><input v-model="form.name" data-testid="campaign-name"></label>
        <label class="field"><span class="field-label">{{ t('campaigns.mode') }}</span>
          <select v-model="form.mode" data-testid="campaign-mode"><option v-for="m in modes" :key="m" :value="m">{{ t('campaigns.modes.' + m) }}</option></select></label>
        <template v-if="form.mode !== 'sms'">
        <label class="field"><span class="field-label">{{ t('campaigns.trunk') }}</span>
          <select v-model="form.trunkId" data-testid="campaign-trunk"><option v-for="x in trunks" :key="x.id" :value="x.id">{{ x.name }}</option></select></label>
        <label class="field"><span class="field-label">{{ t('campaigns.callerIds') }}</span><input v-model="form.callerIds" data-testid="campaign-callerids"></label>
        </template>
        <label class="field"><span class="field-label">{{ t('campaigns.timeZone') }}</span><input v-model="form.timeZone"></label>
        <label class="field"><span class="field-label">{{ t('campaigns.windows') }}</span><input v-model="form.windows" data-testid="campaign-windows"></label>
        <label class="field"><span class="field-label">{{ t('campaigns.maxAttempts') }}</span><input v-model="form.maxAttempts" type="number" min="1" max="20"></label>
        <label v-if="form.mode !== 'sms'" class="field"><span class="field-label">{{ t('campaigns.queue') }}</span>
          <select v-model="form.queueId" data-testid="campaign-queue"><option v-for="q in queues" :key="q.id" :value="q.id">{{ q.name }}</option></select></label>
        <div v-if="form.mode !== 'sms'" class="field" data-testid="campaign-sms-on"><span class="field-label">{{ t('campaigns.smsAfter') }}</span>
          <span class="upload-row"><label v-for="o in smsOutcomes" :key="o" class="check"><input type="checkbox" :value="o" v-model="form.smsOn"
            :data-testid="'campaign-sms-on-' + o"> {{ t('campaigns.smsOn.' + o) }}</label></span>
          <span class="field-hint">{{ t('campaigns.smsAfterHint') }}</span>
          <span v-if="fieldErrors['settings.sms.on']" class="field-error" role="alert" data-testid="campaign-sms-on-error">{{ fieldErrors['settings.sms.on'] }}</span></div>
        <label v-if="form.mode === 'sms' || form.smsOn.length" class="field"><span class="field-label">{{ t('campaigns.smsTemplate') }}</span>
          <select v-model="form.smsTemplateId" data-testid="campaign-sms-template"><option value="">{{ t('campaigns.smsOwnText') }}</option>
            <option v-for="x in smsTemplates" :key="x.id" :value="x.id">{{ x.name }}</option></select>
          <span v-if="fieldErrors['settings.sms.templateId']" class="field-error" role="alert">{{ fieldErrors['settings.sms.templateId'] }}</span></label>
        <label v-if="(form.mode === 'sms' || form.smsOn.length) && !form.smsTemplateId" class="field"><span class="field-label">{{ t('campaigns.smsText') }}</span>
          <textarea v-model="form.smsText" rows="3" maxlength="1000" data-testid="campaign-sms-text"></textarea>
          <span class="field-hint">{{ t('campaigns.smsTextHint') }}</span>
          <span v-if="fieldErrors['settings.sms.text']" class="field-error" role="alert" data-testid="campaign-sms-text-error">{{ fieldErrors['settings.sms.text'] }}</span></label>
        <label v-if="form.mode === 'notification'" class="field"><span class="field-label">{{ t('campaigns.text') }}</span><input v-model="form.text" data-testid="campaign-text">
          <span class="field-hint">{{ t('campaigns.textHint') }}</span></label>
        <div v-if="formError" class="alert alert-error" role="alert" data-testid="campaign-form-error">{{ formError }}</div>
        <button type="submit" class="btn btn-primary" data-testid="campaign-create">{{ t('campaigns.create') }}</button>
      </form>
    </section>
    <section class="panel" data-testid="dnc-panel">
      <div class="panel-head"><h2>{{ t('campaigns.dnc') }}</h2><span class="muted">{{ t('campaigns.dncHint') }}</span></div>
      <form class="panel-body upload-row" @submit.prevent="addDnc" novalidate>
        <input v-model="dncNumber" inputmode="tel" data-testid="dnc-number">
        <button type="submit" class="btn" data-testid="dnc-add">{{ t('campaigns.dncAdd') }}</button>
        <span v-if="dncError" class="field-error" role="alert">{{ dncError }}</span>
      </form>
      <table class="grid" data-testid="dnc-table"><tbody>
        <tr v-for="d in dnc" :key="d.id"><td class="mono">{{ d.number }}</td><td>{{ fmtTime(d.createdAt) }}</td>
          <td class="actions"><button class="btn-link danger" @click="removeDnc(d)">{{ t('common.delete') }}</button></td></tr>
      </tbody></table>
    </section>`,
  setup() { return { fmtTime }; },
};
