// Agent desktop (AGENT-1..7, docs/cti.md): the state bar, the softphone and the browser phone, the
// call panel with the caller's history, click-to-dial. Everything goes over the CTI WebSocket; the
// state bar falls back to the HTTP routes /api/v1/agent/* only while CTI is down.

import { api, boot, mountApp, hasConsoleAccess, titleFrom, t, tOr, toast, fmtTime, i18n } from './common.js';
import { VoicemailList } from './pages/voicemail.js';
import { clock } from './clock.js';
import { CtiClient } from './cti.js';
import { BrowserPhone, Ringer } from './phone.js';

const { reactive, computed } = window.Vue;

const POLL_MS = 3000;
const DEVICE_KEY = 'hotline.desk.device';
const RECENT_MAX = 20;
const ACTIVE = ['ringing', 'talking', 'held'];

/** Text for a CTI or API error: the bundle's text for its code plus the server's detail. */
function errText(e) {
  if (!e) return '';
  const base = tOr('error.' + (e.code || 'failed'), '');
  if (!base) return e.message || t('error.internal');
  const detail = e.message && e.message !== e.code ? e.message : '';
  return detail && (e.cti || ['conflict', 'forbidden', 'bad_request', 'not_found'].includes(e.code)) ? t('error.withDetail', { text: base, detail }) : base;
}

// ---------- the desk's state: rebuilt from every `hello`, kept up to date by the events ----------

const cti = new CtiClient();
const phone = new BrowserPhone(cti);
const ringer = new Ringer(phone);

const desk = reactive({
  me: null,
  agent: null,
  calls: [],
  reasons: [],
  selected: null,
  since: {},        // legId → ms when its state last changed (for the call timer)
  offeredAt: {},    // legId → ms when call.offered arrived
  consultOf: {},    // legId of a held call → true once `consult` was accepted
  autoAnswer: {},   // legId → true: our own dial / consult, the browser answers by itself
  pendingDial: 0,   // ms until which a call offered to us is the one we dialled
  recent: [],
  ended: null,      // the last ended call, shown until the next one
  error: null,      // the last refused command { type, text }
  now: Date.now(),
});

const cti_ok = computed(() => cti.state.status === 'open' && cti.state.hello);

function recentKey() { return 'hotline.desk.recent.' + (desk.me ? desk.me.id : ''); }
function loadRecent() { try { return JSON.parse(localStorage.getItem(recentKey()) || '[]'); } catch (e) { return []; } }
function saveRecent() { try { localStorage.setItem(recentKey(), JSON.stringify(desk.recent.slice(0, RECENT_MAX))); } catch (e) { /* private mode */ } }

/** The other party's number: `caller` is the customer's or colleague's number in every direction (docs/cti.md). */
function other(c) { return (c && (c.caller || c.callee)) || ''; }

function upsert(call) {
  if (!call || !call.legId) return;
  const i = desk.calls.findIndex((c) => c.legId === call.legId);
  const before = i >= 0 ? desk.calls[i] : null;
  if (!before || before.state !== call.state) desk.since[call.legId] = Date.now();
  if (call.state === 'ended') { if (i >= 0) desk.calls.splice(i, 1); return; }
  if (i >= 0) desk.calls.splice(i, 1, call); else desk.calls.push(call);
}

function syncPhone() {
  const a = desk.agent;
  const wantPhone = !!a && a.state !== 'logged_out' && a.device === 'webrtc';
  if (wantPhone) {
    phone.start().catch((e) => showError('webrtc.offer', e));
  } else if (phone.state.active) {
    phone.stop();
  }
}

function syncRinger() {
  const ringing = desk.calls.some((c) => c.state === 'ringing' && !desk.autoAnswer[c.legId]);
  if (ringing) ringer.start(); else ringer.stop();
}

function showError(type, e) {
  const text = errText(e);
  desk.error = { type, text, code: e && e.code };
  toast(text, 'error');
}

/** Sends a command; a refusal is shown to the agent (toast and the desk's error line) and rethrown. */
async function command(type, fields) {
  desk.error = null;
  try {
    return await cti.send(type, fields);
  } catch (e) {
    showError(type, e);
    throw e;
  }
}
const run = (type, fields) => command(type, fields).catch(() => null);

