// Orders (BIZ-4, seed 001 5.4 and seed 002 4.2.12): the orders of the customers this user may see (CRM-3), newest first,
// filtered by status, text (order number or customer) and the day placed; exported as CSV or xlsx; one order
// (#/orders?id=12) with its lines, exact total, the call it was taken on, its status history (who, when) and the next
// moves (the server refuses an illegal one: 409 shown). Orders are placed from the desk during a call.
// Approval (seed 001 "提交给组长坐席"): the agent submits a new or rejected order to the team leader, who approves it
// (confirmed: its products are taken out of stock; a line short of stock is refused on that line) or rejects it with a
// note. Until it is approved its lines and note may be edited; every edit is listed under "Changes". "New order" places
// one for a customer found by name (the desk places them during a call).

import { api, t, toast, confirmDialog } from '../common.js';
import { i18n } from '../i18n.js';

export const ORDER_STATUSES = ['new', 'submitted', 'rejected', 'confirmed', 'shipped', 'completed', 'cancelled', 'returned'];
/** Moves that are the team leader's decision (order.approve). */
const BY_APPROVER = ['confirmed', 'rejected'];

export function money(v) { return v === null || v === undefined ? '—' : Number(v).toFixed(2); }

function idFromHash() {
  const m = /[?&]id=(\d+)/.exec(location.hash || '');
  return m ? Number(m[1]) : null;
}

