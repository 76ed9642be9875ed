// CRM-4: a customer's contact history, newest first and paged — calls (with the recording's player when the reader
// may hear it), tickets, memos and survey results — as the server merges it (GET /customers/{id}/timeline). Used by
// the console's customer page and the desk's history tab. A memo can be added here (BIZ-5). SMS sent to and received
// from the customer's numbers (MSG-3) are in it for readers who may send SMS.

import { api, t, toastError } from '../common.js';
import { recordingAudioUrl } from '../media.js';

const PAGE = 20;

export const CustomerTimeline = {
  props: { customerId: Number, testid: { type: String, default: 'timeline' } },
  data() { return { page: null, offset: 0, loading: false, error: null, memo: '' }; },
  watch: { customerId: { immediate: true, handler() { this.offset = 0; this.load(); } } },
  computed: {
    items() { return this.page ? this.page.items : []; },
    total() { return this.page ? this.page.total : 0; },
  },
  methods: {
    async load() {
      if (!this.customerId) { this.page = null; return; }
      this.loading = true;
      try {
        const asked = this.customerId;
        const p = await api.get('/customers/' + asked + '/timeline', { offset: this.offset, limit: PAGE });
        if (asked === this.customerId) { this.page = p; this.error = null; }
      } catch (e) {
        this.error = e;
      } finally {
        this.loading = false;
      }
    },
    prev() { this.offset = Math.max(0, this.offset - PAGE); this.load(); },
    next() { this.offset += PAGE; this.load(); },
    audio(e) { return recordingAudioUrl({ id: e.recordingId }); },
    talk(s) { return s == null ? '—' : Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0'); },
    async addMemo() {
      const text = this.memo.trim();
      if (!text) return;
      try {
        await api.post('/memos', { customerId: this.customerId, text });
        this.memo = '';
        this.offset = 0;
        await this.load();
      } catch (e) {
        toastError(e);
      }
    },
  },
  template: `
    <div class="timeline" :data-testid="testid" :data-total="page ? page.total : ''" :data-loading="String(loading)">
      <form v-if="can('ticket.write')" class="toolbar" @submit.prevent="addMemo">
        <input class="grow" v-model="memo" maxlength="4000" :placeholder="t('timeline.memoHint')" :data-testid="testid + '-memo'">
        <button class="btn btn-sm" type="submit" :data-testid="testid + '-memo-add'">{{ t('timeline.memoAdd') }}</button>
      </form>
      <div v-if="error" class="alert alert-error">{{ errorText(error) }}</div>
      <ul class="timeline-list">
        <li v-for="(e, i) in items" :key="e.kind + (e.callId || '') + (e.ticketId || '') + (e.orderId || '') + (e.memoId || '') + (e.smsId || '') + i" :class="'tl-' + e.kind"
            :data-testid="testid + '-' + e.kind" :data-call="e.callId || ''">
          <span class="tl-time muted small">{{ fmtTime(e.at) }}</span>
          <span class="badge">{{ t('timeline.kind.' + e.kind) }}</span>
          <template v-if="e.kind === 'call'">
            <span>{{ tOr('timeline.direction.' + e.direction, e.direction) }} <span class="mono">{{ dash(e.number) }}</span></span>
            <span>{{ tOr('calls.outcome.' + e.outcome, e.outcome) }}</span>
            <span class="muted small">{{ dash(e.queue) }} · {{ dash(e.agent) }} · {{ talk(e.talkSeconds) }}</span>
            <audio v-if="e.recordingId" class="player" controls preload="none" :src="audio(e)" :data-testid="testid + '-recording-' + e.recordingId"></audio>
          </template>
          <template v-else-if="e.kind === 'ticket'">
            <span class="mono" :data-testid="testid + '-ticket-number'">{{ e.trackingNumber }}</span>
            <span>{{ e.title }}</span>
            <span class="badge">{{ tOr('tickets.status.' + e.status, e.status) }}</span>
          </template>
          <template v-else-if="e.kind === 'order'">
            <a class="mono" :href="'/#/orders?id=' + e.orderId" :data-testid="testid + '-order-number'">{{ e.orderNumber }}</a>
            <span class="mono">{{ Number(e.total).toFixed(2) }}</span>
            <span class="badge">{{ tOr('orders.status.' + e.status, e.status) }}</span>
          </template>
          <template v-else-if="e.kind === 'memo'">
            <span class="tl-text" :data-testid="testid + '-memo-text'">{{ e.text }}</span><span class="muted small">— {{ dash(e.author) }}</span>
          </template>
          <template v-else-if="e.kind === 'sms'">
            <span>{{ t('timeline.sms.' + e.direction) }} <span class="mono">{{ dash(e.number) }}</span></span>
            <span class="tl-text" :data-testid="testid + '-sms-text'">{{ e.text }}</span>
            <span class="badge" :data-testid="testid + '-sms-status'">{{ tOr('sms.status.' + e.status, e.status) }}</span>
            <span v-if="e.author" class="muted small">— {{ e.author }}</span>
          </template>
          <template v-else-if="e.kind === 'survey'">
            <span>{{ e.score ? t('timeline.score.' + e.score) : tOr('timeline.surveyResult.' + e.outcome, e.outcome) }}</span>
          </template>
        </li>
        <li v-if="!items.length && !loading" class="muted" :data-testid="testid + '-empty'">{{ t('timeline.empty') }}</li>
      </ul>
      <div v-if="total > items.length" class="pager">
        <span class="muted small" :data-testid="testid + '-range'">{{ t('common.range', { first: offset + 1, last: offset + items.length, total }) }}</span>
        <button class="btn btn-sm" :disabled="offset === 0 || loading" @click="prev" :data-testid="testid + '-prev'">{{ t('common.prev') }}</button>
        <button class="btn btn-sm" :disabled="offset + items.length >= total || loading" @click="next" :data-testid="testid + '-next'">{{ t('common.next') }}</button>
      </div>
    </div>`,
};
