// Callback list (PBX-6): a listed caller is hung up on and called back after a delay, through the
// outbound routes, then connected to the destination of the number they dialled.

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { blankToNull } from '../format.js';

export const CallbacksPage = {
  data() { return { items: [], loading: true, loadError: null, dialog: null }; },
  created() { this.load(); },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/callback-list'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    openCreate() { this.dialog = { form: { number: '', delaySeconds: '10', note: '' }, errors: {}, error: null, saving: false }; },
    async save() {
      const d = this.dialog;
      const delay = String(d.form.delaySeconds).trim();
      const body = { number: d.form.number.trim(), delaySeconds: /^\d+$/.test(delay) ? Number(delay) : -1, note: blankToNull(d.form.note) };
      d.saving = true; d.errors = {}; d.error = null;
      try {
        await api.post('/callback-list', body);
        this.dialog = null; toast(t('common.saved')); await this.load();
      } catch (e) {
        d.errors = e.fields ? e.fields() : {};
        if (e.status === 409 && !d.errors.number) d.errors = { number: 'already exists' };
        d.error = e.status === 409 ? null : e;
        d.saving = false;
      }
    },
    async remove(x) {
      if (!(await confirmDialog(t('callbacks.confirmDelete', { number: x.number })))) return;
      try { await api.del('/callback-list/' + x.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('callbacks.title') }}</h1>
      <span class="sub">{{ t('callbacks.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('routing.write')" class="btn btn-primary" data-testid="callback-new" @click="openCreate">+ {{ t('callbacks.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="callbacks-table">
        <thead><tr>
          <th>{{ t('blacklist.number') }}</th><th>{{ t('callbacks.delay') }}</th><th>{{ t('blacklist.note') }}</th>
          <th>{{ t('blacklist.createdAt') }}</th><th v-if="can('routing.write')"></th>
        </tr></thead>
        <tbody>
          <tr v-for="x in items" :key="x.id" :data-testid="'callback-row-' + x.number">
            <td><span class="name mono">{{ x.number }}</span></td>
            <td>{{ t('callbacks.after', { n: x.delaySeconds }) }}</td>
            <td>{{ dash(x.note) }}</td>
            <td class="mono" style="white-space:nowrap">{{ fmtTime(x.createdAt) }}</td>
            <td v-if="can('routing.write')" class="actions">
              <button class="btn-link danger" :data-testid="'callback-delete-' + x.number" @click="remove(x)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <tr v-if="!loading && !items.length"><td class="empty" colspan="5">{{ t('callbacks.empty') }}</td></tr>
        </tbody>
      </table>
    </div>
    <modal v-if="dialog" size="small" :title="t('callbacks.new')" testid="callback-dialog" @close="dialog = null">
      <form @submit.prevent="save" novalidate style="display:flex;flex-direction:column;gap:14px">
        <form-field :label="t('blacklist.number')" required :error="dialog.errors.number" testid="callback-form-number-error" :hint="t('blacklist.numberHint')">
          <input type="text" v-model="dialog.form.number" data-testid="callback-form-number" inputmode="tel">
        </form-field>
        <form-field :label="t('callbacks.delay')" :error="dialog.errors.delaySeconds" testid="callback-form-delay-error" :hint="t('callbacks.delayHint')">
          <input type="text" v-model="dialog.form.delaySeconds" data-testid="callback-form-delay" inputmode="numeric">
        </form-field>
        <form-field :label="t('blacklist.note')" :error="dialog.errors.note" testid="callback-form-note-error">
          <input type="text" v-model="dialog.form.note" data-testid="callback-form-note">
        </form-field>
        <form-alert :error="dialog.error" :known="['number', 'delaySeconds', 'note']"></form-alert>
        <button type="submit" hidden></button>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="callback-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