cti.on('hello', (m) => {
  desk.agent = m.agent || null;
  desk.reasons = Array.isArray(m.reasons) ? m.reasons : [];
  const calls = (m.calls || []).filter((c) => ACTIVE.includes(c.state));
  const now = Date.now();
  for (const c of calls) if (!desk.since[c.legId]) desk.since[c.legId] = now;
  desk.calls = calls;
  if (desk.selected && !calls.some((c) => c.legId === desk.selected)) desk.selected = null;
  phone.serverState(!!(m.webrtc && m.webrtc.connected));
  syncPhone();
  syncRinger();
});
cti.on('agent.state', (m) => { desk.agent = m.agent || desk.agent; syncPhone(); });
cti.on('call.offered', (m) => {
  const c = m.call;
  if (!c) return;
  desk.offeredAt[c.legId] = Date.now();
  const ours = desk.autoAnswer[c.legId] || (desk.pendingDial > Date.now() && c.state === 'ringing' && c.direction !== 'inbound');
  upsert(c);
  if (ours) {
    desk.pendingDial = 0;
    if (!desk.autoAnswer[c.legId]) desk.autoAnswer[c.legId] = true;
    answerOwn(c.legId);
  } else {
    desk.selected = c.legId;
  }
  syncRinger();
});
for (const type of ['call.answered', 'call.held', 'call.resumed', 'call.updated']) {
  cti.on(type, (m) => { upsert(m.call); syncRinger(); });
}
cti.on('call.ended', (m) => {
  const c = m.call;
  if (!c) return;
  const known = desk.calls.find((x) => x.legId === c.legId) || c;
  const started = desk.since[c.legId] || Date.now();
  upsert(Object.assign({}, known, c, { state: 'ended' }));
  delete desk.consultOf[c.legId];
  delete desk.autoAnswer[c.legId];
  desk.ended = { call: Object.assign({}, known, c), cause: m.cause || '', by: m.by || '', at: Date.now() };
  desk.recent.unshift({
    callId: c.callId, legId: c.legId, at: new Date().toISOString(), direction: c.direction || known.direction,
    number: other(known.caller ? known : c), seconds: known.state === 'talking' || known.state === 'held' ? Math.round((Date.now() - started) / 1000) : 0,
    cause: m.cause || '', answered: known.state !== 'ringing',
  });
  desk.recent.splice(RECENT_MAX);
  saveRecent();
  syncRinger();
});
cti.on('error', (m) => showError(m.type, { code: m.code, message: m.message, cti: true }));
cti.on('status', (m) => {
  if (m.status !== 'open') syncRinger();
  // Upgrade refused again and again: if the session is gone, /me sends the page to the login.
  if (m.status === 'retrying' && cti.state.attempt >= 2) api.get('/me').catch(() => {});
});

setInterval(() => { desk.now = Date.now(); }, 1000);

// For tests and diagnostics (docs/cti.md; see DeskBrowserTest).
window.hotlineDesk = {
  get pc() { return phone.pc; },
  lastStats: () => phone.stats(),
  state: () => JSON.parse(JSON.stringify({
    cti: cti.state.status, hello: cti.state.hello, agent: desk.agent, calls: desk.calls, offeredAt: desk.offeredAt,
    ringing: ringer.playing, webrtc: { connection: phone.state.connection, server: phone.state.server, offers: phone.state.offers, active: phone.state.active },
    error: desk.error,
  })),
};

// ---------- components ----------

/** A phone number the agent can click to call it (AGENT-2). */
const DialLink = {
  props: { number: String },
  setup() { return { desk, cti_ok }; },
  methods: {
    dial() { dialNumber(this.number); },
  },
  template: `<button v-if="number" type="button" class="num-link mono" data-testid="dial-link" :data-number="number" :disabled="!cti_ok || !desk.agent || desk.agent.state === 'logged_out'"
      :title="t('desk.clickToDial', { number })" @click="dial">{{ number }}</button><span v-else>—</span>`,
};

/** Auto-answer of our own call on the browser phone, once (the server may have answered it already). */
function answerOwn(legId) {
  const c = desk.calls.find((x) => x.legId === legId);
  if (!c || c.state !== 'ringing' || !desk.agent || desk.agent.device !== 'webrtc' || desk.autoAnswer[legId] === 'sent') return;
  desk.autoAnswer[legId] = 'sent';
  cti.send('answer', { legId }).catch((e) => {
    const still = desk.calls.find((x) => x.legId === legId);
    if (still && still.state === 'ringing') showError('answer', e);
  });
}

async function dialNumber(number) {
  const n = String(number || '').trim();
  if (!n) return;
  desk.pendingDial = Date.now() + 15000;
  try {
    const r = await command('dial', { number: n });
    // The ok names the agent's leg: it rings the agent's own device first.
    if (r && r.legId) {
      desk.pendingDial = 0;
      if (!desk.autoAnswer[r.legId]) desk.autoAnswer[r.legId] = true;
      answerOwn(r.legId);
      syncRinger();
    }
  } catch (e) { desk.pendingDial = 0; }
}

/** CTI connection state, with a retry / take over button. */
const CtiStatus = {
  setup() { return { cti, desk }; },
  computed: {
    status() { return cti.state.status === 'open' && !cti.state.hello ? 'connecting' : cti.state.status; },
    wait() { return Math.max(0, Math.ceil((cti.state.retryAt - desk.now) / 1000)); },
  },
  template: `
    <span class="cti-status" :class="'cti-' + status" data-testid="cti-status" :data-status="status" :title="t('desk.cti.title')">
      <span class="dot"></span>{{ t('desk.cti.' + status, { seconds: wait }) }}
      <button v-if="status === 'retrying' || status === 'replaced'" type="button" class="btn-link" data-testid="cti-reconnect" @click="cti.reconnect()">{{ t(status === 'replaced' ? 'desk.cti.takeOver' : 'desk.cti.retryNow') }}</button>
    </span>`,
};

