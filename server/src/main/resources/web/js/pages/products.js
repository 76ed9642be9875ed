// Product catalog (BIZ-4, seed 001 5.4 "产品分类、产品管理"): code (unique: a 409 shows on the code), name, category, an
// exact price and whether it is on sale; filtered by text, category and sale; exported as CSV or xlsx with headers in
// the console's language. Everyone with order.read sees the catalog; product.manage changes it.

import { t } from '../common.js';
import { i18n } from '../i18n.js';
import { CrudTable, conflictOn } from '../components/crud-table.js';

export const ProductsPage = {
  components: { CrudTable },
  props: { me: Object },
  data() { return { q: '', category: '', onSale: '' }; },
  computed: {
    columns() {
      return [
        { key: 'code', label: t('products.code'), span: 'mono' },
        { key: 'name', label: t('products.name'), span: 'name' },
        { key: 'category', label: t('products.category') },
        { key: 'price', label: t('products.price'), cls: 'mono', text: (p) => Number(p.price).toFixed(2) },
        { key: 'onSale', label: t('products.onSale') },
      ];
    },
    fields() {
      return [
        { key: 'code', label: t('products.code'), required: true, hint: t('products.codeHint') },
        { key: 'name', label: t('products.name'), required: true },
        { key: 'category', label: t('products.category') },
        { key: 'price', label: t('products.price'), required: true, inputmode: 'decimal', hint: t('products.priceHint') },
        { key: 'onSale', label: t('products.onSale'), type: 'checkbox' },
      ];
    },
    exportQuery() {
      const p = new URLSearchParams({ lang: i18n.lang === 'zh' ? 'zh' : 'en' });
      for (const [k, v] of Object.entries(this.params())) if (v !== '' && v != null) p.set(k, v);
      return p.toString();
    },
  },
  methods: {
    params() { return { q: this.q.trim(), category: this.category.trim(), onSale: this.onSale }; },
    reload() { clearTimeout(this._t); this._t = setTimeout(() => this.$refs.crud.load(), 250); },
    blank() { return { code: '', name: '', category: '', price: '', onSale: true }; },
    toForm(p) { return { code: p.code, name: p.name, category: p.category || '', price: Number(p.price).toFixed(2), onSale: p.onSale }; },
    // The price goes as the text typed: the server reads it as an exact decimal (and names it when it is not one).
    toBody(f) { const price = String(f.price).trim(); return { code: f.code.trim(), name: f.name.trim(), category: f.category.trim() || null,
      price: price === '' ? null : price, onSale: !!f.onSale }; },
    confirmText(p) { return t('products.confirmDelete', { name: p.name }); },
    onSaveError: conflictOn('code', 'already used'),
  },
  template: `
    <crud-table ref="crud" path="/products" name="product" table-testid="products-table" write-perm="product.manage" :params="params"
      :title="t('products.title')" :subtitle="t('products.subtitle')" :new-label="t('products.new')" :edit-title="t('products.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :confirm-text="confirmText"
      :on-save-error="onSaveError" alert-testid="product-form-error" :known="['code', 'name', 'category', 'price']" :empty-text="t('products.empty')">
      <template #head>
        <a class="btn" :href="'/api/v1/products/export?format=csv&' + exportQuery" data-testid="products-export-csv">CSV</a>
        <a class="btn" :href="'/api/v1/products/export?format=xlsx&' + exportQuery" data-testid="products-export-xlsx">Excel</a>
      </template>
      <template #toolbar>
        <div class="toolbar">
          <input type="search" class="grow" v-model="q" @input="reload" :placeholder="t('products.searchHint')" data-testid="products-search">
          <input v-model="category" @input="reload" :placeholder="t('products.category')" data-testid="products-category">
          <select v-model="onSale" @change="reload" data-testid="products-on-sale">
            <option value="">{{ t('products.anySale') }}</option><option value="true">{{ t('products.onSaleOnly') }}</option>
            <option value="false">{{ t('products.offSale') }}</option></select>
        </div>
      </template>
      <template #cell-onSale="{ row }"><span class="badge" :class="row.onSale ? 'badge-ok' : ''" :data-testid="'product-on-sale-' + row.id">{{ row.onSale ? t('products.yes') : t('products.no') }}</span></template>
    </crud-table>`,
};
