// The agent desk's state (AGENT-1..7, docs/cti.md): the CTI client, the browser phone and its
// ringer, and one reactive `desk` rebuilt from every `hello` and kept up to date by the CTI events.
// The desk's components (this folder) read it and send their commands through `command` / `run`.

import { api, t, tOr, toast } from '../common.js';
import { alertText, clock } from '../format.js';
import { CtiClient } from '../cti.js';
import { BrowserPhone, Ringer } from '../phone.js';

const { reactive, computed } = window.Vue;

const RECENT_MAX = 20;
const ACTIVE = ['ringing', 'talking', 'held', 'verifying'];

/** Text for a CTI or API error: the bundle's text for its code plus the server's detail. */
function errText(e) {
  if (!e) return '';
  const base = tOr('error.' + (e.code || 'failed'), '');
  if (!base) return e.message || t('error.internal');
  const detail = e.message && e.message !== e.code ? e.message : '';
  return detail && (e.cti || ['conflict', 'forbidden', 'bad_request', 'not_found'].includes(e.code)) ? t('error.withDetail', { text: base, detail }) : base;
}

// ---------- the desk's state: rebuilt from every `hello`, kept up to date by the events ----------

export const cti = new CtiClient();
export const phone = new BrowserPhone(cti, () => api.get('/webrtc/ice-servers'));
const ringer = new Ringer(phone);

export const desk = reactive({
  me: null,
  agent: null,
  calls: [],
  reasons: [],
  selected: null,
  since: {},        // legId → ms (this browser's clock) since when the call timer counts: ringing from startedAt, talking from answeredAt
  skew: 0,          // ms the server's clock is ahead of this browser's (from hello.serverTime)
  connecting: {},   // legId → true: the agent answered a queue call, the caller is not bridged yet (agent announcement)
  offeredAt: {},    // legId → ms when call.offered arrived
  consultOf: {},    // legId of a held call → true once `consult` was accepted
  alerts: [],       // SUP-3: the enterprise's monitor alerts, sent to supervisors signed in on the desk
  verification: {}, // legId → IVR-4 news { flow, status (started, returned, caller_left), result, variables }
  onDevice: {},     // legId → sip | webrtc | external: the device a call was moved to (AGENT-3); else the login device
  moving: {},       // legId → { device, state: ringing | failed, reason }: a move to another device in progress or failed
  supervised: {},   // legId → listen | whisper | barge: a supervisor is on the call (where the enterprise tells agents, SUP-2)
  autoAnswer: {},   // legId → true: our own dial / consult, the browser answers by itself
  pendingDial: 0,   // ms until which a call offered to us is the one we dialled
  customerOf: {},   // callId → the id of the customer the screen pop found (a ticket opened from the call is theirs)
  customerNameOf: {}, // callId → that customer's name (shown on the ticket form opened from the call)
  recent: [],
  ended: null,      // the last ended call, shown until the next one
  error: null,      // the last refused command { type, text }
  now: Date.now(),
});

export const cti_ok = computed(() => cti.state.status === 'open' && cti.state.hello);

// The call timer comes from the server (docs/cti.md "Call"): a ringing call counts from `startedAt`, a call in talk or
// on hold from `answeredAt`, so a reload or another browser shows the same time. Converted to this browser's clock.
function serverSince(c) {
  const iso = c.state === 'talking' || c.state === 'held' ? (c.answeredAt || c.startedAt) : c.startedAt;
  const at = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(at) ? at - desk.skew : 0;
}

function recentKey() { return 'hotline.desk.recent.' + (desk.me ? desk.me.id : ''); }
export function loadRecent() { try { return JSON.parse(localStorage.getItem(recentKey()) || '[]'); } catch (e) { return []; } }
function saveRecent() { try { localStorage.setItem(recentKey(), JSON.stringify(desk.recent.slice(0, RECENT_MAX))); } catch (e) { /* private mode */ } }

/** The other party's number: `caller` is the customer's or colleague's number in every direction (docs/cti.md). */
export function other(c) { return (c && (c.caller || c.callee)) || ''; }
/** CRM-5: the server's reference for {@link other} when the number is masked for this agent (dialled instead of it). */
export function otherRef(c) { return (c && (c.caller ? c.callerRef : c.calleeRef)) || null; }

