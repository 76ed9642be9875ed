// Conference rooms (PBX-5): dialled by number from extensions or reached from a DID, optionally
// PIN-protected (write only) and recorded; the live participant count.

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { blankToNull, byNumber } from '../format.js';

export const ConferencesPage = {
  data() { return { items: [], loading: true, loadError: null, dialog: null }; },
  created() { this.load(); },
  computed: {
    sorted() { return [...this.items].sort(byNumber); },
  },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/conference-rooms'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    openCreate() {
      this.dialog = { mode: 'create', id: null, hasPin: false, errors: {}, error: null, saving: false,
        form: { number: '', name: '', pin: '', removePin: false, record: false } };
    },
    openEdit(x) {
      this.dialog = { mode: 'edit', id: x.id, hasPin: !!x.hasPin, errors: {}, error: null, saving: false,
        form: { number: String(x.number), name: x.name || '', pin: '', removePin: false, record: !!x.record } };
    },
    async save() {
      const d = this.dialog;
      const f = d.form;
      const body = { number: f.number.trim(), name: blankToNull(f.name), record: !!f.record };
      // PIN is write only: blank keeps the current one (or none), "" removes it.
      if (d.mode === 'edit' && f.removePin) body.pin = '';
      else if (f.pin.trim() !== '') body.pin = f.pin.trim();
      d.saving = true; d.errors = {}; d.error = null;
      try {
        if (d.mode === 'create') await api.post('/conference-rooms', body); else await api.put('/conference-rooms/' + d.id, body);
        this.dialog = null; toast(t('common.saved')); await this.load();
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
    async remove(x) {
      if (!(await confirmDialog(t('conferences.confirmDelete', { number: x.number })))) return;
      try { await api.del('/conference-rooms/' + x.id); toast(t('common.deleted')); await this.load(); } catch (e) {
        if (e.status === 409) toast(t('conferences.inUse', { number: x.number }), 'error'); else toastError(e);
      }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('conferences.title') }}</h1>
      <span class="sub">{{ t('conferences.subtitle') }}</span>
      <div class="spacer"></div>
      <button class="btn" data-testid="conferences-refresh" @click="load">{{ t('common.refresh') }}</button>
      <button v-if="can('routing.write')" class="btn btn-primary" data-testid="conference-new" @click="openCreate">+ {{ t('conferences.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="conferences-table">
        <thead><tr>
          <th>{{ t('conferences.number') }}</th><th>{{ t('conferences.name') }}</th><th>{{ t('conferences.pin') }}</th>
          <th>{{ t('conferences.record') }}</th><th>{{ t('conferences.participants') }}</th><th v-if="can('routing.write')"></th>
        </tr></thead>
        <tbody>
          <tr v-for="x in sorted" :key="x.id" :data-testid="'conference-row-' + x.number">
            <td><span class="name mono">{{ x.number }}</span></td>
            <td>{{ dash(x.name) }}</td>
            <td><span v-if="x.hasPin" class="badge badge-blue" :data-testid="'conference-pin-' + x.number">{{ t('conferences.hasPin') }}</span><span v-else class="muted">{{ t('conferences.open') }}</span></td>
            <td><span v-if="x.record" class="badge badge-warn" :data-testid="'conference-record-' + x.number">{{ t('conferences.recorded') }}</span><span v-else class="muted">—</span></td>
            <td :data-testid="'conference-participants-' + x.number">
              <span class="badge" :class="x.participants ? 'badge-ok' : 'badge-off'">{{ t('conferences.live', { n: x.participants || 0 }) }}</span>
            </td>
            <td v-if="can('routing.write')" class="actions">
              <button class="btn-link" :data-testid="'conference-edit-' + x.number" @click="openEdit(x)">{{ t('common.edit') }}</button>
              <button class="btn-link danger" :data-testid="'conference-delete-' + x.number" @click="remove(x)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <tr v-if="loading && !items.length"><td class="empty" colspan="6">{{ t('common.loading') }}</td></tr>
          <tr v-if="!loading && !items.length"><td class="empty" colspan="6" data-testid="conferences-empty">{{ t('common.noData') }}</td></tr>
        </tbody>
      </table>
    </div>
    <div class="field-hint page-note">{{ t('conferences.dialHint') }}</div>
    <modal v-if="dialog" size="small" :title="t(dialog.mode === 'create' ? 'conferences.new' : 'conferences.edit')" testid="conference-dialog" @close="dialog = null">
      <form @submit.prevent="save" novalidate style="display:flex;flex-direction:column;gap:14px">
        <form-field :label="t('conferences.number')" required :error="dialog.errors.number" testid="conference-form-number-error" :hint="t('conferences.numberHint')">
          <input type="text" v-model="dialog.form.number" data-testid="conference-form-number" inputmode="numeric">
        </form-field>
        <form-field :label="t('conferences.name')" required :error="dialog.errors.name" testid="conference-form-name-error">
          <input type="text" v-model="dialog.form.name" data-testid="conference-form-name">
        </form-field>
        <div class="field">
          <form-field :label="t('conferences.pin')" :error="dialog.errors.pin" testid="conference-form-pin-error"
                      :hint="dialog.hasPin ? t('conferences.pinKeep') : t('conferences.pinHint')">
            <input type="password" v-model="dialog.form.pin" data-testid="conference-form-pin" inputmode="numeric" autocomplete="new-password"
                   :disabled="dialog.form.removePin">
          </form-field>
          <label v-if="dialog.mode === 'edit' && dialog.hasPin" class="check"><input type="checkbox" v-model="dialog.form.removePin" data-testid="conference-form-remove-pin"> {{ t('conferences.removePin') }}</label>
        </div>
        <label class="check"><input type="checkbox" v-model="dialog.form.record" data-testid="conference-form-record"> {{ t('conferences.recordRoom') }}</label>
        <form-alert :error="dialog.error" :known="['number', 'name', 'pin']"></form-alert>
        <button type="submit" hidden></button>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="conference-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
