// The agent desk's page (AGENT-1..7): the state bar, the ringing banner, the softphone and the
// agent's own details on the left; the current call, the caller as a customer, the recent calls and
// the voicemail box of the agent's extension on the right.

import { hasConsoleAccess } from '../common.js';
import { VoicemailList } from '../components/voicemail-list.js';
import { GreetingControl } from './greeting-control.js';
import { StateBar } from './state-bar.js';
import { Softphone } from './softphone.js';
import { IncomingBanner } from './incoming-banner.js';
import { CallPanel } from './call-panel.js';
import { CustomerPanel } from './customer-panel.js';
import { RecentCalls } from './recent-calls.js';
import { KbSearch } from './kb-search.js';
import { AddressBookPanel } from './address-book.js';
import { SmsPanel } from './sms-panel.js';
import { PreviewCard } from './preview-card.js';
import { desk } from './store.js';
import { alertText } from '../format.js';

export const Desk = {
  props: { me: Object },
  components: { VoicemailList, GreetingControl, StateBar, Softphone, IncomingBanner, CallPanel, CustomerPanel, RecentCalls, KbSearch, AddressBookPanel,
    PreviewCard, SmsPanel },
  setup(props) {
    return { consoleLink: hasConsoleAccess(props.me), desk, alertText };
  },
  template: `
    <app-header :me="me" title-key="agent.title">
      <a v-if="consoleLink" class="toplink" href="/" data-testid="link-console">{{ t('nav.console') }}</a>
    </app-header>
    <div v-if="!can('agent.desk')" class="center-msg" data-testid="no-access">{{ t('agent.noAccess') }}</div>
    <div v-else class="desk" data-testid="agent-desk">
      <state-bar :me="me"></state-bar>
      <incoming-banner></incoming-banner>
      <div v-if="desk.alerts.length" class="alert alert-error" data-testid="desk-alerts">
        <div v-for="(a, i) in desk.alerts" :key="i" :data-testid="'desk-alert-' + a.kind + '-' + a.subject" :data-level="a.level">{{ alertText(a) }}</div>
      </div>
      <div class="desk-grid">
        <div class="desk-col">
          <softphone></softphone>
          <address-book-panel v-if="can('addressbook.use')"></address-book-panel>
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
          <preview-card></preview-card>
          <call-panel></call-panel>
          <customer-panel></customer-panel>
          <kb-search v-if="can('kb.read')"></kb-search>
          <sms-panel v-if="can('sms.send')"></sms-panel>
          <recent-calls></recent-calls>
          <div class="panel agent-voicemail" data-testid="agent-voicemail">
            <div class="panel-head"><h2>{{ t('agent.voicemail') }}</h2><span class="muted">{{ me.extension ? t('agent.voicemailHint', { extension: me.extension }) : '' }}</span></div>
            <div class="panel-body">
              <greeting-control v-if="me.extension" :extension="String(me.extension)"></greeting-control>
              <voicemail-list v-if="me.extension" :fixed="{ boxType: 'extension', box: String(me.extension) }" prefix="agent-vm" compact></voicemail-list>
              <div v-else class="muted" data-testid="agent-vm-no-extension">{{ t('agent.voicemailNoExtension') }}</div>
            </div>
          </div>
        </div>
      </div>
    </div>
    <ui-host></ui-host>`,
};
