// Agent desktop (AGENT-1..7, docs/cti.md): the state bar, the softphone and the browser phone, the
// call panel with the caller's history, click-to-dial. Everything goes over the CTI WebSocket; the
// state bar falls back to the HTTP routes /api/v1/agent/* only while CTI is down.
// The desk's state is desk/store.js, each of its panels a component in desk/.

import { boot, mountApp, titleFrom } from './common.js';
import { cti, desk, loadRecent, loadSurveys } from './desk/store.js';
import { Desk } from './desk/desk.js';
import { watchUrlPops } from './desk/url-pop.js';

const me = await boot();
if (me) {
  desk.me = me;
  desk.recent = loadRecent();
  const Root = {
    components: { Desk },
    setup() { return { me }; },
    template: `<desk :me="me"></desk>`,
  };
  titleFrom('agent.title');
  mountApp(Root, '#app', me);
  if (me.permissions && me.permissions.includes('agent.desk')) {
    if (me.permissions.includes('customer.read')) watchUrlPops();
    cti.start();
    loadSurveys();
  }
}
