// Faxes (MSG-5): send a document (TIFF or PNG) to a fax number through the outbound routes, and the enterprise's faxes,
// sent and received, with their status, pages and the far end's identity; each one's document downloads as a TIFF.
// Hotline is a T.38 fax terminal: the far end (trunk, gateway) must speak T.38.

import { api, t, toast } from '../common.js';
import { fmtTime } from '../format.js';

export const FaxesPage = {
  props: { me: Object },
  setup() { return { fmtTime }; },
  data() {
    return { faxes: [], loading: true, number: '', resolution: 'fine', file: null, errors: {}, formError: null, sending: false };
  },
  created() { this.load(); },
  methods: {
    async load() {
      this.loading = true;
      try { this.faxes = await api.get('/faxes'); } catch (e) { this.formError = e; } finally { this.loading = false; }
    },
    pick(ev) { this.file = (ev.target.files && ev.target.files[0]) || null; },
    async send() {
      this.errors = {}; this.formError = null;
      if (!this.file) { this.errors = { file: t('faxes.chooseFile') }; return; }
      this.sending = true;
      try {
        const q = '?number=' + encodeURIComponent(this.number.trim()) + '&resolution=' + this.resolution;
        await api.upload('/faxes' + q, this.file);
        this.file = null; this.number = '';
        if (this.$refs.file) this.$refs.file.value = '';
        toast(t('faxes.queued'));
        this.load();
      } catch (e) {
        this.errors = e.fields ? e.fields() : {};
        this.formError = e;
      } finally { this.sending = false; }
    },
    statusClass(s) { return s === 'sent' || s === 'received' ? 'badge-ok' : s === 'failed' ? 'badge-danger' : 'badge-warn'; },
    documentHref(f) { return '/api/v1/faxes/' + f.id + '/document'; },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('faxes.title') }}</h1>
      <span class="sub">{{ t('faxes.subtitle') }}</span>
    </div>
    <div class="panel" v-if="can('fax.send')" data-testid="fax-send">
      <div class="panel-head"><h2>{{ t('faxes.send') }}</h2></div>
      <div class="panel-body">
        <form class="form-grid" @submit.prevent="send" novalidate data-testid="fax-send-form">
          <form-field :label="t('faxes.number')" :error="errors.number" testid="fax-number-error">
            <input type="tel" v-model="number" data-testid="fax-number"></form-field>
          <form-field :label="t('faxes.resolution')" :error="errors.resolution">
            <select v-model="resolution" data-testid="fax-resolution">
              <option value="fine">{{ t('faxes.fine') }}</option><option value="standard">{{ t('faxes.standard') }}</option></select></form-field>
          <form-field :label="t('faxes.file')" :error="errors.file" testid="fax-file-error" :hint="t('faxes.fileHint')">
            <input type="file" ref="file" accept=".tif,.tiff,.png,image/tiff,image/png" @change="pick" data-testid="fax-file"></form-field>
          <button type="submit" class="btn btn-primary" :disabled="sending" data-testid="fax-send-go">{{ t('faxes.sendButton') }}</button>
        </form>
        <form-alert :error="formError" :known="['number', 'file', 'resolution']" testid="fax-send-alert"></form-alert>
      </div>
    </div>
    <div class="panel" data-testid="fax-log">
      <div class="panel-head"><h2>{{ t('faxes.log') }}</h2>
        <button class="btn-link" @click="load" data-testid="fax-refresh">{{ t('faxes.refresh') }}</button></div>
      <table class="grid" data-testid="fax-table">
        <thead><tr><th>{{ t('faxes.created') }}</th><th>{{ t('faxes.direction') }}</th><th>{{ t('faxes.number') }}</th>
          <th>{{ t('faxes.statusCol') }}</th><th>{{ t('faxes.pages') }}</th><th>{{ t('faxes.remoteId') }}</th><th>{{ t('faxes.error') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="f in faxes" :key="f.id" :data-testid="'fax-row-' + f.id">
            <td class="mono">{{ fmtTime(f.createdAt) }}</td>
            <td>{{ t('faxes.dir.' + f.direction) }} <span v-if="f.localNumber" class="muted small mono">→ {{ f.localNumber }}</span></td>
            <td class="mono">{{ f.number }}</td>
            <td><span class="badge" :class="statusClass(f.status)" :data-testid="'fax-status-' + f.id">{{ t('faxes.status.' + f.status) }}</span></td>
            <td class="mono" :data-testid="'fax-pages-' + f.id">{{ f.pages }}</td>
            <td class="mono">{{ f.remoteId || '' }}</td>
            <td class="small">{{ f.error || '' }}</td>
            <td class="actions"><a v-if="f.document" class="btn-link" :href="documentHref(f)" :data-testid="'fax-document-' + f.id">{{ t('faxes.document') }}</a></td>
          </tr>
          <empty-row v-if="!faxes.length" :cols="8" :loading="loading" testid="fax-empty"></empty-row>
        </tbody>
      </table>
    </div>`,
};
