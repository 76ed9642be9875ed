// MSG-1: the agent's own voicemail greeting, on the desk under their box: play the current one, record a new one in
// the browser (MediaRecorder; the recording is decoded and sent as a WAV, which the server converts like any upload),
// upload a WAV or MP3 instead, or go back to the default ("please leave a message after the tone").
// API: /voicemail/boxes/extension/{ext}/greeting (GET, PUT multipart 'file', DELETE, /audio).

import { api, t, toast, toastError, errorText, fieldErrorText, confirmDialog } from '../common.js';
import { MAX_UPLOAD_BYTES } from '../upload.js';

function greetingPath(ext) { return '/voicemail/boxes/extension/' + encodeURIComponent(ext) + '/greeting'; }

/** Mono 16-bit PCM WAV (RIFF) of float samples in [-1, 1] at {@code rate}: what the browser decoded from its recording. */
export function wavOf(samples, rate) {
  const data = samples.length * 2;
  const buf = new ArrayBuffer(44 + data);
  const v = new DataView(buf);
  const str = (o, s) => { for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); };
  str(0, 'RIFF'); v.setUint32(4, 36 + data, true); str(8, 'WAVE');
  str(12, 'fmt '); v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
  v.setUint32(24, rate, true); v.setUint32(28, rate * 2, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true);
  str(36, 'data'); v.setUint32(40, data, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    v.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return new Blob([buf], { type: 'audio/wav' });
}

/** The longest recording kept (then it stops by itself). */
const MAX_RECORD_MS = 60000;

export const GreetingControl = {
  props: { extension: { type: String, required: true } },
  data() {
    return { greeting: null, loaded: false, version: 0, recording: false, recorder: null, stream: null, startedAt: 0, elapsed: 0,
      timer: null, file: null, busy: false, error: null };
  },
  computed: {
    audioUrl() { return this.greeting ? '/api/v1' + greetingPath(this.extension) + '/audio?v=' + this.version + '-' + this.greeting.sizeBytes : ''; },
    canRecord() { return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.MediaRecorder); },
  },
  created() { this.load(); },
  unmounted() { this.stopTracks(); clearInterval(this.timer); },
  methods: {
    async load() {
      try {
        this.greeting = await api.get(greetingPath(this.extension));
      } catch (e) {
        this.greeting = null;
        if (e.status !== 404) this.error = errorText(e);
      }
      this.loaded = true;
    },
    fmt(ms) { const s = Math.round(ms / 1000); return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0'); },
    pick(ev) { this.error = null; this.file = (ev.target.files && ev.target.files[0]) || null; },
    async send(file) {
      if (file.size > MAX_UPLOAD_BYTES) { this.error = t('agent.greeting.tooLarge'); return; }
      this.busy = true;
      this.error = null;
      try {
        this.greeting = await api.uploadPut(greetingPath(this.extension), file);
        this.version++;
        toast(t('agent.greeting.saved'));
        this.file = null;
        if (this.$refs.file) this.$refs.file.value = '';
      } catch (e) {
        const fe = (e.fieldErrors || []).map((x) => fieldErrorText(x.message));
        this.error = t('agent.greeting.refused', { reason: fe.length ? fe.join('; ') : errorText(e) });
      } finally { this.busy = false; }
    },
    upload() {
      if (!this.file) { this.error = t('agent.greeting.chooseFile'); return; }
      this.send(this.file);
    },
    async record() {
      this.error = null;
      try {
        this.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (e) {
        this.error = t('agent.greeting.noMicrophone');
        return;
      }
      const chunks = [];
      this.recorder = new MediaRecorder(this.stream);
      this.recorder.ondataavailable = (ev) => { if (ev.data && ev.data.size) chunks.push(ev.data); };
      this.recorder.onstop = () => this.recorded(new Blob(chunks, { type: this.recorder.mimeType || 'audio/webm' }));
      this.recorder.start();
      this.recording = true;
      this.startedAt = Date.now();
      this.elapsed = 0;
      this.timer = setInterval(() => {
        this.elapsed = Date.now() - this.startedAt;
        if (this.elapsed >= MAX_RECORD_MS) this.stop();
      }, 250);
    },
    stop() {
      clearInterval(this.timer);
      if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
      this.recording = false;
    },
    stopTracks() { if (this.stream) this.stream.getTracks().forEach((x) => x.stop()); this.stream = null; },
    /** The browser's recording (WebM/Opus or Ogg) decoded here and sent as a WAV, which the server accepts. */
    async recorded(blob) {
      this.stopTracks();
      this.busy = true;
      let ctx;
      try {
        ctx = new (window.AudioContext || window.webkitAudioContext)();
        const audio = await ctx.decodeAudioData(await blob.arrayBuffer());
        if (audio.duration < 0.5) { this.error = t('agent.greeting.tooShort'); return; }
        this.busy = false;
        await this.send(new File([wavOf(audio.getChannelData(0), audio.sampleRate)], 'greeting.wav', { type: 'audio/wav' }));
      } catch (e) {
        this.error = t('agent.greeting.refused', { reason: e && e.message ? e.message : String(e) });
      } finally {
        this.busy = false;
        if (ctx) ctx.close();
      }
    },
    async useDefault() {
      if (!(await confirmDialog(t('agent.greeting.confirmDefault'), { okKey: 'voicemail.greeting.useDefault' }))) return;
      try {
        await api.del(greetingPath(this.extension));
        this.greeting = null;
        toast(t('voicemail.greeting.defaultRestored'));
      } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="agent-greeting" data-testid="agent-greeting">
      <div class="agent-greeting-now">
        <strong>{{ t('agent.greeting.title') }}</strong>
        <template v-if="greeting">
          <span class="badge badge-blue" data-testid="agent-greeting-own">{{ t('agent.greeting.own', { length: fmt(greeting.durationMs) }) }}</span>
          <audio class="player" controls preload="none" :src="audioUrl" data-testid="agent-greeting-audio"></audio>
          <button type="button" class="btn-link danger" data-testid="agent-greeting-default" @click="useDefault">{{ t('voicemail.greeting.useDefault') }}</button>
        </template>
        <span v-else-if="loaded" class="muted" data-testid="agent-greeting-none">{{ t('agent.greeting.none') }}</span>
      </div>
      <div class="agent-greeting-actions">
        <button v-if="!recording" type="button" class="btn btn-sm" data-testid="agent-greeting-record" :disabled="busy || !canRecord" @click="record">● {{ t('agent.greeting.record') }}</button>
        <button v-else type="button" class="btn btn-sm btn-danger" data-testid="agent-greeting-stop" @click="stop">■ {{ t('agent.greeting.stop') }} {{ fmt(elapsed) }}</button>
        <input type="file" ref="file" accept=".wav,.mp3,audio/wav,audio/x-wav,audio/mpeg" data-testid="agent-greeting-file" :aria-label="t('agent.greeting.file')" @change="pick">
        <button type="button" class="btn btn-sm" data-testid="agent-greeting-upload" :disabled="busy || recording" @click="upload">{{ t('agent.greeting.upload') }}</button>
      </div>
      <div v-if="error" class="field-error" role="alert" data-testid="agent-greeting-error">{{ error }}</div>
    </div>`,
};
