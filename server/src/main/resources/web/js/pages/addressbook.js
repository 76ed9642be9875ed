// Address books (CRM-6): the user's personal contacts (add, change, delete) and the staff directory (read-only:
// colleagues with extension, department and job number). Numbers are click-to-dial where a desk is connected
// (the desk's dial link); in the console they are shown for reading and copying.

import { api, t } from '../common.js';
import { CrudTable } from '../components/crud-table.js';

export const AddressBookPage = {
  components: { CrudTable },
  props: { me: Object },
  data() { return { q: '', staff: [], staffQ: '', staffError: null }; },
  created() { this.loadStaff(); },
  computed: {
    columns() {
      return [
        { key: 'name', label: t('addressbook.name'), span: 'name' },
        { key: 'number', label: t('addressbook.number'), span: 'mono' },
        { key: 'company', label: t('addressbook.company') },
        { key: 'note', label: t('addressbook.note') },
      ];
    },
    fields() {
      return [
        { key: 'name', label: t('addressbook.name'), required: true },
        { key: 'number', label: t('addressbook.number'), required: true, inputmode: 'tel' },
        { key: 'company', label: t('addressbook.company') },
        { key: 'note', label: t('addressbook.note') },
      ];
    },
  },
  methods: {
    params() { return { q: this.q.trim() }; },
    reload() { clearTimeout(this._t); this._t = setTimeout(() => this.$refs.crud.load(), 250); },
    async loadStaff() {
      try { this.staff = await api.get('/staff-directory', { q: this.staffQ.trim() }); this.staffError = null; } catch (e) { this.staffError = e; }
    },
    searchStaff() { clearTimeout(this._s); this._s = setTimeout(() => this.loadStaff(), 250); },
    blank() { return { name: '', number: '', company: '', note: '' }; },
    toForm(c) { return { name: c.name, number: c.number, company: c.company || '', note: c.note || '' }; },
    toBody(f) { return { name: f.name.trim(), number: f.number.trim(), company: f.company.trim() || null, note: f.note.trim() || null }; },
    confirmText(c) { return t('addressbook.confirmDelete', { name: c.name }); },
  },
  template: `
    <crud-table ref="crud" path="/contacts" name="contact" table-testid="contacts-table" write-perm="addressbook.use" :params="params"
      :title="t('addressbook.title')" :subtitle="t('addressbook.subtitle')" :new-label="t('addressbook.new')" :edit-title="t('addressbook.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :confirm-text="confirmText"
      alert-testid="contact-form-error" :known="['name', 'number', 'company', 'note']">
      <template #toolbar>
        <div class="toolbar"><input type="search" class="grow" v-model="q" @input="reload" :placeholder="t('addressbook.searchHint')" data-testid="contacts-search"></div>
      </template>
      <template #below>
        <div class="page-head" style="margin-top:24px"><h2>{{ t('addressbook.staff') }}</h2><span class="sub">{{ t('addressbook.staffHint') }}</span></div>
        <div class="toolbar"><input type="search" class="grow" v-model="staffQ" @input="searchStaff" :placeholder="t('addressbook.staffSearch')" data-testid="staff-search"></div>
        <div v-if="staffError" class="alert alert-error">{{ errorText(staffError) }}</div>
        <div class="panel table-wrap">
          <table class="grid" data-testid="staff-table">
            <thead><tr><th>{{ t('addressbook.name') }}</th><th>{{ t('users.username') }}</th><th>{{ t('users.extension') }}</th>
              <th>{{ t('users.department') }}</th><th>{{ t('users.jobNumber') }}</th></tr></thead>
            <tbody>
              <tr v-for="s in staff" :key="s.userId" :data-testid="'staff-row-' + s.username">
                <td class="name">{{ s.displayName }}</td><td>{{ s.username }}</td><td class="mono">{{ dash(s.extension) }}</td>
                <td>{{ dash(s.departmentName) }}</td><td class="mono">{{ dash(s.jobNumber) }}</td>
              </tr>
              <empty-row v-if="!staff.length" :cols="5"></empty-row>
            </tbody>
          </table>
        </div>
      </template>
    </crud-table>`,
};
