import { t } from '../common.js';
import { phone, showError } from './store.js';

/** Microphone / speaker choice and the level meter of the browser phone. */
export const AudioDevices = {
  setup() { return { phone }; },
  async created() { await phone.listDevices(); },
  methods: {
    async pickInput(e) { try { await phone.setInput(e.target.value); } catch (err) { showError('device', { code: 'failed', message: err.name || err.message, cti: true }); } },
    async pickOutput(e) { await phone.setOutput(e.target.value); },
    async test() { try { await phone.prepare(); } catch (err) { showError('device', { code: 'failed', message: t('desk.micRefused', { reason: err.name || err.message }), cti: true }); } },
  },
  template: `
    <div class="audio-devices" data-testid="desk-audio">
      <label class="field"><span class="field-label">{{ t('desk.microphone') }}</span>
        <select :value="phone.state.input" data-testid="desk-input" @change="pickInput">
          <option value="">{{ t('desk.defaultDevice') }}</option>
          <option v-for="d in phone.state.inputs" :key="d.id" :value="d.id">{{ d.label }}</option>
        </select>
      </label>
      <label class="field" v-if="phone.state.sinkSupported"><span class="field-label">{{ t('desk.speaker') }}</span>
        <select :value="phone.state.output" data-testid="desk-output" @change="pickOutput">
          <option value="">{{ t('desk.defaultDevice') }}</option>
          <option v-for="d in phone.state.outputs" :key="d.id" :value="d.id">{{ d.label }}</option>
        </select>
      </label>
      <div class="meter-row">
        <span class="field-label">{{ t('desk.micLevel') }}</span>
        <div class="meter" data-testid="desk-mic-level" :data-level="phone.state.level.toFixed(2)" :title="t('desk.micLevel')">
          <div class="meter-bar" :style="{ width: Math.round(phone.state.level * 100) + '%' }"></div>
        </div>
        <button v-if="!phone.state.mic" type="button" class="btn btn-sm" data-testid="desk-mic-test" @click="test">{{ t('desk.micTest') }}</button>
      </div>
    </div>`,
};
