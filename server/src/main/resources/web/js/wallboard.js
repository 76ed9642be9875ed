// Wallboard (SUP-3): a full-screen page for a TV, opened with a read-only link (?token=...), no login. The server pushes
// the queues' figures, their green / amber / red level and the alerts as server-sent events. Language: ?lang=zh|en, else
// the browser's. The enterprise's company name and logo (ADM-4) head the board.

import { i18n, t, loadLang, LANGS } from './i18n.js';
import { alertText, clock, pct } from './format.js';

const params = new URLSearchParams(location.search);
const token = params.get('token') || '';
const lang = params.get('lang');
if (LANGS.includes(lang)) i18n.lang = lang;
await loadLang(i18n.lang);

// OPS-3: the enterprise is served by another Hotline node (421 with the same request there): the board opens there.
function moved(r) {
  const to = r.status === 421 && r.headers.get('Location');
  if (to) location.assign(new URL(to).origin + location.pathname + location.search);
  return !!to;
}

const Wallboard = {
  data() { return { board: null, live: false, refused: false, brand: null }; },
  created() {
    fetch('/api/v1/wallboard/branding?token=' + encodeURIComponent(token))
      .then((r) => (r.ok ? r.json() : (moved(r), null))).then((b) => { this.brand = b; if (b) document.title = b.companyName + ' · ' + t('wallboard.title'); })
      .catch(() => { this.brand = null; });
    const source = new EventSource('/api/v1/wallboard/stream?token=' + encodeURIComponent(token));
    source.addEventListener('snapshot', (e) => { this.board = JSON.parse(e.data); this.live = true; });
    source.onerror = async () => {
      this.live = false;
      // A refused link is final: say so instead of retrying for ever.
      const r = await fetch('/api/v1/wallboard?token=' + encodeURIComponent(token));
      if (r.status === 401) { this.refused = true; source.close(); }
      if (moved(r)) source.close();
    };
  },
  methods: {
    t,
    clock,
    pct,
    alertText,
  },
  template: `
    <div class="wb" data-testid="wallboard" :data-live="live">
      <div v-if="refused" class="wb-off" data-testid="wallboard-refused">{{ t('wallboard.refused') }}</div>
      <template v-else-if="board">
        <div class="wb-head"><span class="wb-brand">
          <img v-if="brand && brand.logoUrl" :src="brand.logoUrl" alt="" class="wb-logo" data-testid="wb-logo">
          <span v-if="brand" class="wb-company" data-testid="wb-company">{{ brand.companyName }}</span>
          <span>{{ t('wallboard.title') }}</span></span><span :class="{ 'wb-off': !live }">{{ live ? board.day : t('wallboard.reconnecting') }}</span></div>
        <div class="wb-total">
          <div><div class="l">{{ t('wallboard.waiting') }}</div><div class="v" data-testid="wb-total-waiting">{{ board.queues.reduce((a, q) => a + q.waiting, 0) }}</div></div>
          <div><div class="l">{{ t('wallboard.answered') }}</div><div class="v" data-testid="wb-total-answered">{{ board.total.answered }}</div></div>
          <div><div class="l">{{ t('wallboard.abandoned') }}</div><div class="v" data-testid="wb-total-abandoned">{{ board.total.abandoned }}</div></div>
          <div><div class="l">{{ t('wallboard.serviceLevel') }}</div><div class="v" data-testid="wb-total-sl">{{ pct(board.total.serviceLevel) }}</div></div>
        </div>
        <div class="wb-queues">
          <div v-for="q in board.queues" :key="q.queueId" class="wb-q" :class="q.level" :data-testid="'wb-queue-' + q.name" :data-level="q.level">
            <h2>{{ q.name }}</h2>
            <div class="big">
              <div><div class="v" :data-testid="'wb-waiting-' + q.name">{{ q.waiting }}</div><div class="l">{{ t('wallboard.waiting') }}</div></div>
              <div><div class="v">{{ clock(q.longestWaitSeconds) }}</div><div class="l">{{ t('wallboard.longestWait') }}</div></div>
              <div><div class="v">{{ pct(q.today.serviceLevel) }}</div><div class="l">{{ t('wallboard.serviceLevel') }}</div></div>
              <div><div class="v">{{ q.today.answered }}</div><div class="l">{{ t('wallboard.answered') }}</div></div>
              <div><div class="v">{{ q.today.abandoned }}</div><div class="l">{{ t('wallboard.abandoned') }}</div></div>
              <div><div class="v">{{ (q.agents.ready || 0) }} / {{ Object.values(q.agents).reduce((a, n) => a + n, 0) }}</div><div class="l">{{ t('wallboard.agentsReady') }}</div></div>
            </div>
          </div>
        </div>
        <ul class="wb-alerts" data-testid="wb-alerts">
          <li v-for="(a, i) in board.alerts" :key="i" :class="a.level" :data-testid="'wb-alert-' + a.kind + '-' + a.subject">{{ alertText(a) }}</li>
        </ul>
      </template>
    </div>`,
};

window.Vue.createApp(Wallboard).mount('#app');
document.title = t('wallboard.title');