function upsert(call) {
  if (!call || !call.legId) return;
  const i = desk.calls.findIndex((c) => c.legId === call.legId);
  const before = i >= 0 ? desk.calls[i] : null;
  if (!before || before.state !== call.state) desk.since[call.legId] = serverSince(call) || desk.since[call.legId] || Date.now();
  if (call.state !== 'ringing') delete desk.connecting[call.legId];
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
  const ringing = desk.calls.some((c) => c.state === 'ringing' && !desk.autoAnswer[c.legId] && !desk.connecting[c.legId]);
  if (ringing) ringer.start(); else ringer.stop();
}

export function showError(type, e) {
  const text = errText(e);
  desk.error = { type, text, code: e && e.code };
  toast(text, 'error');
}

/** Sends a command; a refusal is shown to the agent (toast and the desk's error line) and rethrown. */
export async function command(type, fields) {
  desk.error = null;
  try {
    const r = await cti.send(type, fields);
    if (type === 'answer') markConnecting(fields.legId);
    return r;
  } catch (e) {
    showError(type, e);
    throw e;
  }
}
export const run = (type, fields) => command(type, fields).catch(() => null);

/**
 * A queue call the agent answered stays "ringing" over CTI until the queue bridges the caller (after any
 * agent announcement, docs/cti.md): the desk shows "connecting" meanwhile. Only the desk's own answer is
 * known; an answer on the SIP phone has no event of its own until the bridge.
 */
function markConnecting(legId) {
  const c = desk.calls.find((x) => x.legId === legId);
  if (c && c.state === 'ringing' && c.queue) { desk.connecting[legId] = true; syncRinger(); }
}

/** The state to show: "connecting" between the agent's answer and the bridge, else the call's own state. */
export function shownState(c) { return c && c.state === 'ringing' && desk.connecting[c.legId] ? 'connecting' : (c ? c.state : ''); }

cti.on('hello', (m) => {
  desk.agent = m.agent || null;
  desk.reasons = Array.isArray(m.reasons) ? m.reasons : [];
  const calls = (m.calls || []).filter((c) => ACTIVE.includes(c.state));
  const server = m.serverTime ? Date.parse(m.serverTime) : NaN;
  // Only a real clock difference counts: below a second it is mostly the message's own delay, and would move the timer.
  const skew = Number.isFinite(server) ? server - Date.now() : 0;
  desk.skew = Math.abs(skew) > 1000 ? skew : 0;
  const now = Date.now();
  for (const c of calls) desk.since[c.legId] = serverSince(c) || desk.since[c.legId] || now;
  for (const legId of Object.keys(desk.connecting)) if (!calls.some((c) => c.legId === legId && c.state === 'ringing')) delete desk.connecting[legId];
  desk.calls = calls;
  desk.supervised = { ...(m.supervised || {}) }; // a reloaded desk is told again that a supervisor is on its call
  if (desk.selected && !calls.some((c) => c.legId === desk.selected)) desk.selected = null;
  phone.serverState(!!(m.webrtc && m.webrtc.connected));
  syncPhone();
  syncRinger();
});
cti.on('agent.state', (m) => { desk.agent = m.agent || desk.agent; syncPhone(); });
// MEDIA-6: the enterprise switched Opus on or off: the browser phone offers again (the server answers with the codec now in
// force) at once when no call is up, else once the last call ended, so that a call in progress keeps its audio.
let reofferPending = false;
function reofferWhenIdle() {
  if (!reofferPending || !phone.state.active || desk.calls.length > 0) return;
  reofferPending = false;
  phone.connect().catch(() => {});
}
cti.on('webrtc.reoffer', () => { reofferPending = true; reofferWhenIdle(); });
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
    number: other(known.caller ? known : c), numberRef: otherRef(known.caller ? known : c), seconds: known.state === 'talking' || known.state === 'held' ? Math.round((Date.now() - started) / 1000) : 0,
    cause: m.cause || '', answered: known.state !== 'ringing',
  });
  desk.recent.splice(RECENT_MAX);
  saveRecent();
  syncRinger();
  reofferWhenIdle();
});
// AGENT-3: the call moved to another of our devices: the same call on its new leg (timer, notes kept).
cti.on('call.moved', (m) => {
  const c = m.call;
  if (!c || !m.from) return;
  const i = desk.calls.findIndex((x) => x.legId === m.from);
  desk.since[c.legId] = desk.since[m.from] || serverSince(c) || Date.now();
  if (i >= 0) desk.calls.splice(i, 1, c); else desk.calls.push(c);
  if (desk.selected === m.from) desk.selected = c.legId;
  desk.onDevice[c.legId] = m.device;
  delete desk.moving[m.from];
  delete desk.since[m.from];
  delete desk.onDevice[m.from];
});
cti.on('call.moveFailed', (m) => {
  if (!m.call) return;
  desk.moving[m.call.legId] = { device: m.device, state: 'failed', reason: m.reason || '' };
  toast(t('desk.move.failed', { device: t('desk.move.device.' + m.device) }), 'error');
});
/** AGENT-3: moves the call to another of our devices (number: the mobile's, for external). */
export async function moveCall(legId, device, number) {
  desk.moving[legId] = { device, state: 'ringing', reason: '' };
  try {
    return await command('device.switch', { legId, device, number: number || '' });
  } catch (e) {
    delete desk.moving[legId];
    return null;
  }
}

