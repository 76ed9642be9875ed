// Toll-fraud limits (SEC-1): what the enterprise may call out through its trunks (international off by default, allowed
// prefixes, calls, billed minutes and spend per hour and day), what it has used, and the refusals of the last 10 minutes.

import { api, t, toast, toastError } from '../common.js';
import { fmtTime } from '../format.js';

const LIMITS = ['maxCallsPerHour', 'maxCallsPerDay', 'maxMinutesPerHour', 'maxMinutesPerDay', 'maxSpendPerDay'];
const FIELDS = ['countryCode', 'international', 'allowedPrefixes', ...LIMITS];

export const TollPage = {
  setup() { return { LIMITS, FIELDS, fmtTime }; },
  data() { return { form: null, usage: null, errors: {}, formError: null, saving: false }; },
  computed: { canWrite() { return this.can('routing.write'); } },
  created() { this.load(); },
  methods: {
    async load() {
      try {
        const p = await api.get('/toll-policy');
        const form = { countryCode: p.countryCode, international: p.international, allowedPrefixes: (p.allowedPrefixes || []).join(', ') };
        for (const k of LIMITS) form[k] = p[k] == null ? '' : String(p[k]);
        this.form = form;
        this.usage = await api.get('/toll-policy/usage');
      } catch (e) { toastError(e); }
    },
    async save() {
      this.errors = {};
      this.formError = null;
      this.saving = true;
      const f = this.form;
      const body = { countryCode: f.countryCode.trim(), international: f.international,
        allowedPrefixes: f.allowedPrefixes.split(/[\s,，;]+/).map((x) => x.trim()).filter((x) => x) };
      for (const k of LIMITS) {
        const v = String(f[k]).trim();
        body[k] = v === '' ? null : (k === 'maxSpendPerDay' ? v : (Number.isInteger(Number(v)) ? Number(v) : v));
      }
      try {
        await api.put('/toll-policy', body);
        toast(t('common.saved'));
        await this.load();
      } catch (e) {
        const fe = e.fields ? e.fields() : {};
        for (const k of Object.keys(fe)) if (k.startsWith('allowedPrefixes')) fe.allowedPrefixes = fe[k];
        if (Object.keys(fe).length) this.errors = fe;
        this.formError = e;
      } finally { this.saving = false; }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('toll.title') }}</h1>
      <span class="sub">{{ t('toll.subtitle') }}</span>
    </div>
    <div class="panel" v-if="form" data-testid="toll-policy">
      <div class="panel-head"><h2>{{ t('toll.policy') }}</h2></div>
      <div class="panel-body">
        <form class="form-grid" @submit.prevent="save" novalidate data-testid="toll-form">
          <form-field :label="t('toll.countryCode')" :error="errors.countryCode" testid="toll-countryCode-error">
            <input type="text" v-model="form.countryCode" :disabled="!canWrite" data-testid="toll-countryCode"></form-field>
          <label class="check"><input type="checkbox" v-model="form.international" :disabled="!canWrite" data-testid="toll-international">
            {{ t('toll.international') }}</label>
          <form-field :label="t('toll.allowedPrefixes')" :error="errors.allowedPrefixes" :hint="t('toll.allowedPrefixesHint')"
            testid="toll-allowedPrefixes-error">
            <input type="text" v-model="form.allowedPrefixes" :disabled="!canWrite" data-testid="toll-allowedPrefixes"></form-field>
          <form-field v-for="k in LIMITS" :key="k" :label="t('toll.' + k)" :error="errors[k]" :hint="t('toll.noLimitHint')" :testid="'toll-' + k + '-error'">
            <input type="text" inputmode="decimal" v-model="form[k]" :disabled="!canWrite" :data-testid="'toll-' + k"></form-field>
          <button v-if="canWrite" type="submit" class="btn btn-primary" :disabled="saving" data-testid="toll-save">{{ t('common.save') }}</button>
        </form>
        <form-alert :error="formError" :known="FIELDS" testid="toll-form-error"></form-alert>
      </div>
    </div>
    <div class="panel" v-if="usage" data-testid="toll-usage">
      <div class="panel-head"><h2>{{ t('toll.usage') }}</h2><button class="btn btn-sm" @click="load" data-testid="toll-refresh">{{ t('common.refresh') }}</button></div>
      <div class="panel-body">
        <table class="table"><tbody>
          <tr><th>{{ t('toll.callsLastHour') }}</th><td class="mono" data-testid="toll-callsLastHour">{{ usage.callsLastHour }}</td>
              <th>{{ t('toll.callsLastDay') }}</th><td class="mono" data-testid="toll-callsLastDay">{{ usage.callsLastDay }}</td></tr>
          <tr><th>{{ t('toll.minutesLastHour') }}</th><td class="mono">{{ usage.minutesLastHour }}</td>
              <th>{{ t('toll.minutesLastDay') }}</th><td class="mono">{{ usage.minutesLastDay }}</td></tr>
          <tr><th>{{ t('toll.spendLastDay') }}</th><td class="mono" colspan="3">{{ usage.spendLastDay }}</td></tr>
        </tbody></table>
        <h3>{{ t('toll.refusals') }}</h3>
        <p v-if="!usage.recentRefusals.length" class="muted" data-testid="toll-no-refusals">{{ t('toll.noRefusals') }}</p>
        <table v-else class="table" data-testid="toll-refusals">
          <thead><tr><th>{{ t('toll.at') }}</th><th>{{ t('toll.limit') }}</th><th>{{ t('toll.number') }}</th><th>{{ t('toll.detail') }}</th></tr></thead>
          <tbody><tr v-for="r in usage.recentRefusals" :key="r.limit">
            <td class="mono">{{ fmtTime(r.at) }}</td><td>{{ t('toll.limit.' + r.limit) }}</td><td class="mono">{{ r.number }}</td><td>{{ r.detail || '' }}</td>
          </tr></tbody>
        </table>
      </div>
    </div>`,
};
