// Agent desktop: the state bar (AGENT-1, AGENT-3: log in on a SIP phone or an outside number, ready / not ready
// with a reason, log out, time in state); softphone and call panels arrive in later issues.

import { api, boot, mountApp, hasConsoleAccess, titleFrom, t, toastError } from './common.js';
import { VoicemailList } from './pages/voicemail.js';
import { clock } from './clock.js';

const POLL_MS = 3000;

/** The agent's state bar: GET/PUT /agent/state, POST/DELETE /agent/session. */
const StateBar = {
  props: { me: Object },
  data() {
    return { view: null, reasons: [], device: 'sip', number: '', reason: '', busy: false, error: null, now: Date.now(), timer: null, ticker: null };
  },
  async created() {
    try { this.reasons = await api.get('/reason-codes'); } catch (e) { this.reasons = []; }
    if (this.reasons.length) this.reason = this.reasons[0].code;
    if (!this.me.extension) this.device = 'external';
    await this.load();
    this.timer = setInterval(this.load, POLL_MS);
    this.ticker = setInterval(() => { this.now = Date.now(); }, 1000);
  },
  unmounted() {
    clearInterval(this.timer);
    clearInterval(this.ticker);
  },
  computed: {
    state() { return this.view ? this.view.state : 'logged_out'; },
    signedIn() { return this.state !== 'logged_out'; },
    elapsed() { return this.view && this.view.since && this.signedIn ? clock((this.now - Date.parse(this.view.since)) / 1000) : ''; },
    reasonName() {
      if (this.state !== 'not_ready' || !this.view.reason) return '';
      const r = this.reasons.find((x) => x.code === this.view.reason);
      return r ? r.name : (this.view.reason === 'login' ? t('agentReason.login') : this.view.reason);
    },
  },
  methods: {
    async load() {
      try { this.view = await api.get('/agent/state'); } catch (e) { /* shown on the next action */ }
      this.now = Date.now();
    },
    async run(fn) {
      this.busy = true; this.error = null;
      try { this.view = await fn(); } catch (e) { this.error = e; toastError(e); } finally { this.busy = false; this.now = Date.now(); }
    },
    login() { return this.run(() => api.post('/agent/session', this.device === 'external' ? { device: 'external', number: this.number.trim() } : { device: 'sip' })); },
    logout() { return this.run(() => api.del('/agent/session')); },
    ready() { return this.run(() => api.put('/agent/state', { state: 'ready' })); },
    notReady() { return this.run(() => api.put('/agent/state', { state: 'not_ready', reason: this.reason })); },
    numberError() { return this.error && this.error.fields ? this.error.fields().number : null; },
  },
  template: `
    <div class="panel statebar" data-testid="agent-statebar">
      <span class="state" :class="'st-' + state" data-testid="agent-state"><span class="dot"></span>{{ t('agentState.' + state) }}</span>
      <span v-if="reasonName" class="badge" data-testid="agent-reason">{{ reasonName }}</span>
      <span v-if="elapsed" class="mono" data-testid="agent-timer" :title="t('agent.timeInState')">{{ elapsed }}</span>
      <span v-if="signedIn && view.device" class="muted" data-testid="agent-device">{{ t('device.' + view.device) }} {{ view.deviceNumber || '' }}</span>
      <template v-if="!signedIn">
        <select v-model="device" data-testid="agent-device-kind" style="width:auto">
          <option value="sip" :disabled="!me.extension">{{ t('device.sip') }}{{ me.extension ? ' ' + me.extension : '' }}</option>
          <option value="external">{{ t('device.external') }}</option>
        </select>
        <input v-if="device === 'external'" type="tel" v-model="number" :placeholder="t('agent.externalNumber')" data-testid="agent-device-number"
          :class="{ invalid: numberError() }" style="width:170px">
        <button class="btn btn-primary" :disabled="busy || (device === 'external' && !number.trim())" data-testid="agent-btn-checkIn" @click="login">{{ t('agent.action.checkIn') }}</button>
      </template>
      <button class="btn" :class="{ 'btn-primary': signedIn && state !== 'ready' }" :disabled="busy || !signedIn || state === 'ready'" data-testid="agent-btn-ready" @click="ready">{{ t('agent.action.ready') }}</button>
      <select v-model="reason" :disabled="!signedIn" data-testid="agent-reason-select" style="width:auto" :title="t('agent.reason')">
        <option v-for="r in reasons" :key="r.code" :value="r.code">{{ r.name }}</option>
      </select>
      <button class="btn" :disabled="busy || !signedIn || !reason" data-testid="agent-btn-notReady" @click="notReady">{{ t('agent.action.notReady') }}</button>
      <span class="spacer" style="flex:1"></span>
      <button v-if="signedIn" class="btn btn-danger" :disabled="busy" data-testid="agent-btn-checkOut" @click="logout">{{ t('agent.action.checkOut') }}</button>
    </div>`,
};

