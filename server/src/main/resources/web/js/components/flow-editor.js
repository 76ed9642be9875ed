// The visual editor of one IVR flow (IVR-3, docs/api.md "IVR flows"): nodes are boxes on a canvas
// placed by the graph's layout and dragged with the mouse; each exit is a dot joined to its target
// node by a curve (drag from the dot to a node to connect it, or pick the target in the side
// panel). The side panel edits the selected node, or, with no node selected, the start node and
// the versions (roll back). Save draft / Validate / Publish show the server's problems and mark
// the nodes that have them. Plain Vue + SVG, no libraries.

import { api, t, tOr, toast, toastError, confirmDialog, errorText, fieldErrorText } from '../common.js';
import { intOrNull } from '../format.js';
import { promptAudioUrl } from '../media.js';
import { FlowStats } from './flow-stats.js';
import { TtsPreview } from './tts-preview.js';
import { SHIPPED_PROMPTS, promptText } from '../prompt-keys.js';
import { FlowHours, hoursText } from './flow-hours.js';

const { reactive } = window.Vue;
/** The enterprise's uploaded prompts (GET /prompts), for the "file" prompt selects. */
const promptStore = reactive({ files: [], loaded: false });

export const NODE_TYPES = ['play', 'menu', 'collect', 'time', 'set', 'http', 'db', 'say', 'language', 'goto', 'caller', 'priority', 'transfer', 'voicemail', 'survey', 'customer', 'ticket', 'return', 'hangup'];
export const BOX_TYPES = ['extension', 'queue'];
export const MENU_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];
export const PROMPT_KINDS = ['tts', 'prompt', 'file'];
export const SAY_AS = ['digits', 'number', 'amount', 'date', 'time'];
export const TRANSFER_TARGETS = ['extension', 'queue', 'conference', 'ringgroup', 'external'];
export const CALL_LANGS = ['zh', 'en'];
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const TERMINATORS = ['#', '*', ''];
const HTTP_METHODS = ['GET', 'POST'];
const NODE_ID = /^[A-Za-z0-9_-]{1,40}$/;

// Canvas geometry (px): node width, header, summary line, one row per exit, bottom padding.
const W = 190, HEAD = 30, SUM = 22, ROW = 22, PAD = 6;
const GRID_X = 240;

/** A new node of a type, with the contract's defaults filled in. */
function newNode(type) {
  switch (type) {
    case 'play': return { type, prompts: [{ tts: '' }] };
    case 'menu': return { type, prompts: [{ tts: '' }], options: {}, timeoutSeconds: 5, retries: 2, invalidPrompts: [], timeoutPrompts: [] };
    case 'collect': return { type, prompts: [{ tts: '' }], variable: 'digits', maxDigits: 4, terminator: '#', timeoutSeconds: 5 };
    case 'time': return { type, timezone: 'Asia/Shanghai', weekly: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }], holidays: [], specialDays: [] };
    case 'set': return { type, variable: '', value: '' };
    case 'http': return { type, method: 'GET', url: '', body: '', timeoutMs: 3000, assign: {} };
    case 'db': return { type, source: '', query: 'SELECT tier FROM customer WHERE phone = ${caller}', assign: {} };
    case 'say': return { type, value: '${caller}', as: 'digits' };
    case 'language': return { type, prompts: [{ tts: '' }], options: { '1': 'zh', '2': 'en' } };
    case 'goto': return { type, flow: '' };
    case 'transfer': return { type, target: 'extension', value: '' };
    case 'voicemail': return { type, boxType: 'extension', box: '' };
    case 'survey': return { type };
    case 'customer': return { type, field: '', value: '${pin}' };
    case 'ticket': return { type, prompts: [], retries: 2, timeoutSeconds: 10 };
    case 'return': return { type, result: '' };
    case 'priority': return { type, value: '10' };
    case 'caller': return { type, areas: [], list: '' };
    default: return { type };
  }
}

/** Fills in the lists and maps the side panel binds to, so that a node from the server can be edited. */
function normalizeNode(n) {
  const lists = { play: ['prompts'], menu: ['prompts', 'invalidPrompts', 'timeoutPrompts'], collect: ['prompts'], language: ['prompts'], ticket: ['prompts'],
    time: ['weekly', 'holidays', 'specialDays'] }[n.type] || [];
  for (const l of lists) if (!Array.isArray(n[l])) n[l] = [];
  if ((n.type === 'menu' || n.type === 'language') && (!n.options || typeof n.options !== 'object')) n.options = {};
  if ((n.type === 'http' || n.type === 'db') && (!n.assign || typeof n.assign !== 'object')) n.assign = {};
  if (n.type === 'time') for (const w of n.weekly) if (!Array.isArray(w.days)) w.days = [];
  if (n.type === 'caller' && !Array.isArray(n.areas)) n.areas = [];
  return n;
}

function keyOrder(a, b) { return MENU_KEYS.indexOf(a) - MENU_KEYS.indexOf(b); }

/** The exits of a node in display order: {name, option?}. Menu options are exits named by their key. */
export function exitsOf(n) {
  switch (n.type) {
    case 'play': case 'collect': case 'set': case 'say': case 'language': return [{ name: 'next' }];
    case 'menu': return Object.keys(n.options || {}).sort(keyOrder).map((k) => ({ name: k, option: k })).concat([{ name: 'fail' }]);
    case 'time': return [{ name: 'open' }, { name: 'closed' }];
    case 'http': return [{ name: 'next' }, { name: 'error' }];
    case 'db': return [{ name: 'found' }, { name: 'notFound' }, { name: 'error' }];
    case 'transfer': return [{ name: 'fail' }];
    case 'voicemail': case 'survey': case 'priority': return [{ name: 'next' }];
    case 'customer': return [{ name: 'match' }, { name: 'mismatch' }];
    case 'caller': return [{ name: 'match' }, { name: 'noMatch' }];
    case 'ticket': return [{ name: 'next' }, { name: 'fail' }];
    default: return [];
  }
}
function getExit(n, ex) { return ex.option !== undefined ? (n.options || {})[ex.option] : n[ex.name]; }
function setExit(n, ex, target) {
  if (ex.option !== undefined) n.options[ex.option] = target || '';
  else if (target) n[ex.name] = target;
  else delete n[ex.name];
}
function nodeHeight(n) { return HEAD + SUM + exitsOf(n).length * ROW + PAD; }

function kindOf(p) { return PROMPT_KINDS.find((k) => p && p[k] !== undefined) || 'tts'; }

/**
 * A prompt list: per row a TTS text (with a Preview button), a shipped phrase key (chosen from the
 * list of shipped prompts, shown with its text) or an uploaded file (chosen from GET /prompts).
 */
const PromptList = {
  props: { list: Array, name: String, editable: Boolean },
  components: { TtsPreview },
  setup() { return { PROMPT_KINDS, kindOf, SHIPPED_PROMPTS, promptStore, promptAudioUrl }; },
  computed: {
    fileNames() { return promptStore.files.map((f) => f.name); },
  },
  methods: {
    setKind(i, kind) { const old = this.list[i]; this.list.splice(i, 1, { [kind]: old[kindOf(old)] || '' }); },
    setText(p, v) { p[kindOf(p)] = v; },
    placeholder(p) { return t('flows.prompt.placeholder.' + kindOf(p)); },
    shippedText(key) { return SHIPPED_PROMPTS.includes(key) ? t('promptKey.' + key) : ''; },
    shippedLabel(key) { return t('promptKey.' + key) + ' · ' + key; },
  },
  template: `
    <div class="prompt-list" :data-testid="'prompts-' + name">
      <div v-for="(p, i) in list" :key="i" class="prompt-item">
        <div class="prompt-row">
          <select :value="kindOf(p)" @change="setKind(i, $event.target.value)" :data-testid="'prompt-' + name + '-' + i + '-kind'" :aria-label="t('flows.prompt.kind')">
            <option v-for="k in PROMPT_KINDS" :key="k" :value="k">{{ t('flows.prompt.kind.' + k) }}</option>
          </select>
          <select v-if="kindOf(p) === 'file'" class="prompt-value" :value="p.file" @change="setText(p, $event.target.value)" :data-testid="'prompt-' + name + '-' + i + '-text'" :aria-label="t('flows.prompt.kind.file')">
            <option value="">{{ promptStore.loaded && !fileNames.length ? t('flows.prompt.noFiles') : t('common.choose') }}</option>
            <option v-if="p.file && !fileNames.includes(p.file)" :value="p.file">{{ p.file }} ({{ t('flows.missing') }})</option>
            <option v-for="f in fileNames" :key="f" :value="f">{{ f }}</option>
          </select>
          <template v-else-if="kindOf(p) === 'prompt'">
            <input type="text" :value="p.prompt" @input="setText(p, $event.target.value.trim().toUpperCase())" :placeholder="placeholder(p)"
                   :list="'shipped-prompts-' + name + '-' + i" autocomplete="off" :data-testid="'prompt-' + name + '-' + i + '-text'">
            <datalist :id="'shipped-prompts-' + name + '-' + i">
              <option v-for="k in SHIPPED_PROMPTS" :key="k" :value="k">{{ shippedLabel(k) }}</option>
            </datalist>
          </template>
          <input v-else type="text" :value="p[kindOf(p)]" @input="setText(p, $event.target.value)" :placeholder="placeholder(p)"
                 :data-testid="'prompt-' + name + '-' + i + '-text'">
          <button v-if="editable" type="button" class="icon-btn" :aria-label="t('common.delete')" :data-testid="'prompt-' + name + '-' + i + '-remove'" @click="list.splice(i, 1)">×</button>
        </div>
        <div v-if="kindOf(p) === 'prompt'" class="prompt-sub muted small" :data-testid="'prompt-' + name + '-' + i + '-says'">
          <template v-if="shippedText(p.prompt)">{{ t('flows.prompt.says', { text: shippedText(p.prompt) }) }}</template>
          <template v-else>{{ t('flows.prompt.pickShipped') }}</template>
        </div>
        <div v-else-if="kindOf(p) === 'tts'" class="prompt-sub">
          <tts-preview :text="p.tts" :testid="'prompt-' + name + '-' + i + '-preview'"></tts-preview>
        </div>
        <div v-else-if="p.file" class="prompt-sub">
          <audio class="player" controls preload="none" :src="promptAudioUrl(p.file)" :data-testid="'prompt-' + name + '-' + i + '-audio'"></audio>
        </div>
      </div>
      <div v-if="!list.length" class="muted small">{{ t('flows.prompt.none') }}</div>
      <button v-if="editable" type="button" class="btn btn-sm" :data-testid="'prompt-' + name + '-add'" @click="list.push({ tts: '' })">+ {{ t('flows.prompt.add') }}</button>
    </div>`,
};

