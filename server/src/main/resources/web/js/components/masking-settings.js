// CRM-5 number masking (docs/masking.md): the enterprise's policy, shown above the roles. The mode for masked roles
// (off, 138****0001, name only), which roles are masked (none ticked: every role without number.unmasked), a mode per
// queue overriding it, and whether webhooks carry real numbers. Saved by role.write holders.

import { api, t, toast } from '../common.js';

export const MODES = ['off', 'middle', 'name'];

export const MaskingSettings = {
  setup() { return { MODES }; },
  data() { return { loaded: false, loadError: null, roles: [], queues: [], errors: {}, error: null, saving: false,
    form: { mode: 'off', roles: [], queues: {}, webhooksUnmasked: false } }; },
  created() { this.load(); },
  methods: {
    async load() {
      try {
        const [p, roles, queues] = await Promise.all([api.get('/masking'), api.get('/roles'), api.get('/queues').catch(() => [])]);
        this.roles = roles.map((r) => r.name);
        this.queues = queues.map((q) => q.name);
        const qs = {};
        for (const q of this.queues) qs[q] = (p.queues && p.queues[q]) || '';
        this.form = { mode: p.mode, roles: [...(p.roles || [])], queues: qs, webhooksUnmasked: !!p.webhooksUnmasked };
        this.loaded = true;
      } catch (e) { this.loadError = e; }
    },
    async save() {
      const queues = {};
      for (const [q, m] of Object.entries(this.form.queues)) if (m) queues[q] = m;
      this.saving = true; this.errors = {}; this.error = null;
      try {
        await api.put('/masking', { mode: this.form.mode, roles: this.form.roles, queues, webhooksUnmasked: this.form.webhooksUnmasked });
        toast(t('common.saved'));
      } catch (e) { this.errors = e.fields ? e.fields() : {}; this.error = e; } finally { this.saving = false; }
    },
  },
  template: `
    <section class="panel settings-panel" data-testid="masking-settings">
      <div class="panel-head"><h2>{{ t('masking.title') }}</h2><span class="muted">{{ t('masking.hint') }}</span></div>
      <div class="panel-body">
        <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
        <form v-if="loaded" @submit.prevent="save" novalidate class="settings-grid">
          <form-field :label="t('masking.mode')" :error="errors.mode" testid="masking-mode-error" :hint="t('masking.modeHint.' + form.mode)">
            <select v-model="form.mode" data-testid="masking-mode" :disabled="!can('role.write')">
              <option v-for="m in MODES" :key="m" :value="m">{{ t('masking.modes.' + m) }}</option>
            </select>
          </form-field>
          <div class="field" :class="{ invalid: !!errors.roles }">
            <span class="field-label">{{ t('masking.roles') }}</span>
            <div class="checks">
              <label v-for="r in roles" :key="r" class="check"><input type="checkbox" :value="r" v-model="form.roles" :disabled="!can('role.write')"
                :data-testid="'masking-role-' + r"> {{ r }}</label>
            </div>
            <span v-if="errors.roles" class="field-error">{{ fieldErrorText(errors.roles) }}</span>
            <span v-else class="field-hint">{{ t('masking.rolesHint') }}</span>
          </div>
          <div v-if="queues.length" class="field">
            <span class="field-label">{{ t('masking.queues') }}</span>
            <div class="checks">
              <label v-for="q in queues" :key="q" class="check">{{ q }}
                <select v-model="form.queues[q]" :data-testid="'masking-queue-' + q" :disabled="!can('role.write')">
                  <option value="">{{ t('masking.asEnterprise') }}</option>
                  <option v-for="m in MODES" :key="m" :value="m">{{ t('masking.modes.' + m) }}</option>
                </select></label>
            </div>
            <span class="field-hint">{{ t('masking.queuesHint') }}</span>
          </div>
          <div class="field">
            <span class="field-label">{{ t('masking.webhooks') }}</span>
            <label class="check check-box"><input type="checkbox" v-model="form.webhooksUnmasked" data-testid="masking-webhooks" :disabled="!can('role.write')"> {{ t('masking.webhooksUnmasked') }}</label>
          </div>
          <div v-if="can('role.write')" class="settings-actions">
            <button type="submit" class="btn btn-primary" data-testid="masking-save" :disabled="saving">{{ t('common.save') }}</button>
          </div>
        </form>
        <form-alert :error="error" :known="['mode', 'roles']" testid="masking-alert"></form-alert>
      </div>
    </section>`,
};
