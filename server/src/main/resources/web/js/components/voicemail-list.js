// The voicemail messages of the inbox with their actions: the voicemail page's list and the agent
// desktop's panel (MSG-1).

import { api, t, tOr, toast, toastError, confirmDialog } from '../common.js';
import { fmtMs } from '../format.js';
import { voicemailAudioUrl } from '../media.js';

export const VM_BOX_TYPES = ['extension', 'queue'];

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
          <empty-row v-if="!items.length" :cols="fixed ? 7 : 8" :loading="loading" :testid="prefix + '-empty'"></empty-row>
        </tbody>
      </table>
    </div>`,
};
