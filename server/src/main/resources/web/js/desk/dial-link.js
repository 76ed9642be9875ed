import { desk, cti_ok, dialNumber } from './store.js';

/**
 * What the server's dial command takes of a number as people write it (an address book's "139 0000 1234",
 * "010-6500 0072 ext 12"): "+", digits, * and #; spaces, dashes, dots and brackets dropped, an extension left out.
 */
export function dialable(number) {
  const s = String(number || '').trim().replace(/\s*(;ext=|ext\.?|extension|x|转|分机)\s*\d{1,10}$/i, '');
  return s.replace(/[\s\-.()\u00a0/（）]/g, '').replace('＋', '+');
}

/**
 * A phone number the agent can click to call it (AGENT-2); the number shown as written, dialled as {@link dialable}. A masked
 * number (CRM-5) comes with the server's reference ({@code dial-ref}), which is what is dialled then.
 */
export const DialLink = {
  props: { number: String, dialRef: String },
  setup() { return { desk, cti_ok }; },
  methods: {
    dial() { dialNumber(this.dialRef || dialable(this.number)); },
  },
  template: `<button v-if="number" type="button" class="num-link mono" data-testid="dial-link" :data-number="number" :disabled="!cti_ok || !desk.agent || desk.agent.state === 'logged_out'"
      :title="t('desk.clickToDial', { number })" @click="dial">{{ number }}</button><span v-else>—</span>`,
};
