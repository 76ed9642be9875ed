// Supervisor monitor (SUP-1, SUP-2): the server pushes the monitor (queues live and today's figures, agents, calls in
// progress, supervisions) as server-sent events whenever it changes; force ready / not ready / log out;
// listen to, whisper to, barge into, take over or hang up an agent's call from the supervisor's own phone.

import { api, boot, mountApp, hasConsoleAccess, titleFrom, toast, toastError, t, tOr } from './common.js';
import { alertText, clock, deviceLabel, pct } from './format.js';
import { WallboardSettings } from './components/wallboard-settings.js';

const STREAM = '/api/v1/monitor/stream';

const me = await boot();
if (me) {
  const Monitor = {
    components: { WallboardSettings },
    setup() {
      return { me, kpis: ['waiting', 'longestWait', 'answered', 'abandoned', 'serviceLevel', 'onHold', 'holdToday', 'agentsReady'], consoleLink: hasConsoleAccess(me), clock };
    },
    data() {
      return { queues: [], agents: [], supervisions: [], calls: [], alerts: [], total: null, onHold: 0, reasons: [], now: Date.now(), error: null, force: null,
        source: null, live: false, ticker: null, queueFilter: '', agentId: '', agentNow: null, agentReceived: 0, agentSource: null };
    },
    async created() {
      if (!this.can('monitor.read')) return;
      try { this.reasons = await api.get('/reason-codes'); } catch (e) { this.reasons = []; }
      this.listen();
      this.ticker = setInterval(() => { this.now = Date.now(); }, 1000);
    },
    unmounted() {
      if (this.source) this.source.close();
      if (this.agentSource) this.agentSource.close();
      clearInterval(this.ticker);
    },
    computed: {
      /**
       * The agent view's today's figures now: the server's (the agents report's up to the instant it counted them) plus the
       * seconds since it sent them, added to the state that still runs and, on a queue call whose talk runs, to its talk
       * (counted by this page's clock from the moment they came: a browser clock set wrong changes nothing).
       */
      avToday() {
        const n = this.agentNow;
        if (!n) return null;
        const today = { ...n.today };
        const r = n.running;
        if (!r) return today;
        const dt = Math.max(0, (this.now - this.agentReceived) / 1000);
        const field = { ready: 'readySeconds', ringing: 'ringingSeconds', on_call: 'onCallSeconds', wrap_up: 'wrapUpSeconds', not_ready: 'notReadySeconds' }[r.state];
        if (field) {
          today[field] += dt;
          today.signedInSeconds += dt;
        }
        // On hold the hold grows, not the talk (the server says whether a hold is open; its hold so far is in holdSeconds).
        const on = r.state === 'on_call' ? dt : 0;
        if (r.talkSeconds != null) today.talkSeconds += r.talkSeconds + (r.onHold ? 0 : on);
        if (r.holdSeconds != null) today.holdSeconds += r.holdSeconds + (r.onHold ? on : 0);
        // Occupancy as the report defines it: on call and wrap-up ÷ (that + ready + ringing), rounded as it rounds.
        const busy = today.onCallSeconds + today.wrapUpSeconds;
        const whole = busy + today.readySeconds + today.ringingSeconds;
        if (field || r.talkSeconds != null) today.occupancy = whole > 0 ? Math.round(10000 * busy / whole) / 10000 : null;
        today.talkSeconds = Math.round(today.talkSeconds * 10) / 10;
        today.holdSeconds = Math.round(today.holdSeconds * 10) / 10;
        return today;
      },
      /** The queue view: one queue, its agents and its calls; the enterprise's otherwise. */
      shownQueues() { return this.queueFilter ? this.queues.filter((q) => q.name === this.queueFilter) : this.queues; },
      shownAgents() { return this.queueFilter ? this.agents.filter((a) => a.queues && this.queueFilter in a.queues) : this.agents; },
      shownCalls() { return this.queueFilter ? this.calls.filter((c) => c.queue === this.queueFilter) : this.calls; },
      shownAlerts() { return this.queueFilter ? this.alerts.filter((a) => a.kind === 'agent_state' || a.subject === this.queueFilter) : this.alerts; },
      kpiValues() {
        const queues = this.shownQueues;
        const sum = (f) => queues.reduce((a, q) => a + (f(q) || 0), 0);
        const total = (this.queueFilter ? (queues[0] && queues[0].today) : this.total) || {};
        return {
          waiting: sum((q) => q.waiting),
          longestWait: clock(queues.reduce((a, q) => Math.max(a, q.longestWaitSeconds || 0), 0)),
          answered: total.answered || 0,
          abandoned: total.abandoned || 0,
          serviceLevel: this.pct(total.serviceLevel),
          // Calls on hold now (live) and today's hold of the answered calls (the queue report's "hold").
          onHold: this.queueFilter ? sum((q) => q.onHold) : this.onHold,
          holdToday: clock(total.holdSeconds || 0),
          // Issue 14: the ACD offers nothing to a ready agent whose phone cannot ring, so neither does this count.
          agentsReady: this.shownAgents.filter((a) => a.state === 'ready' && a.deviceReachable !== false).length,
        };
      },
    },
    methods: {
      /** The pushed monitor (EventSource reconnects by itself after a drop; `live` says whether it is connected). */
      listen() {
        this.source = new EventSource(STREAM);
        this.source.addEventListener('snapshot', (e) => {
          const m = JSON.parse(e.data);
          this.queues = m.queues;
          this.agents = m.agents;
          this.calls = m.calls;
          this.total = m.total;
          this.onHold = m.onHold || 0;
          this.supervisions = m.supervisions;
          this.alerts = m.alerts || [];
          this.live = true;
          this.error = null;
          this.now = Date.now();
        });
        this.source.onerror = () => { this.live = false; };
      },
      /**
       * The agent view (SUP-1): one agent now and today, pushed by the server as its own stream of `agent` events whenever
       * the agent's state or call changes (one stream, for the agent selected).
       */
      showAgent(a) {
        if (this.agentSource) this.agentSource.close();
        this.agentSource = null;
        this.agentId = a ? String(a.userId) : '';
        this.agentNow = null;
        if (!a) return;
        const id = this.agentId;
        const source = new EventSource('/api/v1/monitor/agents/' + encodeURIComponent(id) + '/stream');
        source.addEventListener('agent', (e) => {
          if (String(this.agentId) !== id) return;
          this.agentNow = JSON.parse(e.data);
          this.agentReceived = Date.now();
          this.now = this.agentReceived;
        });
        this.agentSource = source;
      },
      callTime(c) { return c ? this.since(c.answeredAt || c.startedAt) : '—'; },
      stateWord(s) { return s ? t('agentState.' + s) : '—'; },
      causeWord(c) { return c ? tOr('reports.value.cause.' + c, c) : '—'; },
      seconds(v) { return v == null ? '—' : clock(v); },
      /** After an action: the next snapshot comes by itself; nothing to fetch. */
      async refresh() {},
      pct,
      alertText,
      since(iso) { return iso ? clock((this.now - Date.parse(iso)) / 1000) : '—'; },
      agentName(id) {
        const a = this.agents.find((x) => x.userId === id);
        return a ? (a.name || a.jobNumber) : (id == null ? '' : String(id));
      },
      inState(a) { return a.since ? clock((this.now - Date.parse(a.since)) / 1000) : '—'; },
      agentsOf(q) {
        const s = q.agents || {};
        const parts = ['ready', 'ringing', 'on_call', 'wrap_up', 'not_ready'].filter((k) => s[k]).map((k) => t('agentState.' + k) + ' ' + s[k]);
        if (q.unreachable) parts.push(t('supervisor.unreachableCount', { n: q.unreachable }));
        return parts.join(' · ') || '—';
      },
      reasonName(code) {
        const r = this.reasons.find((x) => x.code === code);
        return r ? r.name : (code ? t('agentReason.' + (code === 'login' || code === 'unreachable' ? code : 'other'), { code }) : '');
      },
      device(a) { return deviceLabel(a.device, a.deviceNumber); },
      /** Signed in on a device the ACD cannot call now (an unregistered SIP phone, ...): why this agent gets no calls. */
      unreachable(a) { return a.state !== 'logged_out' && a.deviceReachable === false; },
      unreachableText(a) { return t('supervisor.unreachable.' + (['sip', 'webrtc', 'external'].includes(a.device) ? a.device : 'sip')); },
      async setState(a, state, reason) {
        try {
          await api.put('/agents/' + a.userId + '/state', reason ? { state, reason } : { state });
          toast(t('supervisor.forced', { name: a.name || a.jobNumber || a.userId, state: t('agentState.' + state) }));
          this.force = null;
          await this.refresh();
        } catch (e) { toastError(e); }
      },
      /** SUP-1: what an agent who is a supervisor supervises now: whose call, in which mode (their phone may still ring). */
      supervisingText(s) {
        const name = s.agentName || s.agentJob || s.agentUserId;
        return t('supervisor.supervising.' + (s.state === 'ringing' ? 'ringing' : 'active'), { name, mode: t('supervisor.sup.' + s.mode) });
      },
      /** My supervision of this agent's call, if any (SUP-2). */
      mine(a) { return this.supervisions.find((s) => s.agentUserId === a.userId && s.supervisorUserId === me.id); },
      async supervise(a, mode) {
        try {
          await api.post('/supervision', { agentId: a.userId, mode });
          toast(t('supervisor.sup.calling', { name: a.name || a.jobNumber || a.userId }));
          await this.refresh();
        } catch (e) { toastError(e); }
      },
      async switchMode(s, mode) {
        try { await api.put('/supervision/' + encodeURIComponent(s.id), { mode }); await this.refresh(); } catch (e) { toastError(e); }
      },
      async takeOver(s) {
        try { await api.post('/supervision/' + encodeURIComponent(s.id) + '/takeover', {}); await this.refresh(); } catch (e) { toastError(e); }
      },
      async leave(s) {
        try { await api.del('/supervision/' + encodeURIComponent(s.id)); await this.refresh(); } catch (e) { toastError(e); }
      },
      async hangUp(a) {
        if (!window.confirm(t('supervisor.sup.hangupConfirm', { name: a.name || a.jobNumber || a.userId }))) return;
        try { await api.post('/agents/' + a.userId + '/hangup', {}); await this.refresh(); } catch (e) { toastError(e); }
      },
      openNotReady(a) { this.force = { agent: a, reason: this.reasons.length ? this.reasons[0].code : '' }; },
    },
    template: `
      <app-header :me="me" title-key="supervisor.title">
        <a v-if="consoleLink" class="toplink" href="/" data-testid="link-console">{{ t('nav.console') }}</a>
      </app-header>
      <div v-if="!can('monitor.read')" class="center-msg" data-testid="no-access">{{ t('supervisor.noAccess') }}</div>
      <div v-else class="desk" data-testid="supervisor-monitor">
        <div v-if="error" class="alert alert-error" data-testid="supervisor-error">{{ errorText(error) }}</div>
        <div class="toolbar">
          <label>{{ t('supervisor.view') }}
            <select v-model="queueFilter" data-testid="monitor-queue-filter">
              <option value="">{{ t('supervisor.viewAll') }}</option>
              <option v-for="q in queues" :key="q.queueId" :value="q.name">{{ q.name }}</option>
            </select></label>
          <label>{{ t('supervisor.agentView') }}
            <select :value="agentId" data-testid="monitor-agent-filter" @change="showAgent(agents.find((a) => String(a.userId) === $event.target.value))">
              <option value="">{{ t('supervisor.agentViewNone') }}</option>
              <option v-for="a in agents" :key="a.userId" :value="String(a.userId)">{{ a.name || a.jobNumber || a.userId }}</option>
            </select></label>
        </div>
        <div v-if="agentId && agentNow" class="panel" data-testid="agent-view" :data-agent="agentNow.agent.userId">
          <div class="panel-head"><h2>{{ t('supervisor.av.title', { name: agentNow.agent.name || agentNow.agent.jobNumber }) }}</h2>
            <button class="btn-link" data-testid="agent-view-close" @click="showAgent(null)">{{ t('common.close') }}</button></div>
          <div class="kpis">
            <div class="panel kpi" data-testid="av-state"><div class="label">{{ t('supervisor.col.state') }}</div>
              <div class="value"><span class="state-chip" :class="'st-' + agentNow.agent.state" data-testid="av-state-value" :data-state="agentNow.agent.state"><span class="dot"></span>{{ stateWord(agentNow.agent.state) }}</span></div>
              <div class="muted" data-testid="av-state-time">{{ agentNow.agent.state === 'logged_out' ? '—' : inState(agentNow.agent) }}<span v-if="agentNow.agent.state === 'not_ready'" data-testid="av-reason"> · {{ reasonName(agentNow.agent.reason) }}</span></div>
              <div v-if="agentNow.agent.supervising" class="muted" data-testid="av-supervising" :data-mode="agentNow.agent.supervising.mode"
                :data-agent="agentNow.agent.supervising.agentUserId">{{ supervisingText(agentNow.agent.supervising) }}</div></div>
            <div v-for="k in ['offered', 'answered']" :key="k" class="panel kpi" :data-testid="'av-' + k"><div class="label">{{ t('supervisor.av.' + k) }}</div>
              <div class="value" :data-testid="'av-value-' + k">{{ agentNow.today[k] }}</div></div>
            <div class="panel kpi" data-testid="av-talk"><div class="label">{{ t('supervisor.av.talk') }}</div>
              <div class="value" data-testid="av-value-talk" :data-seconds="avToday.talkSeconds">{{ seconds(avToday.talkSeconds) }}</div></div>
            <div class="panel kpi" data-testid="av-hold"><div class="label">{{ t('supervisor.av.hold') }}</div>
              <div class="value" data-testid="av-value-hold" :data-seconds="avToday.holdSeconds">{{ seconds(avToday.holdSeconds) }}</div></div>
            <div class="panel kpi" data-testid="av-occupancy"><div class="label">{{ t('supervisor.av.occupancy') }}</div>
              <div class="value" data-testid="av-value-occupancy" :data-value="avToday.occupancy">{{ pct(avToday.occupancy) }}</div></div>
          </div>
          <div class="kpis">
            <div v-for="k in ['signedIn', 'ready', 'onCall', 'wrapUp', 'notReady']" :key="k" class="panel kpi" :data-testid="'av-' + k"><div class="label">{{ t('supervisor.av.' + k) }}</div>
              <div class="value" :data-testid="'av-value-' + k" :data-seconds="avToday[k + 'Seconds']">{{ seconds(avToday[k + 'Seconds']) }}</div></div>
          </div>
          <div class="panel-head"><h2>{{ t('supervisor.col.call') }}</h2></div>
          <div v-if="agentNow.call" data-testid="av-call" :data-caller="agentNow.call.caller">
            <span class="mono">{{ dash(agentNow.call.caller) }}</span> → <span class="mono">{{ dash(agentNow.call.callee) }}</span>
            · {{ tOr('calls.direction.' + agentNow.call.direction, agentNow.call.direction) }} · {{ dash(agentNow.call.queue) }}
            · {{ t('supervisor.call.' + agentNow.call.state) }} · <span data-testid="av-call-time">{{ callTime(agentNow.call) }}</span>
          </div>
          <div v-else class="muted" data-testid="av-no-call">{{ t('supervisor.av.noCall') }}</div>
          <div class="panel-head"><h2>{{ t('supervisor.av.stateLog') }}</h2></div>
          <table class="grid" data-testid="av-states">
            <thead><tr><th>{{ t('supervisor.col.state') }}</th><th>{{ t('supervisor.col.reason') }}</th><th>{{ t('supervisor.av.start') }}</th>
              <th>{{ t('supervisor.av.end') }}</th><th>{{ t('supervisor.av.duration') }}</th><th>{{ t('supervisor.av.cause') }}</th></tr></thead>
            <tbody>
              <tr v-for="(s, i) in agentNow.states" :key="i" :data-testid="'av-state-row-' + i" :data-state="s.state">
                <td>{{ stateWord(s.state) }}</td><td>{{ s.reason ? reasonName(s.reason) : '' }}</td><td class="mono">{{ s.start }}</td>
                <td class="mono">{{ dash(s.end) }}</td><td>{{ seconds(s.seconds) }}</td><td>{{ causeWord(s.cause) }}</td>
              </tr>
              <empty-row v-if="!agentNow.states.length" :cols="6"></empty-row>
            </tbody>
          </table>
        </div>
        <div v-if="shownAlerts.length" class="alert alert-error" data-testid="monitor-alerts">
          <div v-for="(a, i) in shownAlerts" :key="i" :data-testid="'monitor-alert-' + a.kind + '-' + a.subject" :data-level="a.level">{{ alertText(a) }}</div>
        </div>
        <div class="kpis">
          <div v-for="k in kpis" :key="k" class="panel kpi" :data-testid="'kpi-' + k">
            <div class="label">{{ t('supervisor.kpi.' + k) }}</div>
            <div class="value" :data-testid="'kpi-value-' + k">{{ kpiValues[k] }}</div>
          </div>
        </div>
        <div class="panel table-wrap">
          <div class="panel-head"><h2>{{ t('supervisor.queues') }}</h2><span class="muted" data-testid="monitor-live" :data-live="live">{{ t(live ? 'supervisor.liveHint' : 'supervisor.reconnecting') }}</span></div>
          <table class="grid" data-testid="supervisor-queues">
            <thead><tr>
              <th>{{ t('supervisor.col.queue') }}</th><th>{{ t('supervisor.col.waiting') }}</th><th>{{ t('supervisor.col.longestWait') }}</th>
              <th>{{ t('supervisor.col.entered') }}</th><th>{{ t('supervisor.col.answered') }}</th><th>{{ t('supervisor.col.abandoned') }}</th>
              <th>{{ t('supervisor.col.overflowed') }}</th><th>{{ t('supervisor.col.serviceLevel') }}</th>
              <th>{{ t('supervisor.col.onHold') }}</th><th>{{ t('supervisor.col.holdToday') }}</th><th>{{ t('supervisor.col.agents') }}</th>
            </tr></thead>
            <tbody>
              <tr v-for="q in shownQueues" :key="q.queueId" :data-testid="'live-queue-' + q.name">
                <td><span class="name">{{ q.name }}</span></td><td>{{ q.waiting }}</td><td>{{ clock(q.longestWaitSeconds) }}</td>
                <td>{{ q.today.entered }}</td><td>{{ q.today.answered }}</td><td>{{ q.today.abandoned }}</td><td>{{ q.today.overflowed }}</td>
                <td>{{ pct(q.today.serviceLevel) }}</td><td :data-testid="'live-queue-on-hold-' + q.name">{{ q.onHold }}</td>
                <td :data-testid="'live-queue-hold-today-' + q.name">{{ clock(q.today.holdSeconds) }}</td><td>{{ agentsOf(q) }}</td>
              </tr>
              <empty-row v-if="!shownQueues.length" :cols="11"></empty-row>
            </tbody>
          </table>
        </div>
        <div class="panel table-wrap">
          <div class="panel-head"><h2>{{ t('supervisor.agents') }}</h2></div>
          <table class="grid" data-testid="supervisor-agents">
            <thead><tr>
              <th>{{ t('supervisor.col.agent') }}</th><th>{{ t('users.jobNumber') }}</th><th>{{ t('supervisor.col.device') }}</th>
              <th>{{ t('supervisor.col.state') }}</th><th>{{ t('supervisor.col.reason') }}</th><th>{{ t('supervisor.col.duration') }}</th>
              <th>{{ t('supervisor.col.call') }}</th><th>{{ t('supervisor.col.offeredAnswered') }}</th><th v-if="can('call.supervise')">{{ t('supervisor.col.supervise') }}</th><th v-if="can('agent.manage')"></th>
            </tr></thead>
            <tbody>
              <tr v-for="a in shownAgents" :key="a.userId" :data-testid="'agent-row-' + a.userId">
                <td><span class="name">{{ dash(a.name) }}</span></td><td>{{ dash(a.jobNumber) }}</td><td>{{ device(a) }}</td>
                <td><span class="state-chip" :class="'st-' + a.state" :data-testid="'agent-state-' + a.userId"><span class="dot"></span>{{ t('agentState.' + a.state) }}</span>
                  <span v-if="unreachable(a)" class="badge badge-warn" :data-testid="'agent-unreachable-' + a.userId">{{ unreachableText(a) }}</span>
                  <span v-if="a.supervising" class="badge" :data-testid="'agent-supervising-' + a.userId" :data-mode="a.supervising.mode"
                    :data-agent="a.supervising.agentUserId" :data-state="a.supervising.state">{{ supervisingText(a.supervising) }}</span></td>
                <td :data-testid="'agent-reason-' + a.userId">{{ a.state === 'not_ready' ? reasonName(a.reason) : '' }}</td>
                <td :data-testid="'agent-time-' + a.userId">{{ a.state === 'logged_out' ? '—' : inState(a) }}</td>
                <td class="mono">{{ dash(a.callId) }}</td>
                <td>{{ a.offered }} / {{ a.answered }}</td>
                <td v-if="can('call.supervise')" class="actions" :data-testid="'supervise-' + a.userId">
                  <template v-if="mine(a)">
                    <span class="badge" :data-testid="'supervision-state-' + a.userId" :data-state="mine(a).state" :data-mode="mine(a).mode">{{ t('supervisor.sup.state.' + mine(a).state, { mode: t('supervisor.sup.' + mine(a).mode) }) }}</span>
                    <button v-for="m in ['listen', 'whisper', 'barge'].filter((x) => x !== mine(a).mode)" :key="m" class="btn-link" :data-testid="'supervise-' + m + '-' + a.userId" @click="switchMode(mine(a), m)">{{ t('supervisor.sup.' + m) }}</button>
                    <button v-if="mine(a).state === 'active'" class="btn-link" :data-testid="'supervise-takeover-' + a.userId" @click="takeOver(mine(a))">{{ t('supervisor.sup.takeover') }}</button>
                    <button class="btn-link" :data-testid="'supervise-leave-' + a.userId" @click="leave(mine(a))">{{ t('supervisor.sup.leave') }}</button>
                  </template>
                  <template v-else-if="a.state === 'on_call'">
                    <button v-for="m in ['listen', 'whisper', 'barge']" :key="m" class="btn-link" :data-testid="'supervise-' + m + '-' + a.userId" @click="supervise(a, m)">{{ t('supervisor.sup.' + m) }}</button>
                    <button class="btn-link danger" :data-testid="'supervise-hangup-' + a.userId" @click="hangUp(a)">{{ t('supervisor.sup.hangup') }}</button>
                  </template>
                </td>
                <td v-if="can('agent.manage')" class="actions">
                  <template v-if="a.state !== 'logged_out'">
                    <button v-if="a.state !== 'ready'" class="btn-link" :data-testid="'force-ready-' + a.userId" @click="setState(a, 'ready')">{{ t('agent.action.ready') }}</button>
                    <button class="btn-link" :data-testid="'force-not-ready-' + a.userId" @click="openNotReady(a)">{{ t('agent.action.notReady') }}</button>
                    <button class="btn-link danger" :data-testid="'force-logout-' + a.userId" @click="setState(a, 'logged_out')">{{ t('agent.action.checkOut') }}</button>
                  </template>
                </td>
              </tr>
              <empty-row v-if="!shownAgents.length" :cols="8 + (can('agent.manage') ? 1 : 0) + (can('call.supervise') ? 1 : 0)" :hint="t('supervisor.noAgents')"></empty-row>
            </tbody>
          </table>
        </div>
        <div class="panel table-wrap">
          <div class="panel-head"><h2>{{ t('supervisor.calls') }}</h2></div>
          <table class="grid" data-testid="supervisor-calls">
            <thead><tr>
              <th>{{ t('calls.caller') }}</th><th>{{ t('calls.callee') }}</th><th>{{ t('calls.direction') }}</th><th>{{ t('supervisor.col.queue') }}</th>
              <th>{{ t('supervisor.col.agent') }}</th><th>{{ t('supervisor.col.callState') }}</th><th>{{ t('supervisor.col.callTime') }}</th>
            </tr></thead>
            <tbody>
              <tr v-for="c in shownCalls" :key="c.callId" :data-testid="'live-call-' + c.caller">
                <td class="mono">{{ dash(c.caller) }}</td><td class="mono">{{ dash(c.callee) }}</td><td>{{ tOr('calls.direction.' + c.direction, c.direction) }}</td>
                <td>{{ dash(c.queue) }}</td><td>{{ c.agentUserId ? agentName(c.agentUserId) : '—' }}</td>
                <td>{{ t('supervisor.call.' + c.state) }}</td>
                <td>{{ since(c.startedAt) }}</td>
              </tr>
              <empty-row v-if="!shownCalls.length" :cols="7" :hint="t('supervisor.noCalls')"></empty-row>
            </tbody>
          </table>
        </div>
        <wallboard-settings v-if="can('agent.manage')" :queue-names="queues.map((q) => q.name)"></wallboard-settings>
      </div>
      <modal v-if="force" size="small" :title="t('supervisor.forceNotReady', { name: force.agent.name || force.agent.userId })" testid="force-dialog" @close="force = null">
        <form-field :label="t('agent.reason')">
          <select v-model="force.reason" data-testid="force-reason">
            <option v-for="r in reasons" :key="r.code" :value="r.code">{{ r.name }}</option>
          </select>
        </form-field>
        <template #footer>
          <button class="btn" @click="force = null">{{ t('common.cancel') }}</button>
          <button class="btn btn-primary" data-testid="force-confirm" :disabled="!force.reason" @click="setState(force.agent, 'not_ready', force.reason)">{{ t('agent.action.notReady') }}</button>
        </template>
      </modal>
      <ui-host></ui-host>`,
  };
  titleFrom('supervisor.title');
  mountApp(Monitor, '#app', me);
}
