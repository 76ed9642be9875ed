// Ticket types and their forms (BIZ-2): the admin picks a type (or creates one: code and name), sets its name, SLA in
// business minutes and whether it is enabled, and designs its form: fields of type text, single or multiple choice,
// date/time or number, each with a key, a label, required or not and (for choices) the options, in the order they are
// shown (moved up and down). Saved through /api/v1/ticket-types; the server's 400 is shown on the input it names.

import { api, t, toast, errorText } from '../common.js';

const TYPES = ['text', 'single', 'multiple', 'datetime', 'number'];

function blankField() { return { key: '', label: '', type: 'text', required: false, options: '' }; }

export const TicketTypesPage = {
  props: { me: Object },
  setup() { return { TYPES }; },
  data() { return { types: [], selected: null, form: null, errors: {}, error: null, saving: false, creating: false, loadError: null }; },
  created() { this.load(); },
  methods: {
    errorText,
    async load(selectId) {
      try { this.types = (await api.get('/ticket-types')) || []; this.loadError = null; } catch (e) { this.loadError = e; this.types = []; }
      const pick = this.types.find((x) => x.id === (selectId || (this.selected && this.selected.id))) || this.types[0];
      if (pick && !this.creating) this.select(pick);
    },
    select(ty) {
      this.creating = false;
      this.selected = ty;
      this.errors = {};
      this.error = null;
      this.form = { code: ty.code, name: ty.name, slaMinutes: String(ty.slaMinutes), enabled: ty.enabled !== false,
        fields: (ty.fields || []).map((f) => ({ key: f.key, label: f.label, type: f.type, required: !!f.required, options: (f.options || []).join(', ') })) };
    },
    startNew() {
      this.creating = true;
      this.selected = null;
      this.errors = {};
      this.error = null;
      this.form = { code: '', name: '', slaMinutes: '480', enabled: true, fields: [] };
    },
    addField() { this.form.fields.push(blankField()); },
    removeField(i) { this.form.fields.splice(i, 1); this.errors = {}; },
    move(i, delta) {
      const j = i + delta;
      if (j < 0 || j >= this.form.fields.length) return;
      const f = this.form.fields;
      [f[i], f[j]] = [f[j], f[i]];
      this.errors = {}; // the server's errors name rows by their index
    },
    body() {
      const f = this.form;
      const sla = String(f.slaMinutes).trim();
      return { code: f.code.trim(), name: f.name.trim(), slaMinutes: sla === '' ? null : Number(sla), enabled: !!f.enabled,
        fields: f.fields.map((x) => ({ key: x.key.trim(), label: x.label.trim(), type: x.type, required: !!x.required,
          options: x.type === 'single' || x.type === 'multiple' ? x.options.split(/[\n,，;；]/).map((s) => s.trim()).filter(Boolean) : null })) };
    },
    err(name) { return this.errors[name] || null; },
    async save() {
      this.saving = true;
      this.errors = {};
      this.error = null;
      try {
        const saved = this.creating ? await api.post('/ticket-types', this.body()) : await api.put('/ticket-types/' + this.selected.id, this.body());
        toast(t('common.saved'));
        this.creating = false;
        await this.load(saved.id);
      } catch (e) {
        this.error = e;
        for (const fe of (e && e.fieldErrors) || []) this.errors[fe.field] = fe.message;
      } finally { this.saving = false; }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('ticketTypes.title') }}</h1>
      <span class="sub">{{ t('ticketTypes.subtitle') }}</span>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="toolbar">
      <div class="seg" role="tablist" style="flex-wrap:wrap">
        <button v-for="ty in types" :key="ty.id" type="button" role="tab" :class="{ active: selected && selected.id === ty.id }"
          :data-testid="'ticket-type-' + ty.code" @click="select(ty)">{{ ty.name }}<span v-if="!ty.enabled" class="muted"> ({{ t('ticketTypes.disabled') }})</span></button>
      </div>
      <button type="button" class="btn" data-testid="ticket-type-new" @click="startNew">+ {{ t('ticketTypes.new') }}</button>
    </div>
    <div v-if="form" class="panel" data-testid="ticket-type-form">
      <div class="panel-body">
        <div class="form-grid">
          <form-field :label="t('ticketTypes.code')" :hint="t('ticketTypes.codeHint')" required :error="err('code')" testid="ticket-type-code-error">
            <input type="text" v-model="form.code" :disabled="!creating" data-testid="ticket-type-code">
          </form-field>
          <form-field :label="t('ticketTypes.name')" required :error="err('name')" testid="ticket-type-name-error">
            <input type="text" v-model="form.name" data-testid="ticket-type-name">
          </form-field>
          <form-field :label="t('ticketTypes.sla')" :error="err('slaMinutes')" testid="ticket-type-sla-error">
            <input type="text" inputmode="numeric" v-model="form.slaMinutes" data-testid="ticket-type-sla">
          </form-field>
          <label class="check"><input type="checkbox" v-model="form.enabled" data-testid="ticket-type-enabled"> {{ t('ticketTypes.enabled') }}</label>
        </div>
        <h3>{{ t('ticketTypes.fields') }}</h3>
        <table class="grid" data-testid="ticket-type-fields">
          <thead><tr><th>#</th><th>{{ t('ticketTypes.fieldKey') }}</th><th>{{ t('ticketTypes.fieldLabel') }}</th><th>{{ t('ticketTypes.fieldType') }}</th>
            <th>{{ t('ticketTypes.required') }}</th><th>{{ t('ticketTypes.options') }}</th><th></th></tr></thead>
          <tbody>
            <tr v-for="(f, i) in form.fields" :key="i" data-testid="ticket-field-row" :data-key="f.key">
              <td class="mono">{{ i + 1 }}</td>
              <td><input type="text" v-model="f.key" :data-testid="'ticket-field-key-' + i" style="width:9em">
                <div v-if="err('fields[' + i + '].key')" class="field-error" :data-testid="'ticket-field-error-' + i">{{ err('fields[' + i + '].key') }}</div></td>
              <td><input type="text" v-model="f.label" :data-testid="'ticket-field-label-' + i">
                <div v-if="err('fields[' + i + '].label')" class="field-error">{{ err('fields[' + i + '].label') }}</div></td>
              <td><select v-model="f.type" :data-testid="'ticket-field-type-' + i"><option v-for="x in TYPES" :key="x" :value="x">{{ t('ticketTypes.type.' + x) }}</option></select></td>
              <td><input type="checkbox" v-model="f.required" :data-testid="'ticket-field-required-' + i"></td>
              <td><input v-if="f.type === 'single' || f.type === 'multiple'" type="text" v-model="f.options" :placeholder="t('ticketTypes.optionsHint')" :data-testid="'ticket-field-options-' + i">
                <div v-if="err('fields[' + i + '].options')" class="field-error">{{ err('fields[' + i + '].options') }}</div></td>
              <td style="white-space:nowrap">
                <button type="button" class="icon-btn" :aria-label="t('ticketTypes.up')" :disabled="i === 0" :data-testid="'ticket-field-up-' + i" @click="move(i, -1)">↑</button>
                <button type="button" class="icon-btn" :aria-label="t('ticketTypes.down')" :disabled="i === form.fields.length - 1" :data-testid="'ticket-field-down-' + i" @click="move(i, 1)">↓</button>
                <button type="button" class="icon-btn" :aria-label="t('common.delete')" :data-testid="'ticket-field-remove-' + i" @click="removeField(i)">×</button>
              </td>
            </tr>
            <tr v-if="!form.fields.length"><td colspan="7" class="muted">{{ t('ticketTypes.noFields') }}</td></tr>
          </tbody>
        </table>
        <div class="toolbar">
          <button type="button" class="btn btn-sm" data-testid="ticket-field-add" @click="addField">+ {{ t('ticketTypes.addField') }}</button>
          <div class="grow"></div>
          <button type="button" class="btn btn-primary" :disabled="saving" data-testid="ticket-type-save" @click="save">{{ t('common.save') }}</button>
        </div>
        <div v-if="error" class="alert alert-error" data-testid="ticket-type-error">{{ errorText(error) }}</div>
      </div>
    </div>`,
};
