import { phone, desk, cti_ok, current, other, command, dialNumber, consultPartner, callTimer, shownState, moveCall } from './store.js';
import { deviceLabel } from '../format.js';
import { AudioDevices } from './audio-devices.js';
import { RecordControl } from './record-control.js';

/** Dial pad, answer / reject / hang up, hold, mute, DTMF, transfer, consult, three-party. */
export const Softphone = {
  components: { AudioDevices, RecordControl },
  setup() {
    return { desk, phone, cti_ok, current, keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] };
  },
  data() { return { number: '', target: '', dtmfSent: '', busy: false, flows: null, verifyFlow: '', mobile: '' }; },
  computed: {
    agent() { return desk.agent; },
    signedIn() { return !!this.agent && this.agent.state !== 'logged_out'; },
    webrtc() { return this.signedIn && this.agent.device === 'webrtc'; },
    call() { return current.value; },
    live() { return this.call && (this.call.state === 'talking' || this.call.state === 'held') ? this.call : null; },
    partner() { return this.call && this.call.state === 'held' ? consultPartner(this.call) : null; },
    /** AGENT-2: the server's consultation of the held call ({to, legId, state}: the consulted leg is not on this desk). */
    consultation() { return this.call && this.call.state === 'held' && this.call.consult ? this.call.consult : null; },
    consulting() { return !!this.consultation || (!!this.partner && (desk.consultOf[this.call.legId] || desk.calls.length > 1)); },
    phoneStatus() {
      if (!this.signedIn) return 'offline';
      if (this.agent.device !== 'webrtc') return 'device';
      const c = phone.state.connection;
      return c === 'connected' ? 'connected' : (c === 'failed' || c === 'disconnected' ? 'reconnecting' : 'connecting');
    },
    verification() { return this.call ? desk.verification[this.call.legId] || null : null; },
    /** The flow's variables the agent is shown: those it set, not the call's own (caller, callee, language). */
    verificationVars() {
      const v = this.verification ? this.verification.variables : {};
      return Object.keys(v).filter((k) => !['caller', 'callee', 'language'].includes(k)).sort().map((k) => ({ k, v: v[k] }));
    },
    /** AGENT-3: the device the live call is on now, and the others it can move to. */
    callDevice() { return this.live ? (desk.onDevice[this.live.legId] || this.agent.device) : null; },
    moveTargets() {
      if (!this.live || this.live.internal || this.consulting) return [];
      return ['webrtc', 'sip', 'external'].filter((d) => d !== this.callDevice && (d !== 'sip' || (this.agent && this.agent.extension))
        && (d !== 'webrtc' || this.agent.device === 'webrtc'));
    },
    moving() { return this.live ? desk.moving[this.live.legId] || null : null; },
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
    async loadFlows() {
      const r = await this.act('verification.flows', {});
      this.flows = Array.isArray(r) ? r : [];
      if (!this.verifyFlow && this.flows.length) this.verifyFlow = this.flows[0];
    },
    verify() { return this.act('verify', { legId: this.live.legId, flow: this.verifyFlow }); },
    complete() { return this.act('complete', { legId: this.call.legId }); },
    cancelConsult() { return this.consultation ? this.act('cancel', { legId: this.call.legId }) : this.hangup(this.partner); },
    conference() { return this.act('conference', { legId: this.call.legId }); },
    select(c) { desk.selected = c.legId; },
    async move(device) {
      this.busy = true;
      try { await moveCall(this.live.legId, device, device === 'external' ? this.mobile.trim() : ''); } finally { this.busy = false; }
    },
    other,
    callTimer,
    shownState,
    deviceLabel,
  },
  template: `
    <div class="panel" data-testid="agent-softphone">
      <div class="panel-head"><h2>{{ t('agent.softphone') }}</h2><span class="spacer" style="flex:1"></span>
        <span class="badge" :class="{ 'badge-ok': phoneStatus === 'connected' || phoneStatus === 'device', 'badge-off': phoneStatus === 'offline', 'badge-warn': phoneStatus === 'reconnecting' || phoneStatus === 'connecting' }"
          data-testid="desk-webrtc-state" :data-connection="phone.state.connection" :data-server="String(phone.state.server)">
          {{ phoneStatus === 'device' ? deviceLabel(agent.device, agent.deviceNumber) : t('desk.phone.' + phoneStatus) }}</span>
      </div>
      <div class="panel-body">
        <div v-if="desk.calls.length > 1" class="call-chips">
          <button v-for="c in desk.calls" :key="c.legId" type="button" class="call-chip" :class="['cs-' + c.state, { active: call && c.legId === call.legId }]"
            :data-testid="'desk-call-chip-' + c.legId" @click="select(c)">{{ other(c) }} · {{ t('desk.callState.' + shownState(c)) }}</button>
        </div>
        <div v-if="call" class="phone-call" :class="'cs-' + call.state" data-testid="desk-phone-call">
          <div class="mono big">{{ other(call) }}</div>
          <div class="muted"><span data-testid="desk-call-state" :data-state="call.state" :data-shown="shownState(call)">{{ t('desk.callState.' + shownState(call)) }}</span> · {{ callTimer(call) }}
            <span v-if="call.muted" class="badge badge-warn" data-testid="desk-muted">{{ t('desk.muted') }}</span>
            <span v-if="call.internal" class="badge" data-testid="desk-internal">{{ t('calls.direction.internal') }}</span></div>
        </div>
        <input type="tel" v-model="number" style="width:100%;height:40px;font-size:18px" :placeholder="t('agent.dialHint')" data-testid="desk-dial-input"
          :disabled="!!live" @keydown.enter="canDial && dial()">
        <div v-if="live && dtmfSent" class="muted mono" data-testid="desk-dtmf-sent">{{ t('desk.dtmfSent') }} {{ dtmfSent }}</div>
        <div class="dialpad"><button v-for="k in keys" :key="k" class="btn" :data-testid="'desk-key-' + (k === '*' ? 'star' : k === '#' ? 'hash' : k)"
          :disabled="!signedIn || (live && live.state !== 'talking')" @click="key(k)">{{ k }}</button></div>
        <div class="phone-actions">
          <template v-if="call && shownState(call) === 'connecting'">
            <span class="muted small" data-testid="desk-connecting">{{ t('desk.connectingHint') }}</span>
          </template>
          <template v-else-if="call && call.state === 'ringing'">
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
          <template v-else-if="call && call.state === 'verifying'">
            <span class="muted small" data-testid="desk-verifying">{{ t('desk.verifyingHint', { flow: verification ? verification.flow : '' }) }}</span>
            <button class="btn btn-danger" :disabled="busy" data-testid="desk-btn-hangup" @click="hangup()">{{ t('agent.hangup') }}</button>
          </template>
          <template v-else>
            <button class="btn btn-primary" :disabled="!canDial" data-testid="desk-btn-dial" @click="dial">{{ t('agent.call') }}</button>
            <button class="btn btn-danger" disabled>{{ t('agent.hangup') }}</button>
          </template>
        </div>
        <record-control v-if="live" :leg-id="live.legId"></record-control>
        <div v-if="live && !live.internal" class="transfer-box" data-testid="desk-transfer">
          <div class="field-label">{{ t('desk.transferTo') }}</div>
          <input type="text" v-model="target" :placeholder="t('desk.transferHint')" data-testid="desk-transfer-to">
          <div class="phone-actions">
            <button class="btn" :disabled="busy || !target.trim()" data-testid="desk-btn-transfer" @click="transfer">{{ t('desk.blindTransfer') }}</button>
            <button class="btn" :disabled="busy || !target.trim()" data-testid="desk-btn-consult" @click="consult">{{ t('desk.consult') }}</button>
          </div>
        </div>
        <div v-if="moveTargets.length" class="transfer-box" data-testid="desk-move" :data-device="callDevice">
          <div class="field-label">{{ t('desk.move.title', { device: t('desk.move.device.' + callDevice) }) }}</div>
          <div v-if="moving && moving.state === 'ringing'" class="muted small" data-testid="desk-move-ringing">{{ t('desk.move.ringing', { device: t('desk.move.device.' + moving.device) }) }}</div>
          <div v-else-if="moving && moving.state === 'failed'" class="alert alert-error small" data-testid="desk-move-failed">{{ t('desk.move.failed', { device: t('desk.move.device.' + moving.device) }) }}</div>
          <input v-if="moveTargets.includes('external')" type="tel" v-model="mobile" :placeholder="t('desk.move.mobileHint')" data-testid="desk-move-number">
          <div class="phone-actions">
            <button v-for="d in moveTargets" :key="d" class="btn" :disabled="busy || (moving && moving.state === 'ringing') || (d === 'external' && !mobile.trim())"
              :data-testid="'desk-btn-move-' + d" @click="move(d)">{{ t('desk.move.to.' + d) }}</button>
          </div>
        </div>
        <div v-if="live && !live.internal && live.state === 'talking'" class="transfer-box" data-testid="desk-verify">
          <div class="field-label">{{ t('desk.verify') }}</div>
          <button v-if="flows === null" class="btn btn-sm" :disabled="busy" data-testid="desk-verify-load" @click="loadFlows">{{ t('desk.verifyChoose') }}</button>
          <template v-else-if="flows.length">
            <select v-model="verifyFlow" data-testid="desk-verify-flow"><option v-for="f in flows" :key="f" :value="f">{{ f }}</option></select>
            <button class="btn" :disabled="busy || !verifyFlow" data-testid="desk-btn-verify" @click="verify">{{ t('desk.verifySend') }}</button>
          </template>
          <div v-else class="muted small" data-testid="desk-verify-none">{{ t('desk.verifyNoFlows') }}</div>
        </div>
        <div v-if="verification && verification.status !== 'started'" class="alert" :class="verification.status === 'returned' ? 'alert-info' : 'alert-error'"
          data-testid="desk-verify-result" :data-status="verification.status" :data-result="verification.result || ''">
          <div><b>{{ t('desk.verifyResult', { flow: verification.flow }) }}</b>
            {{ verification.status === 'returned' ? (verification.result || '—') : t('desk.verifyCallerLeft') }}</div>
          <div v-for="x in verificationVars" :key="x.k" class="small mono">{{ x.k }} = {{ x.v }}</div>
        </div>
        <div v-if="consulting" class="transfer-box" data-testid="desk-consulting">
          <div class="muted" data-testid="desk-consult-with" :data-state="consultation ? consultation.state : 'talking'">{{ t('desk.consultWith', { number: consultation ? consultation.to : other(partner) }) }}</div>
          <div class="phone-actions">
            <button class="btn btn-primary" :disabled="busy || consultation && consultation.state !== 'talking'" data-testid="desk-btn-complete" @click="complete">{{ t('desk.complete') }}</button>
            <button class="btn" :disabled="busy || consultation && consultation.state !== 'talking'" data-testid="desk-btn-conference" @click="conference">{{ t('desk.conference') }}</button>
            <button class="btn btn-danger span-2" :disabled="busy" data-testid="desk-btn-cancel-consult" @click="cancelConsult">{{ t('desk.cancelConsult') }}</button>
          </div>
        </div>
        <div v-if="desk.error" class="alert alert-error" style="margin-top:12px" data-testid="desk-error" :data-code="desk.error.code">{{ desk.error.text }}
          <button type="button" class="icon-btn" :aria-label="t('common.close')" @click="desk.error = null">×</button></div>
        <audio-devices v-if="webrtc || (!signedIn && phone.state.inputs.length)"></audio-devices>
      </div>
    </div>`,
};
