// Skills (ACD-2), agents' skill levels and the reason codes agents give for not being ready (AGENT-1).

import { api, t, toast, toastError, confirmDialog } from '../common.js';

export const SkillsPage = {
  data() {
    return {
      skills: [], reasons: [], users: [], levels: {}, loadError: null,
      newSkill: { name: '', error: null }, newReason: { code: '', name: '', errors: {}, error: null }, editor: null,
    };
  },
  created() { this.load(); },
  methods: {
    async load() {
      try {
        [this.skills, this.reasons] = await Promise.all([api.get('/skills'), api.get('/reason-codes')]);
        this.loadError = null;
      } catch (e) { this.loadError = e; }
      if (this.can('user.read')) {
        try { this.users = (await api.get('/users')).filter((u) => u.enabled); } catch (e) { this.users = []; }
        const levels = {};
        await Promise.all(this.users.map(async (u) => {
          try { levels[u.id] = await api.get('/users/' + u.id + '/skills'); } catch (e) { levels[u.id] = []; }
        }));
        this.levels = levels;
      }
    },
    levelText(u) {
      const l = this.levels[u.id] || [];
      return l.length ? l.map((x) => x.skill + ' ' + x.level).join(', ') : '—';
    },
    async addSkill() {
      const n = this.newSkill;
      n.error = null;
      try { await api.post('/skills', { name: n.name.trim() }); n.name = ''; toast(t('common.saved')); await this.load(); } catch (e) { n.error = e; }
    },
    async removeSkill(s) {
      if (!(await confirmDialog(t('skills.confirmDelete', { name: s.name })))) return;
      try { await api.del('/skills/' + s.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
    async addReason() {
      const n = this.newReason;
      n.error = null; n.errors = {};
      try {
        await api.post('/reason-codes', { code: n.code.trim(), name: n.name.trim() });
        n.code = ''; n.name = ''; toast(t('common.saved')); await this.load();
      } catch (e) { n.error = e; n.errors = e.fields ? e.fields() : {}; }
    },
    async removeReason(r) {
      if (!(await confirmDialog(t('reasons.confirmDelete', { name: r.name })))) return;
      try { await api.del('/reason-codes/' + r.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
    openLevels(u) {
      const have = {};
      for (const x of this.levels[u.id] || []) have[x.skill] = x.level;
      this.editor = { user: u, form: Object.fromEntries(this.skills.map((s) => [s.name, have[s.name] || ''])), errors: {}, error: null, saving: false };
    },
    async saveLevels() {
      const ed = this.editor;
      const body = {};
      for (const [k, v] of Object.entries(ed.form)) if (v !== '' && v !== null && v !== 0) body[k] = Number(v);
      ed.saving = true; ed.errors = {}; ed.error = null;
      try {
        await api.put('/users/' + ed.user.id + '/skills', body);
        this.editor = null; toast(t('common.saved')); await this.load();
      } catch (e) { ed.errors = e.fields ? e.fields() : {}; ed.error = e; ed.saving = false; }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('skills.title') }}</h1>
      <span class="sub">{{ t('skills.subtitle') }}</span>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="form-grid" style="align-items:start">
      <div class="panel table-wrap">
        <div class="panel-head"><h2>{{ t('skills.skills') }}</h2></div>
        <table class="grid" data-testid="skills-table">
          <thead><tr><th>{{ t('skills.name') }}</th><th></th></tr></thead>
          <tbody>
            <tr v-for="s in skills" :key="s.id" :data-testid="'skill-row-' + s.name">
              <td><span class="name">{{ s.name }}</span></td>
              <td class="actions"><button v-if="can('queue.write')" class="btn-link danger" :data-testid="'skill-delete-' + s.name" @click="removeSkill(s)">{{ t('common.delete') }}</button></td>
            </tr>
            <empty-row v-if="!skills.length" :cols="2"></empty-row>
          </tbody>
        </table>
        <form v-if="can('queue.write')" class="panel-body" style="display:flex;gap:8px;align-items:flex-start" @submit.prevent="addSkill" novalidate>
          <form-field :label="t('skills.new')" :error="newSkill.error && newSkill.error.fields ? newSkill.error.fields().name : null" testid="skill-new-error">
            <input type="text" v-model="newSkill.name" data-testid="skill-new-name" :placeholder="t('skills.namePlaceholder')">
          </form-field>
          <button class="btn btn-primary" style="margin-top:22px" data-testid="skill-add" :disabled="!newSkill.name.trim()">+ {{ t('skills.add') }}</button>
        </form>
        <div class="panel-body" v-if="newSkill.error && !(newSkill.error.fields && newSkill.error.fields().name)"><form-alert :error="newSkill.error"></form-alert></div>
      </div>
      <div class="panel table-wrap">
        <div class="panel-head"><h2>{{ t('reasons.title') }}</h2></div>
        <table class="grid" data-testid="reasons-table">
          <thead><tr><th>{{ t('reasons.code') }}</th><th>{{ t('reasons.name') }}</th><th></th></tr></thead>
          <tbody>
            <tr v-for="r in reasons" :key="r.id" :data-testid="'reason-row-' + r.code">
              <td class="mono">{{ r.code }}</td><td>{{ r.name }}</td>
              <td class="actions"><button v-if="can('queue.write')" class="btn-link danger" :data-testid="'reason-delete-' + r.code" @click="removeReason(r)">{{ t('common.delete') }}</button></td>
            </tr>
            <empty-row v-if="!reasons.length" :cols="3"></empty-row>
          </tbody>
        </table>
        <form v-if="can('queue.write')" class="panel-body form-grid inner three" style="align-items:start" @submit.prevent="addReason" novalidate>
          <form-field :label="t('reasons.code')" :error="newReason.errors.code" testid="reason-new-code-error">
            <input type="text" v-model="newReason.code" data-testid="reason-new-code">
          </form-field>
          <form-field :label="t('reasons.name')" :error="newReason.errors.name" testid="reason-new-name-error">
            <input type="text" v-model="newReason.name" data-testid="reason-new-name">
          </form-field>
          <button class="btn btn-primary" style="margin-top:22px" data-testid="reason-add">+ {{ t('reasons.add') }}</button>
        </form>
      </div>
    </div>
    <div v-if="can('user.read')" class="panel table-wrap" style="margin-top:16px">
      <div class="panel-head"><h2>{{ t('skills.agentSkills') }}</h2><span class="muted">{{ t('skills.levelHint') }}</span></div>
      <table class="grid" data-testid="agent-skills-table">
        <thead><tr><th>{{ t('users.username') }}</th><th>{{ t('users.displayName') }}</th><th>{{ t('users.jobNumber') }}</th><th>{{ t('skills.levels') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="u in users" :key="u.id" :data-testid="'agent-skills-row-' + u.username">
            <td>{{ u.username }}</td><td>{{ dash(u.displayName) }}</td><td>{{ dash(u.jobNumber) }}</td>
            <td :data-testid="'agent-skills-' + u.username">{{ levelText(u) }}</td>
            <td class="actions"><button v-if="can('queue.write')" class="btn-link" :disabled="!skills.length" :data-testid="'agent-skills-edit-' + u.username" @click="openLevels(u)">{{ t('common.edit') }}</button></td>
          </tr>
        </tbody>
      </table>
    </div>
    <modal v-if="editor" size="small" :title="t('skills.editLevels', { name: editor.user.displayName || editor.user.username })" testid="agent-skills-dialog" @close="editor = null">
      <div class="muted">{{ t('skills.levelHint') }}</div>
      <form-field v-for="s in skills" :key="s.id" :label="s.name" :error="editor.errors[s.name]" :testid="'agent-skill-' + s.name + '-error'">
        <input type="number" min="1" max="10" v-model="editor.form[s.name]" :data-testid="'agent-skill-' + s.name">
      </form-field>
      <form-alert :error="editor.error" :known="skills.map((s) => s.name)"></form-alert>
      <template #footer>
        <button class="btn" @click="editor = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="agent-skills-save" :disabled="editor.saving" @click="saveLevels">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
