// Work on the current call from the desk's call panel: open a ticket with its type's designed form (BIZ-2), the caller's
// number (its reference when masked, CRM-5), the call and the customer the pop found filled in; memos on the call (BIZ-5).

import { api, t, toast } from '../common.js';
import { desk, other, otherRef } from './store.js';
import { TicketForm, blankValues, cleanValues } from '../components/ticket-form.js';

/** "New ticket" on a ringing or ongoing call: the enabled types, each with its own form; the tickets opened shown. */
export const CallTicket = {
  components: { TicketForm },
  props: { call: Object },
  data() { return { types: null, form: null, opened: [] }; },
  computed: {
    type() { return this.form && this.types ? this.types.find((x) => x.id === this.form.typeId) || null : null; },
    mine() { return this.opened.filter((x) => x.callId === this.call.callId); },
    /** Who the ticket is for, as the desk fills it in: the customer the pop found and the caller's number (as shown, masked or not). */
    forWhom() {
      const name = desk.customerNameOf[this.call.callId];
      return name ? t('desk.ticket.forCustomer', { customer: name, number: other(this.call) }) : t('desk.ticket.forNumber', { number: other(this.call) });
    },
    known() { return ['title', 'typeId', 'callerNumber', 'description'].concat((this.type ? this.type.fields : []).map((f) => 'form.' + f.key)); },
  },
  watch: { 'call.callId'() { this.form = null; } },
  methods: {
    async start() {
      try {
        if (!this.types) this.types = (await api.get('/ticket-types')).filter((x) => x.enabled);
      } catch (e) {
        this.types = null;
        toast(e.message || String(e), 'error');
        return;
      }
      const ty = this.types[0] || null;
      this.form = { typeId: ty ? ty.id : null, title: '', description: '', values: blankValues(ty ? ty.fields : []), errors: {}, error: null, saving: false };
    },
    pick() {
      this.form.values = blankValues(this.type ? this.type.fields : []);
      this.form.errors = {};
      this.form.error = null;
    },
    async save() {
      const f = this.form;
      const c = this.call;
      f.errors = {};
      f.error = null;
      f.saving = true;
      try {
        const tk = await api.post('/tickets', {
          typeId: f.typeId, title: f.title, description: f.description || null, callId: c.callId,
          callerNumber: otherRef(c) || (/^\+?[0-9*#]{1,32}$/.test(other(c)) ? other(c) : null),
          customerId: desk.customerOf[c.callId] || null, form: cleanValues(this.type ? this.type.fields : [], f.values),
        });
        this.opened.unshift({ callId: c.callId, id: tk.id, trackingNumber: tk.trackingNumber, title: tk.title });
        toast(t('desk.ticket.opened', { number: tk.trackingNumber }));
        this.form = null;
      } catch (e) {
        f.errors = e.fields ? e.fields() : {};
        f.error = e;
      } finally {
        f.saving = false;
      }
    },
  },
  template: `
    <div class="call-ticket" data-testid="desk-ticket">
      <div v-for="tk in mine" :key="tk.id" class="small" data-testid="desk-ticket-opened">
        {{ t('desk.ticket.openedLabel') }} <a :href="'/#/tickets?id=' + tk.id" target="_blank" rel="noopener" class="mono" data-testid="desk-ticket-number">{{ tk.trackingNumber }}</a> {{ tk.title }}
      </div>
      <button v-if="!form" type="button" class="btn btn-sm" data-testid="desk-ticket-new" @click="start">{{ t('desk.ticket.new') }}</button>
      <form v-else class="form-grid" data-testid="desk-ticket-form" @submit.prevent="save">
        <div class="small muted span-2" data-testid="desk-ticket-for">{{ forWhom }}</div>
        <form-field :label="t('tickets.type')" required :error="form.errors.typeId">
          <select v-model="form.typeId" @change="pick" data-testid="desk-ticket-type">
            <option v-for="ty in types" :key="ty.id" :value="ty.id">{{ ty.name }}</option></select></form-field>
        <form-field :label="t('tickets.titleLabel')" required span :error="form.errors.title" testid="desk-ticket-title-error">
          <input v-model="form.title" data-testid="desk-ticket-title"></form-field>
        <form-field :label="t('tickets.description')" span><textarea v-model="form.description" rows="2" data-testid="desk-ticket-description"></textarea></form-field>
        <ticket-form :fields="type ? type.fields : []" :values="form.values" :errors="form.errors" prefix="desk-ticket-form"></ticket-form>
        <form-alert class="span-2" :error="form.error" :known="known" testid="desk-ticket-alert"></form-alert>
        <div class="span-2 notes-actions">
          <button type="button" class="btn btn-sm" data-testid="desk-ticket-cancel" @click="form = null">{{ t('common.cancel') }}</button>
          <button type="submit" class="btn btn-sm btn-primary" :disabled="form.saving" data-testid="desk-ticket-save">{{ t('desk.ticket.save') }}</button>
        </div>
      </form>
    </div>`,
};

/** Memos on the call (BIZ-5), newest first; one added from here is on the call's record and the customer's timeline. */
export const CallMemos = {
  props: { call: Object },
  data() { return { items: [], text: '', error: null, saving: false }; },
  watch: { 'call.callId': { immediate: true, handler() { this.load(); } } },
  methods: {
    async load() {
      const id = this.call ? this.call.callId : null;
      this.items = [];
      this.text = '';
      this.error = null;
      if (!id) return;
      try {
        const list = await api.get('/memos', { callId: id });
        if (this.call && this.call.callId === id) this.items = list;
      } catch (e) { /* no memos shown */ }
    },
    /** The author (or a ticket.manage holder) deletes a memo. */
    mayDelete(m) { return this.can('ticket.manage') || (this.can('ticket.write') && desk.me && m.authorId === desk.me.id); },
    async remove(m) {
      this.error = null;
      try {
        await api.del('/memos/' + m.id);
        this.items = this.items.filter((x) => x.id !== m.id);
      } catch (e) {
        this.error = e;
      }
    },
    async add() {
      const id = this.call.callId;
      this.error = null;
      this.saving = true;
      try {
        const m = await api.post('/memos', { callId: id, text: this.text });
        if (this.call && this.call.callId === id) {
          this.items.unshift(m);
          this.text = '';
        }
      } catch (e) {
        this.error = e;
      } finally {
        this.saving = false;
      }
    },
  },
  template: `
    <div class="call-memos" data-testid="desk-memos">
      <div class="field-label">{{ t('desk.memos') }}</div>
      <form class="memo-add" @submit.prevent="add">
        <input v-model="text" maxlength="4000" :placeholder="t('desk.memoHint')" data-testid="desk-memo-text">
        <button type="submit" class="btn btn-sm" :disabled="saving || !text.trim()" data-testid="desk-memo-add">{{ t('desk.memoAdd') }}</button>
      </form>
      <form-alert :error="error" :known="[]" testid="desk-memo-alert"></form-alert>
      <div v-if="!items.length" class="muted small" data-testid="desk-memos-none">{{ t('desk.memosNone') }}</div>
      <div v-for="m in items" :key="m.id" class="small memo" data-testid="desk-memo">
        <span class="muted">{{ fmtTime(m.createdAt) }} · {{ dash(m.author) }}</span> <span data-testid="desk-memo-body">{{ m.text }}</span>
        <button v-if="mayDelete(m)" type="button" class="btn-link" data-testid="desk-memo-delete" @click="remove(m)">{{ t('common.delete') }}</button>
      </div>
    </div>`,
};
