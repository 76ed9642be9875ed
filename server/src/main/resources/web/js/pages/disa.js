// DISA (PBX-6): entries a number (DID) points to; a caller keys the DISA PIN of an extension, hears an internal dial
// tone and dials as that extension would. The extensions' PINs are set here (write only: stored hashed, never shown).
// Each entry has the language of its prompts and a welcome (an uploaded prompt or a text spoken by TTS) played first.

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { byName, byNumber, fmtTime } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

export const DisaPage = {
  components: { CrudTable },
  setup() { return { byName, fmtTime }; },
  data() { return { holders: [], extensions: [], prompts: [], pinForm: { extensionId: '', pin: '' }, pinErrors: {}, pinError: null, saving: false }; },
  created() { this.loadPins(); this.loadPrompts(); },
  computed: {
    canWritePins() { return this.can('extension.write'); },
    extensionChoices() { return [...this.extensions].sort(byNumber); },
    columns() {
      return [
        { key: 'name', label: t('disa.name'), span: 'name' },
        { key: 'enabled', label: t('disa.enabled') },
        { key: 'digitTimeoutSeconds', label: t('disa.digitTimeout'), text: (x) => t('disa.seconds', { n: x.digitTimeoutSeconds }) },
        { key: 'language', label: t('disa.language'), text: (x) => t('disa.language.' + (x.language || 'zh')) },
        { key: 'welcome', label: t('disa.welcome'), text: (x) => x.welcomePrompt || x.welcomeText || '', testid: (x) => 'disa-welcome-' + x.name },
      ];
    },
    fields() {
      return [
        { key: 'name', label: t('disa.name'), required: true, hint: t('disa.nameHint') },
        { key: 'digitTimeoutSeconds', label: t('disa.digitTimeout'), hint: t('disa.digitTimeoutHint'), inputmode: 'numeric' },
        { key: 'language', label: t('disa.language'), hint: t('disa.languageHint'), type: 'select',
          options: ['zh', 'en'].map((l) => ({ value: l, label: t('disa.language.' + l) })) },
        { key: 'welcomePrompt' },
        { key: 'welcomeText', label: t('disa.welcomeText'), hint: t('disa.welcomeTextHint') },
        { key: 'enabled', label: t('disa.enabled'), type: 'checkbox' },
      ];
    },
  },
  methods: {
    blank() { return { name: '', digitTimeoutSeconds: '4', enabled: true, language: 'zh', welcomePrompt: '', welcomeText: '' }; },
    toForm(x) {
      return { name: x.name, digitTimeoutSeconds: String(x.digitTimeoutSeconds), enabled: !!x.enabled, language: x.language || 'zh',
        welcomePrompt: x.welcomePrompt || '', welcomeText: x.welcomeText || '' };
    },
    toBody(f) {
      const n = String(f.digitTimeoutSeconds).trim();
      const text = (f.welcomeText || '').trim();
      return { name: f.name.trim(), enabled: !!f.enabled, digitTimeoutSeconds: n === '' ? null : (Number.isInteger(Number(n)) ? Number(n) : n),
        language: f.language || 'zh', welcomePrompt: f.welcomePrompt || null, welcomeText: text === '' ? null : text };
    },
    async loadPrompts() {
      if (!this.can('ivr.read')) return;
      try { this.prompts = await api.get('/prompts'); } catch (e) { this.prompts = []; }
    },
    confirmText(x) { return t('disa.confirmDelete', { name: x.name }); },
    inUse(e, x) {
      if (e.status !== 409) return false;
      toast(t('disa.inUse', { name: x.name }), 'error');
      return true;
    },
    async loadPins() {
      if (!this.can('extension.read')) return;
      try {
        this.holders = await api.get('/disa-pins');
        this.extensions = await api.get('/extensions');
      } catch (e) { toastError(e); }
    },
    async setPin() {
      this.pinErrors = {};
      this.pinError = null;
      if (!this.pinForm.extensionId) { this.pinErrors = { extension: t('disa.chooseExtension') }; return; }
      this.saving = true;
      try {
        await api.put('/extensions/' + this.pinForm.extensionId + '/disa-pin', { pin: this.pinForm.pin.trim() });
        toast(t('disa.pinSet'));
        this.pinForm = { extensionId: '', pin: '' };
        await this.loadPins();
      } catch (e) {
        const fe = e.fields ? e.fields() : {};
        if (Object.keys(fe).length) this.pinErrors = fe;
        else this.pinError = e;
      } finally { this.saving = false; }
    },
    async removePin(h) {
      if (!(await confirmDialog(t('disa.confirmRemovePin', { number: h.number })))) return;
      try {
        await api.del('/extensions/' + h.extensionId + '/disa-pin');
        toast(t('disa.pinRemoved'));
        await this.loadPins();
      } catch (e) { toastError(e); }
    },
  },
  template: `
    <crud-table path="/disa" name="disa" table-testid="disa-table" write-perm="routing.write" modal-size="small"
      :title="t('disa.title')" :subtitle="t('disa.subtitle')" :new-label="t('disa.new')" :edit-title="t('disa.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :sort="byName" :row-id="(x) => x.name"
      :confirm-text="confirmText" :on-delete-error="inUse" empty-testid="disa-empty">
      <template #cell-enabled="{ row }"><span class="badge" :class="row.enabled ? 'badge-ok' : 'badge-off'" :data-testid="'disa-enabled-' + row.name">{{ row.enabled ? t('disa.on') : t('disa.disabled') }}</span></template>
      <template #field-welcomePrompt="{ dialog }">
        <form-field :label="t('disa.welcomePrompt')" :error="dialog.errors.welcomePrompt" testid="disa-form-welcomePrompt-error"
                    :hint="can('ivr.read') && !prompts.length ? t('numbers.noPrompts') : t('disa.welcomePromptHint')">
          <select v-if="can('ivr.read')" v-model="dialog.form.welcomePrompt" data-testid="disa-form-welcomePrompt">
            <option value="">{{ t('numbers.noWelcome') }}</option>
            <option v-if="dialog.form.welcomePrompt && !prompts.some((p) => p.name === dialog.form.welcomePrompt)" :value="dialog.form.welcomePrompt">{{ dialog.form.welcomePrompt }}</option>
            <option v-for="p in prompts" :key="p.name" :value="p.name">{{ p.name }}</option>
          </select>
          <input v-else type="text" v-model="dialog.form.welcomePrompt" data-testid="disa-form-welcomePrompt">
        </form-field>
      </template>
      <template #below><div class="field-hint page-note">{{ t('disa.howTo') }}</div></template>
    </crud-table>
    <div class="panel" v-if="can('extension.read')" data-testid="disa-pins">
      <div class="panel-head"><h2>{{ t('disa.pins') }}</h2></div>
      <div class="panel-body">
        <table class="table">
          <thead><tr><th>{{ t('disa.extension') }}</th><th>{{ t('disa.pinSetAt') }}</th><th></th></tr></thead>
          <tbody>
            <tr v-for="h in holders" :key="h.extensionId" :data-testid="'disa-pin-row-' + h.number">
              <td class="mono">{{ h.number }}</td><td>{{ fmtTime(h.setAt) }}</td>
              <td class="actions"><button v-if="canWritePins" class="btn btn-sm btn-danger" @click="removePin(h)" :data-testid="'disa-pin-remove-' + h.number">{{ t('disa.removePin') }}</button></td>
            </tr>
            <tr v-if="!holders.length"><td colspan="3" class="muted" data-testid="disa-pins-empty">{{ t('disa.noPins') }}</td></tr>
          </tbody>
        </table>
        <form v-if="canWritePins" class="form-grid" @submit.prevent="setPin" novalidate data-testid="disa-pin-form">
          <form-field :label="t('disa.extension')" :error="pinErrors.extension" testid="disa-pin-extension-error">
            <select v-model="pinForm.extensionId" data-testid="disa-pin-extension">
              <option value="">{{ t('common.choose') }}</option>
              <option v-for="x in extensionChoices" :key="x.id" :value="x.id">{{ x.number }}{{ x.userName ? ' · ' + x.userName : '' }}</option>
            </select>
          </form-field>
          <form-field :label="t('disa.pin')" :error="pinErrors.pin" :hint="t('disa.pinHint')" testid="disa-pin-pin-error">
            <input type="password" inputmode="numeric" autocomplete="new-password" v-model="pinForm.pin" data-testid="disa-pin-pin">
          </form-field>
          <button type="submit" class="btn btn-primary" :disabled="saving" data-testid="disa-pin-save">{{ t('disa.setPin') }}</button>
        </form>
        <form-alert :error="pinError" :known="['pin']" testid="disa-pin-form-error"></form-alert>
      </div>
    </div>`,
};
