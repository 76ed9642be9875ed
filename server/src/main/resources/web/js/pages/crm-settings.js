// CRM routing settings (ACD-3, AGENT-4): which customer field holds the tier and the queue priority each tier adds, and
// the external URL the desk opens when a call of a queue rings ({caller}, {called}, {callId}, URL-encoded by the desk).
// Everything is replaced on save; the server's 400 is shown on the row it names (tierPriorities.<tier>, popUrls.<queue>).

import { api, t, toast, toastError } from '../common.js';

export const CrmSettingsPage = {
  data() { return { fields: [], queues: [], form: null, errors: {}, error: null, saving: false }; },
  computed: {
    tierFields() { return this.fields.filter((f) => f.type === 'single_choice' || f.type === 'text'); },
    tierOptions() {
      const f = this.fields.find((x) => x.key === this.form.tierField);
      return f && f.options ? f.options : [];
    },
    known() {
      return ['tierField', 'tierPriorities'].concat(Object.keys(this.errors).filter((k) => k.startsWith('tierPriorities.') || k.startsWith('popUrls.')));
    },
  },
  created() { this.load(); },
  methods: {
    async load() {
      try {
        const [s, fields, queues] = await Promise.all([api.get('/crm-settings'), api.get('/customer-fields'),
          api.get('/queues').catch(() => [])]);
        this.fields = fields;
        this.queues = queues;
        this.form = {
          tierField: s.tierField || '',
          tiers: Object.entries(s.tierPriorities || {}).map(([tier, priority]) => ({ tier, priority })),
          pops: Object.entries(s.popUrls || {}).map(([queue, url]) => ({ queue, url })),
        };
      } catch (e) { toastError(e); }
    },
    addTier() { this.form.tiers.push({ tier: '', priority: 10 }); },
    addPop() { this.form.pops.push({ queue: this.queues.length ? this.queues[0].name : '', url: '' }); },
    tierError(x) { return this.errors['tierPriorities.' + x.tier.trim()] || null; },
    popError(x) { return this.errors['popUrls.' + x.queue] || null; },
    async save() {
      const f = this.form;
      this.errors = {};
      this.error = null;
      this.saving = true;
      const tierPriorities = {};
      for (const x of f.tiers) if (x.tier.trim()) tierPriorities[x.tier.trim()] = x.priority === '' || x.priority == null ? null : Number(x.priority);
      const popUrls = {};
      for (const x of f.pops) if (x.queue) popUrls[x.queue] = x.url.trim();
      try {
        await api.put('/crm-settings', { tierField: f.tierField || null, tierPriorities, popUrls });
        toast(t('common.saved'));
        await this.load();
      } catch (e) {
        this.errors = e.fields ? e.fields() : {};
        this.error = e;
      } finally { this.saving = false; }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('crmSettings.title') }}</h1>
      <span class="sub">{{ t('crmSettings.subtitle') }}</span>
    </div>
    <form v-if="form" @submit.prevent="save" novalidate data-testid="crm-settings-form">
      <div class="panel">
        <div class="panel-head"><h2>{{ t('crmSettings.tiers') }}</h2><span class="muted small">{{ t('crmSettings.tiersHint') }}</span></div>
        <div class="panel-body">
          <form-field :label="t('crmSettings.tierField')" :error="errors.tierField" testid="crm-tier-field-error">
            <select v-model="form.tierField" data-testid="crm-tier-field">
              <option value="">{{ t('crmSettings.noTier') }}</option>
              <option v-for="fd in tierFields" :key="fd.key" :value="fd.key">{{ fd.label }} ({{ fd.key }})</option>
            </select></form-field>
          <datalist id="crm-tier-options"><option v-for="o in tierOptions" :key="o" :value="o"></option></datalist>
          <div v-for="(x, i) in form.tiers" :key="i" class="toolbar" data-testid="crm-tier-row">
            <form-field :label="t('crmSettings.tier')"><input type="text" v-model="x.tier" list="crm-tier-options" :data-testid="'crm-tier-' + i"></form-field>
            <form-field :label="t('crmSettings.priority')" :error="tierError(x)" :testid="'crm-tier-priority-error-' + i" :hint="t('crmSettings.priorityHint')">
              <input type="number" min="0" max="50" v-model="x.priority" :data-testid="'crm-tier-priority-' + i"></form-field>
            <button type="button" class="btn btn-sm" @click="form.tiers.splice(i, 1)" :data-testid="'crm-tier-remove-' + i">{{ t('common.delete') }}</button>
          </div>
          <div v-if="errors.tierPriorities" class="field-error" data-testid="crm-tiers-error">{{ errors.tierPriorities }}</div>
          <button type="button" class="btn btn-sm" @click="addTier" data-testid="crm-tier-add">{{ t('crmSettings.addTier') }}</button>
        </div>
      </div>
      <div class="panel">
        <div class="panel-head"><h2>{{ t('crmSettings.pops') }}</h2><span class="muted small">{{ t('crmSettings.popsHint') }}</span></div>
        <div class="panel-body">
          <div v-for="(x, i) in form.pops" :key="i" class="toolbar" data-testid="crm-pop-row">
            <form-field :label="t('crmSettings.queue')">
              <select v-model="x.queue" :data-testid="'crm-pop-queue-' + i">
                <option v-for="q in queues" :key="q.name" :value="q.name">{{ q.name }}</option>
                <option v-if="x.queue && !queues.some((q) => q.name === x.queue)" :value="x.queue">{{ x.queue }}</option>
              </select></form-field>
            <form-field :label="t('crmSettings.url')" :error="popError(x)" :testid="'crm-pop-url-error-' + i" span>
              <input type="text" v-model="x.url" placeholder="https://crm.example.com/pop?caller={caller}&called={called}&call={callId}" :data-testid="'crm-pop-url-' + i"></form-field>
            <button type="button" class="btn btn-sm" @click="form.pops.splice(i, 1)" :data-testid="'crm-pop-remove-' + i">{{ t('common.delete') }}</button>
          </div>
          <button type="button" class="btn btn-sm" @click="addPop" data-testid="crm-pop-add">{{ t('crmSettings.addPop') }}</button>
        </div>
      </div>
      <form-alert :error="error" :known="known" testid="crm-settings-alert"></form-alert>
      <div class="toolbar"><button type="submit" class="btn btn-primary" :disabled="saving" data-testid="crm-settings-save">{{ t('common.save') }}</button></div>
    </form>`,
};
