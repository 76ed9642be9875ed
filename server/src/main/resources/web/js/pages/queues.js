// Queues (ACD-1..8): list, every setting grouped (strategy, ringing, waiting, overflow, skills, VIP) and members with penalties.

import { api, t, tOr, toast, toastError, confirmDialog } from '../common.js';
import { blankToNull, destinationLabel } from '../format.js';

export const STRATEGIES = ['ring_all', 'random', 'round_robin', 'linear', 'linear_continue', 'fewest_calls', 'fewest_answered', 'longest_idle'];
export const DEST_TYPES = ['queue', 'voicemail', 'flow', 'extension', 'hangup'];
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];
/** The shipped prompt each survey prompt falls back to (its text is the field's placeholder). */
const SURVEY_DEFAULTS = { scorePrompt: 'SURVEY_SCORE', reasonPrompt: 'SURVEY_REASON', thanksPrompt: 'SURVEY_THANKS' };
const SECTIONS = ['basics', 'ringing', 'waiting', 'overflow', 'skills', 'vip', 'survey'];
const NUMBERS = ['ringTimeoutSeconds', 'maxWaitSeconds', 'maxCallers', 'wrapUpSeconds', 'autoPauseAfterMissed', 'announcePositionSeconds',
  'periodicSeconds', 'widenSkillsAfterSeconds', 'serviceLevelSeconds', 'shortAbandonSeconds', 'priorityAgingSeconds'];

function toForm(q) {
  const s = (q && q.settings) || {};
  const dest = (d) => ({ type: d ? d.type : '', value: d && d.value ? d.value : '' });
  const f = {
    name: q ? q.name : '', strategy: (q && q.strategy) || STRATEGIES[0], description: (q && q.description) || '',
    overflow: dest(s.overflow), noAgents: dest(s.noAgents),
    periodicText: s.periodicText || '', voicemailKey: s.voicemailKey || '', callbackKey: s.callbackKey || '',
    agentAnnounce: !!s.agentAnnounce, record: !!s.record,
    skills: (s.skills || []).map((r) => ({ skill: r.skill, minLevel: r.minLevel })),
    vipNumbers: (s.vipNumbers || []).join('\n'),
    survey: { enabled: !!(s.survey && s.survey.enabled), language: (s.survey && s.survey.language) || 'zh',
      scorePrompt: (s.survey && s.survey.scorePrompt) || '', reasonPrompt: (s.survey && s.survey.reasonPrompt) || '',
      thanksPrompt: (s.survey && s.survey.thanksPrompt) || '' },
  };
  const defaults = { ringTimeoutSeconds: 15, serviceLevelSeconds: 20, shortAbandonSeconds: 5 };
  for (const k of NUMBERS) f[k] = s[k] !== undefined && s[k] !== null ? s[k] : (defaults[k] || 0);
  return f;
}

