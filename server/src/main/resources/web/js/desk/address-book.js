// CRM-6 on the desk: the agent's personal contacts and the staff directory, every number click-to-dial through the
// desk's own dial path (the `dial` CTI command of dial-link.js: the agent's device rings first, then the number).

import { api } from '../common.js';
import { DialLink } from './dial-link.js';

export const AddressBookPanel = {
  components: { DialLink },
  data() { return { q: '', contacts: [], staff: [], error: null, loaded: false }; },
  created() { this.load(); },
  methods: {
    async load() {
      const q = this.q.trim();
      try {
        const [contacts, staff] = await Promise.all([api.get('/contacts', { q }), api.get('/staff-directory', { q })]);
        this.contacts = contacts; this.staff = staff; this.error = null;
      } catch (e) { this.error = e; } finally { this.loaded = true; }
    },
    search() { clearTimeout(this._t); this._t = setTimeout(() => this.load(), 250); },
  },
  template: `
    <div class="panel" data-testid="desk-book" :data-loaded="String(loaded)">
      <div class="panel-head"><h2>{{ t('desk.book.title') }}</h2></div>
      <div class="panel-body">
        <input type="search" class="grow" style="width:100%" v-model="q" @input="search" :placeholder="t('desk.book.hint')" data-testid="desk-book-search">
        <div v-if="error" class="alert alert-error">{{ errorText(error) }}</div>
        <table class="grid compact" data-testid="desk-book-contacts">
          <thead><tr><th>{{ t('desk.book.contacts') }}</th><th>{{ t('addressbook.number') }}</th></tr></thead>
          <tbody>
            <tr v-for="c in contacts" :key="c.id" :data-testid="'desk-book-contact-' + c.id">
              <td>{{ c.name }}<span v-if="c.company" class="muted small"> · {{ c.company }}</span></td><td><dial-link :number="c.number"></dial-link></td></tr>
            <tr v-if="!contacts.length"><td colspan="2" class="muted small">{{ t('common.noData') }}</td></tr>
          </tbody>
        </table>
        <table class="grid compact" data-testid="desk-book-staff">
          <thead><tr><th>{{ t('desk.book.staff') }}</th><th>{{ t('users.extension') }}</th><th>{{ t('users.jobNumber') }}</th></tr></thead>
          <tbody>
            <tr v-for="s in staff" :key="s.userId" :data-testid="'desk-book-staff-' + s.username">
              <td>{{ s.displayName || s.username }}<span v-if="s.departmentName" class="muted small"> · {{ s.departmentName }}</span></td>
              <td><dial-link :number="s.extension"></dial-link></td><td><dial-link :number="s.jobNumber"></dial-link></td></tr>
          </tbody>
        </table>
      </div>
    </div>`,
};
