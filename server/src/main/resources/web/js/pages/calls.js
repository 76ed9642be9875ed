// Call records (RPT-1, issue 14): every call with who, when, how long, how it ended for the business
// (answered by a person, voicemail, IVR only, abandoned in the IVR / the queue / while ringing,
// unanswered), the queue, the agent, wait and talk time, hold and transfer marks and the IVR path;
// filters by time, number, outcome, disposition, queue, agent and direction; a row opens the call's
// event timeline from the event log and, with recording.read, the call's recording to play.

import { api, t, tOr } from '../common.js';
import { fmtDuration, fmtMs, toIso, byName } from '../format.js';
import { recordingAudioUrl, recordingDownloadUrl } from '../media.js';

const PAGE = 50;

export const OUTCOMES = ['answered', 'busy', 'no_answer', 'cancelled', 'rejected', 'blocked', 'failed'];
const OUTCOME_CLASS = { answered: 'badge-ok', blocked: 'badge-danger', rejected: 'badge-warn', failed: 'badge-danger' };
export const DISPOSITIONS = ['answered', 'voicemail', 'ivr_only', 'abandoned_ivr', 'abandoned_queue', 'abandoned_ringing', 'unanswered'];
const DISPOSITION_CLASS = { answered: 'badge-ok', voicemail: 'badge-blue', ivr_only: 'badge-blue', abandoned_ivr: 'badge-warn',
  abandoned_queue: 'badge-danger', abandoned_ringing: 'badge-danger', unanswered: 'badge-warn' };
const DIRECTIONS = ['inbound', 'outbound', 'internal'];
const EMPTY_FILTER = () => ({ from: '', to: '', number: '', outcome: '', disposition: '', queue: '', agent: '', direction: '' });