export const FlowEditor = {
  props: { flowId: Number },
  components: { PromptList, FlowStats, FlowHours },
  setup() {
    return { NODE_TYPES, BOX_TYPES, MENU_KEYS, SAY_AS, TRANSFER_TARGETS, CALL_LANGS, WEEKDAYS, TERMINATORS, HTTP_METHODS, W, HEAD, SUM, ROW };
  },
  data() {
    return {
      flow: null, graph: null, loadError: null, versions: [], flowNames: [], ringGroupNames: [], queueNames: [], dataSourceNames: [], numberListNames: [],
      selected: null, renameError: null, dirty: false, busy: false,
      problems: [], checked: false, publishRefused: false,
      drag: null, link: null, tab: 'editor',
      scale: 1, zoomFit: true, // the canvas zoom: fitted to the window on load and resize until the user zooms
    };
  },
  created() { this.load(); window.addEventListener('beforeunload', this.warnUnsaved); window.addEventListener('resize', this.refit); },
  unmounted() { window.removeEventListener('beforeunload', this.warnUnsaved); window.removeEventListener('resize', this.refit); },
  watch: {
    graph: { deep: true, handler(nv, ov) { if (ov && nv === ov) this.dirty = true; } },
  },
  computed: {
    canWrite() { return this.can('ivr.write'); },
    ids() { return this.graph ? Object.keys(this.graph.nodes) : []; },
    node() { return this.selected && this.graph ? this.graph.nodes[this.selected] || null : null; },
    problemNodes() { return new Set(this.problems.map((p) => p.node).filter((x) => x)); },
    nodeProblems() { return this.problems.filter((p) => p.node === this.selected); },
    /** One curve per connected exit. */
    edges() {
      const out = [];
      if (!this.graph) return out;
      for (const id of this.ids) {
        const n = this.graph.nodes[id];
        exitsOf(n).forEach((ex, i) => {
          const to = getExit(n, ex);
          if (!to || !this.graph.nodes[to]) return;
          const a = this.exitPoint(id, i);
          const b = this.inPoint(to);
          out.push({ key: id + '-' + ex.name, from: id, to, d: curve(a, b), problem: this.problemNodes.has(id) && this.problems.some((p) => p.node === id && exitField(p.field) === ex.name) });
        });
      }
      return out;
    },
    canvasSize() {
      let w = 0, h = 0;
      if (this.graph) for (const id of this.ids) {
        const p = this.pos(id);
        w = Math.max(w, p.x + W); h = Math.max(h, p.y + nodeHeight(this.graph.nodes[id]));
      }
      return { w: w + 240, h: h + 200 };
    },
    linkPath() { return this.link ? curve({ x: this.link.x1, y: this.link.y1 }, { x: this.link.x2, y: this.link.y2 }) : ''; },
    otherFlows() { return this.flowNames.filter((n) => !this.flow || n !== this.flow.name); },
  },
  methods: {
    // ---------- loading ----------
    async load() {
      try {
        const f = await api.get('/flows/' + this.flowId);
        this.flow = f;
        this.setGraph(f.draft);
        this.loadError = null;
      } catch (e) { this.loadError = e; return; }
      this.loadVersions();
      this.loadPrompts();
      try { this.flowNames = (await api.get('/flows')).map((x) => x.name); } catch (e) { this.flowNames = []; }
      if (this.can('routing.read')) {
        try { this.ringGroupNames = (await api.get('/ring-groups')).map((x) => x.name); } catch (e) { this.ringGroupNames = []; }
      }
      try { this.dataSourceNames = (await api.get('/ivr/data-sources')).map((x) => x.name); } catch (e) { this.dataSourceNames = []; }
      try { this.numberListNames = (await api.get('/ivr/number-lists')).map((x) => x.name); } catch (e) { this.numberListNames = []; }
      if (this.can('queue.read')) {
        try { this.queueNames = (await api.get('/queues')).map((x) => x.name); } catch (e) { this.queueNames = []; }
      }
    },
    async loadPrompts() {
      try { promptStore.files = await api.get('/prompts'); } catch (e) { promptStore.files = []; }
      promptStore.loaded = true;
    },
    async loadVersions() {
      try { this.versions = (await api.get('/flows/' + this.flowId + '/versions')).slice().sort((a, b) => b.version - a.version); } catch (e) { this.versions = []; }
    },
    async reloadMeta() {
      try {
        const f = await api.get('/flows/' + this.flowId);
        this.flow = Object.assign({}, this.flow, { publishedVersion: f.publishedVersion, draftVersion: f.draftVersion, published: f.published });
      } catch (e) { /* keep what we have */ }
      await this.loadVersions();
    },
    setGraph(draft) {
      const g = JSON.parse(JSON.stringify(draft || { start: '', nodes: {} }));
      if (!g.nodes || typeof g.nodes !== 'object') g.nodes = {};
      if (!g.layout || typeof g.layout !== 'object') g.layout = {};
      for (const id of Object.keys(g.nodes)) normalizeNode(g.nodes[id]);
      // Nodes without a position (e.g. made through the API) get a free spot.
      for (const id of Object.keys(g.nodes)) if (!g.layout[id]) g.layout[id] = freeSpot(g, id);
      this.graph = g;
      this.dirty = false;
      this.$nextTick(this.refit);
    },
    // ---------- zoom: the whole flow fits the canvas (no column of nodes cut off), or the user's zoom ----------
    /** The scale at which every node fits the canvas's width and height, between 50 % and 100 %. */
    fitScale() {
      const c = this.$refs.canvas;
      if (!c || !this.graph || !this.ids.length) return 1;
      let w = 0, h = 0;
      for (const id of this.ids) { const p = this.pos(id); w = Math.max(w, p.x + W + 40); h = Math.max(h, p.y + nodeHeight(this.graph.nodes[id]) + 40); }
      const s = Math.min(1, (c.clientWidth - 4) / w, (c.clientHeight - 4) / h);
      return Math.max(0.5, Math.floor(s * 100) / 100);
    },
    refit() { if (this.zoomFit) this.scale = this.fitScale(); },
    fit() { this.zoomFit = true; this.refit(); },
    zoomBy(step) { this.zoomFit = false; this.scale = Math.min(1.5, Math.max(0.5, Math.round((this.scale + step) * 10) / 10)); },
    async back() {
      if (this.dirty && this.canWrite && !(await confirmDialog(t('flows.confirmLeave'), { okKey: 'flows.leave' }))) return;
      location.hash = '#/flows';
    },
    warnUnsaved(e) { if (this.dirty && this.canWrite) { e.preventDefault(); e.returnValue = ''; } },

    // ---------- labels ----------
    typeLabel(type) { return tOr('flows.type.' + type, type); },
    /** A survey node's language: zh or en, or none (the caller's language in the flow). */
    setSurveyLanguage(node, value) { if (value) node.language = value; else delete node.language; },
    exitLabel(ex) { return ex.option !== undefined ? t('flows.exit.key', { key: ex.option }) : tOr('flows.exit.' + ex.name, ex.name); },
    nodeLabel(id) { const n = this.graph.nodes[id]; return n ? id + ' · ' + this.typeLabel(n.type) : id; },
    summary(n) {
      // A shipped phrase by its text (WELCOME → "welcome"), not its key.
      const first = (list) => { const p = (list || [])[0]; return !p ? '' : kindOf(p) === 'prompt' ? promptText(p.prompt) : (p[kindOf(p)] || ''); };
      switch (n.type) {
        case 'play': case 'language': return first(n.prompts);
        case 'menu': return first(n.prompts) || Object.keys(n.options || {}).sort(keyOrder).join(' ');
        case 'collect': return n.variable ? '→ ${' + n.variable + '}' : '';
        case 'time': return (n.weekly || []).length ? hoursText(n.weekly) : (n.timezone || '');
        case 'set': return n.variable ? n.variable + ' = ' + (n.value || '') : '';
        case 'http': return (n.method || 'GET') + ' ' + (n.url || '');
        case 'db': return (n.source ? n.source + ': ' : '') + (n.query || '');
        case 'say': return (n.value || '') + (n.as ? ' (' + tOr('flows.sayAs.' + n.as, n.as) + ')' : '');
        case 'goto': return n.flow ? '→ ' + n.flow : '';
        case 'transfer': return tOr('flows.transfer.' + n.target, n.target || '') + ' ' + (n.value || '');
        case 'voicemail': return n.box ? tOr('flows.boxType.' + n.boxType, n.boxType || '') + ' ' + n.box : '';
        case 'hangup': return t('flows.hangupSummary');
        case 'survey': return t('flows.surveySummary') + (n.language ? ' (' + t('lang.' + n.language) + ')' : '');
        case 'customer': return n.field ? n.field + ' = ' + (n.value || '') : '';
        case 'ticket': return t('flows.ticketSummary');
        case 'return': return t('flows.returnSummary') + (n.result ? ' (' + n.result + ')' : '');
        case 'priority': return t('flows.prioritySummary', { value: n.value || '' });
        case 'caller': return [(n.areas || []).join(' '), n.list ? t('flows.callerListSummary', { list: n.list }) : ''].filter((x) => x).join(' · ');
        default: return '';
      }
    },
    exitsOf,
    getExit,
    targetOf(id, ex) { return getExit(this.graph.nodes[id], ex) || ''; },
    /** Problem text of the selected node's property (exact field, as the server names it). */
    perr(field) { const p = this.nodeProblems.find((x) => x.field === field); return p ? p.message : null; },
    problemText(p) { return fieldErrorText(p.message); },
    /** The property a problem is about, in words: "Key 3", "Next", "Prompts #1"; the field name as sent when unknown. */
    fieldLabel(p) {
      const f = String(p.field || '');
      if (!f || f === 'id' || f === 'type') return '';
      let m = /^options\.(.+)$/.exec(f);
      if (m) return t('flows.exit.key', { key: m[1] });
      if (['next', 'fail', 'open', 'closed', 'error', 'match', 'mismatch', 'noMatch'].includes(f)) return t('flows.exit.' + f);
      m = /^areas\.(\d+)$/.exec(f);
      if (m) return t('flows.callerAreas') + ' #' + (Number(m[1]) + 1);
      if (f === 'start') return t('flows.startNode');
      m = /^(prompts|invalidPrompts|timeoutPrompts)\.(\d+)$/.exec(f);
      if (m) return t('flows.' + m[1]) + ' #' + (Number(m[2]) + 1);
      return f;
    },
    /** Problem texts of a list property and its items ("prompts", "prompts.0", ...), numbered from 1 for people. */
    perrs(field) {
      return this.nodeProblems.filter((x) => x.field === field || String(x.field).startsWith(field + '.'))
        .map((x) => { const m = /\.(\d+)/.exec(String(x.field).slice(field.length)); return (m ? '#' + (Number(m[1]) + 1) + ' ' : '') + fieldErrorText(x.message); });
    },

    // ---------- geometry ----------
    pos(id) { return this.graph.layout[id] || { x: 0, y: 0 }; },
    exitPoint(id, i) { const p = this.pos(id); return { x: p.x + W, y: p.y + HEAD + SUM + i * ROW + ROW / 2 }; },
    inPoint(id) { const p = this.pos(id); return { x: p.x, y: p.y + HEAD / 2 }; },
    nodeStyle(id) { const p = this.pos(id); return { left: p.x + 'px', top: p.y + 'px', width: W + 'px' }; },
    canvasPoint(e) { const r = this.$refs.inner.getBoundingClientRect(); return { x: (e.clientX - r.left) / this.scale, y: (e.clientY - r.top) / this.scale }; },

    // ---------- selection, dragging, connecting ----------
    select(id) { this.selected = id && this.graph.nodes[id] ? id : null; this.renameError = null; },
    backgroundDown(e) { if (e.target === e.currentTarget || e.target.tagName === 'svg') this.select(null); },
    nodeDown(e, id) {
      this.select(id);
      if (!this.canWrite || e.button !== 0) return;
      const p = this.pos(id);
      this.drag = { id, sx: e.clientX, sy: e.clientY, ox: p.x, oy: p.y, moved: false };
      e.currentTarget.setPointerCapture(e.pointerId);
      e.preventDefault();
    },
    nodeMove(e) {
      const d = this.drag;
      if (!d) return;
      const dx = (e.clientX - d.sx) / this.scale, dy = (e.clientY - d.sy) / this.scale;
      if (!d.moved && Math.abs(dx) + Math.abs(dy) < 3) return;
      d.moved = true;
      this.graph.layout[d.id] = { x: Math.max(0, Math.round((d.ox + dx) / 10) * 10), y: Math.max(0, Math.round((d.oy + dy) / 10) * 10) };
    },
    nodeUp() { this.drag = null; },
    exitDown(e, id, ex, i) {
      this.select(id);
      if (!this.canWrite || e.button !== 0) return;
      const a = this.exitPoint(id, i);
      const c = this.canvasPoint(e);
      this.link = { id, ex, x1: a.x, y1: a.y, x2: c.x, y2: c.y };
      e.currentTarget.setPointerCapture(e.pointerId);
      e.preventDefault();
    },
    exitMove(e) { if (this.link) { const c = this.canvasPoint(e); this.link.x2 = c.x; this.link.y2 = c.y; } },
    exitUp(e) {
      const l = this.link;
      this.link = null;
      if (!l) return;
      const under = document.elementFromPoint(e.clientX, e.clientY);
      const box = under && under.closest ? under.closest('[data-node-id]') : null;
      if (box && this.graph.nodes[box.dataset.nodeId] && this.graph.nodes[l.id]) setExit(this.graph.nodes[l.id], l.ex, box.dataset.nodeId);
    },

    // ---------- editing ----------
    addNode(type) {
      const base = type.replace(/[^a-z]/g, '');
      let i = 1;
      while (this.graph.nodes[base + '_' + i]) i++;
      const id = base + '_' + i;
      const c = this.$refs.canvas;
      const k = this.scale;
      const view = c ? { x: c.scrollLeft / k, y: c.scrollTop / k, w: c.clientWidth / k, h: c.clientHeight / k } : null;
      this.graph.layout[id] = freeSpot(this.graph, id, view);
      this.graph.nodes[id] = newNode(type);
      if (!this.graph.start || !this.graph.nodes[this.graph.start]) this.graph.start = id;
      this.select(id);
      this.$nextTick(() => {
        const el = this.$el.querySelector && this.$el.querySelector('[data-node-id="' + id + '"]');
        if (el && el.scrollIntoView) el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      });
    },
    removeNode(id) {
      const g = this.graph;
      delete g.nodes[id];
      delete g.layout[id];
      for (const other of Object.keys(g.nodes)) {
        const n = g.nodes[other];
        for (const ex of exitsOf(n)) if (getExit(n, ex) === id) setExit(n, ex, '');
      }
      if (g.start === id) g.start = '';
      this.select(null);
    },
    setStart(id) { this.graph.start = id; },
    renameNode(oldId, raw) {
      const id = String(raw || '').trim();
      this.renameError = null;
      if (id === oldId) return;
      if (!NODE_ID.test(id)) { this.renameError = t('flows.nodeIdRule'); return; }
      if (this.graph.nodes[id]) { this.renameError = t('validation.alreadyExists'); return; }
      const g = this.graph;
      const nodes = {};
      for (const k of Object.keys(g.nodes)) nodes[k === oldId ? id : k] = g.nodes[k];
      for (const k of Object.keys(nodes)) {
        const n = nodes[k];
        for (const ex of exitsOf(n)) if (getExit(n, ex) === oldId) setExit(n, ex, id);
      }
      g.layout[id] = g.layout[oldId]; delete g.layout[oldId];
      g.nodes = nodes;
      if (g.start === oldId) g.start = id;
      for (const p of this.problems) if (p.node === oldId) p.node = id;
      this.selected = id;
    },
    setExitOf(id, ex, target) { setExit(this.graph.nodes[id], ex, target); },
    setNum(n, prop, v) { const x = intOrNull(v); if (x === null) delete n[prop]; else n[prop] = x; },
    // options (menu: key → node, language: key → language)
    optionKeys(n) { return Object.keys(n.options || {}).sort(keyOrder); },
    addOption(n, value) {
      const k = MENU_KEYS.find((x) => !(x in n.options));
      if (k !== undefined) n.options[k] = value;
    },
    setOptionKey(n, oldKey, newKey) {
      if (newKey === oldKey || newKey in n.options) return;
      const opts = {};
      for (const k of Object.keys(n.options)) opts[k === oldKey ? newKey : k] = n.options[k];
      n.options = opts;
    },
    removeOption(n, k) { delete n.options[k]; },
    freeKeys(n, k) { return MENU_KEYS.filter((x) => x === k || !(x in n.options)); },
    // http assign: variable → JSON path
    addAssign(n) { let i = 1; while (('var' + i) in n.assign) i++; n.assign['var' + i] = ''; },
    renameAssign(n, oldVar, raw) {
      const v = String(raw || '').trim();
      if (!v || v === oldVar || v in n.assign) return;
      const out = {};
      for (const k of Object.keys(n.assign)) out[k === oldVar ? v : k] = n.assign[k];
      n.assign = out;
    },
    removeAssign(n, v) { delete n.assign[v]; },
    // caller condition (ACD-4): area codes typed as one text, separated by spaces or commas
    areasText(n) { return (n.areas || []).join(' '); },
    setAreas(n, v) { n.areas = String(v || '').split(/[\s,，、]+/).map((x) => x.trim()).filter((x) => x); },
    // time condition
    toggleDay(w, d) { const i = w.days.indexOf(d); if (i >= 0) w.days.splice(i, 1); else { w.days.push(d); w.days.sort((a, b) => a - b); } },

    // ---------- server ----------
    body() {
      const g = JSON.parse(JSON.stringify(this.graph));
      for (const n of Object.values(g.nodes)) {
        if (Array.isArray(n.holidays)) n.holidays = n.holidays.filter((x) => x);
        if (Array.isArray(n.specialDays)) n.specialDays = n.specialDays.filter((x) => x && x.date);
        if (n.type === 'http' && n.method !== 'POST') delete n.body;
        if (n.type === 'db' && n.assign && !Object.keys(n.assign).length) delete n.assign; // every column then, by its label
        if (n.type === 'caller' && !n.list) delete n.list;
      }
      return g;
    },
    async saveDraft(quiet) {
      this.busy = true;
      try {
        const r = await api.put('/flows/' + this.flowId + '/draft', this.body());
        this.problems = (r && r.problems) || [];
        this.checked = true;
        this.publishRefused = false;
        this.dirty = false;
        if (r && r.version !== undefined) this.flow.draftVersion = r.version;
        if (!quiet) toast(t('flows.draftSaved'));
        this.loadVersions();
        return true;
      } catch (e) {
        this.showError(e);
        return false;
      } finally { this.busy = false; }
    },
    async validate() {
      if (this.dirty && this.canWrite && !(await this.saveDraft(true))) return;
      this.busy = true;
      try {
        const r = await api.post('/flows/' + this.flowId + '/validate');
        this.problems = (r && r.problems) || [];
        this.checked = true;
        this.publishRefused = false;
      } catch (e) { this.showError(e); } finally { this.busy = false; }
    },
    async publish() {
      if (this.dirty && !(await this.saveDraft(true))) return;
      this.busy = true;
      try {
        const r = await api.post('/flows/' + this.flowId + '/publish');
        this.problems = [];
        this.checked = true;
        this.publishRefused = false;
        if (r && r.version !== undefined) this.flow.publishedVersion = r.version;
        toast(t('flows.publishedToast', { n: r && r.version !== undefined ? r.version : '' }));
        await this.reloadMeta();
      } catch (e) {
        if (e.status === 400 && e.fieldErrors && e.fieldErrors.length) {
          this.problems = e.fieldErrors.map(problemFromFieldError);
          this.checked = true;
          this.publishRefused = true;
        } else this.showError(e);
      } finally { this.busy = false; }
    },
    async rollback(v) {
      if (!(await confirmDialog(t('flows.confirmRollback', { n: v.version }), { danger: false, okKey: 'flows.rollback' }))) return;
      try {
        await api.post('/flows/' + this.flowId + '/versions/' + v.version + '/publish');
        toast(t('flows.rolledBack', { n: v.version }));
        await this.reloadMeta();
      } catch (e) { toastError(e); }
    },
    /** A refused draft (400 with field errors) shows as problems; anything else as a toast. */
    showError(e) {
      if (e.status === 400 && e.fieldErrors && e.fieldErrors.length) {
        this.problems = e.fieldErrors.map(problemFromFieldError);
        this.checked = true;
      } else toastError(e);
    },
  },
  template: `
    <div v-if="loadError" class="flow-page">
      <div class="page-head"><a href="#/flows" class="btn btn-sm" data-testid="flow-back">← {{ t('flows.back') }}</a></div>
      <div class="alert alert-error" data-testid="flow-load-error">{{ errorText(loadError) }}</div>
    </div>
    <div v-else-if="!flow || !graph" class="center-msg">{{ t('common.loading') }}</div>
    <div v-else class="flow-page" data-testid="flow-editor">
      <div class="page-head flow-head">
        <a href="#/flows" class="btn btn-sm" data-testid="flow-back" @click.prevent="back">← {{ t('flows.back') }}</a>
        <h1 data-testid="page-title" class="mono">{{ flow.name }}</h1>
        <span class="sub" v-if="flow.description">{{ flow.description }}</span>
        <span class="badge" :class="flow.publishedVersion ? 'badge-ok' : 'badge-off'" data-testid="flow-published-version">{{ flow.publishedVersion ? t('flows.liveVersion', { n: flow.publishedVersion }) : t('flows.notPublished') }}</span>
        <flow-hours v-if="flow.publishedVersion" :key="flow.publishedVersion" :flow-id="flowId" testid="flow-editor-hours"></flow-hours>
        <span class="badge" data-testid="flow-draft-version">{{ t('flows.draftN', { n: flow.draftVersion || '—' }) }}</span>
        <span v-if="dirty && canWrite" class="badge badge-warn" data-testid="flow-dirty">{{ t('flows.unsaved') }}</span>
        <div class="seg flow-tabs" role="tablist">
          <button type="button" role="tab" :aria-selected="tab === 'editor'" :class="{ active: tab === 'editor' }" data-testid="flow-tab-editor" @click="tab = 'editor'">{{ t('flows.tab.editor') }}</button>
          <button type="button" role="tab" :aria-selected="tab === 'stats'" :class="{ active: tab === 'stats' }" data-testid="flow-tab-stats" @click="tab = 'stats'">{{ t('flows.tab.stats') }}</button>
        </div>
        <div class="spacer"></div>
        <template v-if="tab === 'editor'">
        <button class="btn" data-testid="flow-validate" :disabled="busy" :title="t('flows.validateHint')" @click="validate">{{ t('flows.validate') }}</button>
        <template v-if="canWrite">
          <button class="btn" data-testid="flow-save-draft" :disabled="busy" @click="saveDraft(false)">{{ t('flows.saveDraft') }}</button>
          <button class="btn btn-primary" data-testid="flow-publish" :disabled="busy" :title="t('flows.publishHint')" @click="publish">{{ t('flows.publish') }}</button>
        </template>
        <span v-else class="badge badge-blue" data-testid="flow-readonly">{{ t('flows.readOnly') }}</span>
        </template>
      </div>

      <flow-stats v-if="tab === 'stats'" :flow-id="flowId" :graph="graph"></flow-stats>
      <template v-else>

      <div v-if="problems.length" class="alert alert-error flow-problems" role="alert" data-testid="flow-problems">
        <div class="fp-title" data-testid="flow-problems-title">{{ publishRefused ? t('flows.publishRefused', { n: problems.length }) : t('flows.problemsTitle', { n: problems.length }) }}</div>
        <ul>
          <li v-for="(p, i) in problems" :key="i" data-testid="flow-problem">
            <button v-if="p.node && graph.nodes[p.node]" type="button" class="btn-link mono" @click="select(p.node)">{{ p.node }}</button>
            <span v-else-if="p.node" class="mono">{{ p.node }}</span>
            <span v-if="fieldLabel(p)" class="fp-field">{{ fieldLabel(p) }}</span><span class="fp-msg">{{ problemText(p) }}</span>
          </li>
        </ul>
      </div>
      <div v-else-if="checked" class="alert alert-ok flow-problems" data-testid="flow-ok">{{ t('flows.noProblems') }}</div>

      <div class="flow-editor" :class="{ readonly: !canWrite }">
        <aside v-if="canWrite" class="panel flow-palette" data-testid="flow-palette">
          <div class="fp-caption">{{ t('flows.palette') }}</div>
          <button v-for="ty in NODE_TYPES" :key="ty" type="button" class="palette-item" :class="'ft-' + ty" :data-testid="'palette-' + ty"
                  :title="t('flows.typeHint.' + ty)" @click="addNode(ty)"><span class="dot"></span>{{ typeLabel(ty) }}</button>
        </aside>

        <div class="panel flow-canvas" ref="canvas" data-testid="flow-canvas">
          <div class="flow-zoom" data-testid="flow-zoom" :data-scale="scale">
            <button type="button" class="btn btn-sm" data-testid="flow-zoom-out" :aria-label="t('flows.zoomOut')" :title="t('flows.zoomOut')" @click="zoomBy(-0.1)">−</button>
            <button type="button" class="btn btn-sm" :class="{ active: zoomFit }" data-testid="flow-zoom-fit" :title="t('flows.zoomFit')" @click="fit">{{ Math.round(scale * 100) }}%</button>
            <button type="button" class="btn btn-sm" data-testid="flow-zoom-in" :aria-label="t('flows.zoomIn')" :title="t('flows.zoomIn')" @click="zoomBy(0.1)">+</button>
          </div>
          <div class="flow-canvas-sizer" :style="{ width: canvasSize.w * scale + 'px', height: canvasSize.h * scale + 'px' }">
          <div class="flow-canvas-inner" ref="inner" :style="{ width: canvasSize.w + 'px', height: canvasSize.h + 'px', minWidth: (100 / scale) + '%', minHeight: (100 / scale) + '%', transform: 'scale(' + scale + ')' }" @pointerdown="backgroundDown">
            <svg class="flow-edges" :width="canvasSize.w" :height="canvasSize.h">
              <defs>
                <marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#8894a7"/></marker>
                <marker id="flow-arrow-sel" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#1a66d8"/></marker>
              </defs>
              <path v-for="e in edges" :key="e.key" :d="e.d" class="edge" :class="{ sel: e.from === selected || e.to === selected }"
                    :marker-end="(e.from === selected || e.to === selected) ? 'url(#flow-arrow-sel)' : 'url(#flow-arrow)'" :data-testid="'flow-edge-' + e.key" :data-to="e.to"></path>
              <path v-if="link" :d="linkPath" class="edge linking"></path>
            </svg>
            <div v-for="id in ids" :key="id" class="fnode" :class="['ft-' + graph.nodes[id].type, { selected: id === selected, problem: problemNodes.has(id), start: graph.start === id, dragging: drag && drag.id === id && drag.moved }]"
                 :style="nodeStyle(id)" :data-node-id="id" :data-testid="'flow-node-' + id"
                 @pointerdown="nodeDown($event, id)" @pointermove="nodeMove" @pointerup="nodeUp" @pointercancel="nodeUp">
              <span class="fnode-in"></span>
              <div class="fnode-head" :title="nodeLabel(id)">
                <span class="fnode-type">{{ typeLabel(graph.nodes[id].type) }}</span>
                <span class="fnode-id mono">{{ id }}</span>
                <span v-if="graph.start === id" class="fnode-start" data-testid="flow-start-mark" :title="t('flows.startNode')">{{ t('flows.startShort') }}</span>
              </div>
              <div class="fnode-sum" :title="summary(graph.nodes[id])">{{ summary(graph.nodes[id]) || '\u00a0' }}</div>
              <div v-for="(ex, i) in exitsOf(graph.nodes[id])" :key="ex.name" class="fnode-exit" :class="{ unset: !targetOf(id, ex) }">
                <span>{{ exitLabel(ex) }}</span>
                <span class="handle" :class="{ connected: !!targetOf(id, ex), active: link && link.id === id && link.ex.name === ex.name }"
                      :data-testid="'flow-exit-' + id + '-' + ex.name" :title="canWrite ? t('flows.dragToConnect') : ''"
                      @pointerdown.stop="exitDown($event, id, ex, i)" @pointermove="exitMove" @pointerup="exitUp" @pointercancel="link = null"></span>
              </div>
            </div>
            <div v-if="!ids.length" class="flow-empty">{{ t('flows.emptyCanvas') }}</div>
          </div>
          </div>
        </div>

        <aside class="panel flow-side" data-testid="flow-panel">
          <template v-if="node">
            <div class="fs-head">
              <span class="fs-type" :class="'ft-' + node.type"><span class="dot"></span>{{ typeLabel(node.type) }}</span>
              <div class="spacer"></div>
              <button type="button" class="icon-btn" :aria-label="t('common.close')" data-testid="node-close" @click="select(null)">×</button>
            </div>
            <div class="fs-body">
              <div class="field-hint">{{ t('flows.typeHint.' + node.type) }}</div>
              <ul v-if="nodeProblems.length" class="node-problems" data-testid="node-problems">
                <li v-for="(p, i) in nodeProblems" :key="i">{{ fieldLabel(p) ? fieldLabel(p) + ': ' : '' }}{{ problemText(p) }}</li>
              </ul>
              <fieldset class="plain" :disabled="!canWrite">
                <form-field :label="t('flows.nodeId')" :error="renameError || perr('id')" testid="node-id-error" :hint="t('flows.nodeIdHint')">
                  <input type="text" :value="selected" data-testid="node-id" @change="renameNode(selected, $event.target.value)">
                </form-field>

                <!-- prompts -->
                <div v-if="node.prompts" class="field" :class="{ invalid: !!perr('prompts') }">
                  <span class="field-label">{{ t('flows.prompts') }}</span>
                  <prompt-list :list="node.prompts" name="prompts" :editable="canWrite"></prompt-list>
                  <span v-for="(m, i) in perrs('prompts')" :key="i" class="field-error" data-testid="node-prompts-error">{{ m }}</span>
                </div>

                <!-- menu -->
                <template v-if="node.type === 'menu'">
                  <div class="field">
                    <span class="field-label">{{ t('flows.options') }}</span>
                    <div v-for="k in optionKeys(node)" :key="k" class="option-row" :class="{ invalid: !!perr('options.' + k) }">
                      <select :value="k" :data-testid="'option-key-' + k" :aria-label="t('flows.key')" @change="setOptionKey(node, k, $event.target.value)">
                        <option v-for="x in freeKeys(node, k)" :key="x" :value="x">{{ x }}</option>
                      </select>
                      <span class="arrow">→</span>
                      <select :value="node.options[k] || ''" :data-testid="'option-target-' + k" @change="node.options[k] = $event.target.value">
                        <option value="">{{ t('flows.unset') }}</option>
                        <option v-if="node.options[k] && !graph.nodes[node.options[k]]" :value="node.options[k]">{{ node.options[k] }} ({{ t('flows.missing') }})</option>
                        <option v-for="x in ids" :key="x" :value="x">{{ nodeLabel(x) }}</option>
                      </select>
                      <button v-if="canWrite" type="button" class="icon-btn" :aria-label="t('common.delete')" :data-testid="'option-remove-' + k" @click="removeOption(node, k)">×</button>
                      <span v-if="perr('options.' + k)" class="field-error option-error" :data-testid="'option-error-' + k">{{ fieldErrorText(perr('options.' + k)) }}</span>
                    </div>
                    <span v-if="perr('options')" class="field-error">{{ fieldErrorText(perr('options')) }}</span>
                    <button v-if="canWrite && optionKeys(node).length < MENU_KEYS.length" type="button" class="btn btn-sm" data-testid="option-add" @click="addOption(node, '')">+ {{ t('flows.addOption') }}</button>
                  </div>
                  <div class="form-grid inner">
                    <form-field :label="t('flows.timeoutSeconds')" :error="perr('timeoutSeconds')" testid="node-timeout-error" :hint="t('flows.timeoutHint')">
                      <input type="text" inputmode="numeric" :value="node.timeoutSeconds ?? ''" data-testid="node-timeout" @input="setNum(node, 'timeoutSeconds', $event.target.value)">
                    </form-field>
                    <form-field :label="t('flows.retries')" :error="perr('retries')" testid="node-retries-error" :hint="t('flows.retriesHint')">
                      <input type="text" inputmode="numeric" :value="node.retries ?? ''" data-testid="node-retries" @input="setNum(node, 'retries', $event.target.value)">
                    </form-field>
                  </div>
                  <div class="field">
                    <span class="field-label">{{ t('flows.invalidPrompts') }}</span>
                    <prompt-list :list="node.invalidPrompts" name="invalidPrompts" :editable="canWrite"></prompt-list>
                    <span v-for="(m, i) in perrs('invalidPrompts')" :key="i" class="field-error">{{ m }}</span>
                  </div>
                  <div class="field">
                    <span class="field-label">{{ t('flows.timeoutPrompts') }}</span>
                    <prompt-list :list="node.timeoutPrompts" name="timeoutPrompts" :editable="canWrite"></prompt-list>
                    <span v-for="(m, i) in perrs('timeoutPrompts')" :key="i" class="field-error">{{ m }}</span>
                  </div>
                </template>

                <!-- collect -->
                <template v-if="node.type === 'collect'">
                  <form-field :label="t('flows.variable')" required :error="perr('variable')" testid="node-variable-error" :hint="t('flows.variableHint')">
                    <input type="text" v-model="node.variable" data-testid="node-variable">
                  </form-field>
                  <div class="form-grid inner three">
                    <form-field :label="t('flows.maxDigits')" :error="perr('maxDigits')" testid="node-max-digits-error">
                      <input type="text" inputmode="numeric" :value="node.maxDigits ?? ''" data-testid="node-max-digits" @input="setNum(node, 'maxDigits', $event.target.value)">
                    </form-field>
                    <form-field :label="t('flows.terminator')" :error="perr('terminator')" testid="node-terminator-error">
                      <select v-model="node.terminator" data-testid="node-terminator">
                        <option v-for="x in TERMINATORS" :key="x" :value="x">{{ x || t('flows.noTerminator') }}</option>
                      </select>
                    </form-field>
                    <form-field :label="t('flows.timeoutSeconds')" :error="perr('timeoutSeconds')" testid="node-timeout-error">
                      <input type="text" inputmode="numeric" :value="node.timeoutSeconds ?? ''" data-testid="node-timeout" @input="setNum(node, 'timeoutSeconds', $event.target.value)">
                    </form-field>
                  </div>
                </template>

                <!-- time condition -->
                <template v-if="node.type === 'time'">
                  <form-field :label="t('flows.timezone')" :error="perr('timezone')" testid="node-timezone-error" :hint="t('flows.timezoneHint')">
                    <input type="text" v-model="node.timezone" data-testid="node-timezone" placeholder="Asia/Shanghai">
                  </form-field>
                  <div class="field">
                    <span class="field-label">{{ t('flows.weekly') }}</span>
                    <div v-for="(w, i) in node.weekly" :key="i" class="weekly-row" :data-testid="'weekly-' + i">
                      <div class="days">
                        <label v-for="d in WEEKDAYS" :key="d" class="day" :class="{ on: w.days.includes(d) }">
                          <input type="checkbox" :checked="w.days.includes(d)" :data-testid="'weekly-' + i + '-day-' + d" @change="toggleDay(w, d)">{{ t('flows.weekday.' + d) }}
                        </label>
                      </div>
                      <div class="times">
                        <input type="time" v-model="w.from" :data-testid="'weekly-' + i + '-from'" :aria-label="t('flows.from')">
                        <span>–</span>
                        <input v-if="w.to !== '24:00'" type="time" v-model="w.to" :data-testid="'weekly-' + i + '-to'" :aria-label="t('flows.to')">
                        <span v-else class="mono" :data-testid="'weekly-' + i + '-to-eod'">24:00</span>
                        <label class="eod" :title="t('flows.untilEndOfDayHint')"><input type="checkbox" :checked="w.to === '24:00'" :disabled="!canWrite"
                          :data-testid="'weekly-' + i + '-eod'" @change="w.to = $event.target.checked ? '24:00' : '18:00'">{{ t('flows.untilEndOfDay') }}</label>
                        <button v-if="canWrite" type="button" class="icon-btn" :aria-label="t('common.delete')" :data-testid="'weekly-' + i + '-remove'" @click="node.weekly.splice(i, 1)">×</button>
                      </div>
                    </div>
                    <span v-for="(m, i) in perrs('weekly')" :key="i" class="field-error">{{ m }}</span>
                    <button v-if="canWrite" type="button" class="btn btn-sm" data-testid="weekly-add" @click="node.weekly.push({ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' })">+ {{ t('flows.addHours') }}</button>
                  </div>
                  <div class="field">
                    <span class="field-label">{{ t('flows.holidays') }}</span>
                    <div v-for="(h, i) in node.holidays" :key="i" class="inline-row">
                      <input type="date" :value="h" :data-testid="'holiday-' + i" @input="node.holidays[i] = $event.target.value">
                      <button v-if="canWrite" type="button" class="icon-btn" :aria-label="t('common.delete')" @click="node.holidays.splice(i, 1)">×</button>
                    </div>
                    <span v-for="(m, i) in perrs('holidays')" :key="i" class="field-error">{{ m }}</span>
                    <span class="field-hint">{{ t('flows.holidaysHint') }}</span>
                    <button v-if="canWrite" type="button" class="btn btn-sm" data-testid="holiday-add" @click="node.holidays.push('')">+ {{ t('flows.addHoliday') }}</button>
                  </div>
                  <div class="field">
                    <span class="field-label">{{ t('flows.specialDays') }}</span>
                    <div v-for="(s, i) in node.specialDays" :key="i" class="inline-row">
                      <input type="date" v-model="s.date" :data-testid="'special-' + i + '-date'">
                      <input type="time" v-model="s.from" :aria-label="t('flows.from')">
                      <span>–</span>
                      <input v-if="s.to !== '24:00'" type="time" v-model="s.to" :aria-label="t('flows.to')">
                      <span v-else class="mono">24:00</span>
                      <label class="eod"><input type="checkbox" :checked="s.to === '24:00'" :disabled="!canWrite" :data-testid="'special-' + i + '-eod'"
                        @change="s.to = $event.target.checked ? '24:00' : '12:00'">{{ t('flows.untilEndOfDay') }}</label>
                      <button v-if="canWrite" type="button" class="icon-btn" :aria-label="t('common.delete')" @click="node.specialDays.splice(i, 1)">×</button>
                    </div>
                    <span v-for="(m, i) in perrs('specialDays')" :key="i" class="field-error">{{ m }}</span>
                    <span class="field-hint">{{ t('flows.specialDaysHint') }}</span>
                    <button v-if="canWrite" type="button" class="btn btn-sm" data-testid="special-add" @click="node.specialDays.push({ date: '', from: '09:00', to: '12:00' })">+ {{ t('flows.addSpecialDay') }}</button>
                  </div>
                </template>

                <!-- set -->
                <template v-if="node.type === 'set'">
                  <form-field :label="t('flows.variable')" required :error="perr('variable')" testid="node-variable-error" :hint="t('flows.variableHint')">
                    <input type="text" v-model="node.variable" data-testid="node-variable">
                  </form-field>
                  <form-field :label="t('flows.value')" :error="perr('value')" testid="node-value-error" :hint="t('flows.valueHint')">
                    <input type="text" v-model="node.value" data-testid="node-value">
                  </form-field>
                </template>

                <!-- http -->
                <template v-if="node.type === 'http'">
                  <div class="form-grid inner method-url">
                    <form-field :label="t('flows.method')" :error="perr('method')" testid="node-method-error">
                      <select v-model="node.method" data-testid="node-method"><option v-for="m in HTTP_METHODS" :key="m" :value="m">{{ m }}</option></select>
                    </form-field>
                    <form-field :label="t('flows.url')" required :error="perr('url')" testid="node-url-error">
                      <input type="text" v-model="node.url" data-testid="node-url" placeholder="https://crm.example.com/api/customer?phone=\${caller}">
                    </form-field>
                  </div>
                  <form-field v-if="node.method === 'POST'" :label="t('flows.body')" :error="perr('body')" testid="node-body-error" :hint="t('flows.valueHint')">
                    <textarea rows="3" v-model="node.body" data-testid="node-body"></textarea>
                  </form-field>
                  <form-field :label="t('flows.timeoutMs')" :error="perr('timeoutMs')" testid="node-timeout-ms-error" :hint="t('flows.timeoutMsHint')">
                    <input type="text" inputmode="numeric" :value="node.timeoutMs ?? ''" data-testid="node-timeout-ms" @input="setNum(node, 'timeoutMs', $event.target.value)">
                  </form-field>
                  <div class="field">
                    <span class="field-label">{{ t('flows.assign') }}</span>
                    <div v-for="v in Object.keys(node.assign)" :key="v" class="option-row">
                      <input type="text" :value="v" :data-testid="'assign-var-' + v" :aria-label="t('flows.variable')" @change="renameAssign(node, v, $event.target.value)">
                      <span class="arrow">←</span>
                      <input type="text" v-model="node.assign[v]" :data-testid="'assign-path-' + v" :placeholder="t('flows.jsonPath')">
                      <button v-if="canWrite" type="button" class="icon-btn" :aria-label="t('common.delete')" @click="removeAssign(node, v)">×</button>
                    </div>
                    <span v-if="perr('assign')" class="field-error">{{ fieldErrorText(perr('assign')) }}</span>
                    <span class="field-hint">{{ t('flows.assignHint') }}</span>
                    <button v-if="canWrite" type="button" class="btn btn-sm" data-testid="assign-add" @click="addAssign(node)">+ {{ t('flows.addAssign') }}</button>
                  </div>
                </template>

                <!-- database lookup (IVR-1) -->
                <template v-if="node.type === 'db'">
                  <form-field :label="t('flows.dbSource')" required :error="perr('source')" testid="node-source-error" :hint="t('flows.dbSourceHint')">
                    <select v-model="node.source" data-testid="node-source">
                      <option value="">{{ t('common.choose') }}</option>
                      <option v-if="node.source && !dataSourceNames.includes(node.source)" :value="node.source">{{ node.source }}</option>
                      <option v-for="x in dataSourceNames" :key="x" :value="x">{{ x }}</option>
                    </select>
                  </form-field>
                  <form-field :label="t('flows.dbQuery')" required :error="perr('query')" testid="node-query-error" :hint="t('flows.dbQueryHint')">
                    <textarea rows="4" v-model="node.query" data-testid="node-query" spellcheck="false"></textarea>
                  </form-field>
                  <div class="field">
                    <span class="field-label">{{ t('flows.assign') }}</span>
                    <div v-for="v in Object.keys(node.assign)" :key="v" class="option-row">
                      <input type="text" :value="v" :data-testid="'assign-var-' + v" :aria-label="t('flows.variable')" @change="renameAssign(node, v, $event.target.value)">
                      <span class="arrow">←</span>
                      <input type="text" v-model="node.assign[v]" :data-testid="'assign-path-' + v" :placeholder="t('flows.dbColumn')">
                      <button v-if="canWrite" type="button" class="icon-btn" :aria-label="t('common.delete')" @click="removeAssign(node, v)">×</button>
                    </div>
                    <span class="field-hint">{{ t('flows.dbAssignHint') }}</span>
                    <button v-if="canWrite" type="button" class="btn btn-sm" data-testid="assign-add" @click="addAssign(node)">+ {{ t('flows.addAssign') }}</button>
                  </div>
                </template>

                <!-- say -->
                <template v-if="node.type === 'say'">
                  <form-field :label="t('flows.value')" required :error="perr('value')" testid="node-value-error" :hint="t('flows.valueHint')">
                    <input type="text" v-model="node.value" data-testid="node-value">
                  </form-field>
                  <form-field :label="t('flows.sayAs')" :error="perr('as')" testid="node-as-error">
                    <select v-model="node.as" data-testid="node-as"><option v-for="x in SAY_AS" :key="x" :value="x">{{ t('flows.sayAs.' + x) }}</option></select>
                  </form-field>
                </template>

                <!-- language -->
                <template v-if="node.type === 'language'">
                  <div class="field">
                    <span class="field-label">{{ t('flows.languages') }}</span>
                    <div v-for="k in optionKeys(node)" :key="k" class="option-row">
                      <select :value="k" :data-testid="'option-key-' + k" :aria-label="t('flows.key')" @change="setOptionKey(node, k, $event.target.value)">
                        <option v-for="x in freeKeys(node, k)" :key="x" :value="x">{{ x }}</option>
                      </select>
                      <span class="arrow">→</span>
                      <select v-model="node.options[k]" :data-testid="'option-lang-' + k">
                        <option v-for="l in CALL_LANGS" :key="l" :value="l">{{ t('lang.' + l) }}</option>
                      </select>
                      <button v-if="canWrite" type="button" class="icon-btn" :aria-label="t('common.delete')" @click="removeOption(node, k)">×</button>
                    </div>
                    <span v-if="perr('options')" class="field-error">{{ fieldErrorText(perr('options')) }}</span>
                    <button v-if="canWrite" type="button" class="btn btn-sm" data-testid="option-add" @click="addOption(node, 'zh')">+ {{ t('flows.addOption') }}</button>
                  </div>
                </template>

                <!-- goto -->
                <form-field v-if="node.type === 'goto'" :label="t('flows.gotoFlow')" required :error="perr('flow')" testid="node-flow-error">
                  <select v-model="node.flow" data-testid="node-flow">
                    <option value="">{{ t('common.choose') }}</option>
                    <option v-if="node.flow && !otherFlows.includes(node.flow)" :value="node.flow">{{ node.flow }}</option>
                    <option v-for="f in otherFlows" :key="f" :value="f">{{ f }}</option>
                  </select>
                </form-field>

                <!-- transfer -->
                <template v-if="node.type === 'transfer'">
                  <form-field :label="t('flows.transferTo')" :error="perr('target')" testid="node-target-error">
                    <select v-model="node.target" data-testid="node-target"><option v-for="x in TRANSFER_TARGETS" :key="x" :value="x">{{ t('flows.transfer.' + x) }}</option></select>
                  </form-field>
                  <form-field :label="t('flows.transferValue.' + (node.target || 'extension'))" required :error="perr('value')" testid="node-value-error">
                    <select v-if="node.target === 'ringgroup' && ringGroupNames.length" v-model="node.value" data-testid="node-value">
                      <option value="">{{ t('common.choose') }}</option>
                      <option v-if="node.value && !ringGroupNames.includes(node.value)" :value="node.value">{{ node.value }}</option>
                      <option v-for="g in ringGroupNames" :key="g" :value="g">{{ g }}</option>
                    </select>
                    <select v-else-if="node.target === 'queue' && queueNames.length" v-model="node.value" data-testid="node-value">
                      <option value="">{{ t('common.choose') }}</option>
                      <option v-if="node.value && !queueNames.includes(node.value)" :value="node.value">{{ node.value }}</option>
                      <option v-for="q in queueNames" :key="q" :value="q">{{ q }}</option>
                    </select>
                    <input v-else type="text" v-model="node.value" data-testid="node-value" :inputmode="node.target === 'ringgroup' || node.target === 'queue' ? 'text' : 'tel'">
                  </form-field>
                  <form-field v-if="node.target === 'queue'" :label="t('flows.transferPriority')" :hint="t('flows.transferPriorityHint')" :error="perr('priority')" testid="node-priority-error">
                    <input type="text" v-model="node.priority" data-testid="node-priority" inputmode="numeric">
                  </form-field>
                </template>

                <!-- queue priority (ACD-3) -->
                <form-field v-if="node.type === 'priority'" :label="t('flows.priorityValue')" :hint="t('flows.priorityValueHint')" required :error="perr('value')" testid="node-value-error">
                  <input type="text" v-model="node.value" data-testid="node-value" inputmode="numeric">
                </form-field>

                <!-- caller condition: area codes and a number list (ACD-4) -->
                <template v-if="node.type === 'caller'">
                  <form-field :label="t('flows.callerAreas')" :hint="t('flows.callerAreasHint')" :error="perrs('areas').join(' · ') || null" testid="node-areas-error">
                    <input type="text" :value="areasText(node)" data-testid="node-areas" inputmode="tel" placeholder="010 021 0755 138" @change="setAreas(node, $event.target.value)">
                  </form-field>
                  <form-field :label="t('flows.callerList')" :hint="t('flows.callerListHint')" :error="perr('list')" testid="node-list-error">
                    <select :value="node.list || ''" data-testid="node-list" @change="node.list = $event.target.value">
                      <option value="">{{ numberListNames.length ? t('flows.callerListNone') : t('flows.callerListNoLists') }}</option>
                      <option v-if="node.list && !numberListNames.includes(node.list)" :value="node.list">{{ node.list }} ({{ t('flows.missing') }})</option>
                      <option v-for="l in numberListNames" :key="l" :value="l">{{ l }}</option>
                    </select>
                  </form-field>
                </template>

                <!-- voicemail -->
                <template v-if="node.type === 'voicemail'">
                  <form-field :label="t('flows.boxType')" :error="perr('boxType')" testid="node-box-type-error">
                    <select v-model="node.boxType" data-testid="node-box-type"><option v-for="x in BOX_TYPES" :key="x" :value="x">{{ t('flows.boxType.' + x) }}</option></select>
                  </form-field>
                  <form-field :label="t('flows.box.' + (node.boxType || 'extension'))" required :error="perr('box')" testid="node-box-error">
                    <input type="text" v-model="node.box" data-testid="node-box">
                  </form-field>
                </template>

                <!-- satisfaction survey after the agent (MSG-4) -->
                <template v-if="node.type === 'survey'">
                  <form-field :label="t('flows.surveyLanguage')" :error="perr('language')" testid="node-survey-language-error">
                    <select :value="node.language || ''" data-testid="node-survey-language"
                            @change="setSurveyLanguage(node, $event.target.value)">
                      <option value="">{{ t('flows.surveyLanguageCaller') }}</option>
                      <option v-for="l in CALL_LANGS" :key="l" :value="l">{{ t('lang.' + l) }}</option>
                    </select>
                  </form-field>
                </template>

                <!-- customer field check and return to the agent (IVR-4) -->
                <template v-if="node.type === 'customer'">
                  <form-field :label="t('flows.customerField')" :hint="t('flows.customerFieldHint')" required :error="perr('field')" testid="node-field-error">
                    <input type="text" v-model="node.field" data-testid="node-field">
                  </form-field>
                  <form-field :label="t('flows.customerValue')" required :error="perr('value')" testid="node-value-error">
                    <input type="text" v-model="node.value" data-testid="node-value">
                  </form-field>
                </template>
                <!-- ticket status by tracking number (BIZ-1) -->
                <template v-if="node.type === 'ticket'">
                  <div class="field-hint" data-testid="node-ticket-hint">{{ t('flows.ticketHint') }}</div>
                  <div class="form-grid inner">
                    <form-field :label="t('flows.retries')" :error="perr('retries')" testid="node-retries-error">
                      <input type="text" inputmode="numeric" :value="node.retries ?? ''" data-testid="node-retries" @input="setNum(node, 'retries', $event.target.value)">
                    </form-field>
                    <form-field :label="t('flows.timeoutSeconds')" :error="perr('timeoutSeconds')" testid="node-timeout-error">
                      <input type="text" inputmode="numeric" :value="node.timeoutSeconds ?? ''" data-testid="node-timeout" @input="setNum(node, 'timeoutSeconds', $event.target.value)">
                    </form-field>
                  </div>
                </template>
                <template v-if="node.type === 'return'">
                  <form-field :label="t('flows.returnResult')" :hint="t('flows.returnHint')" :error="perr('result')" testid="node-result-error">
                    <input type="text" v-model="node.result" data-testid="node-result" placeholder="\${verified}">
                  </form-field>
                </template>

                <!-- exits (menu options are above) -->
                <div v-if="exitsOf(node).some((ex) => ex.option === undefined)" class="fs-exits">
                  <span class="field-label">{{ t('flows.exits') }}</span>
                  <template v-for="(ex, i) in exitsOf(node)" :key="ex.name">
                    <form-field v-if="ex.option === undefined" :label="exitLabel(ex)" :error="perr(ex.name)" :testid="'exit-' + ex.name + '-error'" :hint="t('flows.exitHint.' + node.type + '.' + ex.name)">
                      <select :value="getExit(node, ex) || ''" :data-testid="'exit-' + ex.name" @change="setExitOf(selected, ex, $event.target.value)">
                        <option value="">{{ t('flows.unset') }}</option>
                        <option v-if="getExit(node, ex) && !graph.nodes[getExit(node, ex)]" :value="getExit(node, ex)">{{ getExit(node, ex) }} ({{ t('flows.missing') }})</option>
                        <option v-for="x in ids" :key="x" :value="x">{{ nodeLabel(x) }}</option>
                      </select>
                    </form-field>
                  </template>
                </div>
                <div v-if="node.type === 'hangup'" class="field-hint">{{ t('flows.hangupSummary') }}</div>
              </fieldset>
              <div v-if="canWrite" class="fs-actions">
                <button type="button" class="btn btn-sm" data-testid="node-set-start" :disabled="graph.start === selected" @click="setStart(selected)">{{ graph.start === selected ? t('flows.isStart') : t('flows.setStart') }}</button>
                <div class="spacer"></div>
                <button type="button" class="btn btn-sm btn-danger" data-testid="node-delete" @click="removeNode(selected)">{{ t('flows.deleteNode') }}</button>
              </div>
              <div v-else-if="graph.start === selected"><span class="badge badge-ok">{{ t('flows.isStart') }}</span></div>
            </div>
          </template>
          <template v-else>
            <div class="fs-head"><span class="fs-type">{{ t('flows.flowSettings') }}</span></div>
            <div class="fs-body">
              <form-field :label="t('flows.startNode')" required :error="problems.find((p) => p.field === 'start' && !p.node) ? problems.find((p) => p.field === 'start' && !p.node).message : null" testid="flow-start-error" :hint="t('flows.startHint')">
                <select :value="graph.start || ''" data-testid="flow-start" :disabled="!canWrite" @change="setStart($event.target.value)">
                  <option value="">{{ t('flows.unset') }}</option>
                  <option v-for="x in ids" :key="x" :value="x">{{ nodeLabel(x) }}</option>
                </select>
              </form-field>
              <div class="field-hint">{{ canWrite ? t('flows.editHelp') : t('flows.viewHelp') }}</div>
              <div class="field">
                <span class="field-label">{{ t('flows.versions') }}</span>
                <ul class="version-list" data-testid="flow-versions">
                  <li v-for="v in versions" :key="v.version" :data-testid="'flow-version-' + v.version" :class="{ live: v.version === flow.publishedVersion }">
                    <div class="vr-top">
                      <span class="mono vr-n">{{ t('flows.versionN', { n: v.version }) }}</span>
                      <span v-if="v.version === flow.publishedVersion" class="badge badge-ok" :data-testid="'flow-version-live-' + v.version">{{ t('flows.live') }}</span>
                      <span v-else-if="v.version < flow.draftVersion" class="badge badge-off">{{ t('flows.publishedBefore') }}</span>
                      <span v-else class="badge badge-warn">{{ t('flows.draftVersion') }}</span>
                      <span class="spacer"></span>
                      <button v-if="canWrite && v.version !== flow.publishedVersion && v.version < flow.draftVersion" type="button" class="btn btn-sm" :data-testid="'flow-rollback-' + v.version" @click="rollback(v)">{{ t('flows.rollback') }}</button>
                    </div>
                    <div class="muted small">{{ t('flows.savedBy', { at: fmtTime(v.createdAt), by: dash(v.createdBy) }) }}</div>
                  </li>
                  <li v-if="!versions.length" class="muted">{{ t('flows.noVersions') }}</li>
                </ul>
              </div>
            </div>
          </template>
        </aside>
      </div>
      </template>
    </div>`,
};

