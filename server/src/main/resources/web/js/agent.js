// Agent desktop (shell): state bar, softphone and call panels arrive in later issues.

import { boot, mountApp, hasConsoleAccess, titleFrom } from './common.js';
import { VoicemailList } from './pages/voicemail.js';

const PHONE = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.6"><path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z"/></svg>';
const PERSON = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.6"><circle cx="12" cy="8" r="4"/><path d="M4 21v-1a8 8 0 0 1 16 0v1"/></svg>';

const me = await boot();
if (me) {
  const Desk = {
    components: { VoicemailList },
    setup() {
      return {
        me, PHONE, PERSON,
        keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'],
        states: ['checkIn', 'ready', 'notReady', 'break', 'checkOut'],
        consoleLink: hasConsoleAccess(me),
      };
    },
    template: `
      <app-header :me="me" title-key="agent.title">
        <a v-if="consoleLink" class="toplink" href="/" data-testid="link-console">{{ t('nav.console') }}</a>
      </app-header>
      <div v-if="!can('agent.desk')" class="center-msg" data-testid="no-access">{{ t('agent.noAccess') }}</div>
      <div v-else class="desk" data-testid="agent-desk">
        <div class="panel statebar">
          <span class="state" data-testid="agent-state"><span class="dot"></span>{{ t('agent.state.loggedOut') }}</span>
          <button v-for="s in states" :key="s" class="btn" disabled :data-testid="'agent-btn-' + s" :title="t('agent.comingSoon')">{{ t('agent.action.' + s) }}</button>
          <span class="spacer" style="flex:1"></span>
          <span class="muted">{{ t('agent.comingSoon') }}</span>
        </div>
        <div class="desk-grid">
          <div class="desk-col">
            <div class="panel" data-testid="agent-softphone">
              <div class="panel-head"><h2>{{ t('agent.softphone') }}</h2><span class="spacer" style="flex:1"></span><span class="badge badge-off">{{ t('agent.phoneOffline') }}</span></div>
              <div class="panel-body">
                <input type="text" disabled style="width:100%;height:40px;font-size:18px" :placeholder="t('agent.dialHint')">
                <div class="dialpad"><button v-for="k in keys" :key="k" class="btn" disabled>{{ k }}</button></div>
                <div class="phone-actions">
                  <button class="btn btn-primary" disabled>{{ t('agent.call') }}</button>
                  <button class="btn btn-danger" disabled>{{ t('agent.hangup') }}</button>
                </div>
                <div class="alert alert-info" style="margin-top:12px" data-testid="agent-softphone-coming">{{ t('agent.softphoneComing') }}</div>
              </div>
            </div>
            <div class="panel">
              <div class="panel-head"><h2>{{ t('agent.myInfo') }}</h2></div>
              <div class="panel-body">
                <dl class="kv">
                  <dt>{{ t('users.username') }}</dt><dd>{{ me.username }}</dd>
                  <dt>{{ t('users.jobNumber') }}</dt><dd data-testid="agent-job-number">{{ dash(me.jobNumber) }}</dd>
                  <dt>{{ t('users.extension') }}</dt><dd data-testid="agent-extension">{{ dash(me.extension) }}</dd>
                </dl>
              </div>
            </div>
          </div>
          <div class="desk-col">
            <div class="panel">
              <div class="panel-head"><h2>{{ t('agent.currentCall') }}</h2></div>
              <div class="placeholder"><span v-html="PHONE"></span><div>{{ t('agent.noCall') }}</div></div>
            </div>
            <div class="panel">
              <div class="panel-head"><h2>{{ t('agent.customer') }}</h2></div>
              <div class="placeholder"><span v-html="PERSON"></span><div>{{ t('agent.customerEmpty') }}</div></div>
            </div>
            <div class="panel table-wrap">
              <div class="panel-head"><h2>{{ t('agent.recentCalls') }}</h2></div>
              <table class="grid" data-testid="agent-recent-calls">
                <thead><tr><th>{{ t('agent.col.time') }}</th><th>{{ t('agent.col.direction') }}</th><th>{{ t('agent.col.number') }}</th><th>{{ t('agent.col.duration') }}</th><th>{{ t('agent.col.result') }}</th></tr></thead>
                <tbody><tr><td class="empty" colspan="5">{{ t('agent.noCalls') }}</td></tr></tbody>
              </table>
            </div>
            <div class="panel agent-voicemail" data-testid="agent-voicemail">
              <div class="panel-head"><h2>{{ t('agent.voicemail') }}</h2><span class="muted">{{ me.extension ? t('agent.voicemailHint', { extension: me.extension }) : '' }}</span></div>
              <div class="panel-body">
                <voicemail-list v-if="me.extension" :fixed="{ boxType: 'extension', box: String(me.extension) }" prefix="agent-vm" compact></voicemail-list>
                <div v-else class="muted" data-testid="agent-vm-no-extension">{{ t('agent.voicemailNoExtension') }}</div>
              </div>
            </div>
          </div>
        </div>
      </div>
      <ui-host></ui-host>`,
  };
  titleFrom('agent.title');
  mountApp(Desk, '#app', me);
}
