// Voicemail inbox (MSG-1): messages left by callers in the boxes of extensions and queues. An agent
// sees their own extension's box, recording.read sees every box (the server filters). Play in the
// browser, download, mark handled or not, delete. The list itself (components/voicemail-list.js) is
// also the agent desktop's panel.

import { api, t, tOr, toast, toastError, confirmDialog, errorText, fieldErrorText } from '../common.js';
import { fmtMs } from '../format.js';
import { VM_BOX_TYPES, VoicemailList } from '../components/voicemail-list.js';
import { MAX_UPLOAD_BYTES } from '../upload.js';

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
