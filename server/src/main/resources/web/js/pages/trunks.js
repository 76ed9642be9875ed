// Trunks to carriers (PBX-2): IP-authenticated (calls accepted from allowed addresses) or
// registering to the carrier with a username and a write-only secret.

import { api, t, errorText, toast } from '../common.js';
import { blankToNull, enabledLabel, intOrNull, splitList } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

export const TRUNK_KINDS = ['ip', 'register'];
export const TRANSPORTS = ['udp', 'tcp', 'tls'];
/** SEC-4: SDES-SRTP with the carrier (RFC 4568), only over TLS. */
export const SRTP_MODES = ['off', 'optional', 'required'];

export const TrunksPage = {
  components: { CrudTable },
  setup() { return { TRUNK_KINDS, TRANSPORTS }; },
  data() { return { regs: [], actionError: null, limit: { value: '', saved: null, error: null, busy: false } }; },
  created() { this.loadLimit(); },
  computed: {
    columns() {
      return [
        { key: 'name', label: t('trunks.name'), span: 'name' },
        { key: 'kind', label: t('trunks.kind') },
        { key: 'address', label: t('trunks.address'), cls: 'mono', text: (x) => this.address(x) },
        { key: 'auth', label: t('trunks.auth') },
        { key: 'callerId', label: t('trunks.callerId'), cls: 'mono' },
        { key: 'maxChannels', label: t('trunks.maxChannels'), text: (x) => x.maxChannels ? x.maxChannels : t('trunks.unlimited') },
        { key: 'enabled', label: t('trunks.status') },
      ];
    },
    fields() {
      const ip = (d) => d.form.kind === 'ip';
      const register = (d) => d.form.kind !== 'ip';
      return [
        { key: 'name', label: t('trunks.name'), required: true },
        { key: 'kind' },
        { key: 'host', label: t('trunks.host'), required: true, hint: t('trunks.hostHint'), placeholder: 'sip.example.com' },
        { key: 'port' },
        { key: 'srtp', type: 'select', label: t('trunks.srtp'), hint: t('trunks.srtpHint'), show: (d) => d.form.transport === 'tls',
          options: SRTP_MODES.map((m) => ({ value: m, label: t('trunks.srtp.' + m) })) },
        { key: 'allowedIps', testid: 'allowed-ips', label: t('trunks.allowedIps'), span: true, hint: t('trunks.allowedIpsHint'),
          placeholder: '203.0.113.10, 203.0.113.11', show: ip },
        { key: 'username', label: t('trunks.username'), required: true, autocomplete: 'off', show: register },
        { key: 'secret', label: t('trunks.secret'), type: 'password', autocomplete: 'new-password', show: register,
          required: (d) => d.mode === 'create', hint: (d) => d.mode === 'create' ? t('trunks.secretHint') : t('trunks.secretKeep') },
        { key: 'registerExpires', testid: 'expires', label: t('trunks.registerExpires'), hint: t('trunks.registerExpiresHint'), inputmode: 'numeric', show: register },
        { key: 'callerId', testid: 'caller-id', label: t('trunks.callerId'), hint: t('trunks.callerIdHint'), inputmode: 'tel' },
        { key: 'maxChannels', testid: 'max-channels', label: t('trunks.maxChannels'), hint: t('trunks.maxChannelsHint'), inputmode: 'numeric' },
        { key: 'enabled', label: t('common.enabled'), type: 'checkbox' },
      ];
    },
  },
  methods: {
    enabledLabel,
    /** PBX-2: the enterprise-wide channel limit over all trunks, both directions together (0: none). */
    async loadLimit() {
      try {
        const r = await api.get('/trunk-settings');
        this.limit.saved = r.maxChannels || 0;
        this.limit.value = String(this.limit.saved);
      } catch (e) { this.limit.error = errorText(e); }
    },
    async saveLimit() {
      this.limit.busy = true;
      this.limit.error = null;
      try {
        const text = String(this.limit.value).trim();
        const r = await api.put('/trunk-settings', { maxChannels: /^\d+$/.test(text) ? Number(text) : (text === '' ? null : -1) });
        this.limit.saved = r.maxChannels;
        this.limit.value = String(r.maxChannels);
        toast(t('trunks.limitSaved'));
      } catch (e) {
        const f = e.fields ? e.fields() : {};
        this.limit.error = f.maxChannels || errorText(e);
      } finally { this.limit.busy = false; }
    },
    async loadRegistrations() {
      try { this.regs = await api.get('/trunk-registrations'); } catch (e) { this.regs = []; }
    },
    /** The carrier registration of a registering trunk: registering, registered or failed (with the reason). */
    regOf(x) { return x.kind === 'register' ? this.regs.find((r) => r.trunkId === x.id) : null; },
    regClass(r) { return r.state === 'registered' ? 'badge-ok' : r.state === 'failed' ? 'badge-warn' : 'badge-blue'; },
    kindLabel(k) { return this.tOr('trunks.kind.' + k, k); },
    address(x) {
      const srtp = x.transport === 'tls' && x.srtp && x.srtp !== 'off' ? ' · SRTP ' + t('trunks.srtp.' + x.srtp) : '';
      return x.host + ':' + x.port + ' / ' + String(x.transport || '').toUpperCase() + srtp;
    },
    blank() {
      return { name: '', kind: 'ip', host: '', port: '5060', transport: 'udp', allowedIps: '', username: '', secret: '',
        registerExpires: '600', callerId: '', maxChannels: '0', enabled: true, srtp: 'off' };
    },
    toForm(x) {
      return { name: x.name, kind: x.kind, host: x.host, port: String(x.port), transport: x.transport || 'udp',
        allowedIps: (x.allowedIps || []).join(', '), username: x.username || '', secret: '',
        registerExpires: String(x.registerExpires || 600), callerId: x.callerId || '', maxChannels: String(x.maxChannels || 0),
        enabled: x.enabled !== false, srtp: x.srtp || 'off' };
    },
    toBody(f) {
      const body = {
        name: f.name.trim(), kind: f.kind, host: f.host.trim(), port: intOrNull(f.port), transport: f.transport,
        callerId: blankToNull(f.callerId), maxChannels: intOrNull(f.maxChannels), enabled: !!f.enabled,
        srtp: f.transport === 'tls' ? f.srtp : 'off',
      };
      if (f.kind === 'ip') {
        body.allowedIps = splitList(f.allowedIps);
      } else {
        body.allowedIps = [];
        body.username = blankToNull(f.username);
        body.registerExpires = intOrNull(f.registerExpires);
        if (f.secret !== '') body.secret = f.secret;
      }
      return body;
    },
    confirmText(x) { return t('trunks.confirmDelete', { name: x.name }); },
    /** A refused delete stays on the page (a trunk still used by a route says so). */
    deleteRefused(e, x) {
      this.actionError = e.status === 409 ? t('trunks.inUse', { name: x.name }) : errorText(e);
      return true;
    },
  },
  template: `
    <crud-table path="/trunks" name="trunk" table-testid="trunks-table" write-perm="routing.write"
      :title="t('trunks.title')" :subtitle="t('trunks.subtitle')" :new-label="t('trunks.new')" :edit-title="t('trunks.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :row-id="(x) => x.name"
      :confirm-text="confirmText" :on-delete-error="deleteRefused" @action="actionError = null" @loaded="loadRegistrations"
      :known="['name', 'kind', 'host', 'port', 'transport', 'srtp', 'allowedIps', 'username', 'secret', 'registerExpires', 'callerId', 'maxChannels']">
      <template #alerts>
        <div v-if="actionError" class="alert alert-error alert-row" role="alert">
          <span data-testid="trunk-action-error">{{ actionError }}</span><button type="button" class="icon-btn" :aria-label="t('common.close')" @click="actionError = null">×</button>
        </div>
      </template>
      <template #cell-kind="{ row }"><span class="badge" :class="row.kind === 'register' ? 'badge-blue' : ''">{{ kindLabel(row.kind) }}</span></template>
      <template #cell-auth="{ row }">
        <template v-if="row.kind === 'register'"><span class="muted">{{ t('trunks.username') }}:</span> <span class="mono">{{ dash(row.username) }}</span></template>
        <template v-else-if="row.allowedIps && row.allowedIps.length"><span class="chips"><span v-for="ip in row.allowedIps" :key="ip" class="badge mono">{{ ip }}</span></span></template>
        <span v-else class="muted">{{ t('trunks.hostOnly') }}</span>
      </template>
      <template #cell-enabled="{ row }"><span class="badge" :class="row.enabled ? 'badge-ok' : 'badge-off'">{{ enabledLabel(row.enabled) }}</span>
        <span v-if="regOf(row)" class="badge" :class="regClass(regOf(row))" :title="regOf(row).detail || ''" data-testid="trunk-registration">{{ t('trunks.reg.' + regOf(row).state) }}</span>
        <div v-if="regOf(row) && regOf(row).state === 'failed'" class="hint">{{ regOf(row).detail }}</div></template>
      <template #field-kind="{ dialog }">
        <div class="field">
          <span class="field-label">{{ t('trunks.kind') }}</span>
          <div class="seg" role="radiogroup" data-testid="trunk-form-kind">
            <button v-for="k in TRUNK_KINDS" :key="k" type="button" role="radio" :aria-checked="dialog.form.kind === k"
                    :class="{ active: dialog.form.kind === k }" :data-testid="'trunk-form-kind-' + k" @click="dialog.form.kind = k">{{ kindLabel(k) }}</button>
          </div>
          <span v-if="dialog.errors.kind" class="field-error" data-testid="trunk-form-kind-error">{{ fieldErrorText(dialog.errors.kind) }}</span>
          <span v-else class="field-hint">{{ t('trunks.kindHint.' + dialog.form.kind) }}</span>
        </div>
      </template>
      <template #below>
        <div class="panel panel-body trunk-limit" data-testid="enterprise-limit">
          <form class="toolbar" @submit.prevent="saveLimit">
            <form-field :label="t('trunks.enterpriseLimit')" :hint="t('trunks.enterpriseLimitHint')" :error="limit.error" testid="enterprise-max-channels-error">
              <input type="text" inputmode="numeric" v-model="limit.value" data-testid="enterprise-max-channels" :disabled="!can('routing.write')">
            </form-field>
            <button v-if="can('routing.write')" type="submit" class="btn btn-primary" data-testid="enterprise-max-channels-save" :disabled="limit.busy">{{ t('common.save') }}</button>
            <span class="muted" data-testid="enterprise-max-channels-now">{{ limit.saved === null ? '' : limit.saved ? t('trunks.limitNow', { n: limit.saved }) : t('trunks.unlimited') }}</span>
          </form>
        </div>
      </template>
      <template #field-port="{ dialog }">
        <div class="form-grid inner">
          <form-field :label="t('trunks.port')" :error="dialog.errors.port" testid="trunk-form-port-error">
            <input type="text" v-model="dialog.form.port" data-testid="trunk-form-port" inputmode="numeric">
          </form-field>
          <form-field :label="t('trunks.transport')" :error="dialog.errors.transport" testid="trunk-form-transport-error">
            <select v-model="dialog.form.transport" data-testid="trunk-form-transport">
              <option v-for="x in TRANSPORTS" :key="x" :value="x">{{ x.toUpperCase() }}</option>
            </select>
          </form-field>
        </div>
      </template>
    </crud-table>`,
};
