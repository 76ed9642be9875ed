// Browser media (MEDIA-6): whether browsers (the agents' browser phones, the "call us" widget) are answered with Opus
// when they offer it, or with G.711 only. GET/PUT /api/v1/settings/webrtc; read-only without routing.write; the
// server's 400 is shown on the field it names. Desks connected with the other codec offer again once they have no call.

import { api, t, toast, toastError } from '../common.js';
import { fieldErrorText } from '../i18n.js';

export const WebRtcSettingsPage = {
  data() { return { form: null, errors: {}, error: null, saving: false }; },
  computed: {
    writable() { return this.can('routing.write'); },
  },
  created() { this.load(); },
  methods: {
    fieldErrorText,
    async load() {
      try {
        const s = await api.get('/settings/webrtc');
        this.form = { opus: s.opus };
      } catch (e) { toastError(e); }
    },
    async save() {
      this.errors = {};
      this.error = null;
      this.saving = true;
      try {
        const s = await api.put('/settings/webrtc', { opus: this.form.opus });
        this.form = { opus: s.opus };
        toast(t('common.saved'));
      } catch (e) {
        this.errors = e.fields ? e.fields() : {};
        this.error = e;
      } finally { this.saving = false; }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('webrtcSettings.title') }}</h1>
      <span class="sub">{{ t('webrtcSettings.subtitle') }}</span>
    </div>
    <form v-if="form" @submit.prevent="save" novalidate data-testid="webrtc-settings-form">
      <div class="panel">
        <div class="panel-body">
          <fieldset class="plain field" :class="{ invalid: !!errors.opus }" :disabled="!writable" role="radiogroup" data-testid="webrtc-codec">
            <legend class="field-label">{{ t('webrtcSettings.codec') }}</legend>
            <label class="check"><input type="radio" name="webrtc-codec" :value="true" v-model="form.opus" data-testid="webrtc-opus-on">
              {{ t('webrtcSettings.opusOn') }}</label>
            <label class="check"><input type="radio" name="webrtc-codec" :value="false" v-model="form.opus" data-testid="webrtc-opus-off">
              {{ t('webrtcSettings.opusOff') }}</label>
            <span v-if="errors.opus" class="field-error" data-testid="webrtc-opus-error">{{ fieldErrorText(errors.opus) }}</span>
            <span v-else class="field-hint">{{ t('webrtcSettings.codecHint') }}</span>
          </fieldset>
          <p class="muted small" data-testid="webrtc-reoffer-note">{{ t('webrtcSettings.inForce') }}</p>
          <p v-if="!writable" class="muted small" data-testid="webrtc-read-only">{{ t('webrtcSettings.readOnly') }}</p>
        </div>
      </div>
      <form-alert :error="error" :known="['opus']" testid="webrtc-settings-alert"></form-alert>
      <div v-if="writable" class="toolbar"><button type="submit" class="btn btn-primary" :disabled="saving" data-testid="webrtc-settings-save">{{ t('common.save') }}</button></div>
    </form>`,
};
