// The list page that most of the console's pages are: a title with a "New" button, a table of the
// collection with Edit / Delete per row, a create/edit dialog showing the API's field errors, and a
// confirm before deleting. A page configures it with its API path, columns and form fields, and
// fills what is special about it through slots.
//
// Test ids follow one scheme from `name` (e.g. "department"): department-new, department-row-{id},
// department-edit-{id}, department-delete-{id}, department-dialog, department-form-{field},
// department-form-{field}-error, department-save, department-cancel; `rowId` says what {id} is
// (the id by default).
//
// columns: [{ key, label, cls, style, span, text(row), testid(row) }]: the cell shows text(row), or
//   the value at key (a dash when empty), in a <span class="{span}"> when span is given; slot
//   `cell-{key}` ({ row, index }) replaces it.
// fields: [{ key, label, type (text | password | email | select | checkbox), testid, required, hint,
//   options, none, inputmode, autocomplete, placeholder, span, show, disabled }]: hint, required,
//   options, show and disabled may be functions of the dialog; slot `field-{key}` ({ dialog, form,
//   errors }) replaces a field. The dialog is { mode: 'create' | 'edit', id, row, readOnly, form,
//   errors, error, saving }.
// Other slots: head (more buttons, gets { load }), toolbar (search and filters), alerts (under the
// title), actions ({ row, edit, remove }: more row buttons before Edit), below (under the table).

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { dash } from '../format.js';

/** An onSaveError that shows a 409 (already exists) on one field rather than as an alert. */
export function conflictOn(field, message) {
  return (e, d) => {
    if (e.status !== 409) return;
    if (!d.errors[field]) d.errors = { [field]: message };
    d.error = null;
  };
}

