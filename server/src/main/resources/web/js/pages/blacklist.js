// Blacklist (PBX-6): callers on it are declined before anything else runs. Exact numbers or
// prefixes ending in "*".

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { blankToNull } from '../format.js';

export const BlacklistPage = {
  data() { return { items: [], loading: true, loadError: null, dialog: null }; },
  created() { this.load(); },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/blacklist'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    openCreate() { this.dialog = { form: { number: '', note: '' }, errors: {}, error: null, saving: false }; },
    async save() {
      const d = this.dialog;
      const body = { number: d.form.number.trim(), note: blankToNull(d.form.note) };
      d.saving = true; d.errors = {}; d.error = null;
      try {
        await api.post('/blacklist', body);
        this.dialog = null; toast(t('common.saved')); await this.load();
      } catch (e) {
        d.errors = e.fields ? e.fields() : {};
        if (e.status === 409 && !d.errors.number) d.errors = { number: 'already blocked' };
        d.error = e.status === 409 ? null : e;
        d.saving = false;
      }
    },
    async remove(x) {
      if (!(await confirmDialog(t('blacklist.confirmDelete', { number: x.number }), { okKey: 'blacklist.unblock' }))) return;
      try { await api.del('/blacklist/' + x.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('blacklist.title') }}</h1>
      <span class="sub">{{ t('blacklist.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('routing.write')" class="btn btn-primary" data-testid="blacklist-new" @click="openCreate">+ {{ t('blacklist.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="blacklist-table">
        <thead><tr>
          <th>{{ t('blacklist.number') }}</th><th>{{ t('blacklist.match') }}</th><th>{{ t('blacklist.note') }}</th>
          <th>{{ t('blacklist.createdAt') }}</th><th v-if="can('routing.write')"></th>
        </tr></thead>
        <tbody>
          <tr v-for="x in items" :key="x.id" :data-testid="'blacklist-row-' + x.number">
            <td><span class="name mono">{{ x.number }}</span></td>
            <td><span class="badge" :class="x.number.endsWith('*') ? 'badge-blue' : ''">{{ x.number.endsWith('*') ? t('blacklist.prefix') : t('blacklist.exact') }}</span></td>
            <td>{{ dash(x.note) }}</td>
            <td class="mono" style="white-space:nowrap">{{ fmtTime(x.createdAt) }}</td>
            <td v-if="can('routing.write')" class="actions">
              <button class="btn-link danger" :data-testid="'blacklist-delete-' + x.number" @click="remove(x)">{{ t('blacklist.unblock') }}</button>
            </td>
          </tr>
          <tr v-if="!loading && !items.length"><td class="empty" colspan="5">{{ t('blacklist.empty') }}</td></tr>
        </tbody>
      </table>
    </div>
    <modal v-if="dialog" size="small" :title="t('blacklist.new')" testid="blacklist-dialog" @close="dialog = null">
      <form @submit.prevent="save" novalidate style="display:flex;flex-direction:column;gap:14px">
        <form-field :label="t('blacklist.number')" required :error="dialog.errors.number" testid="blacklist-form-number-error" :hint="t('blacklist.numberHint')">
          <input type="text" v-model="dialog.form.number" data-testid="blacklist-form-number" inputmode="tel">
        </form-field>
        <form-field :label="t('blacklist.note')" :error="dialog.errors.note" testid="blacklist-form-note-error">
          <input type="text" v-model="dialog.form.note" data-testid="blacklist-form-note">
        </form-field>
        <form-alert :error="dialog.error" :known="['number', 'note']"></form-alert>
        <button type="submit" hidden></button>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="blacklist-save" :disabled="dialog.saving" @click="save">{{ t('blacklist.add') }}</button>
      </template>
    </modal>`,
};
