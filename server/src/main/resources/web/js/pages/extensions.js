// Extensions: number, bound user, enabled, may call out, live SIP registration; the generated SIP
// password is shown once after creation. PBX-3/4: each extension's call features (forwarding, do-not-disturb, call
// waiting, pickup group) in a dialog, and the calls parked now with a button to give one to an extension.

import { api, t, toast } from '../common.js';
import { blankToNull, byNumber, enabledLabel } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

export const ExtensionsPage = {
  components: { CrudTable },
  setup() { return { byNumber }; },
  data() {
    return { users: [], registrations: [], regError: null, secret: null, feat: null, parked: [], unpark: {},
      park: null, parkError: null, parkSaving: false };
  },
  created() { this.loadUsers(); this.loadRegistrations(); this.loadParked(); this.loadPark(); },
  computed: {
    columns() {
      return [
        { key: 'number', label: t('extensions.number'), span: 'name mono' },
        { key: 'userName', label: t('extensions.user') },
        { key: 'enabled', label: t('extensions.status') },
        { key: 'outboundAllowed', label: t('extensions.outbound'), testid: (x) => 'extension-outbound-' + x.number },
        { key: 'registration', label: t('extensions.registration'), testid: (x) => 'extension-reg-' + x.number },
      ];
    },
    fields() {
      return [
        { key: 'number', label: t('extensions.number'), required: true, hint: t('extensions.numberHint'), inputmode: 'numeric' },
        { key: 'userId', testid: 'user', label: t('extensions.user'), type: 'select', none: t('common.none'),
          options: this.users.map((u) => ({ value: u.id, label: u.username + (u.displayName ? ' · ' + u.displayName : '') })) },
        { key: 'sipPassword', testid: 'password', label: t('extensions.sipPassword'), type: 'password', autocomplete: 'new-password',
          hint: (d) => d.mode === 'create' ? t('extensions.sipPasswordGenerate') : t('extensions.sipPasswordKeep') },
        { key: 'enabled', label: t('common.enabled'), type: 'checkbox' },
        { key: 'outboundAllowed', testid: 'outbound', label: t('extensions.outboundAllowed'), type: 'checkbox' },
      ];
    },
  },
  methods: {
    enabledLabel,
    async loadRegistrations() {
      try { this.registrations = await api.get('/registrations'); this.regError = null; } catch (e) { this.registrations = []; this.regError = e; }
    },
    refresh() { this.$refs.crud.load(); this.loadRegistrations(); this.loadParked(); },
    async loadParked() {
      if (!this.can('call.read')) return;
      try { this.parked = await api.get('/parked-calls'); } catch (e) { this.parked = []; }
    },
    /** PBX-4 park timeout: where a parked call nobody takes goes, and after how long (0: it stays). */
    async loadPark() {
      if (!this.can('extension.read')) return;
      try {
        const p = await api.get('/park-settings');
        this.park = { timeoutSeconds: String(p.timeoutSeconds), destinationType: p.destinationType || '', destination: p.destination || '' };
      } catch (e) { this.park = null; }
    },
    /** The message of an API error for one field (ApiError.fields), or null. */
    fieldError(err, field) {
      return (err && err.fields && err.fields()[field]) || null;
    },
    parkFieldError(field) { return this.fieldError(this.parkError, field); },
    async savePark() {
      this.parkError = null;
      this.parkSaving = true;
      const p = this.park;
      try {
        await api.put('/park-settings', { timeoutSeconds: p.timeoutSeconds === '' ? null : Number(p.timeoutSeconds),
          destinationType: p.destinationType || null, destination: p.destination.trim() || null });
        toast(t('common.saved'));
        await this.loadPark();
      } catch (e) { this.parkError = e; } finally { this.parkSaving = false; }
    },
    /** Opens the call-features dialog of extension {@code x}. */
    async openFeatures(x) {
      try {
        const f = await api.get('/extensions/' + x.id + '/features');
        const form = {};
        for (const k of ['forwardAlways', 'forwardBusy', 'forwardNoAnswer', 'forwardUnregistered', 'pickupGroup']) form[k] = f[k] || '';
        form.noAnswerSeconds = String(f.noAnswerSeconds);
        form.dnd = f.dnd;
        form.callWaiting = f.callWaiting;
        this.feat = { id: x.id, number: f.number, registered: f.registered, busy: f.busy, watchedBy: f.watchedBy || [], form, error: null, saving: false };
      } catch (e) { toast(this.errorText(e), 'error'); }
    },
    featError(field) { return this.fieldError(this.feat && this.feat.error, field); },
    async saveFeatures() {
      const f = this.feat.form;
      const body = { forwardAlways: f.forwardAlways.trim(), forwardBusy: f.forwardBusy.trim(), forwardNoAnswer: f.forwardNoAnswer.trim(),
        forwardUnregistered: f.forwardUnregistered.trim(), pickupGroup: f.pickupGroup.trim(), dnd: !!f.dnd, callWaiting: !!f.callWaiting,
        noAnswerSeconds: f.noAnswerSeconds === '' ? null : Number(f.noAnswerSeconds) };
      this.feat.saving = true;
      try {
        await api.put('/extensions/' + this.feat.id + '/features', body);
        this.feat = null;
        toast(t('common.saved'));
      } catch (e) { this.feat.error = e; } finally { if (this.feat) this.feat.saving = false; }
    },
    async pickUp(p) {
      const ext = (this.unpark[p.slot] || '').trim();
      try {
        await api.post('/parked-calls/pickup', { slot: p.slot, extension: ext });
        toast(t('extensions.parked.ringing', { ext, slot: p.slot }));
        setTimeout(() => this.loadParked(), 1500);
      } catch (e) { toast(this.errorText(e), 'error'); }
    },
    regsOf(number) { return this.registrations.filter((r) => String(r.extension) === String(number)); },
    async loadUsers() {
      if (!this.can('user.read')) return;
      try { this.users = await api.get('/users'); } catch (e) { this.users = []; }
    },
    blank() { return { number: '', userId: '', sipPassword: '', enabled: true, outboundAllowed: true }; },
    toForm(x) { return { number: String(x.number), userId: x.userId || '', sipPassword: '', enabled: x.enabled !== false, outboundAllowed: x.outboundAllowed !== false }; },
    toBody(f) {
      const body = { number: f.number.trim(), userId: f.userId === '' ? null : Number(f.userId), enabled: !!f.enabled, outboundAllowed: !!f.outboundAllowed };
      const pw = blankToNull(f.sipPassword);
      if (pw) body.sipPassword = pw;
      return body;
    },
    confirmText(x) { return t('extensions.confirmDelete', { number: x.number }); },
    /** A generated SIP password is shown once, instead of the "Saved" toast. */
    showSecret(res, d) {
      if (!(res && res.generatedPassword)) return false;
      this.secret = { number: res.number || d.form.number.trim(), password: res.generatedPassword, copied: false };
      return true;
    },
    async copy() {
      try { await navigator.clipboard.writeText(this.secret.password); this.secret.copied = true; } catch (e) { /* clipboard unavailable */ }
    },
  },
  template: `
    <crud-table ref="crud" path="/extensions" name="extension" table-testid="extensions-table" write-perm="extension.write" modal-size="small"
      :title="t('extensions.title')" :subtitle="t('extensions.subtitle')" :new-label="t('extensions.new')" :edit-title="t('extensions.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :sort="byNumber" :row-id="(x) => x.number"
      :confirm-text="confirmText" :after-save="showSecret" :known="['number', 'userId', 'sipPassword', 'outboundAllowed']">
      <template #head><button class="btn" data-testid="extensions-refresh" @click="refresh">{{ t('common.refresh') }}</button></template>
      <template #alerts><div v-if="regError" class="alert alert-error" data-testid="registrations-error">{{ t('extensions.regUnavailable') }} {{ errorText(regError) }}</div></template>
      <template #cell-enabled="{ row }"><span class="badge" :class="row.enabled ? 'badge-ok' : 'badge-off'">{{ enabledLabel(row.enabled) }}</span></template>
      <template #cell-outboundAllowed="{ row }">
        <span v-if="row.outboundAllowed !== false" class="badge badge-ok">{{ t('extensions.outboundYes') }}</span>
        <span v-else class="badge badge-off">{{ t('extensions.outboundNo') }}</span>
      </template>
      <template #actions="{ row }">
        <button class="btn-link" :data-testid="'extension-features-' + row.number" @click="openFeatures(row)">{{ t('extensions.features.open') }}</button>
      </template>
      <template #below>
        <section v-if="can('call.read')" class="panel parked-calls" data-testid="parked-calls">
          <div class="panel-head"><h3>{{ t('extensions.parked.title') }}</h3><span class="muted grow">{{ t('extensions.parked.hint') }}</span>
            <button class="btn btn-sm" data-testid="parked-refresh" @click="loadParked">{{ t('common.refresh') }}</button></div>
          <div class="panel-body"><table class="grid">
            <thead><tr><th>{{ t('extensions.parked.slot') }}</th><th>{{ t('extensions.parked.caller') }}</th><th>{{ t('extensions.parked.by') }}</th>
              <th>{{ t('extensions.parked.since') }}</th><th v-if="can('extension.write')"></th></tr></thead>
            <tbody>
              <tr v-for="p in parked" :key="p.slot" :data-testid="'parked-' + p.slot">
                <td class="mono">{{ p.slot }}</td><td class="mono">{{ dash(p.caller) }}</td><td class="mono">{{ dash(p.parkedBy) }}</td><td>{{ fmtTime(p.since) }}</td>
                <td v-if="can('extension.write')"><input class="parked-to" v-model="unpark[p.slot]" inputmode="numeric" :placeholder="t('extensions.parked.toExtension')" :data-testid="'parked-to-' + p.slot">
                  <button class="btn btn-sm" :data-testid="'parked-pickup-' + p.slot" @click="pickUp(p)">{{ t('extensions.parked.pickup') }}</button></td>
              </tr>
              <empty-row v-if="!parked.length" :cols="5" testid="parked-empty"></empty-row>
            </tbody>
          </table></div>
        </section>
        <section v-if="park" class="panel" data-testid="park-settings">
          <div class="panel-head"><h3>{{ t('extensions.park.title') }}</h3><span class="muted grow">{{ t('extensions.park.hint') }}</span></div>
          <div class="panel-body">
            <form class="toolbar" @submit.prevent="savePark" novalidate>
              <form-field :label="t('extensions.park.timeout')" :error="parkFieldError('timeoutSeconds')" testid="park-timeout-error">
                <input v-model="park.timeoutSeconds" inputmode="numeric" :disabled="!can('extension.write')" data-testid="park-timeout"></form-field>
              <form-field :label="t('extensions.park.destinationType')" :error="parkFieldError('destinationType')" testid="park-type-error">
                <select v-model="park.destinationType" :disabled="!can('extension.write')" data-testid="park-type">
                  <option value="">{{ t('extensions.park.toParker') }}</option>
                  <option v-for="k in ['extension', 'queue', 'ringgroup', 'voicemail', 'external', 'hangup']" :key="k" :value="k">{{ t('extensions.park.type.' + k) }}</option>
                </select></form-field>
              <form-field v-if="park.destinationType && park.destinationType !== 'hangup'" :label="t('extensions.park.destination')"
                :error="parkFieldError('destination')" testid="park-destination-error">
                <input v-model="park.destination" :disabled="!can('extension.write')" data-testid="park-destination"></form-field>
              <button v-if="can('extension.write')" type="submit" class="btn btn-primary" :disabled="parkSaving" data-testid="park-save">{{ t('common.save') }}</button>
            </form>
          </div>
        </section>
      </template>
      <template #cell-registration="{ row }">
        <template v-if="regsOf(row.number).length">
          <div v-for="r in regsOf(row.number)" :key="r.contact" class="reg">
            <span class="badge badge-ok">{{ t('extensions.reg.registered') }}</span>
            <span class="mono reg-addr" :title="r.contact">{{ r.source || r.contact }}<template v-if="r.transport"> / {{ String(r.transport).toUpperCase() }}</template></span>
            <span class="muted reg-exp">{{ t('extensions.regExpires', { time: fmtTime(r.expiresAt) }) }}</span>
            <span v-if="r.userAgent" class="muted reg-ua">{{ r.userAgent }}</span>
          </div>
        </template>
        <span v-else class="badge badge-off">{{ t('extensions.reg.unregistered') }}</span>
      </template>
    </crud-table>
    <modal v-if="feat" :title="t('extensions.features.title', { number: feat.number })" testid="extension-features-dialog" @close="feat = null">
      <form @submit.prevent="saveFeatures" novalidate>
        <p class="muted">
          <span class="badge" :class="feat.registered ? 'badge-ok' : 'badge-off'">{{ feat.registered ? t('extensions.reg.registered') : t('extensions.reg.unregistered') }}</span>
          <span v-if="feat.busy" class="badge badge-warn">{{ t('extensions.features.busyNow') }}</span>
          {{ t('extensions.features.targetHint') }}
        </p>
        <p class="muted" data-testid="feat-watchers">{{ feat.watchedBy.length ? t('extensions.features.watchedBy', { list: feat.watchedBy.join(', ') }) : t('extensions.features.watchedByNone') }}</p>
        <div class="form-grid">
          <form-field v-for="k in ['forwardAlways', 'forwardBusy', 'forwardNoAnswer', 'forwardUnregistered']" :key="k" :label="t('extensions.features.' + k)"
            :error="featError(k)" :testid="'feat-error-' + k">
            <input v-model="feat.form[k]" inputmode="tel" :data-testid="'feat-' + k" :disabled="!can('extension.write')">
          </form-field>
          <form-field :label="t('extensions.features.noAnswerSeconds')" :error="featError('noAnswerSeconds')" :hint="t('extensions.features.noAnswerHint')" testid="feat-error-noAnswerSeconds">
            <input v-model="feat.form.noAnswerSeconds" type="number" min="3" max="120" data-testid="feat-noAnswerSeconds" :disabled="!can('extension.write')">
          </form-field>
          <form-field :label="t('extensions.features.pickupGroup')" :error="featError('pickupGroup')" :hint="t('extensions.features.pickupHint')" testid="feat-error-pickupGroup">
            <input v-model="feat.form.pickupGroup" data-testid="feat-pickupGroup" :disabled="!can('extension.write')">
          </form-field>
          <label class="check span-2"><input type="checkbox" v-model="feat.form.dnd" data-testid="feat-dnd" :disabled="!can('extension.write')"> {{ t('extensions.features.dnd') }}</label>
          <label class="check span-2"><input type="checkbox" v-model="feat.form.callWaiting" data-testid="feat-callWaiting" :disabled="!can('extension.write')"> {{ t('extensions.features.callWaiting') }}</label>
        </div>
        <form-alert :error="feat.error" :known="['forwardAlways', 'forwardBusy', 'forwardNoAnswer', 'forwardUnregistered', 'noAnswerSeconds', 'pickupGroup']"></form-alert>
        <p class="muted" data-testid="feat-codes">{{ t('extensions.features.codes') }}</p>
      </form>
      <template #footer>
        <button class="btn" data-testid="feat-cancel" @click="feat = null">{{ t('common.cancel') }}</button>
        <button v-if="can('extension.write')" class="btn btn-primary" data-testid="feat-save" :disabled="feat.saving" @click="saveFeatures">{{ t('common.save') }}</button>
      </template>
    </modal>
    <modal v-if="secret" size="small" :title="t('extensions.createdTitle', { number: secret.number })" testid="extension-secret-dialog" @close="secret = null">
      <div class="alert alert-info">{{ t('extensions.passwordOnce') }}</div>
      <div class="secret"><code data-testid="extension-secret">{{ secret.password }}</code>
        <button class="btn btn-sm" @click="copy">{{ secret.copied ? t('common.copied') : t('common.copy') }}</button></div>
      <template #footer><button class="btn btn-primary" data-testid="extension-secret-close" @click="secret = null">{{ t('common.done') }}</button></template>
    </modal>`,
};
