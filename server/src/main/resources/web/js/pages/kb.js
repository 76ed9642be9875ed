// Knowledge base (BIZ-3, docs/tickets.md): search (Chinese and English), categories (kb.review), articles with their
// review: an author writes a draft and submits it, a reviewer publishes or rejects it with a note.

import { api, t, toast, confirmDialog } from '../common.js';

const STATES = ['draft', 'in_review', 'published', 'rejected'];

export const KbPage = {
  props: { me: Object },
  setup() { return { STATES }; },
  data() {
    return {
      categories: [], articles: [], status: '', categoryId: '', loading: true, loadError: null,
      q: '', hits: null, newCategory: '', dialog: null, review: null, viewing: null,
    };
  },
  async created() { await this.loadCategories(); await this.load(); },
  methods: {
    categoryName(id) { const c = this.categories.find((x) => x.id === id); return c ? c.name : '—'; },
    async loadCategories() { try { this.categories = await api.get('/kb-categories'); } catch (e) { this.loadError = e; } },
    async load() {
      this.loading = true;
      try { this.articles = await api.get('/kb-articles', { status: this.status, categoryId: this.categoryId }); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    async search() {
      if (!this.q.trim()) { this.hits = null; return; }
      try { this.hits = await api.get('/kb-search', { q: this.q.trim() }); } catch (e) { this.loadError = e; }
    },
    async addCategory() {
      try { await api.post('/kb-categories', { name: this.newCategory.trim() }); this.newCategory = ''; await this.loadCategories(); } catch (e) { this.loadError = e; }
    },
    async removeCategory(c) {
      if (!(await confirmDialog(t('kb.confirmDeleteCategory', { name: c.name })))) return;
      try { await api.del('/kb-categories/' + c.id); await this.loadCategories(); } catch (e) { this.loadError = e; }
    },
    openNew() { this.dialog = { id: null, categoryId: this.categories.length ? this.categories[0].id : '', title: '', body: '', errors: {}, error: null }; },
    openEdit(a) { this.dialog = { id: a.id, categoryId: a.categoryId || '', title: a.title, body: a.body, errors: {}, error: null }; },
    async save() {
      const d = this.dialog;
      d.errors = {}; d.error = null;
      const body = { categoryId: d.categoryId || null, title: d.title.trim(), body: d.body.trim() };
      try {
        if (d.id) await api.put('/kb-articles/' + d.id, body); else await api.post('/kb-articles', body);
        this.dialog = null;
        await this.load();
      } catch (e) { d.error = e; d.errors = e.fields ? e.fields() : {}; }
    },
    async submit(a) {
      try { await api.post('/kb-articles/' + a.id + '/submit', {}); toast(t('kb.submitted')); await this.load(); } catch (e) { this.loadError = e; }
    },
    async doReview(approve) {
      const r = this.review;
      r.error = null;
      try {
        await api.post('/kb-articles/' + r.article.id + '/review', { approve, note: r.note.trim() || null });
        this.review = null;
        await this.load();
      } catch (e) { r.error = e; }
    },
    async view(id) { try { this.viewing = await api.get('/kb-articles/' + id); } catch (e) { this.loadError = e; } },
    mayEdit(a) { return this.can('kb.review') || a.authorId === this.me.id; },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('kb.title') }}</h1>
      <span class="sub">{{ t('kb.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('kb.write')" class="btn btn-primary" data-testid="kb-article-new" @click="openNew">+ {{ t('kb.newArticle') }}</button>
    </div>
    <form class="toolbar" @submit.prevent="search">
      <input type="search" class="grow" v-model="q" :placeholder="t('kb.searchHint')" data-testid="kb-search">
      <button type="submit" class="btn btn-primary" data-testid="kb-search-go">{{ t('common.search') }}</button>
    </form>
    <div v-if="hits" class="panel" style="margin-bottom:16px" data-testid="kb-hits">
      <div class="panel-body">
        <div v-if="!hits.length" class="muted" data-testid="kb-no-hits">{{ t('kb.noHits') }}</div>
        <div v-for="h in hits" :key="h.id" class="kb-hit" :data-testid="'kb-hit-' + h.id">
          <a href="#" @click.prevent="view(h.id)" class="name">{{ h.title }}</a> <span class="muted small">{{ categoryName(h.categoryId) }}</span>
          <div class="muted small">{{ h.snippet }}</div>
        </div>
      </div>
    </div>
    <div v-if="loadError" class="alert alert-error" data-testid="kb-error">{{ errorText(loadError) }}</div>

    <div class="panel" style="margin-bottom:16px" data-testid="kb-categories">
      <div class="panel-head"><h2>{{ t('kb.categories') }}</h2></div>
      <div class="panel-body">
        <span v-for="c in categories" :key="c.id" class="badge" style="margin-right:6px" :data-testid="'kb-category-' + c.id">{{ c.name }}
          <button v-if="can('kb.review')" class="btn-link danger" :data-testid="'kb-category-delete-' + c.id" @click="removeCategory(c)">×</button></span>
        <form v-if="can('kb.review')" class="toolbar" style="margin-top:8px" @submit.prevent="addCategory">
          <input v-model="newCategory" :placeholder="t('kb.newCategory')" data-testid="kb-category-name">
          <button class="btn" type="submit" data-testid="kb-category-add">{{ t('common.create') }}</button>
        </form>
      </div>
    </div>

    <div class="toolbar">
      <select v-model="status" @change="load" data-testid="kb-status">
        <option value="">{{ t('kb.anyStatus') }}</option><option v-for="s in STATES" :key="s" :value="s">{{ t('kb.status.' + s) }}</option></select>
      <select v-model="categoryId" @change="load" data-testid="kb-category-filter">
        <option value="">{{ t('kb.anyCategory') }}</option><option v-for="c in categories" :key="c.id" :value="c.id">{{ c.name }}</option></select>
    </div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="kb-articles">
        <thead><tr><th>{{ t('kb.articleTitle') }}</th><th>{{ t('kb.category') }}</th><th>{{ t('kb.statusLabel') }}</th><th>{{ t('kb.updated') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="a in articles" :key="a.id" :data-testid="'kb-article-' + a.id" :data-status="a.status">
            <td><a href="#" @click.prevent="view(a.id)">{{ a.title }}</a></td><td>{{ categoryName(a.categoryId) }}</td>
            <td><span class="badge" :data-testid="'kb-article-status-' + a.id">{{ t('kb.status.' + a.status) }}</span>
              <div v-if="a.status === 'rejected' && a.reviewNote" class="muted small">{{ a.reviewNote }}</div></td>
            <td>{{ fmtTime(a.updatedAt) }}</td>
            <td class="actions">
              <button v-if="mayEdit(a)" class="btn-link" :data-testid="'kb-article-edit-' + a.id" @click="openEdit(a)">{{ t('common.edit') }}</button>
              <button v-if="(a.status === 'draft' || a.status === 'rejected') && a.authorId === me.id" class="btn-link" :data-testid="'kb-article-submit-' + a.id" @click="submit(a)">{{ t('kb.submit') }}</button>
              <button v-if="a.status === 'in_review' && can('kb.review')" class="btn-link" :data-testid="'kb-article-review-' + a.id" @click="review = { article: a, note: '', error: null }">{{ t('kb.review') }}</button>
            </td>
          </tr>
          <empty-row v-if="!articles.length" :cols="5" :loading="loading" testid="kb-articles-empty"></empty-row>
        </tbody>
      </table>
    </div>

    <modal v-if="dialog" :title="dialog.id ? t('kb.editArticle') : t('kb.newArticle')" testid="kb-dialog" size="wide" @close="dialog = null">
      <form @submit.prevent="save" novalidate class="form-grid">
        <form-field :label="t('kb.category')" :error="dialog.errors.categoryId"><select v-model="dialog.categoryId" data-testid="kb-form-category">
          <option value="">{{ t('common.none') }}</option><option v-for="c in categories" :key="c.id" :value="c.id">{{ c.name }}</option></select></form-field>
        <form-field :label="t('kb.articleTitle')" required :error="dialog.errors.title" testid="kb-form-title-error"><input v-model="dialog.title" data-testid="kb-form-title"></form-field>
        <form-field :label="t('kb.body')" required span :error="dialog.errors.body"><textarea v-model="dialog.body" rows="8" data-testid="kb-form-body"></textarea></form-field>
        <form-alert class="span-2" :error="dialog.error" :known="['title', 'body', 'categoryId']" testid="kb-form-alert"></form-alert>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="kb-save" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>
    <modal v-if="review" :title="t('kb.review') + ': ' + review.article.title" testid="kb-review-dialog" @close="review = null">
      <div style="white-space:pre-wrap" class="muted">{{ review.article.body }}</div>
      <form-field :label="t('kb.reviewNote')"><textarea v-model="review.note" rows="2" data-testid="kb-review-note"></textarea></form-field>
      <form-alert :error="review.error" :known="[]" testid="kb-review-alert"></form-alert>
      <template #footer>
        <button class="btn" data-testid="kb-review-reject" @click="doReview(false)">{{ t('kb.reject') }}</button>
        <button class="btn btn-primary" data-testid="kb-review-approve" @click="doReview(true)">{{ t('kb.publish') }}</button>
      </template>
    </modal>
    <modal v-if="viewing" :title="viewing.title" testid="kb-view" size="wide" @close="viewing = null">
      <div style="white-space:pre-wrap" data-testid="kb-view-body">{{ viewing.body }}</div>
    </modal>`,
};
