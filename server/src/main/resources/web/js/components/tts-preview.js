// The text-to-speech preview button, used on the prompts page and in the flow editor.

import { t, errorText, fieldErrorText } from '../common.js';
import { guessLanguage, ttsUrl } from '../media.js';

/**
 * A "Preview" button that speaks a text through GET /tts/preview and plays it in an <audio>
 * element; 503 tts_unavailable and refusals show as a message beside the button.
 */
export const TtsPreview = {
  props: { text: String, language: String, testid: { type: String, default: 'tts-preview' } },
  data() { return { url: null, src: null, busy: false, error: null }; },
  unmounted() { this.release(); },
  watch: { text() { this.error = null; } },
  methods: {
    release() { if (this.url) URL.revokeObjectURL(this.url); this.url = null; },
    async preview() {
      const text = String(this.text || '').trim();
      this.error = null;
      if (!text) { this.error = t('tts.emptyText'); return; }
      const src = ttsUrl(text, this.language || guessLanguage(text));
      this.busy = true;
      try {
        const res = await fetch(src, { credentials: 'same-origin', cache: 'no-store' });
        if (!res.ok) {
          let body = null;
          try { body = await res.json(); } catch (e) { body = null; }
          if (res.status === 503) this.error = t('tts.unavailable');
          else if (res.status === 400 && body && Array.isArray(body.fieldErrors) && body.fieldErrors.length) {
            this.error = body.fieldErrors.map((fe) => fieldErrorText(fe.message)).join('; ');
          } else this.error = errorText({ code: (body && body.code) || 'internal', message: (body && body.message) || ('HTTP ' + res.status) });
          return;
        }
        const blob = await res.blob();
        this.release();
        this.url = URL.createObjectURL(blob);
        this.src = src;
        await this.$nextTick();
        const a = this.$refs.audio;
        if (a && a.play) a.play().catch(() => { /* autoplay refused: the controls are there */ });
      } catch (e) {
        this.error = errorText({ code: 'network', message: String(e) });
      } finally { this.busy = false; }
    },
  },
  template: `
    <span class="tts-preview">
      <button type="button" class="btn btn-sm" :data-testid="testid" :disabled="busy" :title="t('tts.previewHint')" @click="preview">▶ {{ busy ? t('tts.previewing') : t('tts.preview') }}</button>
      <audio v-if="url" ref="audio" class="player" controls :src="url" :data-src="src" :data-testid="testid + '-audio'"></audio>
      <span v-if="error" class="field-error" role="alert" :data-testid="testid + '-error'">{{ error }}</span>
    </span>`,
};