/** The agent's state bar: over CTI, or the HTTP routes while CTI is down. */
const StateBar = {
  props: { me: Object },
  components: { CtiStatus },
  setup() { return { desk, cti, phone, cti_ok }; },
  data() {
    let device = '';
    try { device = localStorage.getItem(DEVICE_KEY) || ''; } catch (e) { device = ''; }
    if (!['sip', 'webrtc', 'external'].includes(device) || (device === 'sip' && !this.me.extension)) device = this.me.extension ? 'sip' : 'webrtc';
    return { httpReasons: [], device, number: '', reason: '', busy: false, error: null, timer: null };
  },
  async created() {
    try { this.httpReasons = await api.get('/reason-codes'); } catch (e) { this.httpReasons = []; }
    if (!this.reason && this.reasons.length) this.reason = this.reasons[0].code;
    if (!cti_ok.value) await this.load();
    this.timer = setInterval(() => { if (!cti_ok.value) this.load(); }, POLL_MS);
  },
  unmounted() { clearInterval(this.timer); },
  watch: {
    reasons(list) { if (list.length && !list.some((r) => r.code === this.reason)) this.reason = list[0].code; },
    device(d) { try { localStorage.setItem(DEVICE_KEY, d); } catch (e) { /* private mode */ } },
  },
  computed: {
    view() { return desk.agent; },
    reasons() { return desk.reasons.length ? desk.reasons : this.httpReasons; },
    state() { return this.view ? this.view.state : 'logged_out'; },
    signedIn() { return this.state !== 'logged_out'; },
    elapsed() { return this.view && this.view.since && this.signedIn ? clock((desk.now - Date.parse(this.view.since)) / 1000) : ''; },
    reasonName() {
      if (this.state !== 'not_ready' || !this.view.reason) return '';
      const r = this.reasons.find((x) => x.code === this.view.reason);
      return r ? r.name : (this.view.reason === 'login' ? t('agentReason.login') : this.view.reason);
    },
  },
  methods: {
    async load() {
      try { desk.agent = await api.get('/agent/state'); } catch (e) { /* shown on the next action */ }
    },
    /** Over CTI when it is up (the agent.state event updates the bar), else over HTTP. */
    async act(ctiType, fields, http) {
      this.busy = true; this.error = null;
      try {
        if (cti_ok.value) {
          const r = await cti.send(ctiType, fields);
          if (r && r.state && r.userId !== undefined) desk.agent = r;
        } else {
          desk.agent = await http();
        }
      } catch (e) {
        this.error = e;
        showError(ctiType, e);
      } finally { this.busy = false; }
    },
    async login() {
      const device = this.device;
      if (device === 'webrtc') {
        if (!cti_ok.value) { showError('login', { code: 'network', message: t('desk.needsCti'), cti: true }); return; }
        try { await phone.prepare(); } catch (e) { showError('login', { code: 'failed', message: t('desk.micRefused', { reason: e.name || e.message }), cti: true }); return; }
      }
      const body = device === 'external' ? { device, number: this.number.trim() } : { device };
      await this.act('login', body, () => api.post('/agent/session', body));
    },
    logout() { return this.act('logout', {}, () => api.del('/agent/session')); },
    ready() { return this.act('state', { state: 'ready' }, () => api.put('/agent/state', { state: 'ready' })); },
    notReady() { return this.act('state', { state: 'not_ready', reason: this.reason }, () => api.put('/agent/state', { state: 'not_ready', reason: this.reason })); },
    numberError() { return this.error && this.error.fields ? this.error.fields().number : null; },
  },
  template: `
    <div class="panel statebar" data-testid="agent-statebar">
      <span class="state" :class="'st-' + state" data-testid="agent-state"><span class="dot"></span>{{ t('agentState.' + state) }}</span>
      <span v-if="reasonName" class="badge" data-testid="agent-reason">{{ reasonName }}</span>
      <span v-if="elapsed" class="mono" data-testid="agent-timer" :title="t('agent.timeInState')">{{ elapsed }}</span>
      <span v-if="signedIn && view.device" class="muted" data-testid="agent-device">{{ t('device.' + view.device) }} {{ view.deviceNumber || '' }}</span>
      <template v-if="!signedIn">
        <select v-model="device" data-testid="agent-device-kind" style="width:auto" :title="t('desk.deviceChoice')">
          <option value="sip" :disabled="!me.extension">{{ t('device.sip') }}{{ me.extension ? ' ' + me.extension : '' }}</option>
          <option value="webrtc">{{ t('device.webrtc') }}</option>
          <option value="external">{{ t('device.external') }}</option>
        </select>
        <input v-if="device === 'external'" type="tel" v-model="number" :placeholder="t('agent.externalNumber')" data-testid="agent-device-number"
          :class="{ invalid: numberError() }" style="width:170px">
        <button class="btn btn-primary" :disabled="busy || (device === 'external' && !number.trim())" data-testid="agent-btn-checkIn" @click="login">{{ t('agent.action.checkIn') }}</button>
      </template>
      <button class="btn" :class="{ 'btn-primary': signedIn && (state === 'not_ready' || state === 'wrap_up') }" :disabled="busy || !signedIn || state === 'ready'" data-testid="agent-btn-ready" @click="ready">{{ t('agent.action.ready') }}</button>
      <select v-model="reason" :disabled="!signedIn" data-testid="agent-reason-select" style="width:auto" :title="t('agent.reason')">
        <option v-for="r in reasons" :key="r.code" :value="r.code">{{ r.name }}</option>
      </select>
      <button class="btn" :disabled="busy || !signedIn || !reason" data-testid="agent-btn-notReady" @click="notReady">{{ t('agent.action.notReady') }}</button>
      <span class="spacer" style="flex:1"></span>
      <cti-status></cti-status>
      <button v-if="signedIn" class="btn btn-danger" :disabled="busy" data-testid="agent-btn-checkOut" @click="logout">{{ t('agent.action.checkOut') }}</button>
    </div>`,
};

