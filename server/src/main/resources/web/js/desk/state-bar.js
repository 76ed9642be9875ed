import { api, t } from '../common.js';
import { clock, deviceLabel } from '../format.js';
import { cti, phone, desk, cti_ok, showError } from './store.js';
import { CtiStatus } from './cti-status.js';

const POLL_MS = 3000;
const DEVICE_KEY = 'hotline.desk.device.';
const DEVICES = ['webrtc', 'sip', 'external'];

/** The device the agent used last (per user), else the browser phone, which rings wherever the desk is open. */
function lastDevice(me) {
  let d = '';
  try { d = localStorage.getItem(DEVICE_KEY + me.id) || ''; } catch (e) { d = ''; }
  return DEVICES.includes(d) && !(d === 'sip' && !me.extension) ? d : 'webrtc';
}

/** The page's own address over HTTPS on the server's HTTPS port ({@code /api/v1/server-info}); '' when HTTPS is off. */
function httpsAddress(port) {
  if (!(port > 0)) return '';
  return 'https://' + location.hostname + (port === 443 ? '' : ':' + port) + location.pathname;
}

/**
 * The agent's state bar: over CTI, or the HTTP routes while CTI is down. The device picker defaults to the
 * browser phone (or the last device used); a SIP phone that is not registered is said so and the agent cannot
 * go Ready on it; on an insecure origin the browser phone cannot reach the microphone, the bar says to use HTTPS.
 */
