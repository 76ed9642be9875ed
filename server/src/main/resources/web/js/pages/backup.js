// Configuration backup and restore (OPS-2): an enterprise admin downloads the enterprise's configuration as one zip
// (secrets encrypted under a passphrase) and restores one into an empty enterprise (or replaces its configuration);
// the operator does the same for every enterprise at once, a restore making new enterprises.

import { t, toast, errorText } from '../common.js';
import { fieldErrorText } from '../i18n.js';
import { postForBlob, request } from '../api.js';

export const BackupPage = {
  data() {
    return {
      passphrase: '', exporting: false, exportError: null,
      file: null, restorePassphrase: '', replace: false, restoring: false, restoreError: null, result: null,
    };
  },
  computed: {
    server() { return this.can('enterprise.manage'); },
    base() { return this.server ? '/server-backup' : '/backup'; },
  },
  methods: {
    async download() {
      this.exportError = null;
      this.exporting = true;
      try {
        const blob = await postForBlob(this.base, { passphrase: this.passphrase });
        const a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = 'hotline-backup-' + new Date().toISOString().slice(0, 10) + '.zip';
        a.dataset.testid = 'backup-link';
        document.body.appendChild(a);
        a.click();
        setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        toast(t('backup.downloaded'));
      } catch (e) { this.exportError = e; } finally { this.exporting = false; }
    },
    pick(ev) { this.file = (ev.target.files && ev.target.files[0]) || null; },
    async restore() {
      this.restoreError = null;
      this.result = null;
      if (!this.file) { this.restoreError = { message: t('backup.chooseFile') }; return; }
      const fd = new FormData();
      fd.append('file', this.file, this.file.name);
      fd.append('passphrase', this.restorePassphrase);
      if (!this.server && this.replace) fd.append('mode', 'replace');
      this.restoring = true;
      try {
        this.result = await request('POST', this.base + '/restore', fd);
        toast(t('backup.restored'));
      } catch (e) { this.restoreError = e; } finally { this.restoring = false; }
    },
    // A refused passphrase (too short, wrong) is a field error: say what is wrong with it, not only "invalid fields".
    message(e) {
      if (!e) return '';
      if (!e.status) return e.message;
      const fields = (e.fieldErrors || []).map(f => fieldErrorText(f.message));
      return fields.length ? fields.join('; ') : errorText(e);
    },
    total(rows) { return Object.values(rows || {}).reduce((a, b) => a + b, 0); },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('backup.title') }}</h1>
      <span class="sub">{{ server ? t('backup.subtitleServer') : t('backup.subtitle') }}</span>
    </div>
    <div class="panel" data-testid="backup-export">
      <div class="panel-head"><h2>{{ t('backup.export') }}</h2></div>
      <div class="panel-body">
        <p class="muted">{{ t('backup.exportHint') }}</p>
        <form class="toolbar" @submit.prevent="download" novalidate>
          <form-field :label="t('backup.passphrase')"><input type="password" v-model="passphrase" autocomplete="new-password" data-testid="backup-passphrase"></form-field>
          <button type="submit" class="btn btn-primary" :disabled="exporting" data-testid="backup-download">{{ t('backup.download') }}</button>
        </form>
        <div v-if="exportError" class="alert alert-error" data-testid="backup-export-error">{{ message(exportError) }}</div>
      </div>
    </div>
    <div class="panel" data-testid="backup-restore">
      <div class="panel-head"><h2>{{ t('backup.restore') }}</h2></div>
      <div class="panel-body">
        <p class="muted">{{ server ? t('backup.restoreHintServer') : t('backup.restoreHint') }}</p>
        <form class="toolbar" @submit.prevent="restore" novalidate>
          <form-field :label="t('backup.file')"><input type="file" accept=".zip,application/zip" @change="pick" data-testid="backup-file"></form-field>
          <form-field :label="t('backup.passphrase')"><input type="password" v-model="restorePassphrase" autocomplete="off" data-testid="backup-restore-passphrase"></form-field>
          <label class="check" v-if="!server"><input type="checkbox" v-model="replace" data-testid="backup-replace"> {{ t('backup.replace') }}</label>
          <button type="submit" class="btn" :disabled="restoring" data-testid="backup-restore-button">{{ t('backup.restoreButton') }}</button>
        </form>
        <div v-if="restoreError" class="alert alert-error" data-testid="backup-restore-error">{{ message(restoreError) }}</div>
        <div v-if="result" class="alert" data-testid="backup-result">
          {{ t('backup.result', { enterprises: result.enterprises.join(', '), rows: total(result.rows), audio: result.audioFiles }) }}
        </div>
        <p class="muted small">{{ t('backup.notConfiguration') }}</p>
      </div>
    </div>`,
};
