// Questions to the experts (BIZ-3, docs/tickets.md): anyone with kb.read asks and sees the questions (open or answered);
// an expert (kb.review) answers; the asker accepts the answer. Over /kb-questions.

import { api, t, toast } from '../common.js';

export const KbQuestionsPage = {
  props: { me: Object },
  data() {
    return { items: [], filter: '', loading: true, loadError: null, question: '', askError: null, answering: null };
  },
  async created() { await this.load(); },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/kb-questions', { answered: this.filter }); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    async ask() {
      this.askError = null;
      try {
        await api.post('/kb-questions', { question: this.question.trim() });
        this.question = '';
        toast(t('kbq.asked'));
        await this.load();
      } catch (e) { this.askError = e; }
    },
    async answer() {
      const a = this.answering;
      a.error = null;
      try {
        await api.post('/kb-questions/' + a.question.id + '/answer', { answer: a.text.trim() });
        this.answering = null;
        await this.load();
      } catch (e) { a.error = e; }
    },
    async accept(q) {
      try { await api.post('/kb-questions/' + q.id + '/accept'); await this.load(); } catch (e) { this.loadError = e; }
    },
    stateOf(q) { return q.acceptedAt ? 'accepted' : q.answer ? 'answered' : 'open'; },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('kbq.title') }}</h1>
      <span class="sub">{{ t('kbq.subtitle') }}</span>
    </div>
    <form class="toolbar" @submit.prevent="ask">
      <input class="grow" v-model="question" :placeholder="t('kbq.askHint')" data-testid="kbq-question">
      <button type="submit" class="btn btn-primary" data-testid="kbq-ask">{{ t('kbq.ask') }}</button>
      <span v-if="askError" class="field-error" data-testid="kbq-ask-error">{{ errorText(askError) }}</span>
    </form>
    <div class="toolbar">
      <select v-model="filter" @change="load" data-testid="kbq-filter">
        <option value="">{{ t('kbq.all') }}</option><option value="false">{{ t('kbq.state.open') }}</option><option value="true">{{ t('kbq.state.answered') }}</option></select>
    </div>
    <div v-if="loadError" class="alert alert-error" data-testid="kbq-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="kbq-list">
        <thead><tr><th>{{ t('kbq.question') }}</th><th>{{ t('kbq.asker') }}</th><th>{{ t('kbq.answer') }}</th><th>{{ t('kbq.stateLabel') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="q in items" :key="q.id" :data-testid="'kbq-' + q.id" :data-state="stateOf(q)">
            <td>{{ q.question }}<div class="muted small">{{ fmtTime(q.askedAt) }}</div></td>
            <td>{{ dash(q.asker) }}</td>
            <td :data-testid="'kbq-answer-' + q.id">{{ q.answer || '' }}<div v-if="q.answer" class="muted small">{{ dash(q.answerer) }} · {{ fmtTime(q.answeredAt) }}</div></td>
            <td><span class="badge" :data-testid="'kbq-state-' + q.id">{{ t('kbq.state.' + stateOf(q)) }}</span></td>
            <td class="actions">
              <button v-if="can('kb.review')" class="btn-link" :data-testid="'kbq-answer-open-' + q.id" @click="answering = { question: q, text: q.answer || '', error: null }">{{ t('kbq.doAnswer') }}</button>
              <button v-if="q.answer && !q.acceptedAt && q.askerId === me.id" class="btn-link" :data-testid="'kbq-accept-' + q.id" @click="accept(q)">{{ t('kbq.accept') }}</button>
            </td>
          </tr>
          <empty-row v-if="!items.length" :cols="5" :loading="loading" testid="kbq-empty"></empty-row>
        </tbody>
      </table>
    </div>
    <modal v-if="answering" :title="t('kbq.doAnswer')" testid="kbq-answer-dialog" @close="answering = null">
      <p>{{ answering.question.question }}</p>
      <textarea v-model="answering.text" rows="5" style="width:100%" data-testid="kbq-answer-text"></textarea>
      <div v-if="answering.error" class="alert alert-error" data-testid="kbq-answer-error">{{ errorText(answering.error) }}</div>
      <template #footer>
        <button class="btn" @click="answering = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="kbq-answer-save" @click="answer">{{ t('common.save') }}</button>
      </template>
    </modal>
  `,
};
