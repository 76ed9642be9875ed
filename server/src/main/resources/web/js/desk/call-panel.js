import { clock } from '../format.js';
import { desk, current, other, otherRef, command, callTimer, shownState } from './store.js';
import { DialLink } from './dial-link.js';
import { CallMemos } from './call-work.js';

/**
 * The current call: who, from which queue, how long they waited, the transferring colleague's notes; our notes and memos. The
 * ticket opened from the call sits in the customer panel, under the pop it is filled in from.
 */
export const CallPanel = {
  components: { DialLink, CallMemos },
  setup() { return { desk, current, clock }; },
  data() { return { drafts: {}, saving: false }; },
  computed: {
    call() { return current.value; },
    draft: {
      get() { const c = this.call; return c ? (this.drafts[c.legId] !== undefined ? this.drafts[c.legId] : (c.notes || '')) : ''; },
      set(v) { if (this.call) this.drafts[this.call.legId] = v; },
    },
    dirty() { const c = this.call; return !!c && this.drafts[c.legId] !== undefined && this.drafts[c.legId] !== (c.notes || ''); },
  },
  methods: {
    async saveNotes() {
      const c = this.call;
      if (!c || !this.dirty) return;
      this.saving = true;
      try {
        const notes = this.drafts[c.legId];
        await command('notes', { legId: c.legId, notes });
        c.notes = notes;
        delete this.drafts[c.legId];
      } catch (e) { /* shown */ } finally { this.saving = false; }
    },
    other, otherRef,
    callTimer,
    shownState,
  },
  template: `
    <div class="panel" data-testid="desk-call-panel">
      <div class="panel-head"><h2>{{ t('agent.currentCall') }}</h2><span class="spacer" style="flex:1"></span>
        <span v-if="call" class="badge" :class="{ 'badge-ok': call.state === 'talking', 'badge-warn': call.state === 'held', 'badge-blue': call.state === 'ringing' }" data-testid="desk-call-panel-state">{{ t('desk.callState.' + shownState(call)) }} {{ callTimer(call) }}</span></div>
      <div v-if="call" class="panel-body call-panel">
        <div v-if="desk.supervised[call.legId]" class="alert alert-info" data-testid="desk-supervised" :data-mode="desk.supervised[call.legId]">{{ t('desk.supervised.' + desk.supervised[call.legId]) }}</div>
        <dl class="kv cols-2">
          <dt>{{ t(call.direction === 'outbound' ? 'desk.callee' : 'desk.caller') }}</dt>
          <dd data-testid="desk-caller-number"><dial-link :number="other(call)" :dial-ref="otherRef(call)"></dial-link></dd>
          <dt>{{ t('desk.callerName') }}</dt><dd data-testid="desk-caller-name">{{ dash(call.callerName) }}</dd>
          <dt>{{ t('calls.direction') }}</dt><dd data-testid="desk-call-direction">{{ tOr('calls.direction.' + call.direction, call.direction) }}</dd>
          <template v-if="call.path && call.path.dialled && call.direction !== 'outbound'"><dt>{{ t('desk.dialled') }}</dt><dd data-testid="desk-call-dialled">{{ call.path.dialled }}</dd></template>
          <template v-if="call.path && call.path.page"><dt>{{ t('desk.webPage') }}</dt><dd><a :href="call.path.page" target="_blank" rel="noopener noreferrer" class="mono" data-testid="desk-call-page">{{ call.path.page }}</a></dd></template>
          <template v-if="call.path && call.path.ivrPath"><dt>{{ t('desk.ivrPath') }}</dt><dd data-testid="desk-call-ivr-path">{{ call.path.ivrPath }}</dd></template>
          <dt>{{ t('desk.queue') }}</dt><dd data-testid="desk-call-queue">{{ dash(call.queue) }}</dd>
          <dt>{{ t('desk.waited') }}</dt><dd data-testid="desk-call-waited">{{ call.queue || call.waitedSeconds ? clock(call.waitedSeconds) : '—' }}</dd>
        </dl>
        <div v-if="call.transfer" class="alert alert-info transfer-note" data-testid="desk-transfer-from">
          <div>{{ t('desk.transferredBy', { job: call.transfer.fromJob || '—', name: call.transfer.fromName || '' }) }}</div>
          <div v-if="call.transfer.notes" data-testid="desk-transfer-notes"><b>{{ t('desk.theirNotes') }}</b> {{ call.transfer.notes }}</div>
        </div>
        <label class="field"><span class="field-label">{{ t('desk.notes') }}</span>
          <textarea v-model="draft" rows="3" maxlength="2000" data-testid="desk-notes" :placeholder="t('desk.notesHint')" @blur="saveNotes"></textarea>
        </label>
        <div class="notes-actions">
          <span v-if="dirty" class="muted small">{{ t('desk.notesUnsaved') }}</span>
          <button class="btn btn-sm" :disabled="!dirty || saving" data-testid="desk-notes-save" @click="saveNotes">{{ t('common.save') }}</button>
        </div>
        <call-memos v-if="can('ticket.read')" :call="call"></call-memos>
      </div>
      <div v-else class="placeholder" data-testid="desk-no-call">
        <div>{{ t('agent.noCall') }}</div>
        <div v-if="desk.ended" class="small" data-testid="desk-last-ended">{{ t('desk.lastEnded', { number: other(desk.ended.call), cause: tOr('calls.cause.' + desk.ended.cause, desk.ended.cause || '—') }) }}</div>
      </div>
    </div>`,
};
