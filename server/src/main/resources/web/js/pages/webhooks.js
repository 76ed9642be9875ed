// Webhooks (API-2): the enterprise's subscriptions (URL, event patterns, on/off), each with its signing secret; a test event
// sent on demand; and a subscription's last deliveries with their status (delivered, waiting for a retry), attempts and last
// error, each sent again on demand. The server signs and retries; this page only shows and changes.

import { api, t, toast, toastError } from '../common.js';
import { fmtTime, splitList } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

export const WebhooksPage = {
  components: { CrudTable },
  setup() { return { fmtTime }; },
  data() { return { hook: null, deliveries: [], loading: false }; },
  computed: {
    columns() {
      return [
        { key: 'url', label: t('webhooks.url'), cls: 'mono small', style: 'word-break:break-all' },
        { key: 'events', label: t('webhooks.events'), cls: 'mono small', text: (x) => x.events.join(', ') },
        { key: 'enabled', label: t('webhooks.enabled') },
        { key: 'description', label: t('webhooks.description') },
        { key: 'secret', label: t('webhooks.secret') },
      ];
    },
    fields() {
      return [
        { key: 'url', label: t('webhooks.url'), required: true, span: 'span-2', placeholder: 'https://crm.example.com/hotline' },
        { key: 'events', label: t('webhooks.events'), required: true, span: 'span-2', hint: t('webhooks.eventsHint') },
        { key: 'description', label: t('webhooks.description') },
        { key: 'enabled', label: t('webhooks.enabled'), type: 'checkbox' },
      ];
    },
  },
  methods: {
    blank() { return { url: '', events: 'call.*, queue.*', description: '', enabled: true }; },
    toForm(x) { return { url: x.url, events: x.events.join(', '), description: x.description || '', enabled: x.enabled }; },
    toBody(f) { return { url: f.url.trim(), events: splitList(f.events), description: f.description.trim() || null, enabled: !!f.enabled }; },
    confirmText(x) { return t('webhooks.confirmDelete', { url: x.url }); },
    async test(x) {
      try {
        await api.post('/webhooks/' + x.id + '/test', {});
        toast(t('webhooks.testQueued'));
        await this.show(x);
      } catch (e) { toastError(e); }
    },
    async show(x) {
      this.hook = x;
      await this.loadDeliveries();
    },
    async loadDeliveries() {
      if (!this.hook) return;
      this.loading = true;
      try { this.deliveries = await api.get('/webhooks/' + this.hook.id + '/deliveries', { limit: 50 }); } catch (e) { toastError(e); }
      this.loading = false;
    },
    async resend(d) {
      try {
        await api.post('/webhooks/' + this.hook.id + '/deliveries/' + d.id + '/resend', {});
        toast(t('webhooks.resent'));
        await this.loadDeliveries();
      } catch (e) { toastError(e); }
    },
    /** delivered, retrying (tried and failed, another try due) or pending (not tried yet). */
    state(d) { return d.deliveredAt ? 'delivered' : d.attempts > 0 ? 'retrying' : 'pending'; },
    stateClass(d) { return { delivered: 'badge-ok', retrying: 'badge-danger', pending: 'badge-warn' }[this.state(d)]; },
    loaded(items) {
      if (this.hook && !items.some((x) => x.id === this.hook.id)) { this.hook = null; this.deliveries = []; }
    },
  },
  template: `
    <crud-table path="/webhooks" name="webhook" table-testid="webhooks-table" write-perm="webhook.manage"
      :title="t('webhooks.title')" :subtitle="t('webhooks.subtitle')" :new-label="t('webhooks.new')" :edit-title="t('webhooks.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :confirm-text="confirmText"
      :empty-text="t('webhooks.empty')" @loaded="loaded">
      <template #cell-enabled="{ row }"><span class="badge" :class="row.enabled ? 'badge-ok' : 'badge-off'" :data-testid="'webhook-enabled-' + row.id">{{ row.enabled ? t('common.enabled') : t('common.disabled') }}</span></template>
      <template #cell-secret="{ row }"><code class="mono small" style="user-select:all;word-break:break-all" :data-testid="'webhook-secret-' + row.id">{{ row.secret }}</code></template>
      <template #actions="{ row }">
        <button class="btn-link" :data-testid="'webhook-test-' + row.id" @click="test(row)">{{ t('webhooks.test') }}</button>
        <button class="btn-link" :data-testid="'webhook-deliveries-' + row.id" @click="show(row)">{{ t('webhooks.deliveries') }}</button>
      </template>
      <template #below>
        <div class="panel" v-if="hook" data-testid="webhook-deliveries" style="margin-top:16px">
          <div class="panel-head"><h2>{{ t('webhooks.deliveriesOf', { url: hook.url }) }}</h2>
            <span class="muted small">{{ t('webhooks.retention') }}</span>
            <button class="btn-link" data-testid="webhook-deliveries-refresh" @click="loadDeliveries">{{ t('common.refresh') }}</button></div>
          <table class="grid" data-testid="webhook-deliveries-table">
            <thead><tr><th>{{ t('webhooks.createdAt') }}</th><th>{{ t('webhooks.eventType') }}</th><th>{{ t('webhooks.state') }}</th>
              <th>{{ t('webhooks.attempts') }}</th><th>{{ t('webhooks.lastStatus') }}</th><th>{{ t('webhooks.lastError') }}</th>
              <th>{{ t('webhooks.deliveredAt') }}</th><th></th></tr></thead>
            <tbody>
              <tr v-for="d in deliveries" :key="d.id" :data-testid="'webhook-delivery-' + d.id">
                <td class="mono">{{ fmtTime(d.createdAt) }}</td>
                <td class="mono">{{ d.eventType }}</td>
                <td><span class="badge" :class="stateClass(d)" :data-testid="'webhook-delivery-state-' + d.id">{{ t('webhooks.state.' + state(d)) }}</span></td>
                <td class="mono">{{ d.attempts }}</td>
                <td class="mono" :data-testid="'webhook-delivery-status-' + d.id">{{ d.lastStatus == null ? '—' : d.lastStatus }}</td>
                <td class="small">{{ d.lastError || '' }}</td>
                <td class="mono">{{ fmtTime(d.deliveredAt) }}</td>
                <td class="actions"><button class="btn-link" :data-testid="'webhook-resend-' + d.id" @click="resend(d)">{{ t('webhooks.resend') }}</button></td>
              </tr>
              <empty-row v-if="!deliveries.length" :cols="8" :loading="loading" testid="webhook-deliveries-empty" :hint="t('webhooks.noDeliveries')"></empty-row>
            </tbody>
          </table>
        </div>
      </template>
    </crud-table>`,
};
