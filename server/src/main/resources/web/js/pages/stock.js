// Stock (BIZ-4): every product's quantity on hand (— when not tracked), its low-stock threshold and flag, filtered to the
// low ones; one product (#/stock?id=12) with its movements (received, adjusted, reserved by an approved order, released
// by a cancelled or returned one) and, with product.manage, forms to receive or write off stock (the server refuses
// going below zero on the quantity) and to set the threshold.

import { api, t, toast } from '../common.js';

function idFromHash() {
  const m = /[?&]id=(\d+)/.exec(location.hash || '');
  return m ? Number(m[1]) : null;
}

export const StockPage = {
  props: { me: Object },
  data() {
    return { items: [], loading: true, loadError: null, q: '', lowOnly: false, detailId: idFromHash(), detail: null, detailError: null,
      move: { delta: '', reason: 'receive', note: '' }, moveError: null, threshold: '', thresholdError: null };
  },
  created() {
    window.addEventListener('hashchange', this.syncDetail);
    this.loadDetail();
    this.load();
  },
  beforeUnmount() { window.removeEventListener('hashchange', this.syncDetail); },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/products', { q: this.q.trim(), lowStock: this.lowOnly ? 'true' : '' }); this.loadError = null; }
      catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    syncDetail() { this.detailId = idFromHash(); this.loadDetail(); },
    async loadDetail() {
      this.detail = null; this.detailError = null;
      if (!this.detailId) return;
      try { this.show(await api.get('/products/' + this.detailId + '/stock')); } catch (e) { this.detailError = e; }
    },
    show(s) { this.detail = s; this.threshold = s.product.lowStock == null ? '' : String(s.product.lowStock); },
    stockText(p) { return p.stock == null ? '—' : String(p.stock); },
    reasonText(r) { return t('stock.reason.' + r); },
    async doMove() {
      this.moveError = null;
      const body = { delta: this.move.delta === '' ? null : Number(this.move.delta), reason: this.move.reason, note: this.move.note.trim() || null };
      try {
        this.show(await api.post('/products/' + this.detail.product.id + '/stock', body));
        this.move = { delta: '', reason: 'receive', note: '' };
        toast(t('stock.saved'));
        await this.load();
      } catch (e) { this.moveError = e; }
    },
    async saveThreshold() {
      this.thresholdError = null;
      try {
        this.show(await api.put('/products/' + this.detail.product.id + '/stock', { lowStock: this.threshold === '' ? null : Number(this.threshold) }));
        toast(t('stock.saved'));
        await this.load();
      } catch (e) { this.thresholdError = e; }
    },
    closeDetail() { location.hash = '#/stock'; },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('stock.title') }}</h1>
      <span class="sub">{{ t('stock.subtitle') }}</span>
    </div>
    <div v-if="detailError" class="alert alert-error">{{ errorText(detailError) }}</div>
    <div v-if="detail" class="panel" style="margin-bottom:16px" data-testid="stock-detail">
      <div class="panel-head">
        <h2><span class="mono">{{ detail.product.code }}</span> · {{ detail.product.name }}</h2>
        <span class="spacer" style="flex:1"></span>
        <button class="btn btn-sm" data-testid="stock-detail-close" @click="closeDetail">{{ t('common.close') }}</button>
      </div>
      <div class="panel-body">
        <dl class="kv">
          <dt>{{ t('stock.onHand') }}</dt><dd class="mono" data-testid="stock-detail-on-hand">{{ stockText(detail.product) }}
            <span v-if="detail.product.lowOnStock" class="badge badge-warn" data-testid="stock-detail-low">{{ t('stock.low') }}</span></dd>
          <dt>{{ t('stock.threshold') }}</dt><dd class="mono">{{ detail.product.lowStock == null ? '—' : detail.product.lowStock }}</dd>
        </dl>
        <form v-if="can('product.manage')" class="toolbar" @submit.prevent="doMove" novalidate>
          <select v-model="move.reason" data-testid="stock-move-reason">
            <option value="receive">{{ reasonText('receive') }}</option><option value="adjust">{{ reasonText('adjust') }}</option></select>
          <input type="number" v-model="move.delta" :placeholder="t('stock.delta')" style="width:120px" data-testid="stock-move-delta">
          <input class="grow" v-model="move.note" :placeholder="t('orders.moveNote')" data-testid="stock-move-note">
          <button class="btn btn-primary" type="submit" data-testid="stock-move-go">{{ t('stock.apply') }}</button>
        </form>
        <div v-if="moveError" class="alert alert-error" data-testid="stock-move-error">{{ errorText(moveError) }}
          <div v-for="fe in moveError.fieldErrors" :key="fe.field">{{ fe.field }}: {{ fieldErrorText(fe.message) }}</div></div>
        <form v-if="can('product.manage')" class="toolbar" @submit.prevent="saveThreshold" novalidate>
          <label>{{ t('stock.threshold') }}</label>
          <input type="number" min="0" v-model="threshold" style="width:120px" data-testid="stock-threshold">
          <button class="btn" type="submit" data-testid="stock-threshold-save">{{ t('common.save') }}</button>
        </form>
        <div v-if="thresholdError" class="alert alert-error">{{ errorText(thresholdError) }}</div>
        <h3>{{ t('stock.movements') }}</h3>
        <table class="grid compact" data-testid="stock-movements">
          <thead><tr><th>{{ t('stock.at') }}</th><th>{{ t('stock.reasonLabel') }}</th><th>{{ t('stock.delta') }}</th><th>{{ t('stock.balance') }}</th>
            <th>{{ t('orders.number') }}</th><th>{{ t('stock.by') }}</th><th>{{ t('orders.note') }}</th></tr></thead>
          <tbody><tr v-for="m in detail.movements" :key="m.id"><td>{{ fmtTime(m.at) }}</td><td>{{ reasonText(m.reason) }}</td>
            <td class="mono">{{ m.delta > 0 ? '+' + m.delta : m.delta }}</td><td class="mono">{{ m.balance }}</td>
            <td class="mono"><a v-if="m.orderId" :href="'#/orders?id=' + m.orderId">{{ m.orderNumber }}</a></td><td>{{ dash(m.user) }}</td><td>{{ dash(m.note) }}</td></tr>
            <empty-row v-if="!detail.movements.length" :cols="7"></empty-row></tbody>
        </table>
      </div>
    </div>
    <form class="toolbar" @submit.prevent="load">
      <input type="search" class="grow" v-model="q" :placeholder="t('products.searchHint')" data-testid="stock-search">
      <label class="check"><input type="checkbox" v-model="lowOnly" @change="load" data-testid="stock-low-only"> {{ t('stock.lowOnly') }}</label>
      <button type="submit" class="btn btn-primary">{{ t('common.search') }}</button>
    </form>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="stock-table">
        <thead><tr><th>{{ t('products.code') }}</th><th>{{ t('products.name') }}</th><th>{{ t('stock.onHand') }}</th><th>{{ t('stock.threshold') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="p in items" :key="p.id" :data-testid="'stock-row-' + p.id">
            <td class="mono"><a :href="'#/stock?id=' + p.id" :data-testid="'stock-open-' + p.id">{{ p.code }}</a></td><td>{{ p.name }}</td>
            <td class="mono" :data-testid="'stock-on-hand-' + p.id">{{ stockText(p) }}</td><td class="mono">{{ p.lowStock == null ? '—' : p.lowStock }}</td>
            <td><span v-if="p.lowOnStock" class="badge badge-warn" :data-testid="'stock-low-' + p.id">{{ t('stock.low') }}</span></td>
          </tr>
          <empty-row v-if="!items.length" :cols="5" :loading="loading" testid="stock-empty"></empty-row>
        </tbody>
      </table>
    </div>`,
};
