// Conference rooms (PBX-5): dialled by number from extensions or reached from a DID, optionally
// PIN-protected (write only) and recorded; a moderator PIN and an opening window; the live participant count
// and, per room, the moderator's panel: who is in it, mute / unmute one or all, remove, lock, record.

import { api, t, toast, toastError } from '../common.js';
import { blankToNull, byNumber, fmtTime, toIso } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

/** An instant as a datetime-local input's value (local time), '' when none. */
function localInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

export const ConferencesPage = {
  components: { CrudTable },
  setup() { return { byNumber, fmtTime }; },
  data() { return { moderating: null, live: null, busy: false }; },
  beforeUnmount() { clearInterval(this.timer); },
  computed: {
    columns() {
      return [
        { key: 'number', label: t('conferences.number'), span: 'name mono' },
        { key: 'name', label: t('conferences.name') },
        { key: 'pin', label: t('conferences.pin') },
        { key: 'record', label: t('conferences.record') },
        { key: 'schedule', label: t('conferences.schedule') },
        { key: 'participants', label: t('conferences.participants'), testid: (x) => 'conference-participants-' + x.number },
      ];
    },
    fields() {
      return [
        { key: 'number', label: t('conferences.number'), required: true, hint: t('conferences.numberHint'), inputmode: 'numeric' },
        { key: 'name', label: t('conferences.name'), required: true },
        { key: 'pin', label: t('conferences.pin') },
        { key: 'moderatorPin', label: t('conferences.moderatorPin') },
        { key: 'openFrom', label: t('conferences.openFrom'), hint: t('conferences.openHint') },
        { key: 'openUntil', label: t('conferences.openUntil') },
        { key: 'record', label: t('conferences.recordRoom'), type: 'checkbox' },
      ];
    },
  },
  methods: {
    blank() { return { number: '', name: '', pin: '', removePin: false, moderatorPin: '', removeModeratorPin: false, openFrom: '', openUntil: '', record: false }; },
    toForm(x) {
      return { number: String(x.number), name: x.name || '', pin: '', removePin: false, moderatorPin: '', removeModeratorPin: false,
        openFrom: localInput(x.openFrom), openUntil: localInput(x.openUntil), record: !!x.record };
    },
    toBody(f, d) {
      const body = { number: f.number.trim(), name: blankToNull(f.name), record: !!f.record,
        openFrom: f.openFrom ? toIso(f.openFrom) || f.openFrom : null, openUntil: f.openUntil ? toIso(f.openUntil) || f.openUntil : null };
      // PINs are write only: blank keeps the current one (or none), "" removes it.
      if (d.mode === 'edit' && f.removePin) body.pin = '';
      else if (f.pin.trim() !== '') body.pin = f.pin.trim();
      if (d.mode === 'edit' && f.removeModeratorPin) body.moderatorPin = '';
      else if (f.moderatorPin.trim() !== '') body.moderatorPin = f.moderatorPin.trim();
      return body;
    },
    async moderate(x) {
      this.moderating = x;
      this.live = null;
      await this.loadLive();
      clearInterval(this.timer);
      this.timer = setInterval(() => this.loadLive(), 3000);
    },
    closeModeration() { clearInterval(this.timer); this.moderating = null; this.live = null; },
    async loadLive() {
      if (!this.moderating) return;
      try { this.live = await api.get('/conference-rooms/' + this.moderating.id + '/live'); } catch (e) { toastError(e); }
    },
    async control(action) {
      this.busy = true;
      try { this.live = await api.post('/conference-rooms/' + this.moderating.id + '/control', { action }); } catch (e) { toastError(e); }
      finally { this.busy = false; }
    },
    async participant(p, action) {
      this.busy = true;
      try {
        this.live = await api.post('/conference-rooms/' + this.moderating.id + '/participants/' + encodeURIComponent(p.channelId), { action });
        if (action === 'remove') setTimeout(() => this.loadLive(), 500);
      } catch (e) { toastError(e); } finally { this.busy = false; }
    },
    confirmText(x) { return t('conferences.confirmDelete', { number: x.number }); },
    inUse(e, x) {
      if (e.status !== 409) return false;
      toast(t('conferences.inUse', { number: x.number }), 'error');
      return true;
    },
  },
  template: `
    <crud-table path="/conference-rooms" name="conference" table-testid="conferences-table" write-perm="routing.write" modal-size="small"
      :title="t('conferences.title')" :subtitle="t('conferences.subtitle')" :new-label="t('conferences.new')" :edit-title="t('conferences.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :sort="byNumber" :row-id="(x) => x.number"
      :confirm-text="confirmText" :on-delete-error="inUse" refresh-testid="conferences-refresh" loading-row empty-testid="conferences-empty">
      <template #cell-pin="{ row }"><span v-if="row.hasPin" class="badge badge-blue" :data-testid="'conference-pin-' + row.number">{{ t('conferences.hasPin') }}</span><span v-else class="muted">{{ t('conferences.open') }}</span></template>
      <template #cell-record="{ row }"><span v-if="row.record" class="badge badge-warn" :data-testid="'conference-record-' + row.number">{{ t('conferences.recorded') }}</span><span v-else class="muted">—</span></template>
      <template #cell-schedule="{ row }"><span v-if="row.openFrom || row.openUntil" class="mono" :data-testid="'conference-schedule-' + row.number">{{ row.openFrom ? fmtTime(row.openFrom) : '…' }} → {{ row.openUntil ? fmtTime(row.openUntil) : '…' }}</span><span v-else class="muted">{{ t('conferences.always') }}</span></template>
      <template #actions="{ row }"><button class="btn btn-sm" @click="moderate(row)" :data-testid="'conference-moderate-' + row.number">{{ t('conferences.moderate') }}</button></template>
      <template #cell-participants="{ row }"><span class="badge" :class="row.participants ? 'badge-ok' : 'badge-off'">{{ t('conferences.live', { n: row.participants || 0 }) }}</span></template>
      <template #below>
        <div class="field-hint page-note">{{ t('conferences.dialHint') }}</div>
        <div class="field-hint page-note">{{ t('conferences.keysHint') }}</div>
        <div class="panel" v-if="moderating" data-testid="conference-moderation">
          <div class="panel-head"><h2>{{ t('conferences.moderation', { number: moderating.number }) }}</h2>
            <button class="btn btn-sm" @click="loadLive" data-testid="conference-live-refresh">{{ t('common.refresh') }}</button>
            <button class="btn btn-sm" @click="closeModeration" data-testid="conference-moderation-close">{{ t('common.close') }}</button></div>
          <div class="panel-body" v-if="live">
            <div class="toolbar" v-if="can('routing.write')">
              <button class="btn btn-sm" :disabled="busy || !live.participants.length" @click="control(live.allMuted ? 'unmute-all' : 'mute-all')" data-testid="conference-mute-all">{{ live.allMuted ? t('conferences.unmuteAll') : t('conferences.muteAll') }}</button>
              <button class="btn btn-sm" :disabled="busy || !live.participants.length" @click="control(live.locked ? 'unlock' : 'lock')" data-testid="conference-lock">{{ live.locked ? t('conferences.unlock') : t('conferences.lock') }}</button>
              <button class="btn btn-sm" :disabled="busy || !live.participants.length" @click="control(live.recording ? 'stop-record' : 'record')" data-testid="conference-record-toggle">{{ live.recording ? t('conferences.stopRecording') : t('conferences.startRecording') }}</button>
              <span v-if="live.locked" class="badge badge-warn" data-testid="conference-locked">{{ t('conferences.locked') }}</span>
              <span v-if="live.recording" class="badge badge-warn" data-testid="conference-recording">{{ t('conferences.recordingNow') }}</span>
            </div>
            <table class="table" data-testid="conference-participants">
              <thead><tr><th>{{ t('conferences.caller') }}</th><th>{{ t('conferences.role') }}</th><th>{{ t('conferences.joinedAt') }}</th><th></th></tr></thead>
              <tbody>
                <tr v-for="p in live.participants" :key="p.channelId" :data-testid="'conference-participant-' + p.channelId">
                  <td class="mono">{{ p.caller || '—' }}</td>
                  <td><span class="badge" :class="p.moderator ? 'badge-blue' : 'badge-off'">{{ p.moderator ? t('conferences.moderator') : t('conferences.participant') }}</span>
                      <span v-if="p.muted" class="badge badge-warn">{{ t('conferences.muted') }}</span></td>
                  <td>{{ fmtTime(p.joinedAt) }}</td>
                  <td class="actions" v-if="can('routing.write')">
                    <button class="btn btn-sm" :disabled="busy" @click="participant(p, p.muted ? 'unmute' : 'mute')" :data-testid="'conference-mute-' + p.channelId">{{ p.muted ? t('conferences.unmute') : t('conferences.mute') }}</button>
                    <button class="btn btn-sm btn-danger" :disabled="busy" @click="participant(p, 'remove')" :data-testid="'conference-remove-' + p.channelId">{{ t('conferences.remove') }}</button>
                  </td>
                </tr>
                <tr v-if="!live.participants.length"><td colspan="4" class="muted" data-testid="conference-nobody">{{ t('conferences.nobody') }}</td></tr>
              </tbody>
            </table>
          </div>
        </div>
      </template>
      <template #field-pin="{ dialog }">
        <div class="field">
          <form-field :label="t('conferences.pin')" :error="dialog.errors.pin" testid="conference-form-pin-error"
                      :hint="dialog.row && dialog.row.hasPin ? t('conferences.pinKeep') : t('conferences.pinHint')">
            <input type="password" v-model="dialog.form.pin" data-testid="conference-form-pin" inputmode="numeric" autocomplete="new-password"
                   :disabled="dialog.form.removePin">
          </form-field>
          <label v-if="dialog.mode === 'edit' && dialog.row.hasPin" class="check"><input type="checkbox" v-model="dialog.form.removePin" data-testid="conference-form-remove-pin"> {{ t('conferences.removePin') }}</label>
        </div>
      </template>
      <template #field-moderatorPin="{ dialog }">
        <div class="field">
          <form-field :label="t('conferences.moderatorPin')" :error="dialog.errors.moderatorPin" testid="conference-form-moderatorPin-error"
                      :hint="dialog.row && dialog.row.hasModeratorPin ? t('conferences.pinKeep') : t('conferences.moderatorPinHint')">
            <input type="password" v-model="dialog.form.moderatorPin" data-testid="conference-form-moderatorPin" inputmode="numeric" autocomplete="new-password"
                   :disabled="dialog.form.removeModeratorPin">
          </form-field>
          <label v-if="dialog.mode === 'edit' && dialog.row.hasModeratorPin" class="check"><input type="checkbox" v-model="dialog.form.removeModeratorPin" data-testid="conference-form-remove-moderatorPin"> {{ t('conferences.removeModeratorPin') }}</label>
        </div>
      </template>
      <template #field-openFrom="{ dialog }">
        <form-field :label="t('conferences.openFrom')" :error="dialog.errors.openFrom" :hint="t('conferences.openHint')" testid="conference-form-openFrom-error">
          <input type="datetime-local" v-model="dialog.form.openFrom" data-testid="conference-form-openFrom"></form-field>
      </template>
      <template #field-openUntil="{ dialog }">
        <form-field :label="t('conferences.openUntil')" :error="dialog.errors.openUntil" testid="conference-form-openUntil-error">
          <input type="datetime-local" v-model="dialog.form.openUntil" data-testid="conference-form-openUntil"></form-field>
      </template>
    </crud-table>`,
};
