import { cti, desk } from './store.js';

/** CTI connection state, with a retry / take over button. */
export const CtiStatus = {
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