cti.on('monitor.alerts', (m) => {
  desk.alerts = Array.isArray(m.alerts) ? m.alerts : [];
  for (const a of m.raised || []) toast(alertText(a), a.level === 'red' ? 'error' : 'info');
});
// MSG-4: the caller's satisfaction survey after one of our calls; the call history shows the score.
function setSurvey(callId, survey) {
  let changed = false;
  for (const r of desk.recent) if (r.callId === callId) { r.survey = survey; changed = true; }
  if (changed) saveRecent();
}
cti.on('call.surveyed', (m) => setSurvey(m.callId, { result: m.result, score: m.score, reason: m.reason }));
/** The survey results of the recent calls that have none yet (e.g. surveyed while this desk was closed). */
export async function loadSurveys() {
  const ids = [...new Set(desk.recent.filter((r) => r.callId && !r.survey).map((r) => r.callId))];
  if (!ids.length) return;
  try {
    for (const s of await api.get('/agent/surveys', { calls: ids.join(',') })) setSurvey(s.callId, { result: s.result, score: s.score, reason: s.reason });
  } catch (e) { /* the history shows no score */ }
}
// IVR-4: the caller went into a verification flow and came back (or hung up there) with the flow's result.
cti.on('call.verification', (m) => {
  desk.verification[m.legId] = { flow: m.flow, status: m.status, result: m.result, variables: m.variables || {} };
});
cti.on('call.supervised', (m) => {
  if (m.mode) desk.supervised[m.legId] = m.mode;
  else delete desk.supervised[m.legId];
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
    cti: cti.state.status, hello: cti.state.hello, agent: desk.agent, calls: desk.calls, offeredAt: desk.offeredAt, since: desk.since,
    connecting: desk.connecting,
    ringing: ringer.playing, webrtc: { connection: phone.state.connection, server: phone.state.server, offers: phone.state.offers, active: phone.state.active,
      relayOnly: phone.state.relayOnly, iceServers: phone.state.iceServers },
    error: desk.error,
  })),
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

export async function dialNumber(number) {
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
/** The call the panels show: the one picked, else ringing, talking, held. */
export const current = computed(() => {
  const byLeg = desk.calls.find((c) => c.legId === desk.selected);
  if (byLeg) return byLeg;
  for (const s of ['ringing', 'talking', 'held', 'verifying']) {
    const c = desk.calls.find((x) => x.state === s);
    if (c) return c;
  }
  return null;
});

/** The consult leg beside a held original call, if any. */
export function consultPartner(c) {
  if (!c) return null;
  return desk.calls.find((x) => x.legId !== c.legId && x.state !== 'ringing' && (desk.autoAnswer[x.legId] || x.state === 'talking')) || null;
}

export function callTimer(c) {
  const s = desk.since[c.legId];
  return s ? clock((desk.now - s) / 1000) : '';
}
