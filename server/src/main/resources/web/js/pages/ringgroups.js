// Ring groups (PBX-3): several extensions rung for one call, all at once (the first to answer takes it)
// or one after the other; an optional internal number extensions dial; where the call goes when
// nobody answers. Numbers (DIDs) and flows' transfers point to a group by its name.

import { api, t, toast } from '../common.js';
import { blankToNull, byName, byNumber, destinationLabel } from '../format.js';
import { CrudTable } from '../components/crud-table.js';

export const STRATEGIES = ['ring_all', 'linear', 'page'];
export const FAIL_TYPES = ['hangup', 'voicemail', 'extension', 'queue'];

export const RingGroupsPage = {
  components: { CrudTable },
  setup() { return { STRATEGIES, FAIL_TYPES, byName }; },
  data() { return { extensions: [], queues: [] }; },
  created() { this.loadChoices(); },
  computed: {
    extensionChoices() { return [...this.extensions].sort(byNumber); },
    columns() {
      return [
        { key: 'name', label: t('ringgroups.name'), span: 'name' },
        { key: 'number', label: t('ringgroups.number'), span: 'mono' },
        { key: 'strategy', label: t('ringgroups.strategy'), testid: (x) => 'ringgroup-strategy-' + x.name },
        { key: 'members', label: t('ringgroups.members'), span: 'mono', testid: (x) => 'ringgroup-members-' + x.name,
          text: (x) => (x.members || []).join(x.strategy === 'linear' ? ' → ' : ', ') },
        { key: 'fail', label: t('ringgroups.failLabel'), testid: (x) => 'ringgroup-fail-' + x.name, text: (x) => this.failText(x.fail) },
      ];
    },
    fields() {
      return [
        { key: 'name', label: t('ringgroups.name'), required: true },
        { key: 'number', label: t('ringgroups.number'), hint: t('ringgroups.numberHint'), inputmode: 'numeric' },
        { key: 'strategy', label: t('ringgroups.strategy'), type: 'select', hint: (d) => t('ringgroups.strategyHint.' + d.form.strategy),
          options: STRATEGIES.map((s) => ({ value: s, label: t('ringgroups.strategy.' + s) })) },
        { key: 'ringSeconds' },
        { key: 'members' },
        { key: 'fail' },
      ];
    },
  },
  methods: {
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
      // A voicemail box is "queue:sales" / "extension:1001": in words.
      const value = f.value && f.value.includes(':') ? destinationLabel(f.value) : (f.value || '');
      return t('ringgroups.fail.' + f.type) + ' ' + value;
    },
    /** Extensions not in the group yet, for the members picker. */
    addable(d) { return this.extensionChoices.filter((e) => !d.form.members.includes(String(e.number))); },
    addMember(d) {
      const v = String(d.form.pick || '').trim();
      if (v && !d.form.members.includes(v)) d.form.members.push(v);
      d.form.pick = '';
    },
    removeMember(d, i) { d.form.members.splice(i, 1); },
    moveMember(d, i, delta) {
      const m = d.form.members;
      const j = i + delta;
      if (j < 0 || j >= m.length) return;
      const x = m[i]; m[i] = m[j]; m[j] = x;
    },
    setFailType(d, v) { if (d.form.failType !== v) { d.form.failType = v; d.form.failValue = ''; } },
    blank() { return { name: '', number: '', strategy: 'ring_all', ringSeconds: 20, members: [], failType: 'hangup', failValue: '', pick: '' }; },
    toForm(x) {
      const f = x.fail || { type: 'hangup' };
      return { name: x.name, number: x.number || '', strategy: x.strategy, ringSeconds: x.ringSeconds, members: [...(x.members || [])],
        failType: f.type || 'hangup', failValue: f.value || '', pick: '' };
    },
    toBody(f) {
      return { name: f.name.trim(), number: blankToNull(String(f.number).trim()), strategy: f.strategy,
        ringSeconds: Number(f.ringSeconds), members: f.members,
        fail: f.failType === 'hangup' ? { type: 'hangup' } : { type: f.failType, value: blankToNull(f.failValue) } };
    },
    confirmText(x) { return t('ringgroups.confirmDelete', { name: x.name }); },
    inUse(e, x) {
      if (e.status !== 409) return false;
      toast(t('ringgroups.inUse', { name: x.name }), 'error');
      return true;
    },
  },
  template: `
    <crud-table path="/ring-groups" name="ringgroup" table-testid="ringgroups-table" write-perm="routing.write" modal-size="small"
      :title="t('ringgroups.title')" :subtitle="t('ringgroups.subtitle')" :new-label="t('ringgroups.new')" :edit-title="t('ringgroups.edit')"
      :columns="columns" :fields="fields" :blank="blank" :to-form="toForm" :to-body="toBody" :sort="byName" :row-id="(x) => x.name"
      :confirm-text="confirmText" :on-delete-error="inUse" loading-row empty-testid="ringgroups-empty">
      <template #cell-strategy="{ row: x }">
        <span class="badge" :class="x.strategy === 'linear' ? 'badge-blue' : 'badge-ok'">{{ t('ringgroups.strategy.' + x.strategy) }}</span>
        <span class="muted"> · {{ t('ringgroups.seconds', { n: x.ringSeconds }) }}</span>
      </template>
      <template #below><div class="field-hint page-note">{{ t('ringgroups.hint') }}</div></template>
      <template #field-ringSeconds="{ dialog }">
        <form-field :label="t('ringgroups.ringSeconds')" :error="dialog.errors.ringSeconds" testid="ringgroup-form-ring-error" :hint="t('ringgroups.ringSecondsHint')">
          <input type="number" min="5" max="120" v-model="dialog.form.ringSeconds" data-testid="ringgroup-form-ring">
        </form-field>
      </template>
      <template #field-members="{ dialog }">
          <form-field :label="t('ringgroups.members')" required :error="dialog.errors.members" testid="ringgroup-form-members-error"
                      :hint="dialog.form.strategy === 'linear' ? t('ringgroups.membersOrderHint') : ''">
            <div class="member-list" data-testid="ringgroup-form-members">
              <div v-for="(m, i) in dialog.form.members" :key="m" class="member-item" :data-testid="'ringgroup-member-' + m" style="display:flex;gap:8px;align-items:center">
                <span class="mono">{{ i + 1 }}. {{ m }}</span><span v-if="extensionUser(m)" class="muted">{{ extensionUser(m) }}</span>
                <span class="spacer" style="flex:1"></span>
                <button type="button" class="btn-link" :disabled="i === 0" :title="t('ringgroups.up')" :data-testid="'ringgroup-member-up-' + m" @click="moveMember(dialog, i, -1)">↑</button>
                <button type="button" class="btn-link" :disabled="i === dialog.form.members.length - 1" :title="t('ringgroups.down')" @click="moveMember(dialog, i, 1)">↓</button>
                <button type="button" class="btn-link danger" :data-testid="'ringgroup-member-remove-' + m" @click="removeMember(dialog, i)">{{ t('common.delete') }}</button>
              </div>
              <div style="display:flex;gap:8px">
                <select v-if="can('extension.read')" v-model="dialog.form.pick" data-testid="ringgroup-form-pick">
                  <option value="">{{ t('ringgroups.addMember') }}</option>
                  <option v-for="e in addable(dialog)" :key="e.id" :value="String(e.number)">{{ e.number }}{{ e.userName ? ' · ' + e.userName : '' }}</option>
                </select>
                <input v-else type="text" v-model="dialog.form.pick" data-testid="ringgroup-form-pick" inputmode="numeric">
                <button type="button" class="btn" data-testid="ringgroup-form-add" :disabled="!dialog.form.pick" @click="addMember(dialog)">+ {{ t('ringgroups.add') }}</button>
              </div>
            </div>
          </form-field>
      </template>
      <template #field-fail="{ dialog }">
          <form-field :label="t('ringgroups.failLabel')" :error="dialog.errors.fail" testid="ringgroup-form-fail-error" :hint="t('ringgroups.failHint')">
            <select :value="dialog.form.failType" data-testid="ringgroup-form-fail-type" @change="setFailType(dialog, $event.target.value)">
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
      </template>
    </crud-table>`,
};
