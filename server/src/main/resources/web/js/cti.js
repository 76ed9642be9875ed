// CTI client (docs/cti.md, version 1): one WebSocket /api/v1/cti per agent. Reconnects by itself
// with back-off, answers each command's promise from the server's ok / error reply, and hands every
// event to its listeners. The server sends `hello` first on every connection: listeners rebuild the
// whole desk from it (that is how a reloaded page reattaches to a call in progress).

const reactive = (window.Vue && window.Vue.reactive) ? window.Vue.reactive : (o) => o;

export const CTI_VERSION = 1;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
const COMMAND_TIMEOUT_MS = 15000;

/** A refused or failed command: code as in docs/cti.md (or network / timeout of this client). */
export class CtiError extends Error {
  constructor(code, message, type) {
    super(message || code);
    this.code = code || 'failed';
    this.type = type || null;
    this.cti = true;
  }
}

export class CtiClient {
  /** url: ws(s)://…/api/v1/cti; by default the one of this page's origin. */
  constructor(url) {
    this.url = url || ((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/v1/cti');
    /** Reactive: status connecting | open | retrying | replaced | stopped; hello once hello came. */
    this.state = reactive({ status: 'connecting', attempt: 0, retryAt: 0, hello: false, since: Date.now(), lastError: null });
    this.ws = null;
    this.seq = 0;
    this.pending = new Map();
    this.listeners = new Map();
    this.retryTimer = null;
    this.stopped = false;
  }

  /** Listens to an event type ('*' for all; 'status' for connection changes). Returns the unsubscribe function. */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type).delete(fn);
  }

  emit(type, msg) {
    for (const key of [type, '*']) {
      const set = this.listeners.get(key);
      if (!set) continue;
      for (const fn of Array.from(set)) {
        try { fn(msg); } catch (e) { console.error('CTI listener of ' + type + ' failed', e); }
      }
    }
  }

  setStatus(status) {
    if (this.state.status === status) return;
    this.state.status = status;
    this.state.since = Date.now();
    this.emit('status', { type: 'status', status });
  }

  get connected() { return this.state.status === 'open' && this.state.hello; }

  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  /** Connects again at once (after `replaced`, or the agent's click while waiting for a retry). */
  reconnect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopped = false;
    this.state.attempt = 0;
    if (this.ws && this.ws.readyState <= 1) return;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.ws) this.ws.close(1000);
    this.setStatus('stopped');
  }

  connect() {
    this.setStatus('connecting');
    this.state.hello = false;
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this.state.lastError = String(e);
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => { if (this.ws === ws) this.setStatus('open'); };
    ws.onmessage = (e) => { if (this.ws === ws) this.receive(e.data); };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.state.hello = false;
      this.failPending(new CtiError('network', 'CTI connection closed (' + e.code + ')'));
      if (this.stopped) { this.setStatus('stopped'); return; }
      if (e.code === 4001 || this.state.status === 'replaced') { this.setStatus('replaced'); return; }
      this.state.lastError = 'closed ' + e.code;
      this.scheduleRetry();
    };
    // Errors end in a close; nothing else to do here.
    ws.onerror = () => {};
  }

  scheduleRetry() {
    const n = this.state.attempt++;
    const base = BACKOFF_MS[Math.min(n, BACKOFF_MS.length - 1)];
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.state.retryAt = Date.now() + delay;
    this.setStatus('retrying');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => { this.retryTimer = null; if (!this.stopped) this.connect(); }, delay);
  }

  failPending(err) {
    for (const p of this.pending.values()) { clearTimeout(p.timer); p.reject(err); }
    this.pending.clear();
  }

  receive(data) {
    let msg;
    try { msg = JSON.parse(data); } catch (e) { console.warn('CTI: not JSON', data); return; }
    if (!msg || typeof msg !== 'object') return;
    if ((msg.type === 'ok' || msg.type === 'error') && msg.id != null && this.pending.has(String(msg.id))) {
      const p = this.pending.get(String(msg.id));
      this.pending.delete(String(msg.id));
      clearTimeout(p.timer);
      if (msg.type === 'ok') p.resolve(msg.result === undefined ? null : msg.result);
      else p.reject(new CtiError(msg.code, msg.message, p.type));
      return;
    }
    if (msg.type === 'error') {
      // An error the server could not tie to a command of ours: still shown, never dropped.
      this.emit('error', msg);
      return;
    }
    if (msg.type === 'hello') {
      this.state.hello = true;
      this.state.attempt = 0;
    }
    if (msg.type === 'replaced') this.setStatus('replaced');
    this.emit(msg.type, msg);
  }

  /** Sends a command; resolves with its result on `ok`, rejects with a CtiError on `error`, a close or a timeout. */
  send(type, fields) {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return Promise.reject(new CtiError('network', 'CTI is not connected', type));
    const id = 'c' + (++this.seq) + '-' + Date.now().toString(36);
    const msg = Object.assign({ v: CTI_VERSION, type, id }, fields || {});
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(id)) reject(new CtiError('timeout', 'no reply to ' + type, type));
      }, COMMAND_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer, type });
      try {
        ws.send(JSON.stringify(msg));
      } catch (e) {
        this.pending.delete(id);
        clearTimeout(timer);
        reject(new CtiError('network', String(e), type));
      }
    });
  }
}