/** The call the panels show: the one picked, else ringing, talking, held. */
const current = computed(() => {
  const byLeg = desk.calls.find((c) => c.legId === desk.selected);
  if (byLeg) return byLeg;
  for (const s of ['ringing', 'talking', 'held']) {
    const c = desk.calls.find((x) => x.state === s);
    if (c) return c;
  }
  return null;
});

/** The consult leg beside a held original call, if any. */
function consultPartner(c) {
  if (!c) return null;
  return desk.calls.find((x) => x.legId !== c.legId && x.state !== 'ringing' && (desk.autoAnswer[x.legId] || x.state === 'talking')) || null;
}

function callTimer(c) {
  const s = desk.since[c.legId];
  return s ? clock((desk.now - s) / 1000) : '';
}

/** Microphone / speaker choice and the level meter of the browser phone. */
const AudioDevices = {
  setup() { return { phone }; },
  async created() { await phone.listDevices(); },
  methods: {
    async pickInput(e) { try { await phone.setInput(e.target.value); } catch (err) { showError('device', { code: 'failed', message: err.name || err.message, cti: true }); } },
    async pickOutput(e) { await phone.setOutput(e.target.value); },
    async test() { try { await phone.prepare(); } catch (err) { showError('device', { code: 'failed', message: t('desk.micRefused', { reason: err.name || err.message }), cti: true }); } },
  },
  template: `
    <div class="audio-devices" data-testid="desk-audio">
      <label class="field"><span class="field-label">{{ t('desk.microphone') }}</span>
        <select :value="phone.state.input" data-testid="desk-input" @change="pickInput">
          <option value="">{{ t('desk.defaultDevice') }}</option>
          <option v-for="d in phone.state.inputs" :key="d.id" :value="d.id">{{ d.label }}</option>
        </select>
      </label>
      <label class="field" v-if="phone.state.sinkSupported"><span class="field-label">{{ t('desk.speaker') }}</span>
        <select :value="phone.state.output" data-testid="desk-output" @change="pickOutput">
          <option value="">{{ t('desk.defaultDevice') }}</option>
          <option v-for="d in phone.state.outputs" :key="d.id" :value="d.id">{{ d.label }}</option>
        </select>
      </label>
      <div class="meter-row">
        <span class="field-label">{{ t('desk.micLevel') }}</span>
        <div class="meter" data-testid="desk-mic-level" :data-level="phone.state.level.toFixed(2)" :title="t('desk.micLevel')">
          <div class="meter-bar" :style="{ width: Math.round(phone.state.level * 100) + '%' }"></div>
        </div>
        <button v-if="!phone.state.mic" type="button" class="btn btn-sm" data-testid="desk-mic-test" @click="test">{{ t('desk.micTest') }}</button>
      </div>
    </div>`,
};

