// Voicemail inbox (MSG-1): messages left by callers in the boxes of extensions and queues. An agent
// sees their own extension's box, recording.read sees every box (the server filters). Play in the
// browser, download, mark handled or not, delete. VoicemailList is also the agent desktop's panel.

import { api, t, tOr, toast, toastError, confirmDialog, errorText, fieldErrorText } from '../common.js';
import { fmtMs } from './recordings.js';
import { MAX_UPLOAD_BYTES } from '../upload.js';

export const VM_BOX_TYPES = ['extension', 'queue'];

export function voicemailAudioUrl(m) { return '/api/v1/voicemail/' + encodeURIComponent(m.id) + '/audio'; }

/**
 * The messages of the inbox with their actions. `fixed` = {boxType, box} restricts the list to one
 * box (the agent desktop's own extension) and hides the filters; `prefix` names the test ids.
 */
export const VoicemailList = {
  props: { fixed: Object, prefix: { type: String, default: 'vm' }, compact: Boolean },
  setup() { return { VM_BOX_TYPES, fmtMs, voicemailAudioUrl }; },
  data() { return { items: [], loading: true, loadError: null, f: { boxType: '', box: '', handled: '' } }; },
  created() { this.load(); },
  computed: {
    unhandled() { return this.items.filter((m) => !m.handledAt).length; },
  },
  methods: {
    boxTypeLabel(b) { return tOr('voicemail.boxType.' + b, b || ''); },
    async load() {
      this.loading = true;
      const q = this.fixed ? { boxType: this.fixed.boxType, box: this.fixed.box, handled: this.f.handled }
        : { boxType: this.f.boxType, box: this.f.box.trim(), handled: this.f.handled };
      try { this.items = await api.get('/voicemail', q); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    reset() { this.f = { boxType: '', box: '', handled: '' }; this.load(); },
    async setHandled(m, handled) {
      try {
        const r = await api.put('/voicemail/' + m.id, { handled });
        const i = this.items.findIndex((x) => x.id === m.id);
        if (i >= 0 && r) this.items.splice(i, 1, r);
        toast(handled ? t('voicemail.markedHandled') : t('voicemail.markedUnhandled'));
        if (this.f.handled !== '') await this.load();
      } catch (e) { toastError(e); }
    },
    async remove(m) {
      if (!(await confirmDialog(t('voicemail.confirmDelete', { caller: m.caller || '—', at: this.fmtTime(m.createdAt) })))) return;
      try { await api.del('/voicemail/' + m.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
  },
  template: `
    <form class="toolbar" @submit.prevent="load" :data-testid="prefix + '-filters'">
      <template v-if="!fixed">
        <form-field :label="t('voicemail.boxType')">
          <select v-model="f.boxType" :data-testid="prefix + '-filter-boxtype'">
            <option value="">{{ t('voicemail.allBoxes') }}</option>
            <option v-for="b in VM_BOX_TYPES" :key="b" :value="b">{{ boxTypeLabel(b) }}</option>
          </select>
        </form-field>
        <form-field :label="t('voicemail.box')"><input type="text" v-model="f.box" :data-testid="prefix + '-filter-box'" :placeholder="t('voicemail.boxHint')"></form-field>
      </template>
      <form-field :label="t('voicemail.status')">
        <select v-model="f.handled" :data-testid="prefix + '-filter-handled'" @change="fixed && load()">
          <option value="">{{ t('voicemail.all') }}</option>
          <option value="false">{{ t('voicemail.unhandled') }}</option>
          <option value="true">{{ t('voicemail.handled') }}</option>
        </select>
      </form-field>
      <template v-if="!fixed">
        <button type="submit" class="btn btn-primary" :data-testid="prefix + '-search'">{{ t('common.search') }}</button>
        <button type="button" class="btn" :data-testid="prefix + '-reset'" @click="reset">{{ t('common.reset') }}</button>
      </template>
      <div class="grow"></div>
      <span class="muted" :data-testid="prefix + '-count'">{{ t('voicemail.count', { n: items.length, unhandled }) }}</span>
      <button type="button" class="btn btn-sm" :data-testid="prefix + '-refresh'" @click="load">{{ t('voicemail.refresh') }}</button>
    </form>
    <div v-if="loadError" class="alert alert-error" :data-testid="prefix + '-error'">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap vm-table-wrap">
      <table class="grid" :data-testid="prefix + '-table'">
        <thead><tr>
          <th>{{ t('voicemail.time') }}</th><th v-if="!fixed">{{ t('voicemail.box') }}</th><th>{{ t('voicemail.caller') }}</th>
          <th>{{ t('voicemail.callbackNumber') }}</th><th>{{ t('voicemail.duration') }}</th><th>{{ t('voicemail.status') }}</th>
          <th>{{ t('voicemail.play') }}</th><th></th>
        </tr></thead>
        <tbody>
          <tr v-for="m in items" :key="m.id" :data-testid="prefix + '-row-' + m.id" :class="{ 'vm-new': !m.handledAt }">
            <td class="mono" style="white-space:nowrap">{{ fmtTime(m.createdAt) }}</td>
            <td v-if="!fixed" :data-testid="prefix + '-box-' + m.id"><span class="badge" :class="m.boxType === 'queue' ? 'badge-warn' : 'badge-blue'">{{ boxTypeLabel(m.boxType) }}</span> <span class="mono">{{ m.box }}</span></td>
            <td class="mono" :data-testid="prefix + '-caller-' + m.id">{{ dash(m.caller) }}</td>
            <td class="mono" :data-testid="prefix + '-callback-' + m.id">{{ dash(m.callbackNumber) }}</td>
            <td class="mono">{{ fmtMs(m.durationMs) }}</td>
            <td :data-testid="prefix + '-status-' + m.id">
              <span v-if="m.handledAt" class="badge badge-ok" :title="t('voicemail.handledBy', { by: dash(m.handledBy), at: fmtTime(m.handledAt) })">{{ t('voicemail.handled') }}</span>
              <span v-else class="badge badge-warn">{{ t('voicemail.unhandled') }}</span>
              <div v-if="m.handledAt && !compact" class="muted small" :title="t('voicemail.handledBy', { by: dash(m.handledBy), at: fmtTime(m.handledAt) })">{{ dash(m.handledBy) }}</div>
            </td>
            <td><div class="play-cell">
              <audio class="player" controls preload="none" :src="voicemailAudioUrl(m)" :data-testid="prefix + '-audio-' + m.id"></audio>
              <a class="btn-link" :href="voicemailAudioUrl(m) + '?download=1'" download :data-testid="prefix + '-download-' + m.id">{{ t('voicemail.download') }}</a>
            </div></td>
            <td class="actions-cell"><div class="actions">
              <button v-if="!m.handledAt" class="btn-link" :data-testid="prefix + '-handle-' + m.id" @click="setHandled(m, true)">{{ t('voicemail.markHandled') }}</button>
              <button v-else class="btn-link" :data-testid="prefix + '-unhandle-' + m.id" @click="setHandled(m, false)">{{ t('voicemail.markUnhandled') }}</button>
              <button class="btn-link danger" :data-testid="prefix + '-delete-' + m.id" @click="remove(m)">{{ t('common.delete') }}</button>
            </div></td>
          </tr>
          <tr v-if="loading && !items.length"><td class="empty" :colspan="fixed ? 7 : 8">{{ t('common.loading') }}</td></tr>
          <tr v-if="!loading && !items.length"><td class="empty" :colspan="fixed ? 7 : 8" :data-testid="prefix + '-empty'">{{ t('voicemail.empty') }}</td></tr>
        </tbody>
      </table>
    </div>`,
};

function greetingPath(boxType, box) { return '/voicemail/boxes/' + encodeURIComponent(boxType) + '/' + encodeURIComponent(box) + '/greeting'; }

/**
 * Per-box greetings (MSG-1): the boxes that have their own greeting (played instead of "please
 * leave a message after the tone", then the tone), each playable and resettable to the default;
 * with ivr.write, a form uploads a WAV or MP3 as a box's greeting (PUT, converted by the server).
 */
export const VoicemailGreetings = {
  setup() { return { VM_BOX_TYPES, fmtMs }; },
  data() { return { items: [], loadError: null, boxType: 'extension', box: '', file: null, uploading: false, uploadError: null, boxError: null }; },
  created() { this.load(); },
  methods: {
    boxTypeLabel(b) { return tOr('voicemail.boxType.' + b, b || ''); },
    audioUrl(g) { return '/api/v1' + greetingPath(g.boxType, g.box) + '/audio?v=' + g.sizeBytes + '-' + g.durationMs; },
    async load() {
      try { this.items = await api.get('/voicemail/greetings'); this.loadError = null; } catch (e) { this.loadError = e; }
    },
    pick(ev) { this.uploadError = null; this.file = (ev.target.files && ev.target.files[0]) || null; },
    async upload() {
      this.uploadError = null;
      this.boxError = null;
      const box = this.box.trim();
      if (!box) { this.boxError = t('validation.required'); return; }
      if (!this.file) { this.uploadError = t('voicemail.greeting.chooseFile'); return; }
      if (this.file.size > MAX_UPLOAD_BYTES) { this.uploadError = t('voicemail.greeting.tooLarge'); return; }
      this.uploading = true;
      try {
        await api.uploadPut(greetingPath(this.boxType, box), this.file);
        toast(t('voicemail.greeting.uploaded', { box }));
        this.file = null;
        if (this.$refs.file) this.$refs.file.value = '';
        await this.load();
      } catch (e) {
        if (e.status === 404) this.boxError = t('voicemail.greeting.noBox');
        else if (e.status === 400) {
          const fe = (e.fieldErrors || []).filter((x) => x && x.message);
          this.uploadError = t('voicemail.greeting.refused', { reason: fe.length ? fe.map((x) => fieldErrorText(x.message)).join('; ') : errorText(e) });
        } else this.uploadError = errorText(e);
      } finally { this.uploading = false; }
    },
    async reset(g) {
      if (!(await confirmDialog(t('voicemail.greeting.confirmDefault', { box: this.boxTypeLabel(g.boxType) + ' ' + g.box }), { okKey: 'voicemail.greeting.useDefault' }))) return;
      try { await api.del(greetingPath(g.boxType, g.box)); toast(t('voicemail.greeting.defaultRestored')); await this.load(); } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="panel vm-greetings" data-testid="vm-greetings">
      <div class="vm-greetings-head"><strong>{{ t('voicemail.greetings') }}</strong> <span class="muted small">{{ t('voicemail.greetingsHint') }}</span></div>
      <form v-if="can('ivr.write')" class="upload-row toolbar" @submit.prevent="upload" novalidate data-testid="vm-greeting-form">
        <form-field :label="t('voicemail.boxType')">
          <select v-model="boxType" data-testid="vm-greeting-boxtype"><option v-for="b in VM_BOX_TYPES" :key="b" :value="b">{{ boxTypeLabel(b) }}</option></select>
        </form-field>
        <form-field :label="t('voicemail.box')" :error="boxError" testid="vm-greeting-box-error">
          <input type="text" v-model="box" data-testid="vm-greeting-box" :placeholder="t('voicemail.boxHint')">
        </form-field>
        <label class="field grow" :class="{ invalid: !!uploadError }">
          <span class="field-label">{{ t('voicemail.greeting.file') }}</span>
          <input type="file" ref="file" accept=".wav,.mp3,audio/wav,audio/x-wav,audio/mpeg" data-testid="vm-greeting-file" @change="pick">
          <span v-if="uploadError" class="field-error" role="alert" data-testid="vm-greeting-error">{{ uploadError }}</span>
        </label>
        <button type="submit" class="btn btn-primary" data-testid="vm-greeting-upload" :disabled="uploading">{{ uploading ? t('prompts.uploading') : t('voicemail.greeting.upload') }}</button>
      </form>
      <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
      <table class="grid" data-testid="vm-greetings-table">
        <tbody>
          <tr v-for="g in items" :key="g.boxType + '-' + g.box" :data-testid="'vm-greeting-row-' + g.boxType + '-' + g.box">
            <td><span class="badge" :class="g.boxType === 'queue' ? 'badge-warn' : 'badge-blue'">{{ boxTypeLabel(g.boxType) }}</span> <span class="mono">{{ g.box }}</span></td>
            <td class="mono" :data-testid="'vm-greeting-duration-' + g.boxType + '-' + g.box">{{ fmtMs(g.durationMs) }}</td>
            <td><audio class="player" controls preload="none" :src="audioUrl(g)" :data-testid="'vm-greeting-audio-' + g.boxType + '-' + g.box"></audio></td>
            <td v-if="can('ivr.write')" class="actions"><button type="button" class="btn-link danger" :data-testid="'vm-greeting-default-' + g.boxType + '-' + g.box" @click="reset(g)">{{ t('voicemail.greeting.useDefault') }}</button></td>
          </tr>
          <tr v-if="!items.length"><td class="empty muted" colspan="4" data-testid="vm-greetings-empty">{{ t('voicemail.greeting.none') }}</td></tr>
        </tbody>
      </table>
    </div>`,
};

export const VoicemailPage = {
  components: { VoicemailList, VoicemailGreetings },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('voicemail.title') }}</h1>
      <span class="sub">{{ can('recording.read') ? t('voicemail.subtitleAll') : t('voicemail.subtitleOwn') }}</span>
    </div>
    <voicemail-greetings></voicemail-greetings>
    <voicemail-list></voicemail-list>`,
};
