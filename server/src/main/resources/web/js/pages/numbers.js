// Numbers (DIDs): a called number arriving on a trunk and where it goes: an extension it rings
// (PBX-2), a conference room it joins (PBX-5) or an IVR flow it runs (IVR-1, by the flow's name);
// optionally a welcome prompt (an uploaded prompt) played to callers first (IVR-2).

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { blankToNull, byNumber } from '../format.js';

export const DEST_TYPES = ['extension', 'conference', 'flow', 'ringgroup'];

export const NumbersPage = {
  setup() { return { DEST_TYPES }; },
  data() { return { items: [], trunks: [], extensions: [], rooms: [], flows: [], ringGroups: [], prompts: [], loading: true, loadError: null, dialog: null }; },
  created() { this.load(); this.loadChoices(); },
  computed: {
    sorted() { return [...this.items].sort(byNumber); },
    extensionChoices() { return [...this.extensions].sort(byNumber); },
    roomChoices() { return [...this.rooms].sort(byNumber); },
    flowChoices() { return [...this.flows].sort((a, b) => String(a.name).localeCompare(String(b.name))); },
  },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/numbers'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    async loadChoices() {
      try { this.trunks = await api.get('/trunks'); } catch (e) { this.trunks = []; }
      if (this.can('extension.read')) {
        try { this.extensions = await api.get('/extensions'); } catch (e) { this.extensions = []; }
      }
      try { this.rooms = await api.get('/conference-rooms'); } catch (e) { this.rooms = []; }
      try { this.ringGroups = await api.get('/ring-groups'); } catch (e) { this.ringGroups = []; }
      if (this.can('ivr.read')) {
        try { this.flows = await api.get('/flows'); } catch (e) { this.flows = []; }
        try { this.prompts = await api.get('/prompts'); } catch (e) { this.prompts = []; }
      }
    },
    trunkName(id) {
      if (id === null || id === undefined) return null;
      const tr = this.trunks.find((x) => x.id === id);
      return tr ? tr.name : '#' + id;
    },
    /** The bound user of an extension, the name of a conference room or the description of a flow, to show beside the number. */
    destinationName(x) {
      if (x.destinationType === 'flow') {
        const f = this.flows.find((c) => c.name === x.destination);
        return f && f.description ? f.description : null;
      }
      if (x.destinationType === 'ringgroup') {
        const g = this.ringGroups.find((c) => c.name === x.destination);
        return g ? (g.members || []).join(', ') : null;
      }
      if (x.destinationType === 'conference') {
        const r = this.rooms.find((c) => String(c.number) === String(x.destination));
        return r && r.name ? r.name : null;
      }
      return this.extensionUser(x.destination);
    },
    destTypeLabel(d) { return this.tOr('numbers.destType.' + d, d); },
    destBadge(d) { return d === 'conference' ? 'badge-warn' : d === 'flow' ? 'badge-ok' : d === 'ringgroup' ? 'badge-off' : 'badge-blue'; },
    flowHref(x) { const f = x.destinationType === 'flow' ? this.flows.find((c) => c.name === x.destination) : null; return f ? '#/flows/' + f.id : null; },
    setDestType(d) { if (this.dialog.form.destinationType !== d) { this.dialog.form.destinationType = d; this.dialog.form.destination = ''; } },
    extensionUser(number) {
      const x = this.extensions.find((e) => String(e.number) === String(number));
      return x && x.userName ? x.userName : null;
    },
    openCreate() { this.dialog = { mode: 'create', id: null, form: { number: '', trunkId: '', destinationType: 'extension', destination: '', description: '', welcomePrompt: '' }, errors: {}, error: null, saving: false }; },
    openEdit(x) {
      this.dialog = { mode: 'edit', id: x.id, errors: {}, error: null, saving: false,
        form: { number: x.number, trunkId: x.trunkId === null || x.trunkId === undefined ? '' : x.trunkId, destinationType: x.destinationType || 'extension', destination: x.destination || '', description: x.description || '', welcomePrompt: x.welcomePrompt || '' } };
    },
    async save() {
      const d = this.dialog;
      const f = d.form;
      const body = { number: f.number.trim(), trunkId: f.trunkId === '' ? null : Number(f.trunkId), destinationType: f.destinationType || 'extension',
        destination: blankToNull(f.destination), description: blankToNull(f.description), welcomePrompt: blankToNull(f.welcomePrompt) };
      d.saving = true; d.errors = {}; d.error = null;
      try {
        if (d.mode === 'create') await api.post('/numbers', body); else await api.put('/numbers/' + d.id, body);
        this.dialog = null; toast(t('common.saved')); await this.load();
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
    async remove(x) {
      if (!(await confirmDialog(t('numbers.confirmDelete', { number: x.number })))) return;
      try { await api.del('/numbers/' + x.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('numbers.title') }}</h1>
      <span class="sub">{{ t('numbers.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('routing.write')" class="btn btn-primary" data-testid="number-new" @click="openCreate">+ {{ t('numbers.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="numbers-table">
        <thead><tr>
          <th>{{ t('numbers.number') }}</th><th>{{ t('numbers.trunk') }}</th><th>{{ t('numbers.destination') }}</th>
          <th>{{ t('numbers.welcomePrompt') }}</th><th>{{ t('numbers.description') }}</th><th v-if="can('routing.write')"></th>
        </tr></thead>
        <tbody>
          <tr v-for="x in sorted" :key="x.id" :data-testid="'number-row-' + x.number">
            <td><span class="name mono">{{ x.number }}</span></td>
            <td>{{ trunkName(x.trunkId) || t('numbers.anyTrunk') }}</td>
            <td>
              <span class="badge" :class="destBadge(x.destinationType)" :data-testid="'number-desttype-' + x.number">{{ destTypeLabel(x.destinationType) }}</span>
              <a v-if="flowHref(x)" class="mono dest-link" :href="flowHref(x)" :data-testid="'number-flow-' + x.number"> {{ x.destination }}</a>
              <span v-else class="mono"> {{ x.destination }}</span>
              <span v-if="destinationName(x)" class="muted"> · {{ destinationName(x) }}</span>
            </td>
            <td :data-testid="'number-welcome-' + x.number"><span v-if="x.welcomePrompt" class="mono welcome-prompt" :title="t('numbers.welcomePrompt')">♪ {{ x.welcomePrompt }}</span><span v-else class="muted">—</span></td>
            <td>{{ dash(x.description) }}</td>
            <td v-if="can('routing.write')" class="actions">
              <button class="btn-link" :data-testid="'number-edit-' + x.number" @click="openEdit(x)">{{ t('common.edit') }}</button>
              <button class="btn-link danger" :data-testid="'number-delete-' + x.number" @click="remove(x)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <tr v-if="!loading && !items.length"><td class="empty" colspan="6">{{ t('common.noData') }}</td></tr>
        </tbody>
      </table>
    </div>
    <modal v-if="dialog" size="small" :title="t(dialog.mode === 'create' ? 'numbers.new' : 'numbers.edit')" testid="number-dialog" @close="dialog = null">
      <form @submit.prevent="save" novalidate style="display:flex;flex-direction:column;gap:14px">
        <form-field :label="t('numbers.number')" required :error="dialog.errors.number" testid="number-form-number-error" :hint="t('numbers.numberHint')">
          <input type="text" v-model="dialog.form.number" data-testid="number-form-number" inputmode="tel">
        </form-field>
        <form-field :label="t('numbers.trunk')" :error="dialog.errors.trunkId" testid="number-form-trunk-error" :hint="t('numbers.trunkHint')">
          <select v-model="dialog.form.trunkId" data-testid="number-form-trunk">
            <option value="">{{ t('numbers.anyTrunk') }}</option>
            <option v-for="tr in trunks" :key="tr.id" :value="tr.id">{{ tr.name }}</option>
          </select>
        </form-field>
        <form-field :label="t('numbers.destinationType')" :error="dialog.errors.destinationType" testid="number-form-desttype-error">
          <select :value="dialog.form.destinationType" data-testid="number-form-desttype" @change="setDestType($event.target.value)">
            <option v-for="d in DEST_TYPES" :key="d" :value="d">{{ destTypeLabel(d) }}</option>
          </select>
        </form-field>
        <form-field v-if="dialog.form.destinationType === 'conference'" :label="t('numbers.destinationConference')" required
                    :error="dialog.errors.destination" testid="number-form-destination-error" :hint="rooms.length ? '' : t('numbers.noRooms')">
          <select v-model="dialog.form.destination" data-testid="number-form-destination">
            <option value="">{{ t('common.choose') }}</option>
            <option v-if="dialog.form.destination && !rooms.some((r) => String(r.number) === String(dialog.form.destination))" :value="dialog.form.destination">{{ dialog.form.destination }}</option>
            <option v-for="r in roomChoices" :key="r.id" :value="String(r.number)">{{ r.number }}{{ r.name ? ' · ' + r.name : '' }}</option>
          </select>
        </form-field>
        <form-field v-else-if="dialog.form.destinationType === 'ringgroup'" :label="t('numbers.destinationRingGroup')" required
                    :error="dialog.errors.destination" testid="number-form-destination-error" :hint="ringGroups.length ? '' : t('numbers.noRingGroups')">
          <select v-model="dialog.form.destination" data-testid="number-form-destination">
            <option value="">{{ t('common.choose') }}</option>
            <option v-if="dialog.form.destination && !ringGroups.some((g) => g.name === dialog.form.destination)" :value="dialog.form.destination">{{ dialog.form.destination }}</option>
            <option v-for="g in ringGroups" :key="g.id" :value="g.name">{{ g.name }} · {{ (g.members || []).join(', ') }}</option>
          </select>
        </form-field>
        <form-field v-else-if="dialog.form.destinationType === 'flow'" :label="t('numbers.destinationFlow')" required
                    :error="dialog.errors.destination" testid="number-form-destination-error" :hint="!can('ivr.read') || flows.length ? '' : t('numbers.noFlows')">
          <select v-if="can('ivr.read')" v-model="dialog.form.destination" data-testid="number-form-destination">
            <option value="">{{ t('common.choose') }}</option>
            <option v-if="dialog.form.destination && !flows.some((f) => f.name === dialog.form.destination)" :value="dialog.form.destination">{{ dialog.form.destination }}</option>
            <option v-for="f in flowChoices" :key="f.id" :value="f.name">{{ f.name }}{{ f.description ? ' · ' + f.description : '' }}{{ f.publishedVersion ? '' : ' (' + t('flows.notPublished') + ')' }}</option>
          </select>
          <input v-else type="text" v-model="dialog.form.destination" data-testid="number-form-destination">
        </form-field>
        <form-field v-else :label="t('numbers.destinationExtension')" required :error="dialog.errors.destination" testid="number-form-destination-error">
          <select v-if="can('extension.read')" v-model="dialog.form.destination" data-testid="number-form-destination">
            <option value="">{{ t('common.choose') }}</option>
            <option v-if="dialog.form.destination && !extensions.some((e) => String(e.number) === String(dialog.form.destination))" :value="dialog.form.destination">{{ dialog.form.destination }}</option>
            <option v-for="e in extensionChoices" :key="e.id" :value="String(e.number)">{{ e.number }}{{ e.userName ? ' · ' + e.userName : '' }}</option>
          </select>
          <input v-else type="text" v-model="dialog.form.destination" data-testid="number-form-destination" inputmode="numeric">
        </form-field>
        <form-field :label="t('numbers.welcomePrompt')" :error="dialog.errors.welcomePrompt" testid="number-form-welcome-error"
                    :hint="can('ivr.read') && !prompts.length ? t('numbers.noPrompts') : t('numbers.welcomePromptHint')">
          <select v-if="can('ivr.read')" v-model="dialog.form.welcomePrompt" data-testid="number-form-welcome">
            <option value="">{{ t('numbers.noWelcome') }}</option>
            <option v-if="dialog.form.welcomePrompt && !prompts.some((p) => p.name === dialog.form.welcomePrompt)" :value="dialog.form.welcomePrompt">{{ dialog.form.welcomePrompt }}</option>
            <option v-for="p in prompts" :key="p.name" :value="p.name">{{ p.name }}</option>
          </select>
          <input v-else type="text" v-model="dialog.form.welcomePrompt" data-testid="number-form-welcome">
        </form-field>
        <form-field :label="t('numbers.description')" :error="dialog.errors.description" testid="number-form-description-error">
          <input type="text" v-model="dialog.form.description" data-testid="number-form-description">
        </form-field>
        <form-alert :error="dialog.error" :known="['number', 'trunkId', 'destination', 'destinationType', 'description', 'welcomePrompt']"></form-alert>
        <button type="submit" hidden></button>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="number-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