function num(v) {
  if (v === '' || v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

function toSettings(f) {
  const dest = (d) => (d.type ? { type: d.type, value: d.type === 'hangup' ? null : blankToNull(d.value) } : null);
  const s = {
    overflow: dest(f.overflow), noAgents: dest(f.noAgents),
    periodicText: blankToNull(f.periodicText), voicemailKey: blankToNull(f.voicemailKey), callbackKey: blankToNull(f.callbackKey),
    agentAnnounce: f.agentAnnounce, record: f.record,
    skills: f.skills.filter((r) => r.skill).map((r) => ({ skill: r.skill, minLevel: num(r.minLevel) })),
    vipNumbers: f.vipNumbers.split(/[\s,;]+/).map((x) => x.trim()).filter((x) => x),
    survey: { enabled: f.survey.enabled, language: f.survey.language, scorePrompt: blankToNull(f.survey.scorePrompt),
      reasonPrompt: blankToNull(f.survey.reasonPrompt), thanksPrompt: blankToNull(f.survey.thanksPrompt) },
  };
  for (const k of NUMBERS) s[k] = num(f[k]);
  return s;
}

export const QueuesPage = {
  setup() { return { STRATEGIES, DEST_TYPES, KEYS, SECTIONS, SURVEY_DEFAULTS }; },
  data() {
    return { items: [], loading: true, loadError: null, dialog: null, members: null, skills: [], queues: [], flows: [], extensions: [], users: [] };
  },
  created() { this.load(); },
  methods: {
    strategyLabel(s) { return s ? tOr('strategy.' + s, s) : '—'; },
    /** An overflow destination in words: "Voicemail · Queue sales", "Queue support", "Extension 1002". */
    destLabel(d) {
      if (!d || !d.type) return '—';
      if (d.type === 'voicemail') return t('queues.dest.voicemail') + (d.value ? ' · ' + destinationLabel(d.value) : '');
      return destinationLabel(d.type, d.value || '');
    },
    async load() {
      this.loading = true;
      try { this.items = await api.get('/queues'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    async loadChoices() {
      const get = async (path) => { try { return await api.get(path); } catch (e) { return []; } };
      this.skills = await get('/skills');
      this.flows = this.can('ivr.read') ? await get('/flows') : [];
      this.extensions = this.can('extension.read') ? await get('/extensions') : [];
    },
    openCreate() {
      this.dialog = { mode: 'create', id: null, form: toForm(null), section: 'basics', errors: {}, error: null, saving: false };
      this.loadChoices();
    },
    openEdit(q) {
      this.dialog = { mode: 'edit', id: q.id, form: toForm(q), section: 'basics', errors: {}, error: null, saving: false };
      this.loadChoices();
    },
    choices() {
      const s = this.dialog && this.dialog.form.strategy;
      return s && !STRATEGIES.includes(s) ? STRATEGIES.concat([s]) : STRATEGIES;
    },
    /** Targets a destination type offers (a datalist): queues, voicemail boxes, flows or extensions. */
    targets(type) {
      const own = this.dialog ? this.dialog.form.name : '';
      if (type === 'queue') return this.items.map((q) => q.name).filter((n) => n !== own);
      if (type === 'voicemail') return ['queue:' + (own || '…')].concat(this.items.filter((q) => q.name !== own).map((q) => 'queue:' + q.name),
        this.extensions.map((x) => 'extension:' + x.number));
      if (type === 'flow') return this.flows.map((f) => f.name);
      if (type === 'extension') return this.extensions.map((x) => x.number);
      return [];
    },
    err(field) { return this.dialog.errors['settings.' + field]; },
    /** Sections with an error get a mark, so that an error on another tab is not missed. */
    sectionHasError(sec) {
      const of = { basics: ['name', 'strategy', 'description'],
        ringing: ['settings.ringTimeoutSeconds', 'settings.wrapUpSeconds', 'settings.autoPauseAfterMissed'],
        waiting: ['settings.maxWaitSeconds', 'settings.maxCallers', 'settings.announcePositionSeconds', 'settings.periodicSeconds',
          'settings.periodicText', 'settings.voicemailKey', 'settings.callbackKey', 'settings.serviceLevelSeconds', 'settings.shortAbandonSeconds'],
        overflow: ['settings.overflow', 'settings.noAgents'], skills: ['settings.skills', 'settings.widenSkillsAfterSeconds'],
        vip: ['settings.vipNumbers', 'settings.priorityAgingSeconds'],
        survey: ['settings.survey.language', 'settings.survey.scorePrompt', 'settings.survey.reasonPrompt', 'settings.survey.thanksPrompt'] }[sec];
      return of.some((f) => this.dialog.errors[f]);
    },
    addSkill() { this.dialog.form.skills.push({ skill: this.skills.length ? this.skills[0].name : '', minLevel: 1 }); },
    async save() {
      const d = this.dialog;
      const body = { name: d.form.name.trim(), strategy: d.form.strategy, description: blankToNull(d.form.description), settings: toSettings(d.form) };
      d.saving = true; d.errors = {}; d.error = null;
      try {
        if (d.mode === 'create') await api.post('/queues', body); else await api.put('/queues/' + d.id, body);
        this.dialog = null; toast(t('common.saved')); await this.load();
      } catch (e) {
        d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false;
        const bad = SECTIONS.find((sec) => this.sectionHasError(sec));
        if (bad && !this.sectionHasError(d.section)) d.section = bad;
      }
    },
    async remove(q) {
      if (!(await confirmDialog(t('queues.confirmDelete', { name: q.name })))) return;
      try { await api.del('/queues/' + q.id); toast(t('common.deleted')); await this.load(); } catch (e) { toastError(e); }
    },
    // ---- members
    async openMembers(q) {
      this.members = { queue: q, list: [], add: { userId: '', penalty: 0 }, error: null, busy: false };
      await this.loadMembers();
      if (this.can('user.read')) { try { this.users = await api.get('/users'); } catch (e) { this.users = []; } }
    },
    async loadMembers() {
      const m = this.members;
      try { m.list = (await api.get('/queues/' + m.queue.id + '/members')).map((x) => ({ ...x, edit: x.penalty })); m.error = null; } catch (e) { m.error = e; }
    },
    candidates() {
      const inQueue = new Set(this.members.list.map((x) => x.userId));
      return this.users.filter((u) => !inQueue.has(u.id) && u.enabled);
    },
    async setMember(userId, penalty) {
      const m = this.members;
      m.busy = true; m.error = null;
      try {
        await api.put('/queues/' + m.queue.id + '/members/' + userId, { penalty: num(penalty) });
        toast(t('common.saved')); m.add = { userId: '', penalty: 0 }; await this.loadMembers();
      } catch (e) { m.error = e; } finally { m.busy = false; }
    },
    async removeMember(x) {
      const m = this.members;
      try { await api.del('/queues/' + m.queue.id + '/members/' + x.userId); toast(t('common.deleted')); await this.loadMembers(); } catch (e) { m.error = e; }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('queues.title') }}</h1>
      <span class="sub">{{ t('queues.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('queue.write')" class="btn btn-primary" data-testid="queue-new" @click="openCreate">+ {{ t('queues.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="queues-table">
        <thead><tr><th>{{ t('queues.name') }}</th><th>{{ t('queues.strategy') }}</th><th>{{ t('queues.ringTimeoutSeconds') }}</th>
          <th>{{ t('queues.maxWaitSeconds') }}</th><th>{{ t('queues.overflow') }}</th><th>{{ t('queues.description') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="q in items" :key="q.id" :data-testid="'queue-row-' + q.name">
            <td><span class="name">{{ q.name }}</span></td>
            <td>{{ strategyLabel(q.strategy) }}</td>
            <td>{{ q.settings.ringTimeoutSeconds }} s</td>
            <td>{{ q.settings.maxWaitSeconds ? q.settings.maxWaitSeconds + ' s' : t('queues.forever') }}</td>
            <td>{{ destLabel(q.settings.overflow) }}</td>
            <td>{{ dash(q.description) }}</td>
            <td class="actions">
              <button class="btn-link" :data-testid="'queue-members-' + q.name" @click="openMembers(q)">{{ t('queues.members') }}</button>
              <template v-if="can('queue.write')">
                <button class="btn-link" :data-testid="'queue-edit-' + q.name" @click="openEdit(q)">{{ t('common.edit') }}</button>
                <button class="btn-link danger" :data-testid="'queue-delete-' + q.name" @click="remove(q)">{{ t('common.delete') }}</button>
              </template>
            </td>
          </tr>
          <empty-row v-if="!loading && !items.length" :cols="7"></empty-row>
        </tbody>
      </table>
    </div>

    <modal v-if="dialog" size="wide" :title="t(dialog.mode === 'create' ? 'queues.new' : 'queues.edit')" testid="queue-dialog" @close="dialog = null">
      <div class="seg" role="tablist" style="align-self:flex-start;flex-wrap:wrap;height:auto">
        <button v-for="sec in SECTIONS" :key="sec" type="button" role="tab" :class="{ active: dialog.section === sec }"
          :data-testid="'queue-tab-' + sec" @click="dialog.section = sec">{{ t('queues.section.' + sec) }}<span v-if="sectionHasError(sec)" class="req">*</span></button>
      </div>
      <form @submit.prevent="save" novalidate>
        <div v-show="dialog.section === 'basics'" class="form-grid">
          <form-field :label="t('queues.name')" required :error="dialog.errors.name" testid="queue-form-name-error">
            <input type="text" v-model="dialog.form.name" data-testid="queue-form-name">
          </form-field>
          <form-field :label="t('queues.strategy')" :error="dialog.errors.strategy" testid="queue-form-strategy-error" :hint="t('strategyHint.' + dialog.form.strategy)">
            <select v-model="dialog.form.strategy" data-testid="queue-form-strategy">
              <option v-for="s in choices()" :key="s" :value="s">{{ strategyLabel(s) }}</option>
            </select>
          </form-field>
          <form-field span :label="t('queues.description')" :error="dialog.errors.description" testid="queue-form-description-error">
            <textarea rows="2" v-model="dialog.form.description" data-testid="queue-form-description"></textarea>
          </form-field>
        </div>
        <div v-show="dialog.section === 'ringing'" class="form-grid">
          <form-field :label="t('queues.ringTimeoutSeconds')" :hint="t('queues.hint.ringTimeoutSeconds')" :error="err('ringTimeoutSeconds')" testid="queue-form-ringTimeoutSeconds-error">
            <input type="number" v-model="dialog.form.ringTimeoutSeconds" data-testid="queue-form-ringTimeoutSeconds">
          </form-field>
          <form-field :label="t('queues.wrapUpSeconds')" :hint="t('queues.hint.wrapUpSeconds')" :error="err('wrapUpSeconds')" testid="queue-form-wrapUpSeconds-error">
            <input type="number" v-model="dialog.form.wrapUpSeconds" data-testid="queue-form-wrapUpSeconds">
          </form-field>
          <form-field :label="t('queues.autoPauseAfterMissed')" :hint="t('queues.hint.autoPauseAfterMissed')" :error="err('autoPauseAfterMissed')" testid="queue-form-autoPauseAfterMissed-error">
            <input type="number" v-model="dialog.form.autoPauseAfterMissed" data-testid="queue-form-autoPauseAfterMissed">
          </form-field>
          <div class="field" style="justify-content:flex-end;gap:8px">
            <label class="check"><input type="checkbox" v-model="dialog.form.agentAnnounce" data-testid="queue-form-agentAnnounce">{{ t('queues.agentAnnounce') }}</label>
            <label class="check"><input type="checkbox" v-model="dialog.form.record" data-testid="queue-form-record">{{ t('queues.record') }}</label>
          </div>
        </div>
        <div v-show="dialog.section === 'waiting'" class="form-grid">
          <form-field :label="t('queues.serviceLevelSeconds')" :hint="t('queues.hint.serviceLevelSeconds')" :error="err('serviceLevelSeconds')" testid="queue-form-serviceLevelSeconds-error">
            <input type="number" v-model="dialog.form.serviceLevelSeconds" data-testid="queue-form-serviceLevelSeconds">
          </form-field>
          <form-field :label="t('queues.shortAbandonSeconds')" :hint="t('queues.hint.shortAbandonSeconds')" :error="err('shortAbandonSeconds')" testid="queue-form-shortAbandonSeconds-error">
            <input type="number" v-model="dialog.form.shortAbandonSeconds" data-testid="queue-form-shortAbandonSeconds">
          </form-field>
          <form-field :label="t('queues.maxWaitSeconds')" :hint="t('queues.hint.maxWaitSeconds')" :error="err('maxWaitSeconds')" testid="queue-form-maxWaitSeconds-error">
            <input type="number" v-model="dialog.form.maxWaitSeconds" data-testid="queue-form-maxWaitSeconds">
          </form-field>
          <form-field :label="t('queues.maxCallers')" :hint="t('queues.hint.maxCallers')" :error="err('maxCallers')" testid="queue-form-maxCallers-error">
            <input type="number" v-model="dialog.form.maxCallers" data-testid="queue-form-maxCallers">
          </form-field>
          <form-field :label="t('queues.announcePositionSeconds')" :hint="t('queues.hint.announcePositionSeconds')" :error="err('announcePositionSeconds')" testid="queue-form-announcePositionSeconds-error">
            <input type="number" v-model="dialog.form.announcePositionSeconds" data-testid="queue-form-announcePositionSeconds">
          </form-field>
          <form-field :label="t('queues.periodicSeconds')" :hint="t('queues.hint.periodicSeconds')" :error="err('periodicSeconds')" testid="queue-form-periodicSeconds-error">
            <input type="number" v-model="dialog.form.periodicSeconds" data-testid="queue-form-periodicSeconds">
          </form-field>
          <form-field span :label="t('queues.periodicText')" :error="err('periodicText')" testid="queue-form-periodicText-error">
            <input type="text" v-model="dialog.form.periodicText" data-testid="queue-form-periodicText">
          </form-field>
          <form-field :label="t('queues.voicemailKey')" :hint="t('queues.hint.voicemailKey')" :error="err('voicemailKey')" testid="queue-form-voicemailKey-error">
            <select v-model="dialog.form.voicemailKey" data-testid="queue-form-voicemailKey">
              <option value="">{{ t('queues.noKey') }}</option><option v-for="k in KEYS" :key="k" :value="k">{{ k }}</option>
            </select>
          </form-field>
          <form-field :label="t('queues.callbackKey')" :hint="t('queues.hint.callbackKey')" :error="err('callbackKey')" testid="queue-form-callbackKey-error">
            <select v-model="dialog.form.callbackKey" data-testid="queue-form-callbackKey">
              <option value="">{{ t('queues.noKey') }}</option><option v-for="k in KEYS" :key="k" :value="k">{{ k }}</option>
            </select>
          </form-field>
        </div>
        <div v-show="dialog.section === 'survey'" class="form-grid">
          <div class="field span">
            <label class="check"><input type="checkbox" v-model="dialog.form.survey.enabled" data-testid="queue-form-survey-enabled">{{ t('queues.survey.enabled') }}</label>
            <div class="field-hint">{{ t('queues.hint.survey') }}</div>
          </div>
          <form-field :label="t('queues.survey.language')" :error="err('survey.language')" testid="queue-form-survey-language-error">
            <select v-model="dialog.form.survey.language" data-testid="queue-form-survey-language">
              <option value="zh">{{ t('lang.zh') }}</option><option value="en">{{ t('lang.en') }}</option>
            </select>
          </form-field>
          <form-field v-for="p in ['scorePrompt', 'reasonPrompt', 'thanksPrompt']" :key="p" span :label="t('queues.survey.' + p)"
            :hint="t('queues.hint.surveyPrompt')" :error="err('survey.' + p)" :testid="'queue-form-survey-' + p + '-error'">
            <input type="text" v-model="dialog.form.survey[p]" :placeholder="t('promptKey.' + SURVEY_DEFAULTS[p])" :data-testid="'queue-form-survey-' + p">
          </form-field>
        </div>
        <div v-show="dialog.section === 'overflow'" class="form-grid">
          <template v-for="which in ['overflow', 'noAgents']" :key="which">
            <form-field :label="t('queues.' + which)" :hint="t('queues.hint.' + which)" :error="err(which)" :testid="'queue-form-' + which + '-error'">
              <select v-model="dialog.form[which].type" :data-testid="'queue-form-' + which + '-type'">
                <option value="">{{ t('queues.dest.none.' + which) }}</option>
                <option v-for="d in DEST_TYPES" :key="d" :value="d">{{ t('queues.dest.' + d) }}</option>
              </select>
            </form-field>
            <form-field :label="t('queues.destValue')">
              <input type="text" v-model="dialog.form[which].value" :list="'queue-targets-' + which" :disabled="!dialog.form[which].type || dialog.form[which].type === 'hangup'"
                :data-testid="'queue-form-' + which + '-value'">
              <datalist :id="'queue-targets-' + which"><option v-for="x in targets(dialog.form[which].type)" :key="x" :value="x"></option></datalist>
            </form-field>
          </template>
        </div>
        <div v-show="dialog.section === 'skills'" style="display:flex;flex-direction:column;gap:10px">
          <div class="muted">{{ t('queues.skillsHint') }}</div>
          <div v-for="(r, i) in dialog.form.skills" :key="i" class="form-grid inner three" :data-testid="'queue-skill-' + i">
            <select v-model="r.skill" :data-testid="'queue-skill-name-' + i">
              <option v-for="s in skills" :key="s.id" :value="s.name">{{ s.name }}</option>
            </select>
            <input type="number" min="1" max="10" v-model="r.minLevel" :title="t('queues.minLevel')" :data-testid="'queue-skill-level-' + i">
            <button type="button" class="btn-link danger" @click="dialog.form.skills.splice(i, 1)">{{ t('common.delete') }}</button>
          </div>
          <div v-if="err('skills')" class="field-error" data-testid="queue-form-skills-error">{{ fieldErrorText(err('skills')) }}</div>
          <div><button type="button" class="btn btn-sm" :disabled="!skills.length" data-testid="queue-skill-add" @click="addSkill">+ {{ t('queues.addSkill') }}</button></div>
          <form-field :label="t('queues.widenSkillsAfterSeconds')" :hint="t('queues.hint.widenSkillsAfterSeconds')" :error="err('widenSkillsAfterSeconds')" testid="queue-form-widenSkillsAfterSeconds-error">
            <input type="number" v-model="dialog.form.widenSkillsAfterSeconds" data-testid="queue-form-widenSkillsAfterSeconds">
          </form-field>
        </div>
        <div v-show="dialog.section === 'vip'">
          <form-field :label="t('queues.vipNumbers')" :hint="t('queues.hint.vipNumbers')" :error="err('vipNumbers')" testid="queue-form-vipNumbers-error">
            <textarea rows="5" v-model="dialog.form.vipNumbers" data-testid="queue-form-vipNumbers"></textarea>
          </form-field>
          <form-field :label="t('queues.priorityAgingSeconds')" :hint="t('queues.hint.priorityAgingSeconds')" :error="err('priorityAgingSeconds')" testid="queue-form-priorityAgingSeconds-error">
            <input type="number" v-model="dialog.form.priorityAgingSeconds" data-testid="queue-form-priorityAgingSeconds">
          </form-field>
        </div>
        <form-alert :error="dialog.error" :known="['name', 'strategy', 'description'].concat(Object.keys(dialog.errors).filter((k) => k.startsWith('settings.')))"></form-alert>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="queue-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>

    <modal v-if="members" size="wide" :title="t('queues.membersOf', { name: members.queue.name })" testid="queue-members-dialog" @close="members = null">
      <div class="muted">{{ t('queues.penaltyHint') }}</div>
      <table class="grid" data-testid="queue-members-table">
        <thead><tr><th>{{ t('users.username') }}</th><th>{{ t('users.displayName') }}</th><th>{{ t('users.jobNumber') }}</th><th>{{ t('queues.penalty') }}</th><th></th></tr></thead>
        <tbody>
          <tr v-for="x in members.list" :key="x.userId" :data-testid="'member-row-' + x.username">
            <td>{{ x.username }}</td><td>{{ dash(x.displayName) }}</td><td>{{ dash(x.jobNumber) }}</td>
            <td><input v-if="can('queue.write')" type="number" min="0" max="100" style="width:80px" v-model="x.edit" :data-testid="'member-penalty-' + x.username">
              <span v-else>{{ x.penalty }}</span></td>
            <td class="actions" v-if="can('queue.write')">
              <button class="btn-link" :disabled="members.busy || String(x.edit) === String(x.penalty)" :data-testid="'member-save-' + x.username" @click="setMember(x.userId, x.edit)">{{ t('common.save') }}</button>
              <button class="btn-link danger" :data-testid="'member-remove-' + x.username" @click="removeMember(x)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <empty-row v-if="!members.list.length" :cols="5" testid="queue-members-empty"></empty-row>
        </tbody>
      </table>
      <div v-if="can('queue.write') && can('user.read')" class="form-grid inner three" style="align-items:end">
        <form-field :label="t('queues.addMember')">
          <select v-model="members.add.userId" data-testid="member-add-user">
            <option value="">—</option>
            <option v-for="u in candidates()" :key="u.id" :value="u.id">{{ u.username }}{{ u.displayName ? ' · ' + u.displayName : '' }}</option>
          </select>
        </form-field>
        <form-field :label="t('queues.penalty')">
          <input type="number" min="0" max="100" v-model="members.add.penalty" data-testid="member-add-penalty">
        </form-field>
        <button class="btn btn-primary" :disabled="!members.add.userId || members.busy" data-testid="member-add" @click="setMember(members.add.userId, members.add.penalty)">+ {{ t('queues.addMember') }}</button>
      </div>
      <form-alert :error="members.error" testid="member-error"></form-alert>
      <template #footer><button class="btn" data-testid="members-close" @click="members = null">{{ t('common.close') }}</button></template>
    </modal>`,
};
