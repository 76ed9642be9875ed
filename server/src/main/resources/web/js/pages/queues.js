// Queues: plain records for now (name, ring strategy, description).

import { api, t, tOr, toast, toastError, confirmDialog, blankToNull } from '../common.js';

export const STRATEGIES = ['ring_all', 'random', 'round_robin', 'linear', 'linear_continue', 'fewest_calls', 'fewest_answered', 'longest_idle'];

export const QueuesPage = {
  setup() { return { STRATEGIES }; },
  data() { return { items: [], loading: true, loadError: null, dialog: null }; },
  created() { this.load(); },
  methods: {
    strategyLabel(s) { return s ? tOr('strategy.' + s, s) : '—'; },
    async load() {
      this.loading = true;
      try { this.items = await api.get('/queues'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    openCreate() { this.dialog = { mode: 'create', id: null, form: { name: '', strategy: STRATEGIES[0], description: '' }, errors: {}, error: null, saving: false }; },
    openEdit(q) { this.dialog = { mode: 'edit', id: q.id, form: { name: q.name, strategy: q.strategy || STRATEGIES[0], description: q.description || '' }, errors: {}, error: null, saving: false }; },
    choices() {
      const s = this.dialog && this.dialog.form.strategy;
      return s && !STRATEGIES.includes(s) ? STRATEGIES.concat([s]) : STRATEGIES;
    },
    async save() {
      const d = this.dialog;
      const body = { name: d.form.name.trim(), strategy: d.form.strategy, description: blankToNull(d.form.description) };
      d.saving = true; d.errors = {}; d.error = null;
      try {
        if (d.mode === 'create') await api.post('/queues', body); else await api.put('/queues/' + d.id, body);
        this.dialog = null; toast(t('common.saved')); await this.load();
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
    async remove(q) {
      if (!(await confirmDialog(t('queues.confirmDelete', { name: q.name })))) return;
      try { await api.del('/queues/' + q.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('queues.title') }}</h1>
      <span class="sub">{{ t('queues.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('queue.write')" class="btn btn-primary" data-testid="queue-new" @click="openCreate">+ {{ t('queues.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="queues-table">
        <thead><tr><th>{{ t('queues.name') }}</th><th>{{ t('queues.strategy') }}</th><th>{{ t('queues.description') }}</th><th v-if="can('queue.write')"></th></tr></thead>
        <tbody>
          <tr v-for="q in items" :key="q.id" :data-testid="'queue-row-' + q.name">
            <td><span class="name">{{ q.name }}</span></td>
            <td>{{ strategyLabel(q.strategy) }}</td>
            <td>{{ dash(q.description) }}</td>
            <td v-if="can('queue.write')" class="actions">
              <button class="btn-link" :data-testid="'queue-edit-' + q.name" @click="openEdit(q)">{{ t('common.edit') }}</button>
              <button class="btn-link danger" :data-testid="'queue-delete-' + q.name" @click="remove(q)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <tr v-if="!loading && !items.length"><td class="empty" colspan="4">{{ t('common.noData') }}</td></tr>
        </tbody>
      </table>
    </div>
    <modal v-if="dialog" size="small" :title="t(dialog.mode === 'create' ? 'queues.new' : 'queues.edit')" testid="queue-dialog" @close="dialog = null">
      <form @submit.prevent="save" novalidate style="display:flex;flex-direction:column;gap:14px">
        <form-field :label="t('queues.name')" required :error="dialog.errors.name" testid="queue-form-name-error">
          <input type="text" v-model="dialog.form.name" data-testid="queue-form-name">
        </form-field>
        <form-field :label="t('queues.strategy')" :error="dialog.errors.strategy" testid="queue-form-strategy-error">
          <select v-model="dialog.form.strategy" data-testid="queue-form-strategy">
            <option v-for="s in choices()" :key="s" :value="s">{{ strategyLabel(s) }}</option>
          </select>
        </form-field>
        <form-field :label="t('queues.description')" :error="dialog.errors.description" testid="queue-form-description-error">
          <textarea rows="3" v-model="dialog.form.description" data-testid="queue-form-description"></textarea>
        </form-field>
        <form-alert :error="dialog.error" :known="['name', 'strategy', 'description']"></form-alert>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="queue-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
