import { clock } from '../format.js';
import { desk, run, shownState } from './store.js';
import { DialLink } from './dial-link.js';

/** The ringing banner: visible (and audible) as soon as a call is offered, before answering. */
export const IncomingBanner = {
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
    shownState,
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
        <div v-if="c.path && c.path.page" class="small" data-testid="desk-incoming-web">{{ t('desk.webPage') }}:
          <a :href="c.path.page" target="_blank" rel="noopener noreferrer" class="mono" data-testid="desk-incoming-page">{{ c.path.page }}</a></div>
      </div>
      <span v-if="shownState(c) === 'connecting'" class="badge badge-blue" data-testid="desk-banner-connecting">{{ t('desk.callState.connecting') }}</span>
      <template v-else>
        <button v-if="webrtc" class="btn btn-ok" data-testid="desk-banner-answer" @click="answer(c)">{{ t('desk.answer') }}</button>
        <button class="btn btn-danger-solid" data-testid="desk-banner-reject" @click="reject(c)">{{ t('desk.reject') }}</button>
      </template>
    </div>`,
};
