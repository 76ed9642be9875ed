import { desk, cti_ok, dialNumber } from './store.js';

/** A phone number the agent can click to call it (AGENT-2). */
export const DialLink = {
  props: { number: String },
  setup() { return { desk, cti_ok }; },
  methods: {
    dial() { dialNumber(this.number); },
  },
  template: `<button v-if="number" type="button" class="num-link mono" data-testid="dial-link" :data-number="number" :disabled="!cti_ok || !desk.agent || desk.agent.state === 'logged_out'"
      :title="t('desk.clickToDial', { number })" @click="dial">{{ number }}</button><span v-else>—</span>`,
};
