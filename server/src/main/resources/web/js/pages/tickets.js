// Tickets (BIZ-1, BIZ-2, docs/tickets.md): the list with filters (state, type, open only, mine, text or tracking
// number), opening a ticket with its type's form, and one ticket (#/tickets?id=12): tracking number, SLA due time,
// edit with the type's form, state changes (the server refuses an illegal move: 409 shown), comments and the timeline;
// an SMS to the ticket's caller or customer (MSG-3: a template or a text, sent with the ticket's id; the server fills
// {ticket} and picks the recipient when the number is left empty).

import { api, t, toast } from '../common.js';
import { TicketForm, blankValues, cleanValues } from '../components/ticket-form.js';

const STATUSES = ['new', 'assigned', 'in_progress', 'waiting_customer', 'resolved', 'closed', 'reopened'];

function idFromHash() {
  const m = /[?&]id=(\d+)/.exec(location.hash || '');
  return m ? Number(m[1]) : null;
}

export const TicketsPage = {
  components: { TicketForm },
  props: { me: Object },
  setup() { return { STATUSES }; },
  data() {
    return {
      types: [], items: [], loading: true, loadError: null,
      status: '', typeId: '', q: '', openOnly: true, mine: false,
      dialog: null, detailId: idFromHash(), detail: null, detailError: null, edit: null, move: { status: '', note: '' }, comment: '', commentForCustomer: false,
      callback: { callId: null, result: '', note: '', error: null },
      sms: null, smsTemplates: [], smsSent: null,
    };
  },
  async created() {
    try { this.types = await api.get('/ticket-types'); } catch (e) { this.loadError = e; }
    window.addEventListener('hashchange', this.syncDetail);
    this.loadDetail();
    await this.load();
  },
  beforeUnmount() { window.removeEventListener('hashchange', this.syncDetail); },
  computed: {
    detailType() { return this.detail ? this.types.find((ty) => ty.id === this.detail.ticket.typeId) || null : null; },
  },
  methods: {
    typeName(id) { const ty = this.types.find((x) => x.id === id); return ty ? ty.name : '—'; },
    statusText(s) { return t('tickets.status.' + s); },
    async load() {
      this.loading = true;
      try {
        const p = { q: this.q.trim(), status: this.status, typeId: this.typeId, limit: 200 };
        if (this.openOnly && !this.status) p.open = 'true';
        if (this.mine) p.assigneeId = this.me.id;
        this.items = await api.get('/tickets', p); this.loadError = null;
      } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    syncDetail() { this.detailId = idFromHash(); this.loadDetail(); },
    async loadDetail() {
      this.detail = null; this.detailError = null; this.edit = null;
      if (!this.detailId) return;
      try { this.detail = await api.get('/tickets/' + this.detailId); } catch (e) { this.detailError = e; }
    },
    openNew() {
      const ty = this.types.find((x) => x.enabled) || null;
      this.dialog = { typeId: ty ? ty.id : '', title: '', description: '', callerNumber: '', values: blankValues(ty ? ty.fields : []), errors: {}, error: null };
    },
    dialogType() { return this.dialog ? this.types.find((x) => x.id === this.dialog.typeId) || null : null; },
    pickType() { const ty = this.dialogType(); this.dialog.values = blankValues(ty ? ty.fields : []); },
    async create() {
      const ty = this.dialogType();
      const d = this.dialog;
      d.errors = {}; d.error = null;
      try {
        const body = { typeId: d.typeId || null, title: d.title.trim(), description: d.description.trim() || null,
          callerNumber: d.callerNumber.trim() || null, form: cleanValues(ty ? ty.fields : [], d.values) };
        const created = await api.post('/tickets', body);
        this.dialog = null;
        toast(t('tickets.created', { number: created.trackingNumber }));
        location.hash = '#/tickets?id=' + created.id;
        await this.load();
      } catch (e) { d.error = e; d.errors = e.fields ? e.fields() : {}; }
    },
    startEdit() {
      const tk = this.detail.ticket;
      this.edit = { title: tk.title, description: tk.description || '', values: blankValues(this.detailType ? this.detailType.fields : [], tk.form), errors: {}, error: null };
    },
    async saveEdit() {
      const tk = this.detail.ticket;
      const e = this.edit;
      e.errors = {}; e.error = null;
      try {
        await api.put('/tickets/' + tk.id, { title: e.title.trim(), description: e.description.trim() || null, customerId: tk.customerId,
          callerNumber: tk.callerNumber, callId: tk.callId, form: cleanValues(this.detailType ? this.detailType.fields : [], e.values) });
        await this.loadDetail();
        await this.load();
      } catch (err) { e.error = err; e.errors = err.fields ? err.fields() : {}; }
    },
    async doMove() {
      if (!this.move.status) return;
      this.detailError = null;
      try {
        await api.post('/tickets/' + this.detail.ticket.id + '/status', { status: this.move.status, note: this.move.note.trim() || null });
        this.move = { status: '', note: '' };
        await this.loadDetail();
        await this.load();
      } catch (e) { this.detailError = e; }
    },
    /**
     * BIZ-1: rings the agent's device, then the ticket's caller (the desk's click-to-dial); the server writes the call's outcome on
     * the timeline when it ends, the agent may add a result or a note.
     */
    async callBack() {
      this.callback.error = null;
      try {
        const placed = await api.post('/tickets/' + this.detail.ticket.id + '/call-back');
        this.callback.callId = placed.callId;
        toast(t('tickets.callBackPlaced'));
        await this.loadDetail();
      } catch (e) { this.callback.error = e; }
    },
    async saveCallbackResult() {
      this.callback.error = null;
      try {
        await api.post('/tickets/' + this.detail.ticket.id + '/callbacks', { result: this.callback.result || null,
          note: this.callback.note.trim() || null, callId: this.callback.callId });
        this.callback = { callId: null, result: '', note: '', error: null };
        await this.loadDetail();
      } catch (e) { this.callback.error = e; }
    },
    /** The server's call-back outcome ("answered 12 s 138… call …") with its first word in the page's language. */
    eventDetail(ev) {
      if (ev.kind !== 'callback_outcome' || !ev.detail) return ev.detail;
      const i = ev.detail.indexOf(' ');
      const word = i < 0 ? ev.detail : ev.detail.slice(0, i);
      return this.tOr('tickets.callbackOutcome.' + word, word) + (i < 0 ? '' : ev.detail.slice(i));
    },
    async addComment() {
      if (!this.comment.trim()) return;
      try {
        await api.post('/tickets/' + this.detail.ticket.id + '/comments', { text: this.comment.trim(), forCustomer: this.commentForCustomer });
        this.comment = '';
        this.commentForCustomer = false;
        await this.loadDetail();
      } catch (e) { this.detailError = e; }
    },
    closeDetail() { location.hash = '#/tickets'; },
    /** MSG-3: the SMS dialog; the recipient defaults to the ticket's caller or customer (server side). */
    async openSms() {
      this.sms = { to: '', templateId: '', text: '', errors: {}, error: null, sending: false };
      try { this.smsTemplates = await api.get('/sms/templates'); } catch (e) { this.smsTemplates = []; }
    },
    async sendSms() {
      const d = this.sms;
      d.errors = {}; d.error = null; d.sending = true;
      try {
        const body = { ticketId: this.detail.ticket.id, to: d.to.trim() || null };
        if (d.templateId) body.templateId = Number(d.templateId); else body.text = d.text.trim() || null;
        const m = await api.post('/sms/send', body);
        this.sms = null;
        this.smsSent = m;
        toast(t('tickets.smsQueued', { number: m.number }));
      } catch (e) { d.error = e; d.errors = e.fields ? e.fields() : {}; d.sending = false; }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('tickets.title') }}</h1>
      <span class="sub">{{ t('tickets.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('ticket.write')" class="btn btn-primary" data-testid="ticket-new" @click="openNew">+ {{ t('tickets.new') }}</button>
    </div>
    <div v-if="detailError" class="alert alert-error" data-testid="ticket-detail-error">{{ errorText(detailError) }}</div>
    <div v-if="detail" class="panel" style="margin-bottom:16px" data-testid="ticket-detail" :data-status="detail.ticket.status">
      <div class="panel-head">
        <h2><span class="mono" data-testid="ticket-detail-number">{{ detail.ticket.trackingNumber }}</span> · <span data-testid="ticket-detail-title">{{ detail.ticket.title }}</span></h2>
        <span class="spacer" style="flex:1"></span>
        <button v-if="can('ticket.write') && !edit" class="btn btn-sm" data-testid="ticket-edit" @click="startEdit">{{ t('common.edit') }}</button>
        <button class="btn btn-sm" data-testid="ticket-detail-close" @click="closeDetail">{{ t('common.close') }}</button>
      </div>
      <div class="panel-body">
        <dl class="kv">
          <dt>{{ t('tickets.type') }}</dt><dd>{{ typeName(detail.ticket.typeId) }}</dd>
          <dt>{{ t('tickets.statusLabel') }}</dt><dd><span class="badge" data-testid="ticket-detail-status">{{ statusText(detail.ticket.status) }}</span></dd>
          <dt>{{ t('tickets.due') }}</dt><dd :class="{ danger: detail.ticket.overdue }">{{ detail.ticket.dueAt ? fmtTime(detail.ticket.dueAt) : '—' }}</dd>
          <dt>{{ t('tickets.caller') }}</dt><dd class="mono">{{ dash(detail.ticket.callerNumber) }}</dd>
          <template v-if="!edit && detailType"><template v-for="f in detailType.fields" :key="f.key">
            <dt>{{ f.label }}</dt><dd :data-testid="'ticket-detail-form-' + f.key">{{ Array.isArray(detail.ticket.form[f.key]) ? detail.ticket.form[f.key].join(', ') : dash(detail.ticket.form[f.key]) }}</dd>
          </template></template>
        </dl>
        <div v-if="!edit && detail.ticket.description" class="muted" style="white-space:pre-wrap">{{ detail.ticket.description }}</div>
        <form v-if="edit" class="form-grid" @submit.prevent="saveEdit" novalidate data-testid="ticket-edit-form">
          <form-field :label="t('tickets.titleLabel')" required :error="edit.errors.title"><input v-model="edit.title" data-testid="ticket-edit-title"></form-field>
          <form-field :label="t('tickets.description')" span><textarea v-model="edit.description" rows="3" data-testid="ticket-edit-description"></textarea></form-field>
          <ticket-form :fields="detailType ? detailType.fields : []" :values="edit.values" :errors="edit.errors" prefix="ticket-edit-form"></ticket-form>
          <form-alert class="span-2" :error="edit.error" :known="['title'].concat((detailType ? detailType.fields : []).map((f) => 'form.' + f.key))" testid="ticket-edit-alert"></form-alert>
          <div class="span-2"><button class="btn btn-primary" type="submit" data-testid="ticket-edit-save">{{ t('common.save') }}</button>
            <button class="btn" type="button" @click="edit = null">{{ t('common.cancel') }}</button></div>
        </form>
        <form v-if="can('ticket.write')" class="toolbar" style="margin-top:12px" @submit.prevent="doMove">
          <select v-model="move.status" data-testid="ticket-move-status">
            <option value="">{{ t('tickets.moveTo') }}</option>
            <option v-for="s in STATUSES" :key="s" :value="s" :disabled="s === detail.ticket.status">{{ statusText(s) }}</option></select>
          <input class="grow" v-model="move.note" :placeholder="t('tickets.moveNote')" data-testid="ticket-move-note">
          <button class="btn" type="submit" data-testid="ticket-move-go">{{ t('tickets.move') }}</button>
        </form>
        <form v-if="can('ticket.write')" class="toolbar" @submit.prevent="saveCallbackResult" data-testid="ticket-callback">
          <button v-if="can('agent.desk')" type="button" class="btn" data-testid="ticket-call-back" @click="callBack">{{ t('tickets.callBack') }}</button>
          <button v-if="can('sms.send')" type="button" class="btn" data-testid="ticket-sms" @click="openSms">{{ t('tickets.sms') }}</button>
          <select v-model="callback.result" data-testid="ticket-callback-result">
            <option value="">{{ t('tickets.callbackResultNone') }}</option>
            <option v-for="r in ['reached', 'no_answer', 'busy', 'wrong_number', 'resolved']" :key="r" :value="r">{{ t('tickets.callbackResult.' + r) }}</option></select>
          <input class="grow" v-model="callback.note" :placeholder="t('tickets.callbackNote')" data-testid="ticket-callback-note">
          <button class="btn" type="submit" data-testid="ticket-callback-save">{{ t('tickets.callbackSave') }}</button>
          <span v-if="callback.error" class="field-error" data-testid="ticket-callback-error">{{ errorText(callback.error) }}</span>
        </form>
        <p v-if="smsSent && smsSent.ticketId === detail.ticket.id" class="muted" data-testid="ticket-sms-sent" :data-sms-id="smsSent.id">
          {{ t('tickets.smsSent', { number: smsSent.number, status: t('sms.status.' + smsSent.status) }) }} <span class="mono">{{ smsSent.text }}</span></p>
        <form v-if="can('ticket.write')" class="toolbar" @submit.prevent="addComment">
          <input class="grow" v-model="comment" :placeholder="t('tickets.commentHint')" data-testid="ticket-comment">
          <label class="check" :title="t('tickets.forCustomerHint')"><input type="checkbox" v-model="commentForCustomer" data-testid="ticket-comment-for-customer">
            {{ t('tickets.forCustomer') }}</label>
          <button class="btn" type="submit" data-testid="ticket-comment-add">{{ t('tickets.comment') }}</button>
        </form>
        <h3>{{ t('tickets.timeline') }}</h3>
        <ul class="timeline-list" data-testid="ticket-timeline">
          <li v-for="ev in detail.timeline" :key="ev.id" :data-kind="ev.kind"><span class="muted small">{{ fmtTime(ev.at) }}</span>
            <span class="badge">{{ tOr('tickets.event.' + ev.kind, ev.kind) }}</span><span>{{ dash(ev.user) }}</span><span class="muted">{{ eventDetail(ev) }}</span></li>
        </ul>
      </div>
    </div>

    <form class="toolbar" @submit.prevent="load">
      <input type="search" class="grow" v-model="q" :placeholder="t('tickets.searchHint')" data-testid="tickets-search">
      <select v-model="status" data-testid="tickets-status" @change="load">
        <option value="">{{ t('tickets.anyStatus') }}</option><option v-for="s in STATUSES" :key="s" :value="s">{{ statusText(s) }}</option></select>
      <select v-model="typeId" data-testid="tickets-type" @change="load">
        <option value="">{{ t('tickets.anyType') }}</option><option v-for="ty in types" :key="ty.id" :value="ty.id">{{ ty.name }}</option></select>
      <label class="check"><input type="checkbox" v-model="openOnly" @change="load" data-testid="tickets-open"> {{ t('tickets.openOnly') }}</label>
      <label class="check"><input type="checkbox" v-model="mine" @change="load" data-testid="tickets-mine"> {{ t('tickets.mine') }}</label>
      <button type="submit" class="btn btn-primary" data-testid="tickets-search-go">{{ t('common.search') }}</button>
    </form>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="tickets-table">
        <thead><tr><th>{{ t('tickets.number') }}</th><th>{{ t('tickets.titleLabel') }}</th><th>{{ t('tickets.type') }}</th>
          <th>{{ t('tickets.statusLabel') }}</th><th>{{ t('tickets.due') }}</th><th>{{ t('tickets.createdAt') }}</th></tr></thead>
        <tbody>
          <tr v-for="tk in items" :key="tk.id" :data-testid="'ticket-row-' + tk.id" :data-status="tk.status">
            <td class="mono"><a :href="'#/tickets?id=' + tk.id" :data-testid="'ticket-open-' + tk.id">{{ tk.trackingNumber }}</a></td>
            <td>{{ tk.title }}</td><td>{{ typeName(tk.typeId) }}</td>
            <td><span class="badge">{{ statusText(tk.status) }}</span></td>
            <td :class="{ danger: tk.overdue }">{{ tk.dueAt ? fmtTime(tk.dueAt) : '—' }}</td><td>{{ fmtTime(tk.createdAt) }}</td>
          </tr>
          <empty-row v-if="!items.length" :cols="6" :loading="loading" testid="tickets-empty"></empty-row>
        </tbody>
      </table>
    </div>

    <modal v-if="sms" size="small" :title="t('tickets.sms')" testid="ticket-sms-dialog" @close="sms = null">
      <form @submit.prevent="sendSms" novalidate style="display:flex;flex-direction:column;gap:14px">
        <form-field :label="t('tickets.smsTo')" :error="sms.errors.to" testid="ticket-sms-to-error" :hint="t('tickets.smsToHint')">
          <input v-model="sms.to" inputmode="tel" data-testid="ticket-sms-to"></form-field>
        <form-field :label="t('tickets.smsTemplate')" :error="sms.errors.templateId" testid="ticket-sms-template-error">
          <select v-model="sms.templateId" data-testid="ticket-sms-template">
            <option value="">{{ t('tickets.smsOwnText') }}</option>
            <option v-for="tp in smsTemplates" :key="tp.id" :value="tp.id">{{ tp.name }}</option>
          </select></form-field>
        <form-field v-if="!sms.templateId" :label="t('tickets.smsText')" :error="sms.errors.text" testid="ticket-sms-text-error">
          <textarea v-model="sms.text" rows="3" maxlength="1000" data-testid="ticket-sms-text"></textarea></form-field>
        <form-alert :error="sms.error" :known="['to', 'templateId', 'text']" testid="ticket-sms-alert"></form-alert>
        <button type="submit" hidden></button>
      </form>
      <template #footer>
        <button class="btn" @click="sms = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="ticket-sms-send" :disabled="sms.sending" @click="sendSms">{{ t('tickets.smsSend') }}</button>
      </template>
    </modal>
    <modal v-if="dialog" :title="t('tickets.new')" testid="ticket-dialog" @close="dialog = null">
      <form @submit.prevent="create" novalidate class="form-grid">
        <form-field :label="t('tickets.type')" required :error="dialog.errors.typeId">
          <select v-model="dialog.typeId" @change="pickType" data-testid="ticket-form-type">
            <option v-for="ty in types.filter((x) => x.enabled)" :key="ty.id" :value="ty.id">{{ ty.name }}</option></select></form-field>
        <form-field :label="t('tickets.caller')" :error="dialog.errors.callerNumber"><input v-model="dialog.callerNumber" inputmode="tel" data-testid="ticket-form-caller"></form-field>
        <form-field :label="t('tickets.titleLabel')" required span :error="dialog.errors.title" testid="ticket-form-title-error">
          <input v-model="dialog.title" data-testid="ticket-form-title"></form-field>
        <form-field :label="t('tickets.description')" span><textarea v-model="dialog.description" rows="3" data-testid="ticket-form-description"></textarea></form-field>
        <ticket-form :fields="dialogType() ? dialogType().fields : []" :values="dialog.values" :errors="dialog.errors" prefix="ticket-form"></ticket-form>
        <form-alert class="span-2" :error="dialog.error" :known="['title', 'typeId', 'callerNumber'].concat((dialogType() ? dialogType().fields : []).map((f) => 'form.' + f.key))" testid="ticket-form-alert"></form-alert>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="ticket-save" @click="create">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