/** Dial pad, answer / reject / hang up, hold, mute, DTMF, transfer, consult, three-party. */
const Softphone = {
  components: { AudioDevices },
  setup() {
    return { desk, phone, cti_ok, current, keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] };
  },
  data() { return { number: '', target: '', dtmfSent: '', busy: false }; },
  computed: {
    agent() { return desk.agent; },
    signedIn() { return !!this.agent && this.agent.state !== 'logged_out'; },
    webrtc() { return this.signedIn && this.agent.device === 'webrtc'; },
    call() { return current.value; },
    live() { return this.call && (this.call.state === 'talking' || this.call.state === 'held') ? this.call : null; },
    partner() { return this.call && this.call.state === 'held' ? consultPartner(this.call) : null; },
    consulting() { return !!this.partner && (desk.consultOf[this.call.legId] || this.call.consult || desk.calls.length > 1); },
    phoneStatus() {
      if (!this.signedIn) return 'offline';
      if (this.agent.device !== 'webrtc') return 'device';
      const c = phone.state.connection;
      return c === 'connected' ? 'connected' : (c === 'failed' || c === 'disconnected' ? 'reconnecting' : 'connecting');
    },
    canDial() { return cti_ok.value && this.signedIn && !this.live && !(this.call && this.call.state === 'ringing') && !!this.number.trim(); },
  },
  watch: {
    'call.legId'() { this.dtmfSent = ''; },
  },
  methods: {
    async act(type, fields) {
      this.busy = true;
      try { return await command(type, fields); } catch (e) { return null; } finally { this.busy = false; }
    },
    key(k) {
      if (this.live && this.live.state === 'talking') {
        this.dtmfSent += k;
        this.act('dtmf', { legId: this.live.legId, digits: k });
      } else {
        this.number += k;
      }
    },
    async dial() { await dialNumber(this.number); },
    answer() { return this.act('answer', { legId: this.call.legId }); },
    reject() { return this.act('reject', { legId: this.call.legId }); },
    hangup(c) { return this.act('hangup', { legId: (c || this.call).legId }); },
    hold() { return this.act('hold', { legId: this.live.legId }); },
    resume() { return this.act('resume', { legId: this.live.legId }); },
    mute() { return this.act('mute', { legId: this.live.legId, muted: !this.live.muted }); },
    async transfer() {
      const r = await this.act('transfer', { legId: this.live.legId, to: this.target.trim() });
      if (r !== null) this.target = '';
    },
    async consult() {
      const legId = this.live.legId;
      desk.pendingDial = Date.now() + 15000;
      desk.consultOf[legId] = true;
      const r = await this.act('consult', { legId, to: this.target.trim() });
      if (r === null) { delete desk.consultOf[legId]; desk.pendingDial = 0; } else this.target = '';
    },
    complete() { return this.act('complete', { legId: this.call.legId }); },
    conference() { return this.act('conference', { legId: this.call.legId }); },
    select(c) { desk.selected = c.legId; },
    other,
    callTimer,
  },
  template: `
    <div class="panel" data-testid="agent-softphone">
      <div class="panel-head"><h2>{{ t('agent.softphone') }}</h2><span class="spacer" style="flex:1"></span>
        <span class="badge" :class="{ 'badge-ok': phoneStatus === 'connected' || phoneStatus === 'device', 'badge-off': phoneStatus === 'offline', 'badge-warn': phoneStatus === 'reconnecting' || phoneStatus === 'connecting' }"
          data-testid="desk-webrtc-state" :data-connection="phone.state.connection" :data-server="String(phone.state.server)">
          {{ phoneStatus === 'device' ? t('device.' + agent.device) + (agent.deviceNumber ? ' ' + agent.deviceNumber : '') : t('desk.phone.' + phoneStatus) }}</span>
      </div>
      <div class="panel-body">
        <div v-if="desk.calls.length > 1" class="call-chips">
          <button v-for="c in desk.calls" :key="c.legId" type="button" class="call-chip" :class="['cs-' + c.state, { active: call && c.legId === call.legId }]"
            :data-testid="'desk-call-chip-' + c.legId" @click="select(c)">{{ other(c) }} · {{ t('desk.callState.' + c.state) }}</button>
        </div>
        <div v-if="call" class="phone-call" :class="'cs-' + call.state" data-testid="desk-phone-call">
          <div class="mono big">{{ other(call) }}</div>
          <div class="muted"><span data-testid="desk-call-state" :data-state="call.state">{{ t('desk.callState.' + call.state) }}</span> · {{ callTimer(call) }}
            <span v-if="call.muted" class="badge badge-warn" data-testid="desk-muted">{{ t('desk.muted') }}</span>
            <span v-if="call.internal" class="badge" data-testid="desk-internal">{{ t('calls.direction.internal') }}</span></div>
        </div>
        <input type="tel" v-model="number" style="width:100%;height:40px;font-size:18px" :placeholder="t('agent.dialHint')" data-testid="desk-dial-input"
          :disabled="!!live" @keydown.enter="canDial && dial()">
        <div v-if="live && dtmfSent" class="muted mono" data-testid="desk-dtmf-sent">{{ t('desk.dtmfSent') }} {{ dtmfSent }}</div>
        <div class="dialpad"><button v-for="k in keys" :key="k" class="btn" :data-testid="'desk-key-' + (k === '*' ? 'star' : k === '#' ? 'hash' : k)"
          :disabled="!signedIn || (live && live.state !== 'talking')" @click="key(k)">{{ k }}</button></div>
        <div class="phone-actions">
          <template v-if="call && call.state === 'ringing'">
            <button v-if="webrtc" class="btn btn-ok" :disabled="busy" data-testid="desk-btn-answer" @click="answer">{{ t('desk.answer') }}</button>
            <span v-else class="muted small" data-testid="desk-answer-on-phone">{{ t('desk.answerOnPhone') }}</span>
            <button class="btn btn-danger" :disabled="busy" data-testid="desk-btn-reject" @click="reject">{{ t('desk.reject') }}</button>
          </template>
          <template v-else-if="live">
            <template v-if="!live.internal">
              <button v-if="live.state === 'talking'" class="btn" :disabled="busy" data-testid="desk-btn-hold" @click="hold">{{ t('desk.hold') }}</button>
              <button v-else class="btn btn-primary" :disabled="busy" data-testid="desk-btn-resume" @click="resume">{{ t('desk.resume') }}</button>
              <button class="btn" :class="{ 'btn-warn': live.muted }" :disabled="busy || live.state !== 'talking'" data-testid="desk-btn-mute" @click="mute">{{ t(live.muted ? 'desk.unmute' : 'desk.mute') }}</button>
            </template>
            <button class="btn btn-danger" :class="{ 'span-2': live.internal }" :disabled="busy" data-testid="desk-btn-hangup" @click="hangup()">{{ t('agent.hangup') }}</button>
          </template>
          <template v-else>
            <button class="btn btn-primary" :disabled="!canDial" data-testid="desk-btn-dial" @click="dial">{{ t('agent.call') }}</button>
            <button class="btn btn-danger" disabled>{{ t('agent.hangup') }}</button>
          </template>
        </div>
        <div v-if="live && !live.internal" class="transfer-box" data-testid="desk-transfer">
          <div class="field-label">{{ t('desk.transferTo') }}</div>
          <input type="text" v-model="target" :placeholder="t('desk.transferHint')" data-testid="desk-transfer-to">
          <div class="phone-actions">
            <button class="btn" :disabled="busy || !target.trim()" data-testid="desk-btn-transfer" @click="transfer">{{ t('desk.blindTransfer') }}</button>
            <button class="btn" :disabled="busy || !target.trim()" data-testid="desk-btn-consult" @click="consult">{{ t('desk.consult') }}</button>
          </div>
        </div>
        <div v-if="consulting" class="transfer-box" data-testid="desk-consulting">
          <div class="muted">{{ t('desk.consultWith', { number: other(partner) }) }}</div>
          <div class="phone-actions">
            <button class="btn btn-primary" :disabled="busy" data-testid="desk-btn-complete" @click="complete">{{ t('desk.complete') }}</button>
            <button class="btn" :disabled="busy" data-testid="desk-btn-conference" @click="conference">{{ t('desk.conference') }}</button>
            <button class="btn btn-danger span-2" :disabled="busy" data-testid="desk-btn-cancel-consult" @click="hangup(partner)">{{ t('desk.cancelConsult') }}</button>
          </div>
        </div>
        <div v-if="desk.error" class="alert alert-error" style="margin-top:12px" data-testid="desk-error" :data-code="desk.error.code">{{ desk.error.text }}
          <button type="button" class="icon-btn" :aria-label="t('common.close')" @click="desk.error = null">×</button></div>
        <audio-devices v-if="webrtc || (!signedIn && phone.state.inputs.length)"></audio-devices>
      </div>
    </div>`,
};