export const CallsPage = {
  setup() { return { OUTCOMES, DISPOSITIONS, DIRECTIONS, PAGE, fmtDuration, fmtMs, audioUrl: recordingAudioUrl, downloadUrl: recordingDownloadUrl }; },
  data() {
    return { items: [], total: 0, offset: 0, loading: true, loadError: null, queues: [], agents: [],
      f: EMPTY_FILTER(), detail: null };
  },
  created() { this.load(); this.loadChoices(); },
  computed: {
    first() { return this.total ? this.offset + 1 : 0; },
    last() { return Math.min(this.offset + this.items.length, this.total); },
  },
  methods: {
    outcomeLabel(o) { return o ? tOr('calls.outcome.' + o, o) : '—'; },
    outcomeClass(o) { return OUTCOME_CLASS[o] || ''; },
    /** How the call ended for the business; a person's answer says whether it was an agent of a queue. */
    dispositionLabel(c) {
      if (!c.disposition) return this.outcomeLabel(c.outcome);
      if (c.disposition === 'answered') return t(c.agentUserId || c.agentJob ? 'calls.disposition.answeredAgent' : 'calls.disposition.answeredPerson');
      return tOr('calls.disposition.' + c.disposition, c.disposition);
    },
    dispositionClass(c) { return c.disposition ? DISPOSITION_CLASS[c.disposition] || '' : this.outcomeClass(c.outcome); },
    /** The telephony result beside an unanswered disposition (busy, blocked, ...), where it tells more. */
    outcomeNote(c) { return c.disposition === 'unanswered' && c.outcome && c.outcome !== 'answered' ? this.outcomeLabel(c.outcome) : ''; },
    /** The agent who took the call: name, job number, extension. */
    agentText(c) {
      const parts = [c.agentName, c.agentJob ? t('calls.jobNumber', { job: c.agentJob }) : '', c.agentExtension ? t('calls.extensionOf', { ext: c.agentExtension }) : ''];
      return parts.filter((x) => x).join(' · ');
    },
    waitText(c) { return c.waitMs === null || c.waitMs === undefined ? '' : fmtMs(c.waitMs); },
    queueResultLabel(r) { return r ? tOr('calls.queueResult.' + r, r) : '—'; },
    holdTitle(c) { return t('calls.holdMark', { count: c.holdCount, time: fmtDuration(c.holdSeconds) }); },
    async loadChoices() {
      try { this.queues = ((await api.get('/queues')) || []).map((q) => q.name).sort(); } catch (e) { this.queues = []; }
      try {
        const users = (await api.get('/users')) || [];
        this.agents = (Array.isArray(users) ? users : users.items || []).filter((u) => u.jobNumber).map((u) => ({ id: u.id, name: u.displayName || u.username, jobNumber: u.jobNumber })).sort(byName);
      } catch (e) { this.agents = []; }
    },
    directionLabel(d) { return d ? tOr('calls.direction.' + d, d) : '—'; },
    hangupByLabel(b) { return b ? tOr('calls.hangupBy.' + b, b) : '—'; },
    causeLabel(c) { return c ? tOr('calls.cause.' + String(c).toLowerCase(), c) : '—'; },
    eventLabel(type) { return tOr('calls.event.' + type, type); },
    async load() {
      this.loading = true;
      try {
        const res = await api.get('/calls', {
          from: toIso(this.f.from), to: toIso(this.f.to), number: this.f.number.trim(), outcome: this.f.outcome,
          disposition: this.f.disposition, queue: this.f.queue, agent: this.f.agent, direction: this.f.direction,
          limit: PAGE, offset: this.offset,
        });
        this.items = (res && res.items) || [];
        this.total = (res && res.total) || 0;
        this.loadError = null;
      } catch (e) { this.loadError = e; } finally { this.loading = false; }
    },
    search() { this.offset = 0; this.load(); },
    reset() { this.f = EMPTY_FILTER(); this.search(); },
    prev() { this.offset = Math.max(0, this.offset - PAGE); this.load(); },
    next() { if (this.offset + PAGE < this.total) { this.offset += PAGE; this.load(); } },
    async open(c) {
      this.detail = { call: c, events: [], loading: true, error: null, recording: null };
      const d = this.detail;
      if (c.answeredAt && this.can('recording.read')) this.findRecording(d);
      try { d.events = await api.get('/calls/' + encodeURIComponent(c.callId) + '/events'); } catch (e) { d.error = e; } finally { d.loading = false; }
    },
    /** The recording of the call, if any: recordings of the caller's number in the call's time span, matched by call ID. */
    async findRecording(d) {
      const c = d.call;
      const from = new Date(new Date(c.startedAt).getTime() - 60000);
      const to = new Date(new Date(c.endedAt || Date.now()).getTime() + 60000);
      if (isNaN(from.getTime()) || isNaN(to.getTime())) return;
      try {
        const res = await api.get('/recordings', { from: from.toISOString(), to: to.toISOString(), number: c.caller || c.callee || '', limit: 500 });
        d.recording = ((res && res.items) || []).find((r) => r.callId === c.callId) || null;
      } catch (e) { d.recording = null; }
    },
    offsetOf(ev) {
      const start = new Date(this.detail.call.startedAt).getTime();
      const at = new Date(ev.at).getTime();
      if (isNaN(start) || isNaN(at)) return '';
      return '+' + ((at - start) / 1000).toFixed(1) + ' s';
    },
  },
  template: `
    <div class="page-head">
      <h1 data-testid="page-title">{{ t('calls.title') }}</h1>
      <span class="sub">{{ t('calls.subtitle') }}</span>
    </div>
    <form class="toolbar" @submit.prevent="search">
      <form-field :label="t('calls.from')"><input type="datetime-local" v-model="f.from" data-testid="calls-from"></form-field>
      <form-field :label="t('calls.to')"><input type="datetime-local" v-model="f.to" data-testid="calls-to"></form-field>
      <form-field :label="t('calls.number')"><input type="text" v-model="f.number" data-testid="calls-number" :placeholder="t('calls.numberHint')"></form-field>
      <form-field :label="t('calls.outcome')">
        <select v-model="f.outcome" data-testid="calls-outcome" @change="search">
          <option value="">{{ t('calls.allOutcomes') }}</option>
          <option v-for="o in OUTCOMES" :key="o" :value="o">{{ outcomeLabel(o) }}</option>
        </select>
      </form-field>
      <form-field :label="t('calls.disposition')">
        <select v-model="f.disposition" data-testid="calls-disposition" @change="search">
          <option value="">{{ t('calls.allDispositions') }}</option>
          <option v-for="d in DISPOSITIONS" :key="d" :value="d">{{ t('calls.disposition.' + d) }}</option>
        </select>
      </form-field>
      <form-field :label="t('calls.queue')">
        <select v-model="f.queue" data-testid="calls-queue" @change="search">
          <option value="">{{ t('calls.allQueues') }}</option>
          <option v-for="q in queues" :key="q" :value="q">{{ q }}</option>
        </select>
      </form-field>
      <form-field :label="t('calls.agent')">
        <select v-model="f.agent" data-testid="calls-agent" @change="search">
          <option value="">{{ t('calls.allAgents') }}</option>
          <option v-for="u in agents" :key="u.id" :value="String(u.id)">{{ u.name }}{{ u.jobNumber ? ' (' + u.jobNumber + ')' : '' }}</option>
        </select>
      </form-field>
      <form-field :label="t('calls.direction')">
        <select v-model="f.direction" data-testid="calls-direction" @change="search">
          <option value="">{{ t('calls.allDirections') }}</option>
          <option v-for="d in DIRECTIONS" :key="d" :value="d">{{ directionLabel(d) }}</option>
        </select>
      </form-field>
      <button type="submit" class="btn btn-primary" data-testid="calls-search">{{ t('common.search') }}</button>
      <button type="button" class="btn" data-testid="calls-reset" @click="reset">{{ t('common.reset') }}</button>
    </form>
    <div v-if="loadError" class="alert alert-error" data-testid="calls-error">{{ errorText(loadError) }}</div>
    <div class="panel table-wrap">
      <table class="grid clickable" data-testid="calls-table">
        <thead><tr>
          <th>{{ t('calls.startedAt') }}</th><th>{{ t('calls.direction') }}</th><th>{{ t('calls.caller') }}</th><th>{{ t('calls.callee') }}</th>
          <th>{{ t('calls.outcome') }}</th><th>{{ t('calls.queue') }}</th><th>{{ t('calls.agent') }}</th><th>{{ t('calls.extension') }}</th>
          <th>{{ t('calls.wait') }}</th><th>{{ t('calls.talk') }}</th><th>{{ t('calls.hangupByCol') }}</th>
        </tr></thead>
        <tbody>
          <tr v-for="c in items" :key="c.callId" :data-testid="'call-row-' + c.callId" tabindex="0" @click="open(c)" @keydown.enter="open(c)">
            <td class="mono" style="white-space:nowrap">{{ fmtTime(c.startedAt) }}</td>
            <td class="nowrap">{{ directionLabel(c.direction) }}</td>
            <td class="mono">{{ dash(c.caller) }}</td>
            <td class="mono">{{ dash(c.callee) }}</td>
            <td class="call-outcome" :title="c.ivrPath ? t('calls.ivrPath') + ': ' + c.ivrPath : null">
              <span class="badge" :class="dispositionClass(c)" data-testid="call-disposition" :data-disposition="c.disposition || ''">{{ dispositionLabel(c) }}</span>
              <span v-if="outcomeNote(c)" class="muted small" data-testid="call-outcome"> {{ outcomeNote(c) }}</span>
              <span v-if="c.holdCount" class="mark" data-testid="call-hold-mark" :title="holdTitle(c)">{{ t('calls.holdShort', { count: c.holdCount }) }}</span>
              <span v-if="c.transfers" class="mark" data-testid="call-transfer-mark" :title="t('calls.transferMark', { count: c.transfers })">{{ t('calls.transferShort', { count: c.transfers }) }}</span>
            </td>
            <td data-testid="call-queue">{{ dash(c.queue) }}</td>
            <td data-testid="call-agent" class="call-agent">{{ dash(agentText(c)) }}</td>
            <td><span v-if="c.extension || c.agentExtension" class="mono">{{ c.extension || c.agentExtension }}</span><template v-else>—</template></td>
            <td data-testid="call-wait"><span v-if="waitText(c)" class="mono">{{ waitText(c) }}</span><template v-else>—</template></td>
            <td><span v-if="c.answeredAt" class="mono">{{ fmtDuration(c.talkSeconds) }}</span><template v-else>—</template></td>
            <td class="nowrap">{{ hangupByLabel(c.hangupBy) }}</td>
          </tr>
          <empty-row v-if="!items.length" :cols="11" :loading="loading" testid="calls-empty"></empty-row>
        </tbody>
      </table>
      <div class="pager">
        <span data-testid="calls-range">{{ t('common.range', { first, last, total }) }}</span>
        <button class="btn btn-sm" data-testid="calls-prev" :disabled="offset === 0 || loading" @click="prev">{{ t('common.prev') }}</button>
        <button class="btn btn-sm" data-testid="calls-next" :disabled="offset + PAGE >= total || loading" @click="next">{{ t('common.next') }}</button>
      </div>
    </div>
    <modal v-if="detail" size="wide" :title="t('calls.detailTitle', { caller: detail.call.caller || '?', callee: detail.call.callee || '?' })" testid="call-detail" @close="detail = null">
      <dl class="kv cols-2" data-testid="call-summary">
        <dt>{{ t('calls.callId') }}</dt><dd class="mono">{{ detail.call.callId }}</dd>
        <dt>{{ t('calls.direction') }}</dt><dd>{{ directionLabel(detail.call.direction) }}</dd>
        <dt>{{ t('calls.startedAt') }}</dt><dd class="mono">{{ fmtTime(detail.call.startedAt) }}</dd>
        <dt>{{ t('calls.answeredAt') }}</dt><dd class="mono">{{ fmtTime(detail.call.answeredAt) }}</dd>
        <dt>{{ t('calls.endedAt') }}</dt><dd class="mono">{{ fmtTime(detail.call.endedAt) }}</dd>
        <dt>{{ t('calls.talk') }}</dt><dd class="mono">{{ fmtDuration(detail.call.talkSeconds) }}</dd>
        <dt>{{ t('calls.outcome') }}</dt><dd><span class="badge" :class="dispositionClass(detail.call)">{{ dispositionLabel(detail.call) }}</span>
          <span class="muted"> · {{ outcomeLabel(detail.call.outcome) }}</span></dd>
        <dt>{{ t('calls.trunk') }}</dt><dd>{{ dash(detail.call.trunk) }}</dd>
        <dt>{{ t('calls.queue') }}</dt><dd>{{ dash(detail.call.queue) }}<span v-if="detail.call.queueResult" class="muted"> · {{ queueResultLabel(detail.call.queueResult) }}</span></dd>
        <dt>{{ t('calls.agent') }}</dt><dd data-testid="call-detail-agent">{{ dash(agentText(detail.call)) }}</dd>
        <dt>{{ t('calls.wait') }}</dt><dd class="mono">{{ dash(waitText(detail.call)) }}</dd>
        <dt>{{ t('calls.hold') }}</dt><dd>{{ detail.call.holdCount ? holdTitle(detail.call) : '—' }}</dd>
        <dt>{{ t('calls.transfers') }}</dt><dd>{{ detail.call.transfers || '—' }}</dd>
        <dt>{{ t('calls.ivrPath') }}</dt><dd class="mono small" data-testid="call-detail-ivr-path">{{ dash(detail.call.ivrPath) }}</dd>
        <dt>{{ t('calls.hangupByCol') }}</dt><dd>{{ hangupByLabel(detail.call.hangupBy) }}</dd>
        <dt>{{ t('calls.cause') }}</dt><dd>{{ causeLabel(detail.call.hangupCause) }}<span v-if="detail.call.sipStatus" class="mono"> · SIP {{ detail.call.sipStatus }}</span></dd>
      </dl>
      <div v-if="detail.recording" class="call-recording" data-testid="call-recording">
        <span class="field-label">{{ t('calls.recording') }}</span>
        <audio class="player" controls preload="none" :src="audioUrl(detail.recording)" data-testid="call-recording-audio"></audio>
        <a class="btn-link" :href="downloadUrl(detail.recording)" download data-testid="call-recording-download">{{ t('recordings.download') }}</a>
      </div>
      <h3>{{ t('calls.timeline') }}</h3>
      <div v-if="detail.error" class="alert alert-error">{{ errorText(detail.error) }}</div>
      <div v-else-if="detail.loading" class="muted">{{ t('common.loading') }}</div>
      <ol v-else class="timeline" data-testid="call-events">
        <li v-for="ev in detail.events" :key="ev.seq" :class="'ev-' + ev.type" :data-testid="'call-event-' + ev.type">
          <span class="ev-time mono">{{ fmtTime(ev.at) }} <span class="muted">{{ offsetOf(ev) }}</span></span>
          <span class="ev-type">{{ eventLabel(ev.type) }}</span>
          <span class="ev-channel mono muted" :title="t('calls.channel')">{{ ev.channelId || '' }}</span>
          <span class="ev-data mono">{{ ev.data || '' }}</span>
        </li>
      </ol>
      <template #footer><button class="btn btn-primary" data-testid="call-detail-close" @click="detail = null">{{ t('common.close') }}</button></template>
    </modal>`,
};
