// BIZ-3 on the desk: the agent searches the published knowledge base during a call (Chinese or English) and reads
// an article without leaving the desk.

import { api } from '../common.js';

export const KbSearch = {
  data() { return { q: '', hits: null, article: null, error: null }; },
  methods: {
    async search() {
      this.article = null;
      const q = this.q.trim();
      if (!q) { this.hits = null; return; }
      try { this.hits = await api.get('/kb-search', { q }); this.error = null; } catch (e) { this.error = e; }
    },
    async open(h) {
      try { this.article = await api.get('/kb-articles/' + h.id); } catch (e) { this.error = e; }
    },
  },
  template: `
    <div class="panel" data-testid="desk-kb">
      <div class="panel-head"><h2>{{ t('desk.kb.title') }}</h2></div>
      <div class="panel-body">
        <form class="toolbar" @submit.prevent="search">
          <input type="search" class="grow" v-model="q" :placeholder="t('desk.kb.hint')" data-testid="desk-kb-search">
          <button class="btn btn-sm" type="submit" data-testid="desk-kb-go">{{ t('common.search') }}</button>
        </form>
        <div v-if="error" class="alert alert-error">{{ errorText(error) }}</div>
        <div v-if="article" data-testid="desk-kb-article">
          <div class="name">{{ article.title }}</div>
          <div style="white-space:pre-wrap" class="small" data-testid="desk-kb-article-body">{{ article.body }}</div>
          <button class="btn-link" data-testid="desk-kb-back" @click="article = null">{{ t('desk.kb.back') }}</button>
        </div>
        <template v-else-if="hits">
          <div v-if="!hits.length" class="muted small" data-testid="desk-kb-none">{{ t('kb.noHits') }}</div>
          <div v-for="h in hits" :key="h.id" class="kb-hit" :data-testid="'desk-kb-hit-' + h.id">
            <a href="#" class="name" @click.prevent="open(h)">{{ h.title }}</a>
            <div class="muted small">{{ h.snippet }}</div>
          </div>
        </template>
      </div>
    </div>`,
};
