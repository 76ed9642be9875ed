import { clock } from '../format.js';
import { desk, current, other, otherRef } from './store.js';
import { DialLink } from './dial-link.js';
import { CrmCard } from './crm-card.js';
import { CustomerTimeline } from '../components/customer-timeline.js';
import { urlPop } from './url-pop.js';
import { CallTicket } from './call-work.js';

/**
 * The caller as a customer (AGENT-4): known or new, how often they called, their last calls; the ticket opened from the call
 * (BIZ-1, BIZ-2) right under the customer card it is filled in from; the external pop's page in a frame when the browser
 * blocked its window.
 */
export const CustomerPanel = {
  components: { DialLink, CrmCard, CustomerTimeline, CallTicket },
  setup() { return { current, clock, urlPop }; },
  data() { return { tab: 'caller', matched: [] }; },
  computed: {
    call() { return current.value; },
    customer() { return this.call ? this.call.customer : null; },
    /** CRM-4: the history tab shows the timeline of the customer the pop found (the first when several share the number). */
    historyId() { return this.matched.length ? this.matched[0].id : null; },
    /** The external pop of this call, shown in the desk: the browser blocked its window and the agent has not closed it. */
    framedPop() { return !!this.call && urlPop.url && urlPop.callId === this.call.callId && urlPop.blocked && !urlPop.closed; },
  },
  watch: { 'call.callId'() { this.tab = 'caller'; } },
  methods: {
    other, otherRef,
    /** The customers the pop found; the first is the one a ticket opened from the call is for (desk.customerOf). */
    onMatched(m) {
      this.matched = m;
      if (this.call) desk.customerOf[this.call.callId] = m.length ? m[0].id : null;
      if (this.call) desk.customerNameOf[this.call.callId] = m.length ? m[0].name : null;
    },
  },
  template: `
    <div class="panel" data-testid="desk-customer">
      <div class="panel-head"><h2>{{ t('agent.customer') }}</h2><span class="spacer" style="flex:1"></span>
        <span v-if="customer" class="badge" :class="customer.known ? 'badge-ok' : 'badge-blue'" data-testid="desk-customer-known" :data-known="String(!!customer.known)">
          {{ customer.known ? t('desk.known') : t('desk.new') }}</span></div>
      <div v-if="call" class="tabs" data-testid="desk-customer-tabs">
        <button type="button" class="tab" :class="{ active: tab === 'caller' }" data-testid="desk-tab-caller" @click="tab = 'caller'">{{ t('desk.tab.caller') }}</button>
        <button type="button" class="tab" :class="{ active: tab === 'history' }" data-testid="desk-tab-history" :disabled="!historyId" @click="tab = 'history'">{{ t('desk.tab.history') }}</button>
      </div>
      <div v-if="call && tab === 'history' && historyId" class="panel-body">
        <customer-timeline :customer-id="historyId" testid="desk-timeline"></customer-timeline>
      </div>
      <div v-if="call" v-show="tab === 'caller' || !historyId" class="panel-body">
        <dl class="kv">
          <dt>{{ t('desk.number') }}</dt><dd><dial-link :number="other(call)" :dial-ref="otherRef(call)"></dial-link></dd>
          <dt>{{ t('desk.callerName') }}</dt><dd>{{ dash(call.callerName) }}</dd>
          <dt>{{ t('desk.callCount') }}</dt><dd data-testid="desk-customer-calls">{{ customer ? customer.calls : '—' }}</dd>
        </dl>
        <a v-if="urlPop.url && urlPop.callId === call.callId" class="btn-link" :href="urlPop.url" target="hotline-pop" rel="noopener"
           data-testid="desk-url-pop">{{ t('desk.crm.externalPop') }}</a>
        <div v-if="framedPop" class="url-pop-frame" data-testid="desk-url-pop-panel">
          <div class="url-pop-head"><span class="muted small" data-testid="desk-url-pop-blocked">{{ t('desk.crm.popBlocked') }}</span>
            <span class="spacer" style="flex:1"></span>
            <button type="button" class="btn btn-sm" data-testid="desk-url-pop-close" @click="urlPop.closed = true">{{ t('common.close') }}</button></div>
          <iframe :src="urlPop.url" :title="t('desk.crm.externalPop')" referrerpolicy="no-referrer"
            sandbox="allow-scripts allow-same-origin allow-forms allow-popups" data-testid="desk-url-pop-frame"></iframe>
        </div>
        <crm-card v-if="can('customer.read')" :number="other(call)" :number-ref="otherRef(call)" :call-id="call.callId" @matched="onMatched"></crm-card>
        <call-ticket v-if="can('ticket.write')" :call="call"></call-ticket>
        <table v-if="customer && customer.lastCalls && customer.lastCalls.length" class="grid compact" data-testid="desk-last-calls">
          <thead><tr><th>{{ t('agent.col.time') }}</th><th>{{ t('agent.col.result') }}</th><th>{{ t('desk.agentCol') }}</th><th>{{ t('desk.queue') }}</th><th>{{ t('desk.talk') }}</th></tr></thead>
          <tbody><tr v-for="l in customer.lastCalls" :key="l.callId">
            <td>{{ fmtTime(l.startedAt) }}</td><td>{{ tOr('calls.outcome.' + l.outcome, l.outcome || '—') }}</td>
            <td>{{ dash(l.agentJob) }}</td><td>{{ dash(l.queue) }}</td><td>{{ l.talkSeconds != null ? clock(l.talkSeconds) : '—' }}</td>
          </tr></tbody>
        </table>
        <div v-else class="muted small" data-testid="desk-no-last-calls">{{ t('desk.noHistory') }}</div>
      </div>
      <div v-else class="placeholder"><div>{{ t('agent.customerEmpty') }}</div></div>
    </div>`,
};