/** The ringing banner: visible (and audible) as soon as a call is offered, before answering. */
const IncomingBanner = {
  components: { DialLink },
  setup() { return { desk }; },
  computed: {
    ringing() { return desk.calls.filter((c) => c.state === 'ringing' && !desk.autoAnswer[c.legId]); },
    webrtc() { return desk.agent && desk.agent.device === 'webrtc'; },
  },
  methods: {
    answer(c) { desk.selected = c.legId; return run('answer', { legId: c.legId }); },
    reject(c) { return run('reject', { legId: c.legId }); },
    clock,
  },
  template: `
    <div v-for="c in ringing" :key="c.legId" class="incoming" data-testid="desk-incoming" :data-leg="c.legId">
      <span class="ring-icon">☎</span>
      <div class="incoming-text">
        <div><b>{{ t(c.transfer ? 'desk.incomingTransfer' : 'desk.incoming') }}</b>
          <span class="mono big" data-testid="desk-incoming-number">{{ c.caller }}</span>
          <span v-if="c.callerName" data-testid="desk-incoming-name">{{ c.callerName }}</span></div>
        <div class="small">
          <span v-if="c.queue" data-testid="desk-incoming-queue">{{ t('desk.queueWaited', { queue: c.queue, waited: clock(c.waitedSeconds) }) }}</span>
          <span v-if="c.customer"> · {{ c.customer.known ? t('desk.knownCustomer', { calls: c.customer.calls }) : t('desk.newCustomer') }}</span>
          <span v-if="c.transfer"> · {{ t('desk.transferredBy', { job: c.transfer.fromJob || '—', name: c.transfer.fromName || '' }) }}</span>
        </div>
      </div>
      <button v-if="webrtc" class="btn btn-ok" data-testid="desk-banner-answer" @click="answer(c)">{{ t('desk.answer') }}</button>
      <button class="btn btn-danger-solid" data-testid="desk-banner-reject" @click="reject(c)">{{ t('desk.reject') }}</button>
    </div>`,
};

