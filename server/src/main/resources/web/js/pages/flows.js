// IVR flows (IVR-1..3): the list of an enterprise's flows (create, delete, open) and, under
// #/flows/<id>, the visual editor of one flow (components/flow-editor.js).

import { t, errorText, fieldErrorText } from '../common.js';
import { blankToNull, byName, fmtTime } from '../format.js';
import { CrudTable } from '../components/crud-table.js';
import { FlowEditor } from '../components/flow-editor.js';
import { FlowHours } from '../components/flow-hours.js';

/** The flow id in "#/flows/<id>", or null on the list. */
function flowIdFromHash() {
  const m = /^#\/flows\/(\d+)/.exec(location.hash || '');
  return m ? Number(m[1]) : null;
}

/** The fields of a number list whose errors its form shows (a line's: "entries.N"), not the alert. */
const NL_KNOWN = ['name', 'description', 'entries'].concat(Array.from({ length: 20000 }, (_, i) => 'entries.' + i));

export const FlowsPage = {
  components: { CrudTable, FlowEditor, FlowHours },
  setup() { return { byName, NL_KNOWN }; },
  data() { return { flowId: flowIdFromHash(), actionError: null, nlError: null }; },
  created() { window.addEventListener('hashchange', this.sync); },
  unmounted() { window.removeEventListener('hashchange', this.sync); },
  computed: {
    columns() {
      return [
        { key: 'name', label: t('flows.name'), span: 'name mono' },
        { key: 'description', label: t('flows.description') },
        { key: 'publishedVersion', label: t('flows.publishedVersion'), testid: (x) => 'flow-published-' + x.name },
        { key: 'draftVersion', label: t('flows.draftVersion'), testid: (x) => 'flow-draft-' + x.name },
        { key: 'hours', label: t('flowHours.column') },
        { key: 'updatedAt', label: t('flows.updatedAt'), text: (x) => fmtTime(x.updatedAt) },
      ];
    },
    fields() {
      return [
        { key: 'name', label: t('flows.name'), required: true, hint: t('flows.nameHint'), autocomplete: 'off' },
        { key: 'description', label: t('flows.description') },
      ];
    },
    // IVR-1: the external databases the flows' database lookup nodes read.
    dsColumns() {
      return [
        { key: 'name', label: t('dataSources.name'), span: 'name mono' },
        { key: 'url', label: t('dataSources.url'), span: 'mono' },
        { key: 'username', label: t('dataSources.username') },
        { key: 'passwordSet', label: t('dataSources.password'), text: (x) => x.passwordSet ? t('dataSources.passwordSet') : t('dataSources.passwordNone') },
        { key: 'maxRows', label: t('dataSources.maxRows') },
        { key: 'timeoutMs', label: t('dataSources.timeoutMs') },
      ];
    },
    dsFields() {
      return [
        { key: 'name', label: t('dataSources.name'), required: true, hint: t('flows.nameHint'), autocomplete: 'off' },
        { key: 'url', label: t('dataSources.url'), required: true, hint: t('dataSources.urlHint'), autocomplete: 'off', placeholder: 'jdbc:postgresql://db.example.com:5432/crm' },
        { key: 'username', label: t('dataSources.username'), autocomplete: 'off' },
        { key: 'password', label: t('dataSources.password'), type: 'password', autocomplete: 'new-password',
          hint: (d) => d.mode === 'edit' && d.row && d.row.passwordSet ? t('dataSources.passwordKeep') : t('dataSources.passwordHint') },
        { key: 'maxRows', label: t('dataSources.maxRows'), inputmode: 'numeric', hint: t('dataSources.maxRowsHint') },
        { key: 'timeoutMs', label: t('dataSources.timeoutMs'), inputmode: 'numeric', hint: t('dataSources.timeoutMsHint') },
      ];
    },
    // ACD-4: the number lists the flows' caller condition nodes route by.
    nlColumns() {
      return [
        { key: 'name', label: t('numberLists.name'), span: 'name mono' },
        { key: 'description', label: t('numberLists.description') },
        { key: 'entries', label: t('numberLists.entries'), text: (x) => t('numberLists.count', { n: x.entries.length }), testid: (x) => 'numberlist-count-' + x.name },
        { key: 'updatedAt', label: t('flows.updatedAt'), text: (x) => fmtTime(x.updatedAt) },
      ];
    },
    nlFields() {
      return [
        { key: 'name', label: t('numberLists.name'), required: true, hint: t('flows.nameHint'), autocomplete: 'off' },
        { key: 'description', label: t('numberLists.description') },
        { key: 'entries', label: t('numberLists.entries') },
      ];
    },
  },
  methods: {
    sync() {
      const id = flowIdFromHash();
      if (id === this.flowId) return;
      this.flowId = id;
      if (id === null) this.actionError = null;
    },
    open(x) { location.hash = '#/flows/' + x.id; },
    blank() { return { name: '', description: '' }; },
    dsBlank() { return { name: '', url: '', username: '', password: '', maxRows: '10', timeoutMs: '3000' }; },
    dsToForm(x) { return { name: x.name, url: x.url, username: x.username || '', password: '', maxRows: String(x.maxRows), timeoutMs: String(x.timeoutMs) }; },
    /** The password is sent only when typed (left empty on edit: the stored one is kept). */
    dsToBody(f) {
      // Empty: the default; not a whole number: -1, which the server refuses naming the field.
      const num = (v) => { const x = String(v ?? '').trim(); return x === '' ? null : /^\d+$/.test(x) ? Number(x) : -1; };
      const b = { name: f.name.trim(), url: f.url.trim(), username: f.username.trim(), maxRows: num(f.maxRows), timeoutMs: num(f.timeoutMs) };
      if (f.password) b.password = f.password;
      return b;
    },
    nlBlank() { return { name: '', description: '', entries: '' }; },
    nlToForm(x) { return { name: x.name, description: x.description || '', entries: x.entries.join('\n') }; },
    nlToBody(f) {
      return { name: f.name.trim(), description: f.description.trim(), entries: String(f.entries || '').split(/[\r\n]+/).map((x) => x.trim()).filter((x) => x) };
    },
    /** The server's problems with lines of the list ("entries.3": the 4th line sent), numbered from 1. */
    nlEntryErrors(errors) {
      return Object.keys(errors || {}).filter((k) => /^entries(\.\d+)?$/.test(k))
        .map((k) => { const m = /\.(\d+)$/.exec(k); return (m ? t('numberLists.line', { n: Number(m[1]) + 1 }) + ': ' : '') + fieldErrorText(errors[k]); }).join(' · ') || null;
    },
    nlConfirm(x) { return t('numberLists.confirmDelete', { name: x.name }); },
    nlDeleteRefused(e, x) {
      this.nlError = e.status === 409 ? t('numberLists.inUse', { name: x.name, flows: String(e.message || '').replace(/^.*: /, '') }) : errorText(e);
      return true;
    },
    dsConfirm(x) { return t('dataSources.confirmDelete', { name: x.name }); },
    toBody(f) { return { name: f.name.trim(), description: blankToNull(f.description) }; },
    /** A new flow opens in the editor. */
    openCreated(res) { if (res && res.id !== undefined) location.hash = '#/flows/' + res.id; return false; },
    confirmText(x) { return t('flows.confirmDelete', { name: x.name }); },
    deleteRefused(e, x) {
      this.actionError = e.status === 409 ? t('flows.inUse', { name: x.name }) : errorText(e);
      return true;
    },
  },
  template: `
    <flow-editor v-if="flowId !== null" :flow-id="flowId" :key="flowId"></flow-editor>
    <crud-table v-else path="/flows" name="flow" table-testid="flows-table" write-perm="ivr.write" modal-size="small"
      :title="t('flows.title')" :subtitle="t('flows.subtitle')" :new-label="t('flows.new')" :save-label="t('common.create')"
      :columns="columns" :fields="fields" :blank="blank" :to-body="toBody" :editable="false" :sort="byName" :row-id="(x) => x.name"
      :row-open="open" :after-save="openCreated" :confirm-text="confirmText" :on-delete-error="deleteRefused" @action="actionError = null"
      loading-row empty-testid="flows-empty" :empty-text="t('flows.empty')">
      <template #alerts>
        <div v-if="actionError" class="alert alert-error alert-row" role="alert">
          <span data-testid="flow-action-error">{{ actionError }}</span><button type="button" class="icon-btn" :aria-label="t('common.close')" @click="actionError = null">×</button>
        </div>
      </template>
      <template #cell-publishedVersion="{ row: x }">
        <span v-if="x.publishedVersion" class="badge badge-ok">{{ t('flows.versionN', { n: x.publishedVersion }) }}</span>
        <span v-else class="badge badge-off">{{ t('flows.notPublished') }}</span>
      </template>
      <template #cell-draftVersion="{ row: x }">
        <span v-if="x.draftVersion">{{ t('flows.versionN', { n: x.draftVersion }) }}</span><span v-else class="muted">—</span>
        <span v-if="x.draftVersion && x.publishedVersion !== x.draftVersion" class="badge badge-warn">{{ t('flows.unpublishedChanges') }}</span>
      </template>
      <template #cell-hours="{ row: x }">
        <flow-hours v-if="x.publishedVersion" :flow-id="x.id" :testid="'flow-hours-' + x.name"></flow-hours><span v-else class="muted">—</span>
      </template>
      <template #actions="{ row: x }">
        <a class="btn-link" :href="'#/flows/' + x.id" :data-testid="'flow-open-' + x.name">{{ can('ivr.write') ? t('flows.openEditor') : t('common.view') }}</a>
      </template>
      <template #below><div class="field-hint page-note">{{ t('flows.numbersHint') }}</div></template>
    </crud-table>
    <crud-table v-if="flowId === null" secondary path="/ivr/data-sources" name="datasource" table-testid="datasources-table" write-perm="ivr.write"
      :title="t('dataSources.title')" :subtitle="t('dataSources.subtitle')" :new-label="t('dataSources.new')"
      :columns="dsColumns" :fields="dsFields" :blank="dsBlank" :to-form="dsToForm" :to-body="dsToBody" :sort="byName" :row-id="(x) => x.name"
      :confirm-text="dsConfirm" empty-testid="datasources-empty" :empty-text="t('dataSources.empty')">
    </crud-table>
    <crud-table v-if="flowId === null" secondary path="/ivr/number-lists" name="numberlist" table-testid="numberlists-table" write-perm="ivr.write"
      :title="t('numberLists.title')" :subtitle="t('numberLists.subtitle')" :new-label="t('numberLists.new')"
      :columns="nlColumns" :fields="nlFields" :blank="nlBlank" :to-form="nlToForm" :to-body="nlToBody" :sort="byName" :row-id="(x) => x.name"
      :known="NL_KNOWN" :confirm-text="nlConfirm" :on-delete-error="nlDeleteRefused" empty-testid="numberlists-empty" :empty-text="t('numberLists.empty')" @action="nlError = null">
      <template #alerts>
        <div v-if="nlError" class="alert alert-error alert-row" role="alert">
          <span data-testid="numberlist-action-error">{{ nlError }}</span><button type="button" class="icon-btn" :aria-label="t('common.close')" @click="nlError = null">×</button>
        </div>
      </template>
      <template #field-entries="{ dialog }">
        <form-field :label="t('numberLists.entries')" span :error="nlEntryErrors(dialog.errors)" testid="numberlist-form-entries-error" :hint="t('numberLists.entriesHint')">
          <textarea rows="8" v-model="dialog.form.entries" data-testid="numberlist-form-entries" placeholder="13800138000&#10;0755*"></textarea>
        </form-field>
      </template>
    </crud-table>`,
};
