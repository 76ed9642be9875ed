// AGENT-4: the external screen pop. When a queue call is offered to this desk and the CRM settings give that queue a
// URL template, the desk opens it in a new window with {caller}, {called} and {callId} filled in, URL-encoded. When the
// browser blocks the window (window.open gives nothing back), the customer panel shows the page inside the desk instead.

import { api } from '../common.js';
import { cti } from './store.js';

const { reactive } = window.Vue;

let templates = null; // queue name → URL template, read once per page
/**
 * The last external pop: the customer panel shows it as a link too; {@code blocked}: the browser refused the window, so the
 * panel shows the page in a frame (until closed: {@code closed}).
 */
export const urlPop = reactive({ url: '', callId: '', blocked: false, closed: false });

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
    urlPop.closed = false;
    // Not 'noopener' in the features: with it window.open always gives null, and a blocked window could not be told apart.
    const w = window.open(url, 'hotline-pop');
    if (w) {
      try { w.opener = null; } catch (e) { /* another origin's window */ }
    }
    urlPop.blocked = !w;
  });
}