/** The current call: who, from which queue, how long they waited, the transferring colleague's notes; our notes. */
const CallPanel = {
  components: { DialLink },
  setup() { return { desk, current, clock }; },
  data() { return { drafts: {}, saving: false }; },
  computed: {
    call() { return current.value; },
    draft: {
      get() { const c = this.call; return c ? (this.drafts[c.legId] !== undefined ? this.drafts[c.legId] : (c.notes || '')) : ''; },
      set(v) { if (this.call) this.drafts[this.call.legId] = v; },
    },
    dirty() { const c = this.call; return !!c && this.drafts[c.legId] !== undefined && this.drafts[c.legId] !== (c.notes || ''); },
  },
  methods: {
    async saveNotes() {
      const c = this.call;
      if (!c || !this.dirty) return;
      this.saving = true;
      try {
        const notes = this.drafts[c.legId];
        await command('notes', { legId: c.legId, notes });
        c.notes = notes;
        delete this.drafts[c.legId];
      } catch (e) { /* shown */ } finally { this.saving = false; }
    },
    other,
    callTimer,
  },
  template: `
    <div class="panel" data-testid="desk-call-panel">
      <div class="panel-head"><h2>{{ t('agent.currentCall') }}</h2><span class="spacer" style="flex:1"></span>
        <span v-if="call" class="badge" :class="{ 'badge-ok': call.state === 'talking', 'badge-warn': call.state === 'held', 'badge-blue': call.state === 'ringing' }">{{ t('desk.callState.' + call.state) }} {{ callTimer(call) }}</span></div>
      <div v-if="call" class="panel-body call-panel">
        <dl class="kv cols-2">
          <dt>{{ t(call.direction === 'outbound' ? 'desk.callee' : 'desk.caller') }}</dt>
          <dd data-testid="desk-caller-number"><dial-link :number="other(call)"></dial-link></dd>
          <dt>{{ t('desk.callerName') }}</dt><dd data-testid="desk-caller-name">{{ dash(call.callerName) }}</dd>
          <dt>{{ t('calls.direction') }}</dt><dd data-testid="desk-call-direction">{{ tOr('calls.direction.' + call.direction, call.direction) }}</dd>
          <template v-if="call.callee && call.direction !== 'outbound'"><dt>{{ t('desk.dialled') }}</dt><dd>{{ call.callee }}</dd></template>
          <dt>{{ t('desk.queue') }}</dt><dd data-testid="desk-call-queue">{{ dash(call.queue) }}</dd>
          <dt>{{ t('desk.waited') }}</dt><dd data-testid="desk-call-waited">{{ call.queue || call.waitedSeconds ? clock(call.waitedSeconds) : '—' }}</dd>
        </dl>
        <div v-if="call.transfer" class="alert alert-info transfer-note" data-testid="desk-transfer-from">
          <div>{{ t('desk.transferredBy', { job: call.transfer.fromJob || '—', name: call.transfer.fromName || '' }) }}</div>
          <div v-if="call.transfer.notes" data-testid="desk-transfer-notes"><b>{{ t('desk.theirNotes') }}</b> {{ call.transfer.notes }}</div>
        </div>
        <label class="field"><span class="field-label">{{ t('desk.notes') }}</span>
          <textarea v-model="draft" rows="3" maxlength="2000" data-testid="desk-notes" :placeholder="t('desk.notesHint')" @blur="saveNotes"></textarea>
        </label>
        <div class="notes-actions">
          <span v-if="dirty" class="muted small">{{ t('desk.notesUnsaved') }}</span>
          <button class="btn btn-sm" :disabled="!dirty || saving" data-testid="desk-notes-save" @click="saveNotes">{{ t('common.save') }}</button>
        </div>
      </div>
      <div v-else class="placeholder" data-testid="desk-no-call">
        <div>{{ t('agent.noCall') }}</div>
        <div v-if="desk.ended" class="small" data-testid="desk-last-ended">{{ t('desk.lastEnded', { number: other(desk.ended.call), cause: tOr('calls.cause.' + desk.ended.cause, desk.ended.cause || '—') }) }}</div>
      </div>
    </div>`,
};

