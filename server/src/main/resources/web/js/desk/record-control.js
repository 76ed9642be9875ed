import { api, t, toastError } from '../common.js';

/**
 * REC-1 on demand: record the call in progress, pause while the customer reads out a card number (silence is written
 * and the gap marked), resume, stop. Talks to POST /live-calls/{legId}/recording.
 */
export const RecordControl = {
  props: { legId: { type: String, required: true } },
  data() { return { state: null, busy: false }; },
  watch: { legId: { immediate: true, handler() { this.load(); } } },
  methods: {
    t,
    async load() {
      try { this.state = await api.get('/live-calls/' + encodeURIComponent(this.legId) + '/recording'); } catch (e) { this.state = null; }
    },
    async act(action) {
      this.busy = true;
      try {
        this.state = await api.post('/live-calls/' + encodeURIComponent(this.legId) + '/recording', { action });
      } catch (e) {
        toastError(e);
        await this.load();
      } finally {
        this.busy = false;
      }
    },
  },
  template: `
    <div class="phone-actions" data-testid="desk-recording">
      <template v-if="state && state.recording">
        <span class="small" :class="state.paused ? 'muted' : 'text-danger'" data-testid="desk-recording-state">{{ t(state.paused ? 'desk.recPaused' : 'desk.recOn') }}</span>
        <button v-if="!state.paused" class="btn" :disabled="busy" data-testid="desk-btn-rec-pause" @click="act('pause')">{{ t('desk.recPause') }}</button>
        <button v-else class="btn btn-primary" :disabled="busy" data-testid="desk-btn-rec-resume" @click="act('resume')">{{ t('desk.recResume') }}</button>
        <button class="btn" :disabled="busy" data-testid="desk-btn-rec-stop" @click="act('stop')">{{ t('desk.recStop') }}</button>
      </template>
      <button v-else class="btn" :disabled="busy || !state" data-testid="desk-btn-rec-start" @click="act('start')">{{ t('desk.recStart') }}</button>
    </div>`,
};
