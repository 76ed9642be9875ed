// Supervisor monitor (shell): live figures arrive with the ACD and monitor issues.

import { api, boot, mountApp, hasConsoleAccess, titleFrom } from './common.js';

const me = await boot();
if (me) {
  const Monitor = {
    setup() {
      return { me, kpis: ['waiting', 'longestWait', 'answered', 'abandoned', 'agentsReady'], consoleLink: hasConsoleAccess(me) };
    },
    data() { return { queues: [] }; },
    async created() {
      if (this.can('monitor.read') && this.can('queue.read')) {
        try { this.queues = await api.get('/queues'); } catch (e) { this.queues = []; }
      }
    },
    template: `
      <app-header :me="me" title-key="supervisor.title">
        <a v-if="consoleLink" class="toplink" href="/" data-testid="link-console">{{ t('nav.console') }}</a>
      </app-header>
      <div v-if="!can('monitor.read')" class="center-msg" data-testid="no-access">{{ t('supervisor.noAccess') }}</div>
      <div v-else class="desk" data-testid="supervisor-monitor">
        <div class="alert alert-info" data-testid="supervisor-coming">{{ t('supervisor.comingSoon') }}</div>
        <div class="kpis">
          <div v-for="k in kpis" :key="k" class="panel kpi" :data-testid="'kpi-' + k">
            <div class="label">{{ t('supervisor.kpi.' + k) }}</div>
            <div class="value muted">—</div>
          </div>
        </div>
        <div class="panel table-wrap">
          <div class="panel-head"><h2>{{ t('supervisor.queues') }}</h2></div>
          <table class="grid" data-testid="supervisor-queues">
            <thead><tr>
              <th>{{ t('supervisor.col.queue') }}</th><th>{{ t('supervisor.col.waiting') }}</th><th>{{ t('supervisor.col.longestWait') }}</th>
              <th>{{ t('supervisor.col.answered') }}</th><th>{{ t('supervisor.col.abandoned') }}</th><th>{{ t('supervisor.col.agents') }}</th>
            </tr></thead>
            <tbody>
              <tr v-for="q in queues" :key="q.id"><td><span class="name">{{ q.name }}</span></td><td>—</td><td>—</td><td>—</td><td>—</td><td>—</td></tr>
              <tr v-if="!queues.length"><td class="empty" colspan="6">{{ t('supervisor.noQueues') }}</td></tr>
            </tbody>
          </table>
        </div>
        <div class="panel table-wrap">
          <div class="panel-head"><h2>{{ t('supervisor.agents') }}</h2></div>
          <table class="grid" data-testid="supervisor-agents">
            <thead><tr>
              <th>{{ t('supervisor.col.agent') }}</th><th>{{ t('users.jobNumber') }}</th><th>{{ t('users.extension') }}</th>
              <th>{{ t('supervisor.col.state') }}</th><th>{{ t('supervisor.col.duration') }}</th><th>{{ t('supervisor.col.calls') }}</th>
            </tr></thead>
            <tbody><tr><td class="empty" colspan="6">{{ t('supervisor.noAgents') }}</td></tr></tbody>
          </table>
        </div>
      </div>
      <ui-host></ui-host>`,
  };
  titleFrom('supervisor.title');
  mountApp(Monitor, '#app', me);
}