export const CrudTable = {
  props: {
    path: { type: String, required: true },
    /** () → the query of the list's GET (search and filters). */
    params: Function,
    name: { type: String, required: true },
    tableTestid: String,
    title: String,
    /** A second table on a page: its title is an h2 (test id {name}-title), not the page's title. */
    secondary: Boolean,
    subtitle: String,
    newLabel: String,
    editTitle: String,
    /** The permission that shows New / Edit / Delete; none: always shown. */
    writePerm: String,
    columns: { type: Array, required: true },
    fields: { type: Array, default: () => [] },
    rowId: { type: Function, default: (x) => x.id },
    sort: Function,
    /** The form of a new item, and of an existing one. */
    blank: { type: Function, default: () => ({}) },
    toForm: { type: Function, default: (x) => ({ ...x }) },
    /** The request body from the form (and the dialog: its mode, its row). */
    toBody: { type: Function, default: (f) => f },
    creatable: { type: Boolean, default: true },
    editable: { type: Boolean, default: true },
    deletable: { type: Boolean, default: true },
    confirmText: Function,
    /** Message key of the delete button and of the confirm's OK. */
    deleteKey: { type: String, default: 'common.delete' },
    saveLabel: String,
    /** 'small': one column; otherwise the two-column form grid, unless stacked. */
    modalSize: String,
    stacked: Boolean,
    /** (dialog) → the dialog's title; default: newLabel / editTitle. */
    dialogTitle: Function,
    /** (row) → true when the row opens read only (no Save, Close instead of Cancel). */
    readOnly: Function,
    /** Field names whose errors the fields show (the rest go to the alert); default: every non-checkbox field. */
    known: Array,
    emptyText: String,
    emptyTestid: String,
    loadErrorTestid: String,
    alertTestid: String,
    /** (row): a click on the row (or Enter on it) opens it. */
    rowOpen: Function,
    /** (row) → true when the row's Delete is disabled. */
    deleteDisabled: Function,
    loadingRow: Boolean,
    refreshTestid: String,
    /** (response, dialog) → true when the page showed its own result (no "Saved" toast). */
    afterSave: Function,
    /** (error, dialog): adjusts the dialog's errors after a refused save. */
    onSaveError: Function,
    /** (error, row) → true when the page showed the refusal itself. */
    onDeleteError: Function,
  },
  emits: ['loaded', 'action'],
  data() { return { items: [], loading: true, loadError: null, dialog: null }; },
  created() { this.load(); },
  computed: {
    rows() { return this.sort ? [...this.items].sort(this.sort) : this.items; },
    mayWrite() { return !this.writePerm || this.can(this.writePerm); },
    hasActions() { return (this.mayWrite && (this.editable || this.deletable)) || !!this.$slots.actions; },
    colspan() { return this.columns.length + (this.hasActions ? 1 : 0); },
    small() { return this.modalSize === 'small' || this.stacked; },
    shownFields() { return this.dialog ? this.fields.filter((f) => !f.show || f.show(this.dialog)) : []; },
    knownFields() { return this.known || this.fields.filter((f) => f.type !== 'checkbox').map((f) => f.key); },
  },
  methods: {
    dash,
    async load() {
      this.loading = true;
      try { this.items = await api.get(this.path, this.params ? this.params() : undefined); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
      this.$emit('loaded', this.items);
    },
    cellText(c, x) { return c.text ? c.text(x) : dash(x[c.key]); },
    of(v) { return typeof v === 'function' ? v(this.dialog) : v; },
    testidOf(f) { return this.name + '-form-' + (f.testid || f.key); },
    openCreate() {
      this.$emit('action');
      this.dialog = { mode: 'create', id: null, row: null, form: this.blank(), errors: {}, error: null, saving: false };
    },
    openEdit(x) {
      this.$emit('action');
      this.dialog = { mode: 'edit', id: x.id, row: x, readOnly: !!(this.readOnly && this.readOnly(x)), form: this.toForm(x), errors: {}, error: null, saving: false };
    },
    async save() {
      const d = this.dialog;
      const body = this.toBody(d.form, d);
      d.saving = true; d.errors = {}; d.error = null;
      try {
        const res = d.mode === 'create' ? await api.post(this.path, body) : await api.put(this.path + '/' + d.id, body);
        this.dialog = null;
        if (!(this.afterSave && this.afterSave(res, d))) toast(t('common.saved'));
        await this.load();
      } catch (e) {
        d.errors = e.fields ? e.fields() : {};
        d.error = e;
        if (this.onSaveError) this.onSaveError(e, d);
        d.saving = false;
      }
    },
    async remove(x) {
      this.$emit('action');
      const opts = this.deleteKey === 'common.delete' ? undefined : { okKey: this.deleteKey };
      if (!(await confirmDialog(this.confirmText(x), opts))) return;
      try { await api.del(this.path + '/' + x.id); toast(t('common.deleted')); await this.load(); } catch (e) {
        if (!(this.onDeleteError && this.onDeleteError(e, x))) toastError(e);
      }
    },
  },
  template: `
    <div class="page-head">
      <h2 v-if="secondary" :data-testid="name + '-title'">{{ title }}</h2>
      <h1 v-else data-testid="page-title">{{ title }}</h1>
      <span class="sub">{{ subtitle }}</span>
      <div class="spacer"></div>
      <slot name="head" :load="load"></slot>
      <button v-if="refreshTestid" class="btn" :data-testid="refreshTestid" @click="load">{{ t('common.refresh') }}</button>
      <button v-if="creatable && mayWrite" class="btn btn-primary" :data-testid="name + '-new'" @click="openCreate">+ {{ newLabel }}</button>
    </div>
    <slot name="toolbar"></slot>
    <div v-if="loadError" class="alert alert-error" :data-testid="loadErrorTestid">{{ errorText(loadError) }}</div>
    <slot name="alerts"></slot>
    <div class="panel table-wrap">
      <table class="grid" :class="{ clickable: !!rowOpen }" :data-testid="tableTestid">
        <thead><tr><th v-for="c in columns" :key="c.key">{{ c.label }}</th><th v-if="hasActions"></th></tr></thead>
        <tbody>
          <tr v-for="(x, i) in rows" :key="x.id" :data-testid="name + '-row-' + rowId(x)" :tabindex="rowOpen ? 0 : null"
              @click="rowOpen && rowOpen(x)" @keydown.enter="rowOpen && rowOpen(x)">
            <td v-for="c in columns" :key="c.key" :class="c.cls" :style="c.style" :data-testid="c.testid ? c.testid(x) : null">
              <slot :name="'cell-' + c.key" :row="x" :index="i"><span v-if="c.span" :class="c.span">{{ cellText(c, x) }}</span><template v-else>{{ cellText(c, x) }}</template></slot>
            </td>
            <td v-if="hasActions" class="actions" @click.stop>
              <slot name="actions" :row="x" :edit="openEdit" :remove="remove"></slot>
              <button v-if="mayWrite && editable" class="btn-link" :data-testid="name + '-edit-' + rowId(x)" @click="openEdit(x)">{{ t('common.edit') }}</button>
              <button v-if="mayWrite && deletable" class="btn-link danger" :data-testid="name + '-delete-' + rowId(x)" @click="remove(x)"
                      :disabled="deleteDisabled && deleteDisabled(x)">{{ t(deleteKey) }}</button>
            </td>
          </tr>
          <empty-row v-if="!items.length && (!loading || loadingRow)" :cols="colspan" :loading="loading" :testid="emptyTestid" :hint="emptyText"></empty-row>
        </tbody>
      </table>
    </div>
    <slot name="below"></slot>
    <modal v-if="dialog" :size="modalSize" :title="dialogTitle ? dialogTitle(dialog) : dialog.mode === 'create' ? newLabel : editTitle" :testid="name + '-dialog'" @close="dialog = null">
      <form @submit.prevent="save" novalidate :class="{ 'form-grid': !small }" :style="small ? 'display:flex;flex-direction:column;gap:14px' : null">
        <template v-for="f in shownFields" :key="f.key">
          <slot :name="'field-' + f.key" :dialog="dialog" :form="dialog.form" :errors="dialog.errors">
            <label v-if="f.type === 'checkbox'" class="check" :class="{ 'span-2': !small }">
              <input type="checkbox" v-model="dialog.form[f.key]" :data-testid="testidOf(f)" :disabled="of(f.disabled)"> {{ f.label }}</label>
            <form-field v-else :label="f.label" :required="!!of(f.required)" :span="f.span" :error="dialog.errors[f.key]" :testid="testidOf(f) + '-error'" :hint="of(f.hint)">
              <select v-if="f.type === 'select'" v-model="dialog.form[f.key]" :data-testid="testidOf(f)" :disabled="of(f.disabled)">
                <option v-if="f.none" value="">{{ f.none }}</option>
                <option v-for="o in of(f.options)" :key="o.value" :value="o.value">{{ o.label }}</option>
              </select>
              <input v-else :type="f.type || 'text'" v-model="dialog.form[f.key]" :data-testid="testidOf(f)" :inputmode="f.inputmode"
                     :autocomplete="f.autocomplete" :placeholder="f.placeholder" :disabled="of(f.disabled)">
            </form-field>
          </slot>
        </template>
        <form-alert :class="{ 'span-2': !small }" :error="dialog.error" :known="knownFields" :testid="alertTestid"></form-alert>
        <button type="submit" hidden></button>
      </form>
      <template #footer>
        <button class="btn" :data-testid="name + '-cancel'" @click="dialog = null">{{ dialog.readOnly ? t('common.close') : t('common.cancel') }}</button>
        <button v-if="!dialog.readOnly" class="btn btn-primary" :data-testid="name + '-save'" :disabled="dialog.saving" @click="save">{{ saveLabel || t('common.save') }}</button>
      </template>
    </modal>`,
};