export const OrdersPage = {
  props: { me: Object },
  setup() { return { ORDER_STATUSES, money }; },
  data() {
    return { items: [], total: 0, loading: true, loadError: null, status: '', q: '', day: '',
      detailId: idFromHash(), detail: null, detailError: null, move: { status: '', note: '' },
      decisionNote: '', editing: null, editError: null, products: [], customers: [], customerQ: '' };
  },
  created() {
    window.addEventListener('hashchange', this.syncDetail);
    this.loadDetail();
    this.load();
  },
  beforeUnmount() { window.removeEventListener('hashchange', this.syncDetail); },
  computed: {
    query() {
      const p = { status: this.status, q: this.q.trim() };
      if (this.day) {
        const from = new Date(this.day + 'T00:00:00');
        p.from = from.toISOString();
        p.to = new Date(from.getTime() + 86400000).toISOString();
      }
      return p;
    },
    exportQuery() {
      const p = new URLSearchParams({ lang: i18n.lang === 'zh' ? 'zh' : 'en' });
      for (const [k, v] of Object.entries(this.query)) if (v) p.set(k, v);
      return p.toString();
    },
    /** The moves the server allows from this status (detail.next), less the leader's decisions for those who are not one. */
    nextMoves() {
      if (!this.detail) return [];
      return this.detail.next.filter((s) => s !== 'submitted' && (!BY_APPROVER.includes(s) || this.can('order.approve')));
    },
    canSubmit() { return this.detail && this.can('order.write') && this.detail.next.includes('submitted'); },
    canDecide() { return this.detail && this.can('order.approve') && this.detail.order.status === 'submitted'; },
    editTotal() {
      if (!this.editing) return 0;
      let cents = 0;
      for (const l of this.editing.lines) {
        const p = this.products.find((x) => x.id === Number(l.productId));
        const price = l.unitPrice !== '' && l.unitPrice != null ? Number(l.unitPrice) : (p ? Number(p.price) : 0);
        cents += Math.round(price * 100) * (Number(l.quantity) || 0);
      }
      return cents / 100;
    },
  },
  methods: {
    statusText(s) { return t('orders.status.' + s); },
    async load() {
      this.loading = true;
      try { const page = await api.get('/orders', Object.assign({ limit: 200 }, this.query)); this.items = page.items; this.total = page.total; this.loadError = null; }
      catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    syncDetail() { this.detailId = idFromHash(); this.editing = null; this.loadDetail(); },
    async loadDetail() {
      this.detail = null; this.detailError = null;
      if (!this.detailId) return;
      try { this.detail = await api.get('/orders/' + this.detailId); } catch (e) { this.detailError = e; }
    },
    async doMove() {
      if (!this.move.status) return;
      this.detailError = null;
      try {
        await api.post('/orders/' + this.detail.order.id + '/status', { status: this.move.status, note: this.move.note.trim() || null });
        this.move = { status: '', note: '' };
        await this.loadDetail();
        await this.load();
      } catch (e) { this.detailError = e; }
    },
    async decide(action) {
      this.detailError = null;
      try {
        await api.post('/orders/' + this.detail.order.id + '/' + action, { note: this.decisionNote.trim() || null });
        toast(t('orders.done.' + action));
        this.decisionNote = '';
        await this.loadDetail();
        await this.load();
      } catch (e) { this.detailError = e; }
    },
    async startEdit() {
      this.editError = null;
      if (!this.products.length) this.products = await api.get('/products', { onSale: 'true' }).catch(() => []);
      this.editing = { note: this.detail.order.note || '', lines: this.detail.lines.map((l) => ({ productId: l.productId, quantity: l.quantity,
        unitPrice: Number(l.unitPrice).toFixed(2) })) };
    },
    async startNew() {
      this.editError = null;
      if (!this.products.length) this.products = await api.get('/products', { onSale: 'true' }).catch(() => []);
      this.customers = []; this.customerQ = '';
      this.editing = { isNew: true, customerId: '', note: '', lines: [{ productId: '', quantity: 1, unitPrice: '' }] };
    },
    async findCustomers() {
      this.customers = (await api.get('/customers', { q: this.customerQ.trim(), limit: 20 }).catch(() => ({ items: [] }))).items;
      if (this.customers.length === 1) this.editing.customerId = this.customers[0].id;
    },
    addLine() { this.editing.lines.push({ productId: '', quantity: 1, unitPrice: '' }); },
    lineError(i, f) { return this.editError ? this.editError.fields()['lines[' + i + '].' + f] : null; },
    async saveEdit() {
      this.editError = null;
      const lines = this.editing.lines.map((l) => ({ productId: l.productId === '' ? null : Number(l.productId),
        quantity: l.quantity === '' ? null : Number(l.quantity), unitPrice: l.unitPrice === '' || l.unitPrice == null ? null : String(l.unitPrice).trim() }));
      const note = this.editing.note.trim() || null;
      try {
        if (this.editing.isNew) {
          const placed = await api.post('/orders', { customerId: this.editing.customerId === '' ? null : Number(this.editing.customerId), note, lines });
          this.editing = null;
          toast(t('orders.saved'));
          location.hash = '#/orders?id=' + placed.order.id;
        } else {
          this.detail = await api.put('/orders/' + this.detail.order.id, { note, lines });
          this.editing = null;
          toast(t('orders.saved'));
        }
        await this.load();
      } catch (e) { this.editError = e; }
    },
    changeField(f) { return t('orders.changeField.' + f); },
    async remove() {
      const o = this.detail.order;
      if (!(await confirmDialog(t('orders.confirmDelete', { number: o.orderNumber }), { danger: true }))) return;
      try { await api.del('/orders/' + o.id); toast(t('orders.deleted')); location.hash = '#/orders'; await this.load(); }
      catch (e) { this.detailError = e; }
    },
    closeDetail() { location.hash = '#/orders'; },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('orders.title') }}</h1>
      <span class="sub">{{ t('orders.subtitle') }}</span>
      <div class="spacer"></div>
      <a class="btn" :href="'/api/v1/orders/export?format=csv&' + exportQuery" data-testid="orders-export-csv">CSV</a>
      <a class="btn" :href="'/api/v1/orders/export?format=xlsx&' + exportQuery" data-testid="orders-export-xlsx">Excel</a>
      <button v-if="can('order.write')" class="btn btn-primary" data-testid="order-new" @click="startNew">{{ t('orders.new') }}</button>
    </div>
    <div v-if="detailError" class="alert alert-error" data-testid="order-detail-error">{{ errorText(detailError) }}</div>
    <div v-if="detail" class="panel" style="margin-bottom:16px" data-testid="order-detail" :data-status="detail.order.status">
      <div class="panel-head">
        <h2><span class="mono" data-testid="order-detail-number">{{ detail.order.orderNumber }}</span> · {{ detail.order.customerName }}</h2>
        <span class="spacer" style="flex:1"></span>
        <button v-if="can('order.write') && (detail.order.status === 'new' || detail.order.status === 'cancelled')" class="btn btn-sm btn-danger"
          data-testid="order-delete" @click="remove">{{ t('common.delete') }}</button>
        <button class="btn btn-sm" data-testid="order-detail-close" @click="closeDetail">{{ t('common.close') }}</button>
      </div>
      <div class="panel-body">
        <dl class="kv">
          <dt>{{ t('orders.statusLabel') }}</dt><dd><span class="badge" data-testid="order-detail-status">{{ statusText(detail.order.status) }}</span></dd>
          <dt>{{ t('orders.total') }}</dt><dd class="mono" data-testid="order-detail-total">{{ money(detail.order.total) }}</dd>
          <dt>{{ t('orders.customer') }}</dt><dd><a :href="'#/customers?id=' + detail.order.customerId">{{ detail.order.customerName }}</a></dd>
          <dt>{{ t('orders.call') }}</dt><dd class="mono">{{ dash(detail.order.callId) }}</dd>
          <dt>{{ t('orders.placedBy') }}</dt><dd>{{ dash(detail.order.creator) }} · {{ fmtTime(detail.order.createdAt) }}</dd>
          <dt>{{ t('orders.submitter') }}</dt><dd data-testid="order-detail-submitter">{{ dash(detail.order.submitter) }}</dd>
          <dt>{{ t('orders.note') }}</dt><dd>{{ dash(detail.order.note) }}</dd>
        </dl>
        <table class="grid compact" data-testid="order-lines">
          <thead><tr><th>{{ t('products.code') }}</th><th>{{ t('products.name') }}</th><th>{{ t('orders.quantity') }}</th>
            <th>{{ t('orders.unitPrice') }}</th><th>{{ t('orders.amount') }}</th></tr></thead>
          <tbody><tr v-for="l in detail.lines" :key="l.lineNo"><td class="mono">{{ l.productCode }}</td><td>{{ l.productName }}</td>
            <td>{{ l.quantity }}</td><td class="mono">{{ money(l.unitPrice) }}</td><td class="mono">{{ money(l.amount) }}</td></tr></tbody>
        </table>
        <div v-if="canSubmit || canDecide || (detail.editable && can('order.write'))" class="toolbar" style="margin-top:12px" data-testid="order-approval">
          <input class="grow" v-model="decisionNote" :placeholder="t('orders.decisionNote')" data-testid="order-decision-note">
          <button v-if="detail.editable && can('order.write') && !editing" class="btn" data-testid="order-edit" @click="startEdit">{{ t('common.edit') }}</button>
          <button v-if="canSubmit" class="btn btn-primary" data-testid="order-submit" @click="decide('submit')">{{ t('orders.submit') }}</button>
          <button v-if="canDecide" class="btn btn-primary" data-testid="order-approve" @click="decide('approve')">{{ t('orders.approve') }}</button>
          <button v-if="canDecide" class="btn btn-danger" data-testid="order-reject" @click="decide('reject')">{{ t('orders.reject') }}</button>
        </div>
        <form v-if="can('order.write') && nextMoves.length" class="toolbar" style="margin-top:12px" @submit.prevent="doMove">
          <select v-model="move.status" data-testid="order-move-status">
            <option value="">{{ t('orders.moveTo') }}</option>
            <option v-for="s in nextMoves" :key="s" :value="s">{{ statusText(s) }}</option></select>
          <input class="grow" v-model="move.note" :placeholder="t('orders.moveNote')" data-testid="order-move-note">
          <button class="btn" type="submit" data-testid="order-move-go">{{ t('orders.move') }}</button>
        </form>
        <h3>{{ t('orders.history') }}</h3>
        <ul class="timeline-list" data-testid="order-history">
          <li v-for="ev in detail.history" :key="ev.id"><span class="muted small">{{ fmtTime(ev.at) }}</span>
            <span class="badge">{{ ev.from ? statusText(ev.from) + ' → ' : '' }}{{ statusText(ev.to) }}</span><span>{{ dash(ev.user) }}</span>
            <span class="muted">{{ ev.note }}</span></li>
        </ul>
        <template v-if="detail.changes.length">
          <h3>{{ t('orders.changes') }}</h3>
          <ul class="timeline-list" data-testid="order-changes">
            <li v-for="c in detail.changes" :key="c.id"><span class="muted small">{{ fmtTime(c.at) }}</span>
              <span class="badge">{{ changeField(c.field) }}</span><span>{{ dash(c.user) }}</span>
              <span class="muted">{{ dash(c.oldValue) }} → {{ dash(c.newValue) }}</span></li>
          </ul>
        </template>
      </div>
    </div>

    <form v-if="editing" class="panel" style="margin-bottom:16px;padding:12px" data-testid="order-edit-form" @submit.prevent="saveEdit" novalidate>
      <h3>{{ editing.isNew ? t('orders.new') : t('orders.editTitle') }}</h3>
      <div v-if="editing.isNew" class="toolbar">
        <input type="search" class="grow" v-model="customerQ" :placeholder="t('customers.searchHint')" data-testid="order-new-customer-search"
          @keydown.enter.prevent="findCustomers">
        <button type="button" class="btn btn-sm" data-testid="order-new-customer-find" @click="findCustomers">{{ t('common.search') }}</button>
        <select v-model="editing.customerId" data-testid="order-new-customer"><option value="">{{ t('orders.customer') }}…</option>
          <option v-for="c in customers" :key="c.id" :value="c.id">{{ c.name }}</option></select>
        <span v-if="editError && editError.fields().customerId" class="field-error" data-testid="order-new-customer-error">{{ fieldErrorText(editError.fields().customerId) }}</span>
      </div>
      <form-alert :error="editError" :known="['customerId'].concat(editing.lines.flatMap((l, i) => ['lines[' + i + '].productId', 'lines[' + i + '].quantity', 'lines[' + i + '].unitPrice']))"
        testid="order-edit-error"></form-alert>
      <table class="grid compact">
        <thead><tr><th>{{ t('products.name') }}</th><th>{{ t('orders.quantity') }}</th><th>{{ t('orders.unitPrice') }}</th><th></th></tr></thead>
        <tbody><tr v-for="(l, i) in editing.lines" :key="i">
          <td><select v-model="l.productId" :data-testid="'order-edit-product-' + i"><option value="">—</option>
            <option v-for="p in products" :key="p.id" :value="p.id">{{ p.code }} · {{ p.name }}</option></select>
            <div v-if="lineError(i, 'productId')" class="field-error">{{ fieldErrorText(lineError(i, 'productId')) }}</div></td>
          <td><input type="number" min="1" v-model="l.quantity" style="width:80px" :data-testid="'order-edit-quantity-' + i">
            <div v-if="lineError(i, 'quantity')" class="field-error" :data-testid="'order-edit-quantity-' + i + '-error'">{{ fieldErrorText(lineError(i, 'quantity')) }}</div></td>
          <td><input v-model="l.unitPrice" inputmode="decimal" style="width:100px" :data-testid="'order-edit-price-' + i">
            <div v-if="lineError(i, 'unitPrice')" class="field-error">{{ fieldErrorText(lineError(i, 'unitPrice')) }}</div></td>
          <td><button type="button" class="btn btn-sm" @click="editing.lines.splice(i, 1)" :data-testid="'order-edit-remove-' + i">×</button></td>
        </tr></tbody>
      </table>
      <div class="toolbar">
        <button type="button" class="btn btn-sm" data-testid="order-edit-add" @click="addLine">{{ t('orders.addLine') }}</button>
        <span class="mono" data-testid="order-edit-total">{{ t('orders.total') }} {{ money(editTotal) }}</span>
        <input class="grow" v-model="editing.note" :placeholder="t('orders.note')" data-testid="order-edit-note">
        <button type="button" class="btn" @click="editing = null">{{ t('common.cancel') }}</button>
        <button type="submit" class="btn btn-primary" data-testid="order-edit-save">{{ t('common.save') }}</button>
      </div>
    </form>
    <form class="toolbar" @submit.prevent="load">
      <input type="search" class="grow" v-model="q" :placeholder="t('orders.searchHint')" data-testid="orders-search">
      <select v-model="status" data-testid="orders-status" @change="load">
        <option value="">{{ t('orders.anyStatus') }}</option><option v-for="s in ORDER_STATUSES" :key="s" :value="s">{{ statusText(s) }}</option></select>
      <input type="date" v-model="day" @change="load" data-testid="orders-day">
      <button type="submit" class="btn btn-primary" data-testid="orders-search-go">{{ t('common.search') }}</button>
    </form>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="orders-table">
        <thead><tr><th>{{ t('orders.number') }}</th><th>{{ t('orders.customer') }}</th><th>{{ t('orders.statusLabel') }}</th>
          <th>{{ t('orders.total') }}</th><th>{{ t('orders.placedBy') }}</th><th>{{ t('orders.placedAt') }}</th></tr></thead>
        <tbody>
          <tr v-for="o in items" :key="o.id" :data-testid="'order-row-' + o.id" :data-status="o.status">
            <td class="mono"><a :href="'#/orders?id=' + o.id" :data-testid="'order-open-' + o.id">{{ o.orderNumber }}</a></td>
            <td>{{ o.customerName }}</td><td><span class="badge">{{ statusText(o.status) }}</span></td>
            <td class="mono">{{ money(o.total) }}</td><td>{{ dash(o.creator) }}</td><td>{{ fmtTime(o.createdAt) }}</td>
          </tr>
          <empty-row v-if="!items.length" :cols="6" :loading="loading" testid="orders-empty"></empty-row>
        </tbody>
      </table>
    </div>
    <div class="muted small" data-testid="orders-total">{{ t('orders.count', { n: total }) }}</div>`,
};
