// Call recordings (REC-1..3): search by time and number, play in the browser (local or archived
// files), download one or several as one zip, comments and scores; the enterprise's recording
// policy, format and retention and its SFTP archive (recording.write).

import { api, t, tOr, toast } from '../common.js';
import { fmtMs, fmtSize, intOrNull, toIso } from '../format.js';
import { recordingAudioUrl as audioUrl, recordingDownloadUrl as downloadUrl } from '../media.js';

const PAGE = 50;

export const POLICIES = ['none', 'all', 'inbound', 'outbound', 'internal'];
export const FORMATS = ['pcm', 'ulaw', 'gsm'];

export const SCORES = [1, 2, 3, 4, 5];

export const RecordingsPage = {
  props: ['me'],
  setup() { return { PAGE, POLICIES, FORMATS, SCORES, fmtMs, fmtSize, audioUrl, downloadUrl }; },
  data() {
    return { items: [], total: 0, offset: 0, loading: true, loadError: null, selected: [],
      f: { from: '', to: '', number: '' }, settings: null, archive: null, open: null };
  },
  created() {
    this.load();
    if (this.can('recording.write')) { this.loadSettings(); this.loadArchive(); }
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
    zipUrl() { return '/api/v1/recordings/zip?ids=' + this.selected.join(','); },
    /** One zip of the selection (with manifest.csv), streamed by the server as it is made. */
    downloadSelected() {
      const a = document.createElement('a');
      a.href = this.zipUrl();
      a.download = '';
      a.style.display = 'none';
      document.body.appendChild(a);
      a.click();
      a.remove();
    },
    archiveLabel(r) { return tOr('recordings.archive.' + r.archiveStatus, r.archiveStatus); },
    scoreText(r) { return r.score == null ? '' : ' · ★ ' + r.score; },
    // ---- comments (REC-3) ----
    async toggleComments(r) {
      if (this.open && this.open.id === r.id) { this.open = null; return; }
      this.open = { id: r.id, items: [], loading: true, error: null, errors: {}, saving: false, form: { text: '', score: '' } };
      await this.loadComments();
    },
    async loadComments() {
      const o = this.open;
      try { o.items = await api.get('/recordings/' + o.id + '/comments'); o.error = null; } catch (e) { o.error = e; } finally { o.loading = false; }
    },
    async addComment() {
      const o = this.open;
      o.saving = true; o.errors = {}; o.error = null;
      try {
        await api.post('/recordings/' + o.id + '/comments', { text: o.form.text, score: intOrNull(o.form.score) });
        o.form = { text: '', score: '' };
        await this.loadComments();
        this.load();
      } catch (e) { o.errors = e.fields ? e.fields() : {}; o.error = e; } finally { o.saving = false; }
    },
    async deleteComment(c) {
      try {
        await api.del('/recordings/' + this.open.id + '/comments/' + c.id);
        await this.loadComments();
        this.load();
      } catch (e) { this.open.error = e; }
    },
    // ---- SFTP archive (REC-2) ----
    async loadArchive() {
      try {
        const s = await api.get('/settings/recording/archive');
        this.archive = { errors: {}, error: null, saving: false, running: false, result: null, view: s, form: {
          enabled: !!s.enabled, host: s.host || '', port: String(s.port ?? 22), username: s.username || '', password: '', privateKey: '',
          remoteDir: s.remoteDir || '/recordings', afterDays: String(s.afterDays ?? 30), hostKey: s.hostKey || '' } };
      } catch (e) { this.archive = null; }
    },
    async saveArchive() {
      const d = this.archive;
      const f = d.form;
      const body = { enabled: !!f.enabled, host: f.host.trim(), port: intOrNull(f.port), username: f.username.trim(),
        password: f.password === '' ? null : f.password, privateKey: f.privateKey.trim() === '' ? null : f.privateKey,
        remoteDir: f.remoteDir.trim(), afterDays: intOrNull(f.afterDays), hostKey: f.hostKey.trim() };
      d.saving = true; d.errors = {}; d.error = null;
      try {
        d.view = await api.put('/settings/recording/archive', body);
        f.password = ''; f.privateKey = ''; f.hostKey = d.view.hostKey || '';
        toast(t('common.saved'));
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; } finally { d.saving = false; }
    },
    async runArchive() {
      const d = this.archive;
      d.running = true; d.error = null;
      try {
        d.result = await api.post('/settings/recording/archive/run', {});
        d.view = await api.get('/settings/recording/archive');
        d.form.hostKey = d.view.hostKey || '';
        this.load();
      } catch (e) { d.error = e; } finally { d.running = false; }
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
    <section v-if="archive" class="panel settings-panel" data-testid="archive-settings">
      <div class="panel-head"><h2>{{ t('recordings.archive.title') }}</h2><span class="muted">{{ t('recordings.archive.hint') }}</span></div>
      <div class="panel-body">
        <form @submit.prevent="saveArchive" novalidate class="settings-grid">
          <div class="field">
            <span class="field-label">{{ t('recordings.archive.enabled') }}</span>
            <label class="check check-box"><input type="checkbox" v-model="archive.form.enabled" data-testid="archive-enabled"> {{ t('recordings.archive.enabledHint') }}</label>
          </div>
          <form-field :label="t('recordings.archive.host')" :error="archive.errors.host" testid="archive-host-error">
            <input type="text" v-model="archive.form.host" data-testid="archive-host" placeholder="sftp.example.com">
          </form-field>
          <form-field :label="t('recordings.archive.port')" :error="archive.errors.port" testid="archive-port-error">
            <input type="text" v-model="archive.form.port" data-testid="archive-port" inputmode="numeric">
          </form-field>
          <form-field :label="t('recordings.archive.username')" :error="archive.errors.username" testid="archive-username-error">
            <input type="text" v-model="archive.form.username" data-testid="archive-username" autocomplete="off">
          </form-field>
          <form-field :label="t('recordings.archive.password')" :error="archive.errors.password" testid="archive-password-error"
                      :hint="archive.view.passwordSet ? t('recordings.archive.secretKept') : ''">
            <input type="password" v-model="archive.form.password" data-testid="archive-password" autocomplete="new-password">
          </form-field>
          <form-field :label="t('recordings.archive.privateKey')" :error="archive.errors.privateKey" testid="archive-key-error"
                      :hint="archive.view.privateKeySet ? t('recordings.archive.secretKept') : t('recordings.archive.privateKeyHint')">
            <textarea v-model="archive.form.privateKey" data-testid="archive-key" rows="2" spellcheck="false"></textarea>
          </form-field>
          <form-field :label="t('recordings.archive.remoteDir')" :error="archive.errors.remoteDir" testid="archive-dir-error">
            <input type="text" v-model="archive.form.remoteDir" data-testid="archive-dir">
          </form-field>
          <form-field :label="t('recordings.archive.afterDays')" :error="archive.errors.afterDays" testid="archive-days-error" :hint="t('recordings.archive.afterDaysHint')">
            <input type="text" v-model="archive.form.afterDays" data-testid="archive-days" inputmode="numeric">
          </form-field>
          <form-field :label="t('recordings.archive.hostKey')" :error="archive.errors.hostKey" testid="archive-hostkey-error" :hint="t('recordings.archive.hostKeyHint')">
            <input type="text" v-model="archive.form.hostKey" data-testid="archive-hostkey" class="mono">
          </form-field>
          <div class="settings-actions">
            <button type="submit" class="btn btn-primary" data-testid="archive-save" :disabled="archive.saving">{{ t('common.save') }}</button>
            <button type="button" class="btn" data-testid="archive-run" :disabled="archive.running || !archive.view.enabled" @click="runArchive">{{ t('recordings.archive.run') }}</button>
          </div>
        </form>
        <div v-if="archive.result" class="muted" data-testid="archive-result">{{ t('recordings.archive.result', { archived: archive.result.archived, failed: archive.result.failed }) }}</div>
        <div v-if="archive.view.lastRunAt" class="muted" data-testid="archive-last">{{ t('recordings.archive.lastRun', { at: fmtTime(archive.view.lastRunAt), result: archive.view.lastResult || '' }) }}</div>
        <form-alert :error="archive.error" :known="['enabled', 'host', 'port', 'username', 'password', 'privateKey', 'remoteDir', 'afterDays', 'hostKey']" testid="archive-alert"></form-alert>
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
          <th>{{ t('recordings.size') }}</th><th>{{ t('recordings.play') }}</th><th>{{ t('recordings.comments') }}</th>
        </tr></thead>
        <tbody>
          <template v-for="r in items" :key="r.id">
          <tr :data-testid="'recording-row-' + r.id">
            <td class="check-col"><input type="checkbox" :value="r.id" v-model="selected" :data-testid="'recording-select-' + r.id" :aria-label="t('recordings.select')"></td>
            <td class="mono" style="white-space:nowrap">{{ fmtTime(r.startedAt) }}</td>
            <td class="mono">{{ dash(r.caller) }}</td>
            <td class="mono">{{ dash(r.callee) }}</td>
            <td>{{ directionLabel(r.direction) }}</td>
            <td class="mono">{{ dash(r.extension) }}</td>
            <td class="mono">{{ fmtMs(r.durationMs) }}</td>
            <td class="size-cell"><span class="mono">{{ fmtSize(r.sizeBytes) }}</span><span class="badge">{{ formatLabel(r.format) }}<template v-if="r.stereo"> · {{ t('recordings.stereoShort') }}</template></span>
              <span v-if="r.archiveStatus && r.archiveStatus !== 'local'" class="badge" :class="{ 'badge-danger': r.archiveStatus === 'failed', 'badge-blue': r.archiveStatus === 'archived' }"
                    :title="r.archiveError || r.archiveLocation || ''" :data-testid="'recording-archive-' + r.id">{{ archiveLabel(r) }}</span></td>
            <td><div class="play-cell">
              <audio class="player" controls preload="none" :src="audioUrl(r)" :data-testid="'recording-audio-' + r.id"></audio>
              <a class="btn-link" :href="downloadUrl(r)" download :data-testid="'recording-download-' + r.id">{{ t('recordings.download') }}</a>
            </div></td>
            <td><button type="button" class="btn btn-sm" :data-testid="'recording-comments-' + r.id" @click="toggleComments(r)">{{ t('recordings.commentCount', { n: r.comments || 0 }) }}{{ scoreText(r) }}</button></td>
          </tr>
          <tr v-if="open && open.id === r.id" :data-testid="'recording-detail-' + r.id">
            <td :colspan="10"><div class="comments">
              <div v-if="open.loading" class="muted">{{ t('common.loading') }}</div>
              <div v-else-if="!open.items.length" class="muted" data-testid="recording-comments-empty">{{ t('recordings.noComments') }}</div>
              <div v-for="c in open.items" :key="c.id" class="comment" :data-testid="'recording-comment-' + c.id">
                <strong>{{ c.userName }}</strong> <span class="muted">{{ fmtTime(c.createdAt) }}</span>
                <span v-if="c.score" class="badge" :data-testid="'recording-comment-score-' + c.id">★ {{ c.score }}</span>
                <span class="comment-text">{{ c.text }}</span>
                <button v-if="me && c.userId === me.id" type="button" class="btn-link" :data-testid="'recording-comment-delete-' + c.id" @click="deleteComment(c)">{{ t('common.delete') }}</button>
              </div>
              <form class="toolbar" @submit.prevent="addComment" novalidate>
                <form-field :label="t('recordings.score')" :error="open.errors.score" testid="recording-comment-score-error">
                  <select v-model="open.form.score" data-testid="recording-comment-score">
                    <option value="">—</option>
                    <option v-for="n in SCORES" :key="n" :value="String(n)">{{ n }}</option>
                  </select>
                </form-field>
                <form-field :label="t('recordings.comment')" :error="open.errors.text" testid="recording-comment-text-error">
                  <input type="text" v-model="open.form.text" data-testid="recording-comment-text" maxlength="2000">
                </form-field>
                <button type="submit" class="btn btn-primary" data-testid="recording-comment-save" :disabled="open.saving">{{ t('recordings.addComment') }}</button>
              </form>
              <form-alert :error="open.error" :known="['text', 'score']" testid="recording-comment-alert"></form-alert>
            </div></td>
          </tr>
          </template>
          <empty-row v-if="!items.length" :cols="10" :loading="loading" testid="recordings-empty"></empty-row>
        </tbody>
      </table>
      <div class="pager">
        <span data-testid="recordings-range">{{ t('common.range', { first, last, total }) }}</span>
        <button class="btn btn-sm" data-testid="recordings-prev" :disabled="offset === 0 || loading" @click="prev">{{ t('common.prev') }}</button>
        <button class="btn btn-sm" data-testid="recordings-next" :disabled="offset + PAGE >= total || loading" @click="next">{{ t('common.next') }}</button>
      </div>
    </div>`,
};
