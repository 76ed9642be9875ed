// Whether an IVR flow is open now (issue 14): the first time condition its calls meet, from
// GET /flows/{id}/status, as a badge "Open now" / "Closed now" with the weekly hours in the
// user's language. Shown on the flows list, the numbers pointing at a flow and the flow editor.

import { api, t } from '../common.js';

const statuses = new Map(); // flow id → promise of its status, once per page load (the pages reload them on mount)

/** The status of a flow, fetched once while the page lives; `fresh` fetches again. */
export function flowStatus(id, fresh) {
  if (fresh || !statuses.has(id)) statuses.set(id, api.get('/flows/' + id + '/status').catch(() => null));
  return statuses.get(id);
}

/** "Mon–Fri 09:00–18:00" in the user's language; days in a run are joined by a dash. */
export function hoursText(weekly) {
  if (!weekly || !weekly.length) return t('flowHours.never');
  return weekly.map((w) => {
    const d = (w.days || []).slice().sort((a, b) => a - b);
    const run = d.length > 2 && d[d.length - 1] - d[0] === d.length - 1;
    const day = (x) => t('flowHours.day', { d: t('flows.weekday.' + x) });
    const days = !d.length ? '' : run ? day(d[0]) + '–' + day(d[d.length - 1]) : d.map(day).join(t('flowHours.daySep'));
    const to = w.to === '24:00' ? t('flowHours.endOfDay') : w.to;
    return t('flowHours.range', { days, from: w.from, to });
  }).join(t('flowHours.rangeSep'));
}

export const FlowHours = {
  props: { flowId: Number, testid: String },
  data() { return { status: null }; },
  async created() { this.status = await flowStatus(this.flowId, true); },
  computed: {
    shown() { return !!(this.status && this.status.timeCondition); },
    hours() { return this.shown ? hoursText(this.status.weekly) + ' (' + this.status.timezone + ')' : ''; },
  },
  template: `
    <span v-if="shown" class="flow-hours" :data-testid="testid" :data-open="String(status.open)" :title="hours">
      <span class="badge" :class="status.open ? 'badge-ok' : 'badge-warn'">{{ t(status.open ? 'flowHours.openNow' : 'flowHours.closedNow') }}</span>
      <span class="muted small"> {{ hours }}</span>
    </span>`,
};
