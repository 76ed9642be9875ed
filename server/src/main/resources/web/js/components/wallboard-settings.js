// SUP-3 on the supervisor's page: the thresholds that turn queues amber or red and raise alerts (the enterprise's
// defaults and per queue), and the wallboard's read-only link (create one for a TV, revoke every link given so far).

import { api, confirmDialog, toast, toastError, t } from '../common.js';

const FIELDS = [
  ['waitingAmber', 'waitingRed', 1],
  ['longestWaitAmber', 'longestWaitRed', 1],
  ['serviceLevelAmber', 'serviceLevelRed', 0.01],
  ['stateMinutes', null, 1],
];

export const WallboardSettings = {
  props: { queueNames: { type: Array, default: () => [] } },
  data() {
    return { open: false, form: null, error: null, link: null, addQueue: '', fields: FIELDS, zone: '', zoneError: null };
  },
  computed: {
    freeQueues() { return this.queueNames.filter((n) => this.form && !this.form.queues.some((q) => q.name === n)); },
  },
  methods: {
    async toggle() {
      this.open = !this.open;
      if (this.open && !this.form) await this.load();
    },
    async load() {
      try {
        const s = await api.get('/settings/wallboard');
        this.zone = (await api.get('/settings/monitor')).timeZone || '';
        this.form = { defaults: { ...s.defaults }, queues: Object.entries(s.queues || {}).map(([name, th]) => ({ name, th: { ...th } })) };
      } catch (e) { toastError(e); }
    },
    add() {
      if (!this.addQueue) return;
      this.form.queues.push({ name: this.addQueue, th: { ...this.form.defaults } });
      this.addQueue = '';
    },
    remove(i) { this.form.queues.splice(i, 1); },
    async save() {
      this.error = null;
      const body = { defaults: this.form.defaults, queues: Object.fromEntries(this.form.queues.map((q) => [q.name, q.th])) };
      try {
        await api.put('/settings/wallboard', body);
        toast(t('common.saved'));
      } catch (e) { this.error = e; }
    },
    /** SUP-1: the zone of the enterprise's day (empty: the server's). */
    async saveZone() {
      this.zoneError = null;
      try {
        const s = await api.put('/settings/monitor', { timeZone: this.zone.trim() || null });
        this.zone = s.timeZone || '';
        toast(t('common.saved'));
      } catch (e) { this.zoneError = e; }
    },
    async createLink() {
      try {
        const l = await api.post('/settings/wallboard/link', {});
        this.link = window.location.origin + l.url;
      } catch (e) { toastError(e); }
    },
    async revoke() {
      if (!(await confirmDialog(t('wbset.revokeConfirm'), { okKey: 'wbset.revoke' }))) return;
      try {
        await api.del('/settings/wallboard/link');
        this.link = null;
        toast(t('wbset.revoked'));
      } catch (e) { toastError(e); }
    },
  },
  template: `
    <div class="panel" data-testid="wb-settings">
      <div class="panel-head"><h2>{{ t('wbset.title') }}</h2>
        <button class="btn-link" data-testid="wb-settings-toggle" @click="toggle">{{ t(open ? 'wbset.hide' : 'wbset.show') }}</button></div>
      <div v-if="open && form" class="panel-body">
        <p class="muted">{{ t('wbset.hint') }}</p>
        <div v-if="error" class="alert alert-error" data-testid="wb-settings-error">{{ errorText(error) }}</div>
        <table class="grid">
          <thead><tr><th></th>
            <th v-for="f in fields" :key="f[0]">{{ t('wbset.' + f[0].replace(/Amber$/, '')) }}</th><th></th></tr></thead>
          <tbody>
            <tr data-testid="wb-th-defaults">
              <td>{{ t('wbset.defaults') }}</td>
              <td v-for="f in fields" :key="f[0]">
                <input type="number" class="num" :step="f[2]" v-model.number="form.defaults[f[0]]" :data-testid="'wb-th-defaults-' + f[0]">
                <template v-if="f[1]"> / <input type="number" class="num" :step="f[2]" v-model.number="form.defaults[f[1]]" :data-testid="'wb-th-defaults-' + f[1]"></template>
              </td><td></td>
            </tr>
            <tr v-for="(q, i) in form.queues" :key="q.name" :data-testid="'wb-th-' + q.name">
              <td>{{ q.name }}</td>
              <td v-for="f in fields" :key="f[0]">
                <input type="number" class="num" :step="f[2]" v-model.number="q.th[f[0]]" :data-testid="'wb-th-' + q.name + '-' + f[0]">
                <template v-if="f[1]"> / <input type="number" class="num" :step="f[2]" v-model.number="q.th[f[1]]" :data-testid="'wb-th-' + q.name + '-' + f[1]"></template>
              </td>
              <td><button class="btn-link danger" :data-testid="'wb-th-remove-' + q.name" @click="remove(i)">{{ t('common.delete') }}</button></td>
            </tr>
          </tbody>
        </table>
        <div class="toolbar">
          <select v-model="addQueue" data-testid="wb-th-add-queue"><option value="">{{ t('wbset.pickQueue') }}</option>
            <option v-for="n in freeQueues" :key="n" :value="n">{{ n }}</option></select>
          <button class="btn" :disabled="!addQueue" data-testid="wb-th-add" @click="add">{{ t('wbset.addQueue') }}</button>
          <button class="btn btn-primary" data-testid="wb-settings-save" @click="save">{{ t('common.save') }}</button>
        </div>
        <h3>{{ t('wbset.zone') }}</h3>
        <p class="muted">{{ t('wbset.zoneHint') }}</p>
        <div v-if="zoneError" class="alert alert-error" data-testid="wb-zone-error">{{ errorText(zoneError) }}
          <span v-for="f in zoneError.fieldErrors" :key="f.field" data-testid="wb-zone-field-error">{{ fieldErrorText(f.message) }}</span></div>
        <div class="toolbar">
          <input v-model="zone" data-testid="wb-zone" placeholder="Asia/Shanghai">
          <button class="btn btn-primary" data-testid="wb-zone-save" @click="saveZone">{{ t('common.save') }}</button>
        </div>
        <h3>{{ t('wbset.link') }}</h3>
        <p class="muted">{{ t('wbset.linkHint') }}</p>
        <div class="toolbar">
          <button class="btn" data-testid="wb-link-create" @click="createLink">{{ t('wbset.createLink') }}</button>
          <button class="btn danger" data-testid="wb-link-revoke" @click="revoke">{{ t('wbset.revoke') }}</button>
        </div>
        <div v-if="link" class="mono" data-testid="wb-link"><a :href="link" target="_blank" rel="noopener">{{ link }}</a></div>
      </div>
    </div>`,
};
