// IVR prompts (IVR-2/3): the enterprise's uploaded recordings (WAV or MP3, converted by the server
// to 8 kHz mono WAV), used in flows as {"file": name} and as a number's welcome prompt; upload and
// delete with ivr.write.

import { api, t, toast, confirmDialog, errorText } from '../common.js';
import { byName, fmtMs, fmtSize } from '../format.js';
import { promptAudioUrl } from '../media.js';
import { TtsPreview } from '../components/tts-preview.js';
import { uploadMixin } from '../upload.js';

export const PromptsPage = {
  components: { TtsPreview },
  mixins: [uploadMixin('/prompts', 'prompts')],
  setup() { return { fmtMs, fmtSize, promptAudioUrl }; },
  data() {
    return { items: [], loading: true, loadError: null, actionError: null,
      tts: { text: '', language: '' } };
  },
  created() { this.load(); },
  computed: { sorted() { return [...this.items].sort(byName); } },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/prompts'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    async remove(x) {
      this.actionError = null;
      if (!(await confirmDialog(t('prompts.confirmDelete', { name: x.name })))) return;
      try { await api.del('/prompts/' + encodeURIComponent(x.name)); toast(t('common.deleted')); await this.load(); } catch (e) {
        this.actionError = e.status === 409 ? t('prompts.inUse', { name: x.name }) : errorText(e);
      }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('prompts.title') }}</h1>
      <span class="sub">{{ t('prompts.subtitle') }}</span>
    </div>
    <div v-if="can('ivr.write')" class="panel upload-panel" data-testid="prompt-upload">
      <form class="upload-row" @submit.prevent="upload" novalidate>
        <label class="field grow" :class="{ invalid: !!uploadError }">
          <span class="field-label">{{ t('prompts.file') }}</span>
          <input type="file" ref="file" accept=".wav,.mp3,audio/wav,audio/x-wav,audio/mpeg" data-testid="prompt-file" @change="pick">
          <span v-if="uploadError" class="field-error" role="alert" data-testid="prompt-upload-error">{{ uploadError }}</span>
          <span v-else class="field-hint">{{ t('prompts.fileHint') }}</span>
        </label>
        <button type="submit" class="btn btn-primary" data-testid="prompt-upload-submit" :disabled="uploading">{{ uploading ? t('prompts.uploading') : t('prompts.upload') }}</button>
      </form>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div v-if="actionError" class="alert alert-error alert-row" role="alert">
      <span data-testid="prompt-action-error">{{ actionError }}</span><button type="button" class="icon-btn" :aria-label="t('common.close')" @click="actionError = null">×</button>
    </div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="prompts-table">
        <thead><tr>
          <th>{{ t('prompts.name') }}</th><th>{{ t('prompts.duration') }}</th><th>{{ t('prompts.size') }}</th><th>{{ t('prompts.play') }}</th><th v-if="can('ivr.write')"></th>
        </tr></thead>
        <tbody>
          <tr v-for="x in sorted" :key="x.name" :data-testid="'prompt-row-' + x.name">
            <td><span class="name mono">{{ x.name }}</span></td>
            <td class="mono" :data-testid="'prompt-duration-' + x.name">{{ fmtMs(x.durationMs) }}</td>
            <td class="mono">{{ fmtSize(x.sizeBytes) }}</td>
            <td><audio class="player" controls preload="none" :src="promptAudioUrl(x.name)" :data-testid="'prompt-audio-' + x.name"></audio></td>
            <td v-if="can('ivr.write')" class="actions">
              <button class="btn-link danger" :data-testid="'prompt-delete-' + x.name" @click="remove(x)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <empty-row v-if="!items.length" :cols="5" :loading="loading" testid="prompts-empty"></empty-row>
        </tbody>
      </table>
    </div>
    <div class="field-hint page-note">{{ t('prompts.usageHint') }}</div>
    <section class="panel tts-panel" data-testid="tts-panel">
      <div class="panel-head"><h2>{{ t('tts.title') }}</h2><span class="muted">{{ t('tts.subtitle') }}</span></div>
      <div class="panel-body tts-row">
        <label class="field grow">
          <span class="field-label">{{ t('tts.text') }}</span>
          <input type="text" v-model="tts.text" data-testid="tts-text" maxlength="1000" :placeholder="t('tts.textHint')">
        </label>
        <label class="field">
          <span class="field-label">{{ t('tts.language') }}</span>
          <select v-model="tts.language" data-testid="tts-language">
            <option value="">{{ t('tts.auto') }}</option>
            <option value="zh">{{ t('lang.zh') }}</option>
            <option value="en">{{ t('lang.en') }}</option>
          </select>
        </label>
        <tts-preview :text="tts.text" :language="tts.language" testid="tts-preview"></tts-preview>
      </div>
    </section>`,
};
