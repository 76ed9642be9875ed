// Operation log: filter by time range, user and action; newest first; paged.

import { api, t, tOr } from '../common.js';
import { toIso } from '../format.js';

const PAGE = 50;

// Actions the server records, by category; the filter matches by prefix, so "user." finds all user changes.
export const ACTIONS = {
  auth: ['auth.login', 'auth.login_failed', 'auth.logout', 'auth.password_change'],
  user: ['user.create', 'user.update', 'user.delete'],
  department: ['department.create', 'department.update', 'department.delete'],
  role: ['role.create', 'role.update', 'role.delete'],
  extension: ['extension.create', 'extension.update', 'extension.delete'],
  queue: ['queue.create', 'queue.update', 'queue.delete', 'queue.member.set', 'queue.member.remove'],
  skill: ['skill.create', 'skill.delete', 'agent.skills'],
  reason: ['reason.create', 'reason.delete'],
  agent: ['agent.state'],
  trunk: ['trunk.create', 'trunk.update', 'trunk.delete'],
  number: ['number.create', 'number.update', 'number.delete'],
  route: ['route.create', 'route.update', 'route.delete'],
  blacklist: ['blacklist.add', 'blacklist.remove'],
  token: ['token.create', 'token.delete'],
  conference: ['conference.create', 'conference.update', 'conference.delete'],
  recording: ['recording.settings'],
  moh: ['moh.upload', 'moh.delete'],
  flow: ['flow.create', 'flow.save', 'flow.publish', 'flow.rollback', 'flow.delete'],
  enterprise: ['enterprise.create', 'enterprise.update'],
};

export const AuditPage = {
  setup() { return { ACTIONS, PAGE }; },
  data() { return { items: [], total: 0, offset: 0, loading: true, loadError: null, f: { from: '', to: '', user: '', action: '' } }; },
  created() { this.load(); },
  computed: {
    first() { return this.total ? this.offset + 1 : 0; },
    last() { return Math.min(this.offset + this.items.length, this.total); },
  },
  methods: {
    actionLabel(a) { return a ? tOr('audit.action.' + a, a) : '—'; },
    categoryLabel(c) { return tOr('audit.category.' + c, c); },
    async load() {
      this.loading = true;
      try {
        const res = await api.get('/audit', {
          from: toIso(this.f.from), to: toIso(this.f.to), user: this.f.user.trim(), action: this.f.action.trim(),
          limit: PAGE, offset: this.offset,
        });
        this.items = (res && res.items) || [];
        this.total = (res && res.total) || 0;
        this.loadError = null;
      } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    search() { this.offset = 0; this.load(); },
    reset() { this.f = { from: '', to: '', user: '', action: '' }; this.search(); },
    prev() { this.offset = Math.max(0, this.offset - PAGE); this.load(); },
    next() { if (this.offset + PAGE < this.total) { this.offset += PAGE; this.load(); } },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('audit.title') }}</h1>
      <span class="sub">{{ t('audit.subtitle') }}</span>
    </div>
    <form class="toolbar" @submit.prevent="search">
      <form-field :label="t('audit.from')"><input type="datetime-local" v-model="f.from" data-testid="audit-from"></form-field>
      <form-field :label="t('audit.to')"><input type="datetime-local" v-model="f.to" data-testid="audit-to"></form-field>
      <form-field :label="t('audit.user')"><input type="text" v-model="f.user" data-testid="audit-user" :placeholder="t('audit.userHint')"></form-field>
      <form-field :label="t('audit.action')">
        <select v-model="f.action" data-testid="audit-action" @change="search">
          <option value="">{{ t('audit.allActions') }}</option>
          <optgroup v-for="(list, cat) in ACTIONS" :key="cat" :label="categoryLabel(cat)">
            <option :value="cat + '.'">{{ t('audit.allOf', { category: categoryLabel(cat) }) }}</option>
            <option v-for="a in list" :key="a" :value="a">{{ actionLabel(a) }}</option>
          </optgroup>
        </select>
      </form-field>
      <button type="submit" class="btn btn-primary" data-testid="audit-search">{{ t('common.search') }}</button>
      <button type="button" class="btn" @click="reset">{{ t('common.reset') }}</button>
    </form>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="audit-table">
        <thead><tr>
          <th>{{ t('audit.at') }}</th><th>{{ t('audit.user') }}</th><th>{{ t('audit.action') }}</th>
          <th>{{ t('audit.target') }}</th><th>{{ t('audit.detail') }}</th><th>{{ t('audit.ip') }}</th>
        </tr></thead>
        <tbody>
          <tr v-for="a in items" :key="a.id">
            <td class="mono" style="white-space:nowrap">{{ fmtTime(a.at) }}</td>
            <td>{{ dash(a.username) }}</td>
            <td><span class="badge">{{ actionLabel(a.action) }}</span></td>
            <td>{{ dash(a.target) }}</td>
            <td style="max-width:360px;word-break:break-word">{{ dash(a.detail) }}</td>
            <td class="mono">{{ dash(a.ip) }}</td>
          </tr>
          <empty-row v-if="!loading && !items.length" :cols="6"></empty-row>
        </tbody>
      </table>
      <div class="pager">
        <span data-testid="audit-range">{{ t('common.range', { first, last, total }) }}</span>
        <button class="btn btn-sm" data-testid="audit-prev" :disabled="offset === 0 || loading" @click="prev">{{ t('common.prev') }}</button>
        <button class="btn btn-sm" data-testid="audit-next" :disabled="offset + PAGE >= total || loading" @click="next">{{ t('common.next') }}</button>
      </div>
    </div>`,
};
