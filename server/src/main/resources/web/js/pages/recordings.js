// Call recordings (REC-1..3): search by time and number, play in the browser, download one or
// several; the enterprise's recording policy, format and retention (recording.write).

import { api, t, tOr, toast } from '../common.js';
import { fmtMs, fmtSize, intOrNull, toIso } from '../format.js';
import { recordingAudioUrl as audioUrl, recordingDownloadUrl as downloadUrl } from '../media.js';

const PAGE = 50;

export const POLICIES = ['none', 'all', 'inbound', 'outbound', 'internal'];
export const FORMATS = ['pcm', 'ulaw', 'gsm'];

export const RecordingsPage = {
  setup() { return { PAGE, POLICIES, FORMATS, fmtMs, fmtSize, audioUrl, downloadUrl }; },
  data() {
    return { items: [], total: 0, offset: 0, loading: true, loadError: null, selected: [],
      f: { from: '', to: '', number: '' }, settings: null };
  },
  created() {
    this.load();
    if (this.can('recording.write')) this.loadSettings();
  },
  computed: {
    first() { return this.total ? this.offset + 1 : 0; },
    last() { return Math.min(this.offset + this.items.length, this.total); },
    allSelected() { return this.items.length > 0 && this.items.every((r) => this.selected.includes(r.id)); },
  },
  methods: {
    directionLabel(d) { return d ? tOr('calls.direction.' + d, d) : '—'; },
    formatLabel(f) { return f ? tOr('recordings.format.' + f, String(f).toUpperCase()) : '—'; },
    policyLabel(p) { return tOr('recordings.policy.' + p, p); },
    async load() {
      this.loading = true;
      try {
        const res = await api.get('/recordings', {
          from: toIso(this.f.from), to: toIso(this.f.to), number: this.f.number.trim(), limit: PAGE, offset: this.offset,
        });
        this.items = (res && res.items) || [];
        this.total = (res && res.total) || 0;
        const ids = new Set(this.items.map((r) => r.id));
        this.selected = this.selected.filter((id) => ids.has(id));
        this.loadError = null;
      } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    search() { this.offset = 0; this.load(); },
    reset() { this.f = { from: '', to: '', number: '' }; this.search(); },
    prev() { this.offset = Math.max(0, this.offset - PAGE); this.load(); },
    next() { if (this.offset + PAGE < this.total) { this.offset += PAGE; this.load(); } },
    toggleAll(ev) { this.selected = ev.target.checked ? this.items.map((r) => r.id) : []; },
    /** One link click per selected file; the server answers each as an attachment. */
    downloadSelected() {
      for (const r of this.items.filter((x) => this.selected.includes(x.id))) {
        const a = document.createElement('a');
        a.href = downloadUrl(r);
        a.download = '';
        a.style.display = 'none';
        document.body.appendChild(a);
        a.click();
        a.remove();
      }
    },
    // ---- settings ----
    async loadSettings() {
      try {
        const s = await api.get('/settings/recording');
        this.settings = { errors: {}, error: null, saving: false, loadError: null, form: {
          policy: s.policy || 'none', format: s.format || 'pcm', stereo: !!s.stereo, retentionDays: String(s.retentionDays ?? '') } };
      } catch (e) {
        this.settings = { errors: {}, error: null, saving: false, loadError: e, form: { policy: 'none', format: 'pcm', stereo: true, retentionDays: '90' } };
      }
    },
    async saveSettings() {
      const d = this.settings;
      const f = d.form;
      const body = { policy: f.policy, format: f.format, stereo: !!f.stereo, retentionDays: intOrNull(f.retentionDays) };
      d.saving = true; d.errors = {}; d.error = null;
      try {
        const s = await api.put('/settings/recording', body);
        if (s && s.policy) {
          f.policy = s.policy; f.format = s.format; f.stereo = !!s.stereo; f.retentionDays = String(s.retentionDays);
        }
        toast(t('common.saved'));
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; } finally { d.saving = false; }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('recordings.title') }}</h1>
      <span class="sub">{{ t('recordings.subtitle') }}</span>
    </div>
    <section v-if="settings" class="panel settings-panel" data-testid="recording-settings">
      <div class="panel-head"><h2>{{ t('recordings.settings') }}</h2><span class="muted">{{ t('recordings.settingsHint') }}</span></div>
      <div class="panel-body">
        <div v-if="settings.loadError" class="alert alert-error">{{ errorText(settings.loadError) }}</div>
        <form @submit.prevent="saveSettings" novalidate class="settings-grid">
          <form-field :label="t('recordings.policy')" :error="settings.errors.policy" testid="recset-policy-error" :hint="t('recordings.policyHint.' + settings.form.policy)">
            <select v-model="settings.form.policy" data-testid="recset-policy">
              <option v-for="p in POLICIES" :key="p" :value="p">{{ policyLabel(p) }}</option>
            </select>
          </form-field>
          <div class="field" :class="{ invalid: !!settings.errors.format }">
            <span class="field-label">{{ t('recordings.format') }}</span>
            <div class="seg" role="radiogroup" data-testid="recset-format">
              <button v-for="x in FORMATS" :key="x" type="button" role="radio" :aria-checked="settings.form.format === x"
                      :class="{ active: settings.form.format === x }" :data-testid="'recset-format-' + x" @click="settings.form.format = x">{{ formatLabel(x) }}</button>
            </div>
            <span v-if="settings.errors.format" class="field-error" data-testid="recset-format-error">{{ fieldErrorText(settings.errors.format) }}</span>
            <span v-else class="field-hint">{{ t('recordings.formatHint.' + settings.form.format) }}</span>
          </div>
          <div class="field" :class="{ invalid: !!settings.errors.stereo }">
            <span class="field-label">{{ t('recordings.channels') }}</span>
            <label class="check check-box"><input type="checkbox" v-model="settings.form.stereo" data-testid="recset-stereo"> {{ t('recordings.stereo') }}</label>
            <span v-if="settings.errors.stereo" class="field-error" data-testid="recset-stereo-error">{{ fieldErrorText(settings.errors.stereo) }}</span>
            <span v-else class="field-hint">{{ t('recordings.stereoHint') }}</span>
          </div>
          <form-field :label="t('recordings.retentionDays')" :error="settings.errors.retentionDays" testid="recset-retention-error" :hint="t('recordings.retentionHint')">
            <input type="text" v-model="settings.form.retentionDays" data-testid="recset-retention" inputmode="numeric">
          </form-field>
          <div class="settings-actions">
            <button type="submit" class="btn btn-primary" data-testid="recset-save" :disabled="settings.saving">{{ t('common.save') }}</button>
          </div>
        </form>
        <form-alert :error="settings.error" :known="['policy', 'format', 'stereo', 'retentionDays']" testid="recset-alert"></form-alert>
      </div>
    </section>
    <form class="toolbar" @submit.prevent="search">
      <form-field :label="t('recordings.from')"><input type="datetime-local" v-model="f.from" data-testid="recordings-from"></form-field>
      <form-field :label="t('recordings.to')"><input type="datetime-local" v-model="f.to" data-testid="recordings-to"></form-field>
      <form-field :label="t('recordings.number')"><input type="text" v-model="f.number" data-testid="recordings-number" :placeholder="t('recordings.numberHint')"></form-field>
      <button type="submit" class="btn btn-primary" data-testid="recordings-search">{{ t('common.search') }}</button>
      <button type="button" class="btn" data-testid="recordings-reset" @click="reset">{{ t('common.reset') }}</button>
      <div class="grow"></div>
      <button type="button" class="btn" data-testid="recordings-download-selected" :disabled="!selected.length" @click="downloadSelected">
        {{ t('recordings.downloadSelected', { n: selected.length }) }}
      </button>
    </form>
    <div v-if="loadError" class="alert alert-error" data-testid="recordings-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="recordings-table">
        <thead><tr>
          <th class="check-col"><input type="checkbox" :checked="allSelected" :disabled="!items.length" data-testid="recordings-select-all" :aria-label="t('recordings.selectAll')" @change="toggleAll"></th>
          <th>{{ t('recordings.startedAt') }}</th><th>{{ t('calls.caller') }}</th><th>{{ t('calls.callee') }}</th>
          <th>{{ t('calls.direction') }}</th><th>{{ t('calls.extension') }}</th><th>{{ t('recordings.duration') }}</th>
          <th>{{ t('recordings.size') }}</th><th>{{ t('recordings.play') }}</th>
        </tr></thead>
        <tbody>
          <tr v-for="r in items" :key="r.id" :data-testid="'recording-row-' + r.id">
            <td class="check-col"><input type="checkbox" :value="r.id" v-model="selected" :data-testid="'recording-select-' + r.id" :aria-label="t('recordings.select')"></td>
            <td class="mono" style="white-space:nowrap">{{ fmtTime(r.startedAt) }}</td>
            <td class="mono">{{ dash(r.caller) }}</td>
            <td class="mono">{{ dash(r.callee) }}</td>
            <td>{{ directionLabel(r.direction) }}</td>
            <td class="mono">{{ dash(r.extension) }}</td>
            <td class="mono">{{ fmtMs(r.durationMs) }}</td>
            <td class="size-cell"><span class="mono">{{ fmtSize(r.sizeBytes) }}</span><span class="badge">{{ formatLabel(r.format) }}<template v-if="r.stereo"> · {{ t('recordings.stereoShort') }}</template></span></td>
            <td><div class="play-cell">
              <audio class="player" controls preload="none" :src="audioUrl(r)" :data-testid="'recording-audio-' + r.id"></audio>
              <a class="btn-link" :href="downloadUrl(r)" download :data-testid="'recording-download-' + r.id">{{ t('recordings.download') }}</a>
            </div></td>
          </tr>
          <empty-row v-if="!items.length" :cols="9" :loading="loading" testid="recordings-empty"></empty-row>
        </tbody>
      </table>
      <div class="pager">
        <span data-testid="recordings-range">{{ t('common.range', { first, last, total }) }}</span>
        <button class="btn btn-sm" data-testid="recordings-prev" :disabled="offset === 0 || loading" @click="prev">{{ t('common.prev') }}</button>
        <button class="btn btn-sm" data-testid="recordings-next" :disabled="offset + PAGE >= total || loading" @click="next">{{ t('common.next') }}</button>
      </div>
    </div>`,
};
