// AGENT-4: the external screen pop. When a queue call is offered to this desk and the CRM settings give that queue a
// URL template, the desk opens it in a new window with {caller}, {called} and {callId} filled in, URL-encoded.

import { api } from '../common.js';
import { cti } from './store.js';

const { reactive } = window.Vue;

let templates = null; // queue name → URL template, read once per page
/** The last external pop: the customer panel shows it as a link too (a browser may block the window). */
export const urlPop = reactive({ url: '', callId: '' });

/** The template with its placeholders replaced by the URL-encoded values (an unknown value becomes empty). */
export function expandPopUrl(template, values) {
  return template.replace(/\{(caller|called|callId)\}/g, (m, k) => encodeURIComponent(values[k] == null ? '' : String(values[k])));
}

async function popUrls() {
  if (templates === null) {
    try { templates = (await api.get('/crm-settings')).popUrls || {}; } catch (e) { templates = {}; }
  }
  return templates;
}

const opened = new Set();

export function watchUrlPops() {
  cti.on('call.offered', async (m) => {
    const c = m.call;
    if (!c || !c.queue || c.state !== 'ringing' || opened.has(c.legId)) return;
    const template = (await popUrls())[c.queue];
    if (!template) return;
    opened.add(c.legId);
    const url = expandPopUrl(template, { caller: c.caller, called: c.path ? c.path.dialled : '', callId: c.callId });
    urlPop.url = url;
    urlPop.callId = c.callId;
    window.open(url, 'hotline-pop', 'noopener');
  });
}
