// API tokens: create (the token is shown once), delete.

import { t } from '../common.js';
import { fmtTime } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

export const TokensPage = {
  components: { CrudTable },
  data() { return { secret: null }; },
  computed: {
    columns() {
      return [
        { key: 'name', label: t('tokens.name'), span: 'name' },
        { key: 'createdAt', label: t('tokens.createdAt'), cls: 'mono', text: (x) => fmtTime(x.createdAt) },
        { key: 'lastUsedAt', label: t('tokens.lastUsedAt'), cls: 'mono', text: (x) => fmtTime(x.lastUsedAt) },
      ];
    },
    fields() { return [{ key: 'name', label: t('tokens.name'), required: true, hint: t('tokens.nameHint') }]; },
  },
  methods: {
    blank() { return { name: '' }; },
    toBody(f) { return { name: f.name.trim() }; },
    confirmText(x) { return t('tokens.confirmDelete', { name: x.name }); },
    /** The token is shown once, instead of the "Saved" toast. */
    showSecret(res) { this.secret = { name: res.name, token: res.token, copied: false }; return true; },
    async copy() {
      try { await navigator.clipboard.writeText(this.secret.token); this.secret.copied = true; } catch (e) { /* clipboard unavailable */ }
    },
  },
  template: `
    <crud-table path="/tokens" name="token" table-testid="tokens-table" modal-size="small"
      :title="t('tokens.title')" :subtitle="t('tokens.subtitle')" :new-label="t('tokens.new')" :save-label="t('common.create')"
      :columns="columns" :fields="fields" :blank="blank" :to-body="toBody" :editable="false" :row-id="(x) => x.name"
      :confirm-text="confirmText" :after-save="showSecret" :empty-text="t('tokens.empty')"></crud-table>
    <modal v-if="secret" :title="t('tokens.createdTitle', { name: secret.name })" testid="token-secret-dialog" @close="secret = null">
      <div class="alert alert-info">{{ t('tokens.tokenOnce') }}</div>
      <div class="secret"><code data-testid="token-secret">{{ secret.token }}</code>
        <button class="btn btn-sm" @click="copy">{{ secret.copied ? t('common.copied') : t('common.copy') }}</button></div>
      <div class="muted" style="font-size:13px">{{ t('tokens.usage') }} <code>Authorization: Bearer …</code></div>
      <template #footer><button class="btn btn-primary" data-testid="token-secret-close" @click="secret = null">{{ t('common.done') }}</button></template>
    </modal>`,
};
