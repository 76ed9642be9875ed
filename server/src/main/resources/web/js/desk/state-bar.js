import { api, t } from '../common.js';
import { clock } from '../format.js';
import { cti, phone, desk, cti_ok, showError } from './store.js';
import { CtiStatus } from './cti-status.js';

const POLL_MS = 3000;
const DEVICE_KEY = 'hotline.desk.device';

/** The agent's state bar: over CTI, or the HTTP routes while CTI is down. */
export const StateBar = {
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