/** {field: "nodes.<id>.<prop>", message} → {node, field, message}. */
function problemFromFieldError(fe) {
  const f = String(fe.field || '');
  const m = /^nodes\.([A-Za-z0-9_-]+)(?:\.(.*))?$/.exec(f);
  return m ? { node: m[1], field: m[2] || '', message: fe.message } : { node: null, field: f, message: fe.message };
}

/** The exit a problem's field names ("next", "options.3" → "3"). */
function exitField(field) {
  const f = String(field || '');
  return f.startsWith('options.') ? f.slice(8) : f;
}

function curve(a, b) {
  // Forward: a smooth S; backward (target left of the exit): small loops out of the exit and into the target.
  const d = b.x >= a.x + 40 ? Math.max(40, (b.x - a.x) / 2) : Math.min(110, 50 + Math.abs(b.y - a.y) / 4);
  return 'M' + a.x + ' ' + a.y + ' C' + (a.x + d) + ' ' + a.y + ' ' + (b.x - d) + ' ' + b.y + ' ' + b.x + ' ' + b.y;
}

/** A free spot for a new node: the first free grid cell in the visible part of the canvas if there is one, else of the whole grid. */
function freeSpot(g, id, view) {
  const boxes = Object.keys(g.layout || {}).filter((k) => k !== id && g.nodes[k]).map((k) => ({ x: g.layout[k].x, y: g.layout[k].y, h: nodeHeight(g.nodes[k]) }));
  const free = (x, y) => boxes.every((b) => x + W + 20 <= b.x || b.x + W + 20 <= x || y + 150 <= b.y || b.y + b.h + 20 <= y);
  if (view) {
    const x0 = Math.floor(view.x / GRID_X) * GRID_X, y0 = Math.floor(view.y / 160) * 160;
    for (let y = y0 + 40; y + 100 <= view.y + view.h; y += 160) {
      for (let x = x0 + 40; x + W <= view.x + view.w; x += GRID_X) {
        if (x >= view.x && y >= view.y && free(x, y)) return { x, y };
      }
    }
  }
  for (let row = 0; row < 50; row++) {
    for (let col = 0; col < 4; col++) {
      const x = 40 + col * GRID_X, y = 40 + row * 160;
      if (free(x, y)) return { x, y };
    }
  }
  return { x: 40, y: 40 };
}
