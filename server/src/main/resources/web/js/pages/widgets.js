// "Call us" widgets (API-3): a call button for the company's own site. Each widget has a public key (in its script tag), the
// queue its calls join, the sites allowed to embed it, an on/off switch and rate limits per minute. The page shows the one
// script tag to paste into the site.

import { api, t } from '../common.js';
import { CrudTable } from '../components/crud-table.js';

/** Sites typed one per line (or separated by spaces or commas). */
function originsOf(text) {
  return String(text || '').split(/[\s,]+/).map((s) => s.trim()).filter((s) => s);
}

export const WidgetsPage = {
  components: { CrudTable },
  data() { return { queues: [] }; },
  async created() {
    try { this.queues = await api.get('/queues'); } catch (e) { this.queues = []; }
  },
  computed: {
    columns() {
      return [
        { key: 'name', label: t('widgets.name'), span: 'name' },
        { key: 'queue', label: t('widgets.queue') },
        { key: 'origins', label: t('widgets.origins'), text: (x) => x.origins.join(' ') },
        { key: 'enabled', label: t('widgets.enabled') },
        { key: 'limits', label: t('widgets.limits'), text: (x) => t('widgets.limitsText', { address: x.perAddressPerMinute, key: x.perKeyPerMinute }) },
        { key: 'snippet', label: t('widgets.snippet') },
      ];
    },
    fields() {
      return [
        { key: 'name', label: t('widgets.name'), required: true },
        { key: 'queueId', label: t('widgets.queue'), type: 'select', required: true,
          options: this.queues.map((q) => ({ value: q.id, label: q.name })) },
        { key: 'origins', label: t('widgets.origins'), required: true, hint: t('widgets.originsHint'), span: 'span-2' },
        { key: 'perAddressPerMinute', label: t('widgets.perAddress'), inputmode: 'numeric', hint: t('widgets.perAddressHint') },
        { key: 'perKeyPerMinute', label: t('widgets.perKey'), inputmode: 'numeric', hint: t('widgets.perKeyHint') },
        { key: 'enabled', label: t('widgets.enabled'), type: 'checkbox' },
      ];
    },
  },
  methods: {
    blank() { return { name: '', queueId: this.queues.length ? this.queues[0].id : null, origins: '', perAddressPerMinute: '5', perKeyPerMinute: '60', enabled: true }; },
    toForm(x) { return { ...x, origins: x.origins.join(' '), perAddressPerMinute: String(x.perAddressPerMinute), perKeyPerMinute: String(x.perKeyPerMinute) }; },
    toBody(f) {
      const num = (v) => (String(v ?? '').trim() === '' ? null : Number(v));
      return { name: f.name.trim(), queueId: f.queueId, origins: originsOf(f.origins), enabled: !!f.enabled,
        perAddressPerMinute: num(f.perAddressPerMinute), perKeyPerMinute: num(f.perKeyPerMinute) };
    },
    snippet(x) { return '<script src="' + location.origin + '/widget.js" data-key="' + x.key + '" async></script>'; },
    confirmText(x) { return t('widgets.confirmDelete', { name: x.name }); },
  },
  template: `
    <crud-table path="/widgets" name="widget" table-testid="widgets-table" write-perm="widget.manage"
      :title="t('widgets.title')" :subtitle="t('widgets.subtitle')" :new-label="t('widgets.new')" :edit-title="t('widgets.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :confirm-text="confirmText"
      :empty-text="t('widgets.empty')">
      <template #cell-enabled="{ row }"><span class="badge" :class="row.enabled ? 'badge-green' : ''" :data-testid="'widget-enabled-' + row.id">{{ row.enabled ? t('widgets.on') : t('widgets.off') }}</span></template>
      <template #cell-snippet="{ row }"><code class="mono small" style="user-select:all;word-break:break-all" :data-testid="'widget-snippet-' + row.id">{{ snippet(row) }}</code></template>
    </crud-table>`,
};
