// Ring groups (PBX-3): several extensions rung for one call, all at once (the first to answer takes it)
// or one after the other; an optional internal number extensions dial; where the call goes when
// nobody answers. Numbers (DIDs) and flows' transfers point to a group by its name.

import { api, t, toast, toastError, confirmDialog } from '../common.js';
import { blankToNull, byNumber } from '../format.js';

export const STRATEGIES = ['ring_all', 'linear'];
export const FAIL_TYPES = ['hangup', 'voicemail', 'extension', 'queue'];

export const RingGroupsPage = {
  setup() { return { STRATEGIES, FAIL_TYPES }; },
  data() { return { items: [], extensions: [], queues: [], loading: true, loadError: null, dialog: null }; },
  created() { this.load(); this.loadChoices(); },
  computed: {
    sorted() { return [...this.items].sort((a, b) => String(a.name).localeCompare(String(b.name))); },
    extensionChoices() { return [...this.extensions].sort(byNumber); },
    /** Extensions not in the group yet, for the members picker. */
    addable() { return this.dialog ? this.extensionChoices.filter((e) => !this.dialog.form.members.includes(String(e.number))) : []; },
  },
  methods: {
    async load() {
      this.loading = true;
      try { this.items = await api.get('/ring-groups'); this.loadError = null; } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    async loadChoices() {
      if (this.can('extension.read')) {
        try { this.extensions = await api.get('/extensions'); } catch (e) { this.extensions = []; }
      }
      if (this.can('queue.read')) {
        try { this.queues = await api.get('/queues'); } catch (e) { this.queues = []; }
      }
    },
    extensionUser(number) {
      const x = this.extensions.find((e) => String(e.number) === String(number));
      return x && x.userName ? x.userName : null;
    },
    failText(f) {
      if (!f || f.type === 'hangup') return t('ringgroups.fail.hangup');
      return t('ringgroups.fail.' + f.type) + ' ' + (f.value || '');
    },
    openCreate() {
      this.dialog = { mode: 'create', id: null, errors: {}, error: null, saving: false, pick: '',
        form: { name: '', number: '', strategy: 'ring_all', ringSeconds: 20, members: [], failType: 'hangup', failValue: '' } };
    },
    openEdit(x) {
      const f = x.fail || { type: 'hangup' };
      this.dialog = { mode: 'edit', id: x.id, errors: {}, error: null, saving: false, pick: '',
        form: { name: x.name, number: x.number || '', strategy: x.strategy, ringSeconds: x.ringSeconds, members: [...(x.members || [])],
          failType: f.type || 'hangup', failValue: f.value || '' } };
    },
    addMember() {
      const d = this.dialog;
      const v = String(d.pick || '').trim();
      if (v && !d.form.members.includes(v)) d.form.members.push(v);
      d.pick = '';
    },
    removeMember(i) { this.dialog.form.members.splice(i, 1); },
    moveMember(i, delta) {
      const m = this.dialog.form.members;
      const j = i + delta;
      if (j < 0 || j >= m.length) return;
      const x = m[i]; m[i] = m[j]; m[j] = x;
    },
    setFailType(v) { if (this.dialog.form.failType !== v) { this.dialog.form.failType = v; this.dialog.form.failValue = ''; } },
    async save() {
      const d = this.dialog;
      const f = d.form;
      const body = { name: f.name.trim(), number: blankToNull(String(f.number).trim()), strategy: f.strategy,
        ringSeconds: Number(f.ringSeconds), members: f.members,
        fail: f.failType === 'hangup' ? { type: 'hangup' } : { type: f.failType, value: blankToNull(f.failValue) } };
      d.saving = true; d.errors = {}; d.error = null;
      try {
        if (d.mode === 'create') await api.post('/ring-groups', body); else await api.put('/ring-groups/' + d.id, body);
        this.dialog = null; toast(t('common.saved')); await this.load();
      } catch (e) { d.errors = e.fields ? e.fields() : {}; d.error = e; d.saving = false; }
    },
    async remove(x) {
      if (!(await confirmDialog(t('ringgroups.confirmDelete', { name: x.name })))) return;
      try { await api.del('/ring-groups/' + x.id); toast(t('common.deleted')); await this.load(); } catch (e) {
        if (e.status === 409) toast(t('ringgroups.inUse', { name: x.name }), 'error'); else toastError(e);
      }
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('ringgroups.title') }}</h1>
      <span class="sub">{{ t('ringgroups.subtitle') }}</span>
      <div class="spacer"></div>
      <button v-if="can('routing.write')" class="btn btn-primary" data-testid="ringgroup-new" @click="openCreate">+ {{ t('ringgroups.new') }}</button>
    </div>
    <div v-if="loadError" class="alert alert-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid" data-testid="ringgroups-table">
        <thead><tr>
          <th>{{ t('ringgroups.name') }}</th><th>{{ t('ringgroups.number') }}</th><th>{{ t('ringgroups.strategy') }}</th>
          <th>{{ t('ringgroups.members') }}</th><th>{{ t('ringgroups.failLabel') }}</th><th v-if="can('routing.write')"></th>
        </tr></thead>
        <tbody>
          <tr v-for="x in sorted" :key="x.id" :data-testid="'ringgroup-row-' + x.name">
            <td><span class="name">{{ x.name }}</span></td>
            <td><span class="mono">{{ dash(x.number) }}</span></td>
            <td :data-testid="'ringgroup-strategy-' + x.name">
              <span class="badge" :class="x.strategy === 'linear' ? 'badge-blue' : 'badge-ok'">{{ t('ringgroups.strategy.' + x.strategy) }}</span>
              <span class="muted"> · {{ t('ringgroups.seconds', { n: x.ringSeconds }) }}</span>
            </td>
            <td :data-testid="'ringgroup-members-' + x.name"><span class="mono">{{ (x.members || []).join(x.strategy === 'linear' ? ' → ' : ', ') }}</span></td>
            <td :data-testid="'ringgroup-fail-' + x.name">{{ failText(x.fail) }}</td>
            <td v-if="can('routing.write')" class="actions">
              <button class="btn-link" :data-testid="'ringgroup-edit-' + x.name" @click="openEdit(x)">{{ t('common.edit') }}</button>
              <button class="btn-link danger" :data-testid="'ringgroup-delete-' + x.name" @click="remove(x)">{{ t('common.delete') }}</button>
            </td>
          </tr>
          <tr v-if="loading && !items.length"><td class="empty" colspan="6">{{ t('common.loading') }}</td></tr>
          <tr v-if="!loading && !items.length"><td class="empty" colspan="6" data-testid="ringgroups-empty">{{ t('common.noData') }}</td></tr>
        </tbody>
      </table>
    </div>
    <div class="field-hint page-note">{{ t('ringgroups.hint') }}</div>
    <modal v-if="dialog" size="small" :title="t(dialog.mode === 'create' ? 'ringgroups.new' : 'ringgroups.edit')" testid="ringgroup-dialog" @close="dialog = null">
      <form @submit.prevent="save" novalidate style="display:flex;flex-direction:column;gap:14px">
        <form-field :label="t('ringgroups.name')" required :error="dialog.errors.name" testid="ringgroup-form-name-error">
          <input type="text" v-model="dialog.form.name" data-testid="ringgroup-form-name">
        </form-field>
        <form-field :label="t('ringgroups.number')" :error="dialog.errors.number" testid="ringgroup-form-number-error" :hint="t('ringgroups.numberHint')">
          <input type="text" v-model="dialog.form.number" data-testid="ringgroup-form-number" inputmode="numeric">
        </form-field>
        <form-field :label="t('ringgroups.strategy')" :error="dialog.errors.strategy" testid="ringgroup-form-strategy-error"
                    :hint="t('ringgroups.strategyHint.' + dialog.form.strategy)">
          <select v-model="dialog.form.strategy" data-testid="ringgroup-form-strategy">
            <option v-for="s in STRATEGIES" :key="s" :value="s">{{ t('ringgroups.strategy.' + s) }}</option>
          </select>
        </form-field>
        <form-field :label="t('ringgroups.ringSeconds')" :error="dialog.errors.ringSeconds" testid="ringgroup-form-ring-error" :hint="t('ringgroups.ringSecondsHint')">
          <input type="number" min="5" max="120" v-model="dialog.form.ringSeconds" data-testid="ringgroup-form-ring">
        </form-field>
        <form-field :label="t('ringgroups.members')" required :error="dialog.errors.members" testid="ringgroup-form-members-error"
                    :hint="dialog.form.strategy === 'linear' ? t('ringgroups.membersOrderHint') : ''">
          <div class="member-list" data-testid="ringgroup-form-members">
            <div v-for="(m, i) in dialog.form.members" :key="m" class="member-item" :data-testid="'ringgroup-member-' + m" style="display:flex;gap:8px;align-items:center">
              <span class="mono">{{ i + 1 }}. {{ m }}</span><span v-if="extensionUser(m)" class="muted">{{ extensionUser(m) }}</span>
              <span class="spacer" style="flex:1"></span>
              <button type="button" class="btn-link" :disabled="i === 0" :title="t('ringgroups.up')" :data-testid="'ringgroup-member-up-' + m" @click="moveMember(i, -1)">↑</button>
              <button type="button" class="btn-link" :disabled="i === dialog.form.members.length - 1" :title="t('ringgroups.down')" @click="moveMember(i, 1)">↓</button>
              <button type="button" class="btn-link danger" :data-testid="'ringgroup-member-remove-' + m" @click="removeMember(i)">{{ t('common.delete') }}</button>
            </div>
            <div style="display:flex;gap:8px">
              <select v-if="can('extension.read')" v-model="dialog.pick" data-testid="ringgroup-form-pick">
                <option value="">{{ t('ringgroups.addMember') }}</option>
                <option v-for="e in addable" :key="e.id" :value="String(e.number)">{{ e.number }}{{ e.userName ? ' · ' + e.userName : '' }}</option>
              </select>
              <input v-else type="text" v-model="dialog.pick" data-testid="ringgroup-form-pick" inputmode="numeric">
              <button type="button" class="btn" data-testid="ringgroup-form-add" :disabled="!dialog.pick" @click="addMember">+ {{ t('ringgroups.add') }}</button>
            </div>
          </div>
        </form-field>
        <form-field :label="t('ringgroups.failLabel')" :error="dialog.errors.fail" testid="ringgroup-form-fail-error" :hint="t('ringgroups.failHint')">
          <select :value="dialog.form.failType" data-testid="ringgroup-form-fail-type" @change="setFailType($event.target.value)">
            <option v-for="f in FAIL_TYPES" :key="f" :value="f">{{ t('ringgroups.fail.' + f) }}</option>
          </select>
        </form-field>
        <form-field v-if="dialog.form.failType === 'voicemail'" :label="t('ringgroups.failBox')" required testid="ringgroup-form-fail-value-error">
          <select v-model="dialog.form.failValue" data-testid="ringgroup-form-fail-value">
            <option value="">{{ t('common.choose') }}</option>
            <option v-if="dialog.form.failValue && !extensions.some((e) => 'extension:' + e.number === dialog.form.failValue) && !queues.some((q) => 'queue:' + q.name === dialog.form.failValue)" :value="dialog.form.failValue">{{ dialog.form.failValue }}</option>
            <option v-for="e in extensionChoices" :key="'x' + e.id" :value="'extension:' + e.number">{{ t('ringgroups.fail.extension') }} {{ e.number }}{{ e.userName ? ' · ' + e.userName : '' }}</option>
            <option v-for="q in queues" :key="'q' + q.id" :value="'queue:' + q.name">{{ t('ringgroups.fail.queue') }} {{ q.name }}</option>
          </select>
        </form-field>
        <form-field v-else-if="dialog.form.failType === 'extension'" :label="t('ringgroups.fail.extension')" required testid="ringgroup-form-fail-value-error">
          <select v-if="can('extension.read')" v-model="dialog.form.failValue" data-testid="ringgroup-form-fail-value">
            <option value="">{{ t('common.choose') }}</option>
            <option v-for="e in extensionChoices" :key="e.id" :value="String(e.number)">{{ e.number }}{{ e.userName ? ' · ' + e.userName : '' }}</option>
          </select>
          <input v-else type="text" v-model="dialog.form.failValue" data-testid="ringgroup-form-fail-value">
        </form-field>
        <form-field v-else-if="dialog.form.failType === 'queue'" :label="t('ringgroups.fail.queue')" required testid="ringgroup-form-fail-value-error">
          <select v-if="can('queue.read')" v-model="dialog.form.failValue" data-testid="ringgroup-form-fail-value">
            <option value="">{{ t('common.choose') }}</option>
            <option v-for="q in queues" :key="q.id" :value="q.name">{{ q.name }}</option>
          </select>
          <input v-else type="text" v-model="dialog.form.failValue" data-testid="ringgroup-form-fail-value">
        </form-field>
        <form-alert :error="dialog.error" :known="['name', 'number', 'strategy', 'ringSeconds', 'members', 'fail']"></form-alert>
        <button type="submit" hidden></button>
      </form>
      <template #footer>
        <button class="btn" @click="dialog = null">{{ t('common.cancel') }}</button>
        <button class="btn btn-primary" data-testid="ringgroup-save" :disabled="dialog.saving" @click="save">{{ t('common.save') }}</button>
      </template>
    </modal>`,
};