const PHONE = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.6"><path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z"/></svg>';
const PERSON = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.6"><circle cx="12" cy="8" r="4"/><path d="M4 21v-1a8 8 0 0 1 16 0v1"/></svg>';

const me = await boot();
if (me) {
  const Desk = {
    components: { VoicemailList, StateBar },
    setup() {
      return {
        me, PHONE, PERSON,
        keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'],
        consoleLink: hasConsoleAccess(me),
      };
    },
    template: `
      <app-header :me="me" title-key="agent.title">
        <a v-if="consoleLink" class="toplink" href="/" data-testid="link-console">{{ t('nav.console') }}</a>
      </app-header>
      <div v-if="!can('agent.desk')" class="center-msg" data-testid="no-access">{{ t('agent.noAccess') }}</div>
      <div v-else class="desk" data-testid="agent-desk">
        <state-bar :me="me"></state-bar>
        <div class="desk-grid">
          <div class="desk-col">
            <div class="panel" data-testid="agent-softphone">
              <div class="panel-head"><h2>{{ t('agent.softphone') }}</h2><span class="spacer" style="flex:1"></span><span class="badge badge-off">{{ t('agent.phoneOffline') }}</span></div>
              <div class="panel-body">
                <input type="text" disabled style="width:100%;height:40px;font-size:18px" :placeholder="t('agent.dialHint')">
                <div class="dialpad"><button v-for="k in keys" :key="k" class="btn" disabled>{{ k }}</button></div>
                <div class="phone-actions">
                  <button class="btn btn-primary" disabled>{{ t('agent.call') }}</button>
                  <button class="btn btn-danger" disabled>{{ t('agent.hangup') }}</button>
                </div>
                <div class="alert alert-info" style="margin-top:12px" data-testid="agent-softphone-coming">{{ t('agent.softphoneComing') }}</div>
              </div>
            </div>
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
            <div class="panel">
              <div class="panel-head"><h2>{{ t('agent.currentCall') }}</h2></div>
              <div class="placeholder"><span v-html="PHONE"></span><div>{{ t('agent.noCall') }}</div></div>
            </div>
            <div class="panel">
              <div class="panel-head"><h2>{{ t('agent.customer') }}</h2></div>
              <div class="placeholder"><span v-html="PERSON"></span><div>{{ t('agent.customerEmpty') }}</div></div>
            </div>
            <div class="panel table-wrap">
              <div class="panel-head"><h2>{{ t('agent.recentCalls') }}</h2></div>
              <table class="grid" data-testid="agent-recent-calls">
                <thead><tr><th>{{ t('agent.col.time') }}</th><th>{{ t('agent.col.direction') }}</th><th>{{ t('agent.col.number') }}</th><th>{{ t('agent.col.duration') }}</th><th>{{ t('agent.col.result') }}</th></tr></thead>
                <tbody><tr><td class="empty" colspan="5">{{ t('agent.noCalls') }}</td></tr></tbody>
              </table>
            </div>
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
}
