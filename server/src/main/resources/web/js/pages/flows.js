// IVR flows (IVR-1..3): the list of an enterprise's flows (create, delete, open) and, under
// #/flows/<id>, the visual editor of one flow (flow-editor.js).

import { api, t, toast, confirmDialog, errorText } from '../common.js';
import { blankToNull } from '../format.js';
import { FlowEditor } from '../components/flow-editor.js';

/** The flow id in "#/flows/<id>", or null on the list. */
function flowIdFromHash() {
  const m = /^#\/flows\/(\d+)/.exec(location.hash || '');
  return m ? Number(m[1]) : null;
}

export const FlowsPage = {
  components: { FlowEditor },
  data() { return { flowId: flowIdFromHash(), items: [], loading: true, loadError: null, actionError: null, dialog: null }; },
  created() {
    window.addEventListener('hashchange', this.sync);
    if (this.flowId === null) this.load();
  },
  unmounted() { window.removeEventListener('hashchange', this.sync); },
  computed: {
    sorted() { return [...this.items].sort((a, b) => String(a.name).localeCompare(String(b.name))); },
  },
  methods: {
    sync() {
      const id = flowIdFromHash();
      if (id === this.flowId) return;
      this.flowId = id;
      if (id === null) { this.actionError = null; this.load(); }
    },
    async load() {
      this.loading = true;
      try { this.items = await api.get('/flows'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    open(x) { location.hash = '#/flows/' + x.id; },
    openCreate() {
      this.actionError = null;
      this.dialog = { form: { name: '', description: '' }, errors: {}, error: null, saving: false };
    },
    async save() {
      const d = this.dialog;
      const body = { name: d.form.name.trim(), description: blankToNull(d.form.description) };
      d.saving = true; d.errors = {}; d.error = null;
      try {
        const created = await api.post('/flows', body);
        this.dialog = null;
        toast(t('common.saved'));
        if (created && created.id !== undefined) location.hash = '#/flows/' + created.id; else await this.load();
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
    async remove(x) {
      this.actionError = null;
      if (!(await confirmDialog(t('flows.confirmDelete', { name: x.name })))) return;
      try { await api.del('/flows/' + x.id); toast(t('common.deleted')); await this.load(); } catch (e) {
        this.actionError = e.status === 409 ? t('flows.inUse', { name: x.name }) : errorText(e);
      }
    },
  },
  template: `
    <flow-editor v-if="flowId !== null" :flow-id="flowId" :key="flowId"></flow-editor>
    <template v-else>
      <div class="page-head">
        <h1 data-testid="page-title">{{ t('flows.title') }}</h1>
        <span class="sub">{{ t('flows.subtitle') }}</span>
        <div class="spacer"></div>
        <button v-if="can('ivr.write')" class="btn btn-primary" data-testid="flow-new" @click="openCreate">+ {{ t('flows.new') }}</button>
      </div>
      <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
      <div v-if="actionError" class="alert alert-error alert-row" role="alert">
        <span data-testid="flow-action-error">{{ actionError }}</span><button type="button" class="icon-btn" :aria-label="t('common.close')" @click="actionError = null">×</button>
      </div>
      <div class="panel table-wrap">
        <table class="grid clickable" data-testid="flows-table">
          <thead><tr>
            <th>{{ t('flows.name') }}</th><th>{{ t('flows.description') }}</th><th>{{ t('flows.publishedVersion') }}</th>
            <th>{{ t('flows.draftVersion') }}</th><th>{{ t('flows.updatedAt') }}</th><th></th>
          </tr></thead>
          <tbody>
            <tr v-for="x in sorted" :key="x.id" :data-testid="'flow-row-' + x.name" tabindex="0" @click="open(x)" @keydown.enter="open(x)">
              <td><span class="name mono">{{ x.name }}</span></td>
              <td>{{ dash(x.description) }}</td>
              <td :data-testid="'flow-published-' + x.name">
                <span v-if="x.publishedVersion" class="badge badge-ok">{{ t('flows.versionN', { n: x.publishedVersion }) }}</span>
                <span v-else class="badge badge-off">{{ t('flows.notPublished') }}</span>
              </td>
              <td :data-testid="'flow-draft-' + x.name">
                <span v-if="x.draftVersion">{{ t('flows.versionN', { n: x.draftVersion }) }}</span><span v-else class="muted">—</span>
                <span v-if="x.draftVersion && x.publishedVersion !== x.draftVersion" class="badge badge-warn">{{ t('flows.unpublishedChanges') }}</span>
              </td>
              <td>{{ fmtTime(x.updatedAt) }}</td>
              <td class="actions" @click.stop>
                <a class="btn-link" :href="'#/flows/' + x.id" :data-testid="'flow-open-' + x.name">{{ can('ivr.write') ? t('flows.openEditor') : t('common.view') }}</a>
                <button v-if="can('ivr.write')" class="btn-link danger" :data-testid="'flow-delete-' + x.name" @click="remove(x)">{{ t('common.delete') }}</button>
              </td>
            </tr>
            <tr v-if="loading && !items.length"><td class="empty" colspan="6">{{ t('common.loading') }}</td></tr>
            <tr v-if="!loading && !items.length"><td class="empty" colspan="6" data-testid="flows-empty">{{ t('flows.empty') }}</td></tr>
          </tbody>
        </table>
      </div>
      <div class="field-hint page-note">{{ t('flows.numbersHint') }}</div>
      <modal v-if="dialog" size="small" :title="t('flows.new')" testid="flow-dialog" @close="dialog = null">
        <form @submit.prevent="save" novalidate style="display:flex;flex-direction:column;gap:14px">
          <form-field :label="t('flows.name')" required :error="dialog.errors.name" testid="flow-form-name-error" :hint="t('flows.nameHint')">
            <input type="text" v-model="dialog.form.name" data-testid="flow-form-name" autocomplete="off">
          </form-field>
          <form-field :label="t('flows.description')" :error="dialog.errors.description" testid="flow-form-description-error">
            <input type="text" v-model="dialog.form.description" data-testid="flow-form-description">
          </form-field>
          <form-alert :error="dialog.error" :known="['name', 'description']"></form-alert>
          <button type="submit" hidden></button>
        </form>
        <template #footer>
          <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
          <button class="btn btn-primary" data-testid="flow-save" :disabled="dialog.saving" @click="save">{{ t('common.create') }}</button>
        </template>
      </modal>
    </template>`,
};