export const StateBar = {
  props: { me: Object },
  components: { CtiStatus },
  setup() { return { desk, cti, phone, cti_ok }; },
  data() {
    return { httpReasons: [], device: lastDevice(this.me), number: '', reason: '', busy: false, error: null, timer: null,
      secure: window.isSecureContext !== false, httpsUrl: '', httpsKnown: false, sipReg: 'unknown' };
  },
  async created() {
    if (!this.secure) this.loadServerInfo();
    this.checkSip();
    try { this.httpReasons = await api.get('/reason-codes'); } catch (e) { this.httpReasons = []; }
    if (!this.reason && this.reasons.length) this.reason = this.reasons[0].code;
    if (!cti_ok.value) await this.load();
    this.timer = setInterval(() => {
      if (!cti_ok.value) this.load();
      if (this.sipInUse) this.checkSip();
    }, POLL_MS);
  },
  unmounted() { clearInterval(this.timer); },
  watch: {
    reasons(list) { if (list.length && !list.some((r) => r.code === this.reason)) this.reason = list[0].code; },
    device(d) { if (d === 'sip') this.checkSip(); },
  },
  computed: {
    view() { return desk.agent; },
    reasons() { return desk.reasons.length ? desk.reasons : this.httpReasons; },
    state() { return this.view ? this.view.state : 'logged_out'; },
    signedIn() { return this.state !== 'logged_out'; },
    elapsed() { return this.view && this.view.since && this.signedIn ? clock((desk.now - Date.parse(this.view.since)) / 1000) : ''; },
    /** The SIP phone is the device chosen or signed in with. */
    sipInUse() { return this.signedIn ? this.view.device === 'sip' : this.device === 'sip'; },
    /** The SIP phone cannot ring: not registered (from the registrations, or the server's view of a signed-in agent). */
    sipDown() {
      return this.sipInUse && (this.sipReg === 'unregistered' || (this.signedIn && this.view.deviceReachable === false));
    },
    deviceText() { return this.view ? deviceLabel(this.view.device, this.view.deviceNumber) : ''; },
    webrtcBlocked() { return !this.secure && (this.signedIn ? this.view.device === 'webrtc' : this.device === 'webrtc'); },
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
    async loadServerInfo() {
      try { this.httpsUrl = httpsAddress(Number((await api.get('/server-info')).httpsPort)); } catch (e) { this.httpsUrl = ''; }
      this.httpsKnown = true;
    },
    /** Whether the agent's extension has a live registration (needs extension.read; unknown otherwise). */
    async checkSip() {
      if (!this.me.extension || !this.can('extension.read')) { this.sipReg = 'unknown'; return; }
      try {
        const regs = await api.get('/registrations');
        this.sipReg = (regs || []).some((r) => String(r.extension) === String(this.me.extension)) ? 'registered' : 'unregistered';
      } catch (e) { this.sipReg = 'unknown'; }
    },
    useBrowserPhone() { this.device = 'webrtc'; },
    async login() {
      const device = this.device;
      if (device === 'sip') await this.checkSip();
      if (device === 'sip' && this.sipReg === 'unregistered') return;
      if (device === 'webrtc') {
        if (!this.secure) { showError('login', { code: 'failed', message: t('desk.needsHttps'), cti: true }); return; }
        if (!cti_ok.value) { showError('login', { code: 'network', message: t('desk.needsCti'), cti: true }); return; }
        try { await phone.prepare(); } catch (e) { showError('login', { code: 'failed', message: t('desk.micRefused', { reason: e.name || e.message }), cti: true }); return; }
      }
      const body = device === 'external' ? { device, number: this.number.trim() } : { device };
      await this.act('login', body, () => api.post('/agent/session', body));
      try { localStorage.setItem(DEVICE_KEY + this.me.id, device); } catch (e) { /* private mode */ }
    },
    logout() { return this.act('logout', {}, () => api.del('/agent/session')); },
    ready() {
      if (this.sipDown) return null;
      return this.act('state', { state: 'ready' }, () => api.put('/agent/state', { state: 'ready' }));
    },
    notReady() { return this.act('state', { state: 'not_ready', reason: this.reason }, () => api.put('/agent/state', { state: 'not_ready', reason: this.reason })); },
    numberError() { return this.error && this.error.fields ? this.error.fields().number : null; },
  },
  template: `
    <div v-if="!secure" class="alert alert-warn desk-notice" data-testid="desk-insecure">
      <b>{{ t('desk.insecureTitle') }}</b> {{ t('desk.insecureText') }}
      <a v-if="httpsUrl" :href="httpsUrl" class="btn btn-sm btn-primary" data-testid="desk-https-link">{{ t('desk.openHttps', { url: httpsUrl }) }}</a>
      <span v-else-if="httpsKnown" data-testid="desk-https-off">{{ t('desk.httpsOff') }}</span>
    </div>
    <div v-if="sipDown" class="alert alert-warn desk-notice" data-testid="desk-sip-unregistered">
      {{ t('desk.sipUnregistered', { extension: me.extension }) }}
      <button v-if="!signedIn" type="button" class="btn btn-sm" data-testid="desk-use-browser-phone" @click="useBrowserPhone">{{ t('desk.useBrowserPhone') }}</button>
    </div>
    <div class="panel statebar" data-testid="agent-statebar">
      <span class="state" :class="'st-' + state" data-testid="agent-state"><span class="dot"></span>{{ t('agentState.' + state) }}</span>
      <span v-if="reasonName" class="badge" data-testid="agent-reason">{{ reasonName }}</span>
      <span v-if="elapsed" class="mono" data-testid="agent-timer" :title="t('agent.timeInState')">{{ elapsed }}</span>
      <span v-if="signedIn && view.device" class="muted" data-testid="agent-device">{{ deviceText }}</span>
      <template v-if="!signedIn">
        <select v-model="device" data-testid="agent-device-kind" style="width:auto" :title="t('desk.deviceChoice')">
          <option value="webrtc">{{ t('device.webrtc') }}</option>
          <option value="sip" :disabled="!me.extension">{{ me.extension ? t('device.sipNumber', { number: me.extension }) : t('device.sip') }}</option>
          <option value="external">{{ t('device.external') }}</option>
        </select>
        <input v-if="device === 'external'" type="tel" v-model="number" :placeholder="t('agent.externalNumber')" data-testid="agent-device-number"
          :class="{ invalid: numberError() }" style="width:170px">
        <button class="btn btn-primary" :disabled="busy || (device === 'external' && !number.trim()) || sipDown || webrtcBlocked" data-testid="agent-btn-checkIn" @click="login">{{ t('agent.action.checkIn') }}</button>
      </template>
      <button class="btn" :class="{ 'btn-primary': signedIn && (state === 'not_ready' || state === 'wrap_up') }" :disabled="busy || !signedIn || state === 'ready' || sipDown" :title="sipDown ? t('desk.sipUnregistered', { extension: me.extension }) : null" data-testid="agent-btn-ready" @click="ready">{{ t('agent.action.ready') }}</button>
      <select v-model="reason" :disabled="!signedIn" data-testid="agent-reason-select" style="width:auto" :title="t('agent.reason')">
        <option v-for="r in reasons" :key="r.code" :value="r.code">{{ r.name }}</option>
      </select>
      <button class="btn" :disabled="busy || !signedIn || !reason" data-testid="agent-btn-notReady" @click="notReady">{{ t('agent.action.notReady') }}</button>
      <span class="spacer" style="flex:1"></span>
      <cti-status></cti-status>
      <button v-if="signedIn" class="btn btn-danger" :disabled="busy" data-testid="agent-btn-checkOut" @click="logout">{{ t('agent.action.checkOut') }}</button>
    </div>`,
};
