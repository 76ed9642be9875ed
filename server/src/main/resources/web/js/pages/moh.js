// Music on hold (PBX-4): the enterprise's WAV files, played in name order and looped to callers on
// hold; upload (converted by the server for playback) and delete with recording.write.

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { fmtMs, fmtSize } from '../format.js';
import { uploadMixin } from '../upload.js';


export const MohPage = {
  setup() { return { fmtMs, fmtSize }; },
  mixins: [uploadMixin('/moh', 'moh')],
  data() { return { items: [], loading: true, loadError: null }; },
  created() { this.load(); },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/moh'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    async remove(x) {
      if (!(await confirmDialog(t('moh.confirmDelete', { name: x.name })))) return;
      try { await api.del('/moh/' + encodeURIComponent(x.name)); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('moh.title') }}</h1>
      <span class="sub">{{ t('moh.subtitle') }}</span>
    </div>
    <div v-if="can('recording.write')" class="panel upload-panel" data-testid="moh-upload">
      <form class="upload-row" @submit.prevent="upload" novalidate>
        <label class="field grow" :class="{ invalid: !!uploadError }">
          <span class="field-label">{{ t('moh.file') }}</span>
          <input type="file" ref="file" accept=".wav,audio/wav,audio/x-wav" data-testid="moh-file" @change="pick">
          <span v-if="uploadError" class="field-error" role="alert" data-testid="moh-upload-error">{{ uploadError }}</span>
          <span v-else class="field-hint">{{ t('moh.fileHint') }}</span>
        </label>
        <button type="submit" class="btn btn-primary" data-testid="moh-upload-submit" :disabled="uploading">{{ uploading ? t('moh.uploading') : t('moh.upload') }}</button>
      </form>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="moh-table">
        <thead><tr>
          <th>#</th><th>{{ t('moh.name') }}</th><th>{{ t('moh.duration') }}</th><th>{{ t('moh.size') }}</th><th v-if="can('recording.write')"></th>
        </tr></thead>
        <tbody>
          <tr v-for="(x, i) in items" :key="x.name" :data-testid="'moh-row-' + x.name">
            <td class="muted">{{ i + 1 }}</td>
            <td><span class="name">{{ x.name }}</span></td>
            <td class="mono">{{ fmtMs(x.durationMs) }}</td>
            <td class="mono">{{ fmtSize(x.sizeBytes) }}</td>
            <td v-if="can('recording.write')" class="actions">
              <button class="btn-link danger" :data-testid="'moh-delete-' + x.name" @click="remove(x)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <empty-row v-if="!items.length" :cols="5" :loading="loading" testid="moh-empty" :hint="t('moh.empty')"></empty-row>
        </tbody>
      </table>
    </div>
    <div class="field-hint page-note">{{ t('moh.orderHint') }}</div>`,
};