/** The caller as a customer (AGENT-4): known or new, how often they called, their last calls. */
const CustomerPanel = {
  components: { DialLink },
  setup() { return { current, clock }; },
  computed: {
    call() { return current.value; },
    customer() { return this.call ? this.call.customer : null; },
  },
  methods: { other },
  template: `
    <div class="panel" data-testid="desk-customer">
      <div class="panel-head"><h2>{{ t('agent.customer') }}</h2><span class="spacer" style="flex:1"></span>
        <span v-if="customer" class="badge" :class="customer.known ? 'badge-ok' : 'badge-blue'" data-testid="desk-customer-known" :data-known="String(!!customer.known)">
          {{ customer.known ? t('desk.known') : t('desk.new') }}</span></div>
      <div v-if="call" class="panel-body">
        <dl class="kv">
          <dt>{{ t('desk.number') }}</dt><dd><dial-link :number="other(call)"></dial-link></dd>
          <dt>{{ t('desk.callerName') }}</dt><dd>{{ dash(call.callerName) }}</dd>
          <dt>{{ t('desk.callCount') }}</dt><dd data-testid="desk-customer-calls">{{ customer ? customer.calls : '—' }}</dd>
        </dl>
        <table v-if="customer && customer.lastCalls && customer.lastCalls.length" class="grid compact" data-testid="desk-last-calls">
          <thead><tr><th>{{ t('agent.col.time') }}</th><th>{{ t('agent.col.result') }}</th><th>{{ t('desk.agentCol') }}</th><th>{{ t('desk.queue') }}</th><th>{{ t('desk.talk') }}</th></tr></thead>
          <tbody><tr v-for="l in customer.lastCalls" :key="l.callId">
            <td>{{ fmtTime(l.startedAt) }}</td><td>{{ tOr('calls.outcome.' + l.outcome, l.outcome || '—') }}</td>
            <td>{{ dash(l.agentJob) }}</td><td>{{ dash(l.queue) }}</td><td>{{ l.talkSeconds != null ? clock(l.talkSeconds) : '—' }}</td>
          </tr></tbody>
        </table>
        <div v-else class="muted small" data-testid="desk-no-last-calls">{{ t('desk.noHistory') }}</div>
      </div>
      <div v-else class="placeholder"><div>{{ t('agent.customerEmpty') }}</div></div>
    </div>`,
};

/** This agent's recent calls on this browser; numbers are click-to-dial. */
const RecentCalls = {
  components: { DialLink },
  setup() { return { desk, clock }; },
  template: `
    <div class="panel table-wrap">
      <div class="panel-head"><h2>{{ t('agent.recentCalls') }}</h2></div>
      <table class="grid" data-testid="agent-recent-calls">
        <thead><tr><th>{{ t('agent.col.time') }}</th><th>{{ t('agent.col.direction') }}</th><th>{{ t('agent.col.number') }}</th><th>{{ t('agent.col.duration') }}</th><th>{{ t('agent.col.result') }}</th></tr></thead>
        <tbody>
          <tr v-for="r in desk.recent" :key="r.legId + r.at">
            <td>{{ fmtTime(r.at) }}</td><td>{{ tOr('calls.direction.' + r.direction, r.direction || '—') }}</td>
            <td><dial-link :number="r.number"></dial-link></td><td>{{ r.answered ? clock(r.seconds) : '—' }}</td>
            <td>{{ r.answered ? tOr('calls.cause.' + r.cause, r.cause || '—') : t('desk.missed') }}</td>
          </tr>
          <tr v-if="!desk.recent.length"><td class="empty" colspan="5">{{ t('agent.noCalls') }}</td></tr>
        </tbody>
      </table>
    </div>`,
};

const me = await boot();
if (me) {
  desk.me = me;
  desk.recent = loadRecent();
  const Desk = {
    components: { VoicemailList, StateBar, Softphone, IncomingBanner, CallPanel, CustomerPanel, RecentCalls },
    setup() {
      return { me, consoleLink: hasConsoleAccess(me), i18n };
    },
    template: `
      <app-header :me="me" title-key="agent.title">
        <a v-if="consoleLink" class="toplink" href="/" data-testid="link-console">{{ t('nav.console') }}</a>
      </app-header>
      <div v-if="!can('agent.desk')" class="center-msg" data-testid="no-access">{{ t('agent.noAccess') }}</div>
      <div v-else class="desk" data-testid="agent-desk">
        <state-bar :me="me"></state-bar>
        <incoming-banner></incoming-banner>
        <div class="desk-grid">
          <div class="desk-col">
            <softphone></softphone>
            <div class="panel">
              <div class="panel-head"><h2>{{ t('agent.myInfo') }}</h2></div>
              <div class="panel-body">
                <dl class="kv">
                  <dt>{{ t('users.username') }}</dt><dd>{{ me.username }}</dd>
                  <dt>{{ t('users.jobNumber') }}</dt><dd data-testid="agent-job-number">{{ dash(me.jobNumber) }}</dd>
                  <dt>{{ t('users.extension') }}</dt><dd data-testid="agent-extension">{{ dash(me.extension) }}</dd>
                </dl>
              </div>
            </div>
          </div>
          <div class="desk-col">
            <call-panel></call-panel>
            <customer-panel></customer-panel>
            <recent-calls></recent-calls>
            <div class="panel agent-voicemail" data-testid="agent-voicemail">
              <div class="panel-head"><h2>{{ t('agent.voicemail') }}</h2><span class="muted">{{ me.extension ? t('agent.voicemailHint', { extension: me.extension }) : '' }}</span></div>
              <div class="panel-body">
                <voicemail-list v-if="me.extension" :fixed="{ boxType: 'extension', box: String(me.extension) }" prefix="agent-vm" compact></voicemail-list>
                <div v-else class="muted" data-testid="agent-vm-no-extension">{{ t('agent.voicemailNoExtension') }}</div>
              </div>
            </div>
          </div>
        </div>
      </div>
      <ui-host></ui-host>`,
  };
  titleFrom('agent.title');
  mountApp(Desk, '#app', me);
  if (me.permissions && me.permissions.includes('agent.desk')) cti.start();
}
