// Trunks to carriers (PBX-2): IP-authenticated (calls accepted from allowed addresses) or
// registering to the carrier with a username and a write-only secret.

import { api, t, toast, confirmDialog, errorText } from '../common.js';
import { blankToNull, intOrNull, splitList } from '../format.js';

export const TRUNK_KINDS = ['ip', 'register'];
export const TRANSPORTS = ['udp', 'tcp'];

export const TrunksPage = {
  setup() { return { TRUNK_KINDS, TRANSPORTS }; },
  data() { return { items: [], regs: [], loading: true, loadError: null, actionError: null, dialog: null }; },
  created() { this.load(); },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/trunks'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
      try { this.regs = await api.get('/trunk-registrations'); } catch (e) { this.regs = []; }
    },
    /** The carrier registration of a registering trunk: registering, registered or failed (with the reason). */
    regOf(x) { return x.kind === 'register' ? this.regs.find((r) => r.trunkId === x.id) : null; },
    regClass(r) { return r.state === 'registered' ? 'badge-ok' : r.state === 'failed' ? 'badge-warn' : 'badge-blue'; },
    kindLabel(k) { return this.tOr('trunks.kind.' + k, k); },
    address(x) { return x.host + ':' + x.port + ' / ' + String(x.transport || '').toUpperCase(); },
    openCreate() {
      this.actionError = null;
      this.dialog = { mode: 'create', id: null, errors: {}, error: null, saving: false, form: {
        name: '', kind: 'ip', host: '', port: '5060', transport: 'udp', allowedIps: '', username: '', secret: '',
        registerExpires: '600', callerId: '', maxChannels: '0', enabled: true } };
    },
    openEdit(x) {
      this.actionError = null;
      this.dialog = { mode: 'edit', id: x.id, errors: {}, error: null, saving: false, form: {
        name: x.name, kind: x.kind, host: x.host, port: String(x.port), transport: x.transport || 'udp',
        allowedIps: (x.allowedIps || []).join(', '), username: x.username || '', secret: '',
        registerExpires: String(x.registerExpires || 600), callerId: x.callerId || '', maxChannels: String(x.maxChannels || 0),
        enabled: x.enabled !== false } };
    },
    async save() {
      const d = this.dialog;
      const f = d.form;
      const body = {
        name: f.name.trim(), kind: f.kind, host: f.host.trim(), port: intOrNull(f.port), transport: f.transport,
        callerId: blankToNull(f.callerId), maxChannels: intOrNull(f.maxChannels), enabled: !!f.enabled,
      };
      if (f.kind === 'ip') {
        body.allowedIps = splitList(f.allowedIps);
      } else {
        body.allowedIps = [];
        body.username = blankToNull(f.username);
        body.registerExpires = intOrNull(f.registerExpires);
        if (f.secret !== '') body.secret = f.secret;
      }
      d.saving = true; d.errors = {}; d.error = null;
      try {
        if (d.mode === 'create') await api.post('/trunks', body); else await api.put('/trunks/' + d.id, body);
        this.dialog = null; toast(t('common.saved')); await this.load();
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
    async remove(x) {
      this.actionError = null;
      if (!(await confirmDialog(t('trunks.confirmDelete', { name: x.name })))) return;
      try { await api.del('/trunks/' + x.id); toast(t('common.deleted')); await this.load(); } catch (e) {
        this.actionError = e.status === 409 ? t('trunks.inUse', { name: x.name }) : errorText(e);
      }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('trunks.title') }}</h1>
      <span class="sub">{{ t('trunks.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('routing.write')" class="btn btn-primary" data-testid="trunk-new" @click="openCreate">+ {{ t('trunks.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div v-if="actionError" class="alert alert-error alert-row" role="alert">
      <span data-testid="trunk-action-error">{{ actionError }}</span><button type="button" class="icon-btn" :aria-label="t('common.close')" @click="actionError = null">×</button>
    </div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="trunks-table">
        <thead><tr>
          <th>{{ t('trunks.name') }}</th><th>{{ t('trunks.kind') }}</th><th>{{ t('trunks.address') }}</th>
          <th>{{ t('trunks.auth') }}</th><th>{{ t('trunks.callerId') }}</th><th>{{ t('trunks.maxChannels') }}</th>
          <th>{{ t('trunks.status') }}</th><th v-if="can('routing.write')"></th>
        </tr></thead>
        <tbody>
          <tr v-for="x in items" :key="x.id" :data-testid="'trunk-row-' + x.name">
            <td><span class="name">{{ x.name }}</span></td>
            <td><span class="badge" :class="x.kind === 'register' ? 'badge-blue' : ''">{{ kindLabel(x.kind) }}</span></td>
            <td class="mono">{{ address(x) }}</td>
            <td>
              <template v-if="x.kind === 'register'"><span class="muted">{{ t('trunks.username') }}:</span> <span class="mono">{{ dash(x.username) }}</span></template>
              <template v-else-if="x.allowedIps && x.allowedIps.length"><span class="chips"><span v-for="ip in x.allowedIps" :key="ip" class="badge mono">{{ ip }}</span></span></template>
              <span v-else class="muted">{{ t('trunks.hostOnly') }}</span>
            </td>
            <td class="mono">{{ dash(x.callerId) }}</td>
            <td>{{ x.maxChannels ? x.maxChannels : t('trunks.unlimited') }}</td>
            <td><span class="badge" :class="x.enabled ? 'badge-ok' : 'badge-off'">{{ x.enabled ? t('common.enabled') : t('common.disabled') }}</span>
              <span v-if="regOf(x)" class="badge" :class="regClass(regOf(x))" :title="regOf(x).detail || ''" data-testid="trunk-registration">{{ t('trunks.reg.' + regOf(x).state) }}</span>
              <div v-if="regOf(x) && regOf(x).state === 'failed'" class="hint">{{ regOf(x).detail }}</div></td>
            <td v-if="can('routing.write')" class="actions">
              <button class="btn-link" :data-testid="'trunk-edit-' + x.name" @click="openEdit(x)">{{ t('common.edit') }}</button>
              <button class="btn-link danger" :data-testid="'trunk-delete-' + x.name" @click="remove(x)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <tr v-if="!loading && !items.length"><td class="empty" colspan="8">{{ t('common.noData') }}</td></tr>
        </tbody>
      </table>
    </div>
    <modal v-if="dialog" :title="t(dialog.mode === 'create' ? 'trunks.new' : 'trunks.edit')" testid="trunk-dialog" @close="dialog = null">
      <form @submit.prevent="save" novalidate class="form-grid">
        <form-field :label="t('trunks.name')" required :error="dialog.errors.name" testid="trunk-form-name-error">
          <input type="text" v-model="dialog.form.name" data-testid="trunk-form-name">
        </form-field>
        <div class="field">
          <span class="field-label">{{ t('trunks.kind') }}</span>
          <div class="seg" role="radiogroup" data-testid="trunk-form-kind">
            <button v-for="k in TRUNK_KINDS" :key="k" type="button" role="radio" :aria-checked="dialog.form.kind === k"
                    :class="{ active: dialog.form.kind === k }" :data-testid="'trunk-form-kind-' + k" @click="dialog.form.kind = k">{{ kindLabel(k) }}</button>
          </div>
          <span v-if="dialog.errors.kind" class="field-error" data-testid="trunk-form-kind-error">{{ fieldErrorText(dialog.errors.kind) }}</span>
          <span v-else class="field-hint">{{ t('trunks.kindHint.' + dialog.form.kind) }}</span>
        </div>
        <form-field :label="t('trunks.host')" required :error="dialog.errors.host" testid="trunk-form-host-error" :hint="t('trunks.hostHint')">
          <input type="text" v-model="dialog.form.host" data-testid="trunk-form-host" placeholder="sip.example.com">
        </form-field>
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
        <form-field v-if="dialog.form.kind === 'ip'" span :label="t('trunks.allowedIps')" :error="dialog.errors.allowedIps" testid="trunk-form-allowed-ips-error" :hint="t('trunks.allowedIpsHint')">
          <input type="text" v-model="dialog.form.allowedIps" data-testid="trunk-form-allowed-ips" placeholder="203.0.113.10, 203.0.113.11">
        </form-field>
        <template v-else>
          <form-field :label="t('trunks.username')" required :error="dialog.errors.username" testid="trunk-form-username-error">
            <input type="text" v-model="dialog.form.username" data-testid="trunk-form-username" autocomplete="off">
          </form-field>
          <form-field :label="t('trunks.secret')" :required="dialog.mode === 'create'" :error="dialog.errors.secret" testid="trunk-form-secret-error"
                      :hint="dialog.mode === 'create' ? t('trunks.secretHint') : t('trunks.secretKeep')">
            <input type="password" v-model="dialog.form.secret" data-testid="trunk-form-secret" autocomplete="new-password">
          </form-field>
          <form-field :label="t('trunks.registerExpires')" :error="dialog.errors.registerExpires" testid="trunk-form-expires-error" :hint="t('trunks.registerExpiresHint')">
            <input type="text" v-model="dialog.form.registerExpires" data-testid="trunk-form-expires" inputmode="numeric">
          </form-field>
        </template>
        <form-field :label="t('trunks.callerId')" :error="dialog.errors.callerId" testid="trunk-form-caller-id-error" :hint="t('trunks.callerIdHint')">
          <input type="text" v-model="dialog.form.callerId" data-testid="trunk-form-caller-id" inputmode="tel">
        </form-field>
        <form-field :label="t('trunks.maxChannels')" :error="dialog.errors.maxChannels" testid="trunk-form-max-channels-error" :hint="t('trunks.maxChannelsHint')">
          <input type="text" v-model="dialog.form.maxChannels" data-testid="trunk-form-max-channels" inputmode="numeric">
        </form-field>
        <label class="check span-2"><input type="checkbox" v-model="dialog.form.enabled" data-testid="trunk-form-enabled"> {{ t('common.enabled') }}</label>
        <form-alert class="span-2" :error="dialog.error"
                    :known="['name', 'kind', 'host', 'port', 'transport', 'allowedIps', 'username', 'secret', 'registerExpires', 'callerId', 'maxChannels']"></form-alert>
        <button type="submit" hidden></button>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="trunk-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
