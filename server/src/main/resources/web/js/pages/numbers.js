// Numbers (DIDs): a called number arriving on a trunk and where it goes: an extension it rings
// (PBX-2), a conference room it joins (PBX-5) or an IVR flow it runs (IVR-1, by the flow's name);
// optionally a welcome prompt (an uploaded prompt) played to callers first (IVR-2).

import { api, t } from '../common.js';
import { blankToNull, byName, byNumber } from '../format.js';
import { CrudTable } from '../components/crud-table.js';
import { FlowHours } from '../components/flow-hours.js';

export const DEST_TYPES = ['extension', 'conference', 'flow', 'ringgroup', 'disa', 'fax'];

export const NumbersPage = {
  components: { CrudTable, FlowHours },
  setup() { return { DEST_TYPES, byNumber }; },
  data() { return { trunks: [], extensions: [], rooms: [], flows: [], ringGroups: [], prompts: [], disas: [] }; },
  created() { this.loadChoices(); },
  computed: {
    extensionChoices() { return [...this.extensions].sort(byNumber); },
    roomChoices() { return [...this.rooms].sort(byNumber); },
    flowChoices() { return [...this.flows].sort(byName); },
    columns() {
      return [
        { key: 'number', label: t('numbers.number'), span: 'name mono' },
        { key: 'trunkId', label: t('numbers.trunk'), text: (x) => this.trunkName(x.trunkId) || t('numbers.anyTrunk') },
        { key: 'destination', label: t('numbers.destination') },
        { key: 'welcomePrompt', label: t('numbers.welcomePrompt'), testid: (x) => 'number-welcome-' + x.number },
        { key: 'description', label: t('numbers.description') },
      ];
    },
    fields() {
      return [
        { key: 'number', label: t('numbers.number'), required: true, hint: t('numbers.numberHint'), inputmode: 'tel' },
        { key: 'trunkId', testid: 'trunk', label: t('numbers.trunk'), hint: t('numbers.trunkHint'), type: 'select', none: t('numbers.anyTrunk'),
          options: this.trunks.map((tr) => ({ value: tr.id, label: tr.name })) },
        { key: 'destinationType' },
        { key: 'destination' },
        { key: 'welcomePrompt' },
        { key: 'description', label: t('numbers.description') },
      ];
    },
  },
  methods: {
    async loadChoices() {
      try { this.trunks = await api.get('/trunks'); } catch (e) { this.trunks = []; }
      if (this.can('extension.read')) {
        try { this.extensions = await api.get('/extensions'); } catch (e) { this.extensions = []; }
      }
      try { this.rooms = await api.get('/conference-rooms'); } catch (e) { this.rooms = []; }
      try { this.ringGroups = await api.get('/ring-groups'); } catch (e) { this.ringGroups = []; }
      try { this.disas = await api.get('/disa'); } catch (e) { this.disas = []; }
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
      if (x.destinationType === 'disa') return null;
      if (x.destinationType === 'conference') {
        const r = this.rooms.find((c) => String(c.number) === String(x.destination));
        return r && r.name ? r.name : null;
      }
      return this.extensionUser(x.destination);
    },
    destTypeLabel(d) { return this.tOr('numbers.destType.' + d, d); },
    destBadge(d) { return d === 'conference' ? 'badge-warn' : d === 'flow' ? 'badge-ok' : d === 'ringgroup' ? 'badge-off' : 'badge-blue'; },
    flowOf(x) { return x.destinationType === 'flow' ? this.flows.find((c) => c.name === x.destination) || null : null; },
    flowHref(x) { const f = x.destinationType === 'flow' ? this.flows.find((c) => c.name === x.destination) : null; return f ? '#/flows/' + f.id : null; },
    setDestType(d) { if (this.dialog.form.destinationType !== d) { this.dialog.form.destinationType = d; this.dialog.form.destination = ''; } },
    extensionUser(number) {
      const x = this.extensions.find((e) => String(e.number) === String(number));
      return x && x.userName ? x.userName : null;
    },
    setDestType(d, v) { if (d.form.destinationType !== v) { d.form.destinationType = v; d.form.destination = v === 'fax' ? 'fax' : ''; } },
    blank() { return { number: '', trunkId: '', destinationType: 'extension', destination: '', description: '', welcomePrompt: '' }; },
    toForm(x) {
      return { number: x.number, trunkId: x.trunkId === null || x.trunkId === undefined ? '' : x.trunkId, destinationType: x.destinationType || 'extension',
        destination: x.destination || '', description: x.description || '', welcomePrompt: x.welcomePrompt || '' };
    },
    toBody(f) {
      return { number: f.number.trim(), trunkId: f.trunkId === '' ? null : Number(f.trunkId), destinationType: f.destinationType || 'extension',
        destination: blankToNull(f.destination), description: blankToNull(f.description), welcomePrompt: blankToNull(f.welcomePrompt) };
    },
    confirmText(x) { return t('numbers.confirmDelete', { number: x.number }); },
  },
  template: `
    <crud-table path="/numbers" name="number" table-testid="numbers-table" write-perm="routing.write" modal-size="small"
      :title="t('numbers.title')" :subtitle="t('numbers.subtitle')" :new-label="t('numbers.new')" :edit-title="t('numbers.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :sort="byNumber" :row-id="(x) => x.number"
      :confirm-text="confirmText">
      <template #cell-destination="{ row: x }">
        <span class="badge" :class="destBadge(x.destinationType)" :data-testid="'number-desttype-' + x.number">{{ destTypeLabel(x.destinationType) }}</span>
        <a v-if="flowHref(x)" class="mono dest-link" :href="flowHref(x)" :data-testid="'number-flow-' + x.number"> {{ x.destination }}</a>
        <span v-else class="mono"> {{ x.destination }}</span>
        <span v-if="destinationName(x)" class="muted"> · {{ destinationName(x) }}</span>
        <div v-if="flowOf(x)"><flow-hours :flow-id="flowOf(x).id" :testid="'number-hours-' + x.number"></flow-hours></div>
      </template>
      <template #cell-welcomePrompt="{ row: x }"><span v-if="x.welcomePrompt" class="mono welcome-prompt" :title="t('numbers.welcomePrompt')">♪ {{ x.welcomePrompt }}</span><span v-else class="muted">—</span></template>
      <template #field-destinationType="{ dialog }">
        <form-field :label="t('numbers.destinationType')" :error="dialog.errors.destinationType" testid="number-form-desttype-error">
          <select :value="dialog.form.destinationType" data-testid="number-form-desttype" @change="setDestType(dialog, $event.target.value)">
            <option v-for="d in DEST_TYPES" :key="d" :value="d">{{ destTypeLabel(d) }}</option>
          </select>
        </form-field>
      </template>
      <template #field-destination="{ dialog }">
        <form-field v-if="dialog.form.destinationType === 'conference'" :label="t('numbers.destinationConference')" required
                    :error="dialog.errors.destination" testid="number-form-destination-error" :hint="rooms.length ? '' : t('numbers.noRooms')">
          <select v-model="dialog.form.destination" data-testid="number-form-destination">
            <option value="">{{ t('common.choose') }}</option>
            <option v-if="dialog.form.destination && !rooms.some((r) => String(r.number) === String(dialog.form.destination))" :value="dialog.form.destination">{{ dialog.form.destination }}</option>
            <option v-for="r in roomChoices" :key="r.id" :value="String(r.number)">{{ r.number }}{{ r.name ? ' · ' + r.name : '' }}</option>
          </select>
        </form-field>
        <form-field v-else-if="dialog.form.destinationType === 'disa'" :label="t('numbers.destinationDisa')" required
                    :error="dialog.errors.destination" testid="number-form-destination-error" :hint="disas.length ? '' : t('numbers.noDisa')">
          <select v-model="dialog.form.destination" data-testid="number-form-destination">
            <option value="">{{ t('common.choose') }}</option>
            <option v-if="dialog.form.destination && !disas.some((g) => g.name === dialog.form.destination)" :value="dialog.form.destination">{{ dialog.form.destination }}</option>
            <option v-for="g in disas" :key="g.id" :value="g.name">{{ g.name }}{{ g.enabled ? '' : ' (' + t('disa.disabled') + ')' }}</option>
          </select>
        </form-field>
        <form-field v-else-if="dialog.form.destinationType === 'fax'" :label="t('numbers.destinationFax')" testid="number-form-destination-error">
          <span class="muted" data-testid="number-form-destination-fax">{{ t('numbers.faxHint') }}</span>
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
      </template>
      <template #field-welcomePrompt="{ dialog }">
        <form-field :label="t('numbers.welcomePrompt')" :error="dialog.errors.welcomePrompt" testid="number-form-welcome-error"
                    :hint="can('ivr.read') && !prompts.length ? t('numbers.noPrompts') : t('numbers.welcomePromptHint')">
          <select v-if="can('ivr.read')" v-model="dialog.form.welcomePrompt" data-testid="number-form-welcome">
            <option value="">{{ t('numbers.noWelcome') }}</option>
            <option v-if="dialog.form.welcomePrompt && !prompts.some((p) => p.name === dialog.form.welcomePrompt)" :value="dialog.form.welcomePrompt">{{ dialog.form.welcomePrompt }}</option>
            <option v-for="p in prompts" :key="p.name" :value="p.name">{{ p.name }}</option>
          </select>
          <input v-else type="text" v-model="dialog.form.welcomePrompt" data-testid="number-form-welcome">
        </form-field>
      </template>
    </crud-table>`,
};
