// AGENT-4 screen pop from the CRM (issue 16 item 7): on a call, the caller's customer record as this agent may see it
// (the lookup honours ownership: private, department, enterprise), with the fields marked for the pop; for an unknown
// number, a new-customer card pre-filled with it. BIZ-4: the customer's recent orders with their status, and a form to
// place an order during the call (products on sale × quantity; the server computes the exact total and links the call).

import { api, t, toast, toastError } from '../common.js';

export const CrmCard = {
  props: { number: String, numberRef: String, callId: String },
  emits: ['matched'],
  data() { return { matches: null, fields: [], form: null, errors: {}, loading: false, settings: null, openTickets: {}, orders: {}, products: [], orderForm: null }; },
  computed: {
    popFields() { return this.fields.filter((f) => f.inPop && !(this.tierField && f.key === this.tierField.key)); },
    /** The field holding the tier (CRM settings, ACD-3): shown first, under its own label. */
    tierField() { return this.settings && this.settings.tierField ? this.fields.find((f) => f.key === this.settings.tierField) || null : null; },
    formFields() { return this.fields.filter((f) => f.inPop || f.required); },
  },
  watch: { number: { immediate: true, handler() { this.load(); } } },
  methods: {
    async load() {
      this.matches = null;
      this.form = null;
      this.errors = {};
      this.$emit('matched', []);
      // API-3: a visitor of the web widget ("web:…") has no number to look up.
      if (!this.number || this.number.startsWith('web:') || !this.can('customer.read')) return;
      this.loading = true;
      try {
        if (!this.fields.length) this.fields = await api.get('/customer-fields');
        if (!this.settings) this.settings = await api.get('/crm-settings');
        const asked = this.number;
        // CRM-5: a masked number is looked up (and saved) by the server's reference.
        const found = await api.get('/customers/lookup', { number: this.numberRef || asked });
        if (asked !== this.number) return; // another call meanwhile
        this.matches = found;
        this.$emit('matched', found);
        this.openTickets = {};
        if (this.can('ticket.read')) {
          for (const c of found) {
            api.get('/tickets', { customerId: c.id, open: 'true', limit: 20 })
              .then((ts) => { if (asked === this.number) this.openTickets = Object.assign({}, this.openTickets, { [c.id]: ts }); })
              .catch(() => {});
          }
        }
        this.orders = {};
        this.orderForm = null;
        if (this.can('order.read')) for (const c of found) this.loadOrders(c.id, asked);
        if (!found.length && this.can('customer.write')) this.form = { name: '', sharing: 'private', fields: {} };
      } catch (e) {
        this.matches = [];
      } finally {
        this.loading = false;
      }
    },
    loadOrders(customerId, asked) {
      return api.get('/orders', { customerId, limit: 5 })
        .then((page) => { if (asked === this.number) this.orders = Object.assign({}, this.orders, { [customerId]: page.items }); })
        .catch(() => {});
    },
    money(v) { return v === null || v === undefined ? '—' : Number(v).toFixed(2); },
    async startOrder(c) {
      try { this.products = await api.get('/products', { onSale: 'true' }); } catch (e) { toastError(e); return; }
      this.orderForm = { customerId: c.id, lines: [{ productId: '', quantity: 1 }], note: '', errors: {}, error: null };
    },
    orderPreview() {
      let cents = 0;
      for (const l of this.orderForm.lines) {
        const p = this.products.find((x) => x.id === l.productId);
        if (p && Number(l.quantity) > 0) cents += Math.round(Number(p.price) * 100) * Math.round(Number(l.quantity));
      }
      return (cents / 100).toFixed(2);
    },
    async placeOrder() {
      const f = this.orderForm;
      f.errors = {}; f.error = null;
      try {
        const body = { customerId: f.customerId, callId: this.callId || null, note: f.note.trim() || null,
          lines: f.lines.map((l) => ({ productId: l.productId === '' ? null : l.productId, quantity: l.quantity === '' ? null : Number(l.quantity) })) };
        const placed = await api.post('/orders', body);
        toast(t('desk.crm.orderPlaced', { number: placed.order.orderNumber }));
        this.orderForm = null;
        await this.loadOrders(f.customerId, this.number);
      } catch (e) { f.error = e; f.errors = e.fields ? e.fields() : {}; }
    },
    value(c, f) {
      const v = c.fields ? c.fields[f.key] : null;
      return Array.isArray(v) ? v.join(', ') : (v === null || v === undefined || v === '' ? '—' : v);
    },
    async save() {
      this.errors = {};
      const fields = {};
      for (const [k, v] of Object.entries(this.form.fields)) if (v !== '' && v !== null && v !== undefined) fields[k] = v;
      try {
        await api.post('/customers', { name: this.form.name, sharing: this.form.sharing, fields, phones: [{ number: this.numberRef || this.number }] });
        toast(t('desk.crm.saved'));
        await this.load();
      } catch (e) {
        this.errors = e.fields ? e.fields() : {};
        if (!Object.keys(this.errors).length) toastError(e);
      }
    },
  },
  template: `
    <div class="crm-card" data-testid="desk-crm" :data-state="loading ? 'loading' : matches === null ? 'none' : matches.length ? 'known' : 'new'">
      <template v-if="matches && matches.length">
        <div v-for="c in matches" :key="c.id" class="crm-customer" :data-testid="'desk-crm-customer-' + c.id">
          <div class="name" data-testid="desk-crm-name">{{ c.name }}</div>
          <dl class="kv">
            <template v-if="tierField"><dt>{{ tierField.label }}</dt><dd data-testid="desk-crm-tier">{{ value(c, tierField) }}</dd></template>
            <dt>{{ t('desk.crm.owner') }}</dt><dd data-testid="desk-crm-owner">{{ dash(c.ownerName) }}</dd>
            <template v-for="f in popFields" :key="f.key">
              <dt>{{ f.label }}</dt><dd :data-testid="'desk-crm-field-' + f.key">{{ value(c, f) }}</dd>
            </template>
          </dl>
          <div v-if="can('ticket.read')" class="crm-tickets" :data-testid="'desk-crm-tickets-' + c.id">
            <div class="muted small">{{ t('desk.crm.openTickets') }}</div>
            <div v-if="openTickets[c.id] && !openTickets[c.id].length" class="muted small" data-testid="desk-crm-no-tickets">{{ t('desk.crm.noOpenTickets') }}</div>
            <div v-for="tk in openTickets[c.id] || []" :key="tk.id" class="small" data-testid="desk-crm-ticket">
              <a :href="'/#/tickets?id=' + tk.id" target="_blank" rel="noopener" class="mono">{{ tk.trackingNumber }}</a>
              {{ tk.title }} <span class="badge">{{ tOr('tickets.status.' + tk.status, tk.status) }}</span>
            </div>
          </div>
          <div v-if="can('order.read')" class="crm-orders" :data-testid="'desk-crm-orders-' + c.id">
            <div class="muted small">{{ t('desk.crm.recentOrders') }}</div>
            <div v-if="orders[c.id] && !orders[c.id].length" class="muted small" data-testid="desk-crm-no-orders">{{ t('desk.crm.noOrders') }}</div>
            <div v-for="o in orders[c.id] || []" :key="o.id" class="small" data-testid="desk-crm-order" :data-status="o.status">
              <a :href="'/#/orders?id=' + o.id" target="_blank" rel="noopener" class="mono">{{ o.orderNumber }}</a>
              <span class="mono">{{ money(o.total) }}</span> <span class="badge" data-testid="desk-crm-order-status">{{ tOr('orders.status.' + o.status, o.status) }}</span>
            </div>
            <button v-if="can('order.write') && !(orderForm && orderForm.customerId === c.id)" type="button" class="btn btn-sm"
              data-testid="desk-crm-order-new" @click="startOrder(c)">+ {{ t('desk.crm.newOrder') }}</button>
            <form v-if="orderForm && orderForm.customerId === c.id" class="crm-order-form" data-testid="desk-order-form" novalidate @submit.prevent="placeOrder">
              <div v-for="(l, i) in orderForm.lines" :key="i" class="toolbar">
                <select v-model="l.productId" :data-testid="'desk-order-product-' + i">
                  <option value="">{{ t('desk.crm.pickProduct') }}</option>
                  <option v-for="p in products" :key="p.id" :value="p.id">{{ p.code }} · {{ p.name }} · {{ money(p.price) }}</option></select>
                <input type="number" min="1" step="1" style="width:5em" v-model="l.quantity" :data-testid="'desk-order-qty-' + i" :aria-label="t('orders.quantity')">
                <button v-if="orderForm.lines.length > 1" type="button" class="btn btn-sm" @click="orderForm.lines.splice(i, 1)">×</button>
                <span v-if="orderForm.errors['lines[' + i + '].productId'] || orderForm.errors['lines[' + i + '].quantity']" class="danger small"
                  :data-testid="'desk-order-line-error-' + i">{{ orderForm.errors['lines[' + i + '].productId'] || orderForm.errors['lines[' + i + '].quantity'] }}</span>
              </div>
              <button type="button" class="btn btn-sm" data-testid="desk-order-add-line" @click="orderForm.lines.push({ productId: '', quantity: 1 })">+ {{ t('desk.crm.addLine') }}</button>
              <input v-model="orderForm.note" :placeholder="t('orders.note')" data-testid="desk-order-note">
              <div class="small">{{ t('orders.total') }}: <span class="mono" data-testid="desk-order-preview">{{ orderPreview() }}</span></div>
              <form-alert :error="orderForm.error" :known="orderForm.lines.flatMap((l, i) => ['lines[' + i + '].productId', 'lines[' + i + '].quantity'])"
                testid="desk-order-alert"></form-alert>
              <button class="btn btn-primary btn-sm" type="submit" data-testid="desk-order-save">{{ t('desk.crm.placeOrder') }}</button>
              <button class="btn btn-sm" type="button" @click="orderForm = null">{{ t('common.cancel') }}</button>
            </form>
          </div>
          <a class="btn-link" :href="'/#/customers?id=' + c.id" target="_blank" rel="noopener" data-testid="desk-crm-open">{{ t('desk.crm.open') }}</a>
        </div>
      </template>
      <form v-else-if="form" class="crm-new" data-testid="desk-crm-new" @submit.prevent="save">
        <div class="muted small">{{ t('desk.crm.newHint', { number }) }}</div>
        <form-field :label="t('desk.crm.name')" :error="errors.name">
          <input v-model="form.name" data-testid="desk-crm-new-name" required>
        </form-field>
        <form-field v-for="f in formFields" :key="f.key" :label="f.label" :error="errors['fields.' + f.key]">
          <select v-if="f.type === 'single_choice'" v-model="form.fields[f.key]" :data-testid="'desk-crm-new-' + f.key">
            <option value=""></option><option v-for="o in f.options" :key="o" :value="o">{{ o }}</option>
          </select>
          <input v-else v-model="form.fields[f.key]" :data-testid="'desk-crm-new-' + f.key">
        </form-field>
        <form-field :label="t('desk.crm.sharing')">
          <select v-model="form.sharing" data-testid="desk-crm-new-sharing">
            <option value="private">{{ t('desk.crm.sharing.private') }}</option>
            <option value="department">{{ t('desk.crm.sharing.department') }}</option>
            <option value="enterprise">{{ t('desk.crm.sharing.enterprise') }}</option>
          </select>
        </form-field>
        <button class="btn btn-primary" type="submit" data-testid="desk-crm-new-save">{{ t('desk.crm.save') }}</button>
      </form>
    </div>`,
};
