// The browser phone (device "webrtc", docs/cti.md): after login the page opens ONE peer connection
// with Hotline (offer over CTI `webrtc.offer`, answer by `webrtc.answer`) and keeps it for the
// session; calls are switched into it by the server, so answering needs no new handshake. A failed
// connection, or a reloaded page, is offered again automatically. Also: the choice of microphone and
// speaker, a microphone level meter (WebAudio AnalyserNode) and the ring tone.
// STUN/TURN (MEDIA-6): before each connection the phone asks the server for its ICE servers (TURN credentials are
// time-limited); an agent off the LAN then relays through TURN. `?ice=relay` in the page's address forces the relay
// (iceTransportPolicy "relay": no direct path at all), to check a TURN set-up.

const reactive = (window.Vue && window.Vue.reactive) ? window.Vue.reactive : (o) => o;

const INPUT_KEY = 'hotline.desk.input';
const OUTPUT_KEY = 'hotline.desk.output';
const REOFFER_MS = [500, 1000, 2000, 4000, 8000, 15000];
const GATHER_MS = 2500;

function stored(key) { try { return localStorage.getItem(key) || ''; } catch (e) { return ''; } }
function store(key, v) { try { if (v) localStorage.setItem(key, v); else localStorage.removeItem(key); } catch (e) { /* private mode */ } }

let audioCtx = null;
/** One AudioContext for the meter and the ring tone; resumed on the agent's first click (autoplay rules). */
export function audioContext() {
  if (!audioCtx) {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    audioCtx = new Ctx();
    const resume = () => { if (audioCtx.state === 'suspended') audioCtx.resume().catch(() => {}); };
    document.addEventListener('click', resume, true);
    document.addEventListener('keydown', resume, true);
    resume();
  }
  return audioCtx;
}

function hiddenAudio(testId) {
  const a = document.createElement('audio');
  a.autoplay = true;
  a.setAttribute('data-testid', testId);
  a.style.display = 'none';
  document.body.appendChild(a);
  return a;
}

/** The ICE ufrag of a session description. */
function ufragOf(sdp) {
  const m = /^a=ice-ufrag:(\S+)/m.exec(sdp || '');
  return m ? m[1] : null;
}

/** The page's address asks for relayed media only (`?ice=relay`): a check of the TURN set-up. */
function relayOnly() {
  try { return new URLSearchParams(location.search).get('ice') === 'relay'; } catch (e) { return false; }
}

export class BrowserPhone {
  /** @param iceSource () => Promise<{iceServers, expiresAt}> from the server; none: host candidates only. */
  constructor(cti, iceSource) {
    this.cti = cti;
    this.iceSource = iceSource || null;
    this.state = reactive({
      active: false, connection: 'idle', server: false, inputs: [], outputs: [],
      input: stored(INPUT_KEY), output: stored(OUTPUT_KEY), level: 0, error: null, offers: 0,
      sinkSupported: typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype,
      micMuted: false, mic: false, relayOnly: relayOnly(), iceServers: 0,
    });
    this.pc = null;
    this.stream = null;
    this.remote = hiddenAudio('desk-remote-audio');
    this.attempt = 0;
    this.retryTimer = null;
    this.watchTimer = null;
    this.meter = null;
    this.connecting = null;
    if (navigator.mediaDevices && navigator.mediaDevices.addEventListener) {
      navigator.mediaDevices.addEventListener('devicechange', () => this.listDevices());
    }
    // The answer names its offer's ICE ufrag: an answer to an offer the phone has replaced meanwhile (a retry while
    // the first offer was slow) is not for the current peer connection.
    cti.on('webrtc.answer', (m) => {
      if (m.offerUfrag && this.pc && this.pc.localDescription && ufragOf(this.pc.localDescription.sdp) !== m.offerUfrag) return;
      this.applyAnswer(m.sdp);
    });
    cti.on('webrtc.state', (m) => this.serverState(!!m.connected));
  }

  /** Fills the input / output lists (labels appear once the microphone was allowed). */
  async listDevices() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return;
    try {
      const all = await navigator.mediaDevices.enumerateDevices();
      const pick = (kind) => all.filter((d) => d.kind === kind).map((d, i) => ({ id: d.deviceId, label: d.label || (kind + ' ' + (i + 1)) }));
      this.state.inputs = pick('audioinput');
      this.state.outputs = pick('audiooutput');
    } catch (e) { /* no devices: lists stay empty */ }
  }

  /** The microphone of the chosen input (or the default one). Throws when refused or absent. */
  async openMic() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw new Error('no-media');
    const want = this.state.input;
    const audio = want ? { deviceId: { exact: want }, echoCancellation: true, noiseSuppression: true } : { echoCancellation: true, noiseSuppression: true };
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio, video: false });
    } catch (e) {
      if (!want) throw e;
      // The saved device is gone: fall back to the default one.
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      this.state.input = '';
      store(INPUT_KEY, '');
    }
    const old = this.stream;
    this.stream = stream;
    this.state.mic = true;
    const track = stream.getAudioTracks()[0];
    if (track) track.enabled = !this.state.micMuted;
    if (this.pc) {
      const sender = this.pc.getSenders().find((s) => s.track && s.track.kind === 'audio') || this.pc.getSenders()[0];
      if (sender) await sender.replaceTrack(track);
    }
    if (old) old.getTracks().forEach((t) => t.stop());
    this.startMeter();
    await this.listDevices();
    return stream;
  }

  /** Asks for the microphone before logging in (so a refusal is shown before the agent is made available). */
  async prepare() {
    if (!this.stream) await this.openMic();
  }

  /** Starts (or keeps) the persistent connection. */
  async start() {
    this.state.active = true;
    this.state.error = null;
    if (this.pc && this.pc.connectionState !== 'failed' && this.pc.connectionState !== 'closed') return;
    await this.connect();
  }

  /** A fresh peer connection and offer; the previous one (if any) is closed. */
  connect() {
    if (this.connecting) return this.connecting;
    this.connecting = this.doConnect().finally(() => { this.connecting = null; });
    return this.connecting;
  }

  async doConnect() {
    clearTimeout(this.retryTimer);
    if (!this.state.active) return;
    try {
      this.state.connection = 'connecting'; // from now: no second offer while this one is being made
      if (!this.stream) await this.openMic();
      const iceServers = await this.iceServers();
      this.closePc();
      const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: this.state.relayOnly ? 'relay' : 'all', bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
      this.pc = pc;
      this.state.connection = 'connecting';
      for (const track of this.stream.getAudioTracks()) pc.addTrack(track, this.stream);
      pc.ontrack = (e) => {
        if (this.pc !== pc) return;
        const stream = (e.streams && e.streams[0]) || new MediaStream([e.track]);
        this.remote.srcObject = stream;
        this.applySink(this.remote);
        const p = this.remote.play();
        if (p && p.catch) p.catch(() => {});
      };
      pc.onconnectionstatechange = () => this.pcState(pc);
      const offer = await pc.createOffer({ offerToReceiveAudio: true });
      await pc.setLocalDescription(offer);
      await this.gathered(pc);
      if (this.pc !== pc) return;
      this.state.offers++;
      const result = await this.cti.send('webrtc.offer', { sdp: pc.localDescription.sdp });
      // The answer comes as a `webrtc.answer` event; a server may also return it with the ok.
      if (result && result.sdp) await this.applyAnswer(result.sdp);
    } catch (e) {
      this.state.error = e;
      this.state.connection = 'failed';
      // A refusal the server will repeat (no WebRTC support, not allowed, bad offer) is not retried.
      if (!['unknown_type', 'forbidden', 'bad_request', 'unsupported_version'].includes(e && e.code)) this.retry();
      throw e;
    }
  }

  /** The server's STUN/TURN servers, fresh for each connection (TURN REST credentials expire); none when it has none. */
  async iceServers() {
    if (!this.iceSource) return [];
    try {
      const r = await this.iceSource();
      const list = (r && r.iceServers) || [];
      this.state.iceServers = list.length;
      return list.map((s) => (s.username ? { urls: s.urls, username: s.username, credential: s.credential } : { urls: s.urls }));
    } catch (e) {
      console.warn('webrtc: no ICE servers from the server', e);
      return [];
    }
  }

  gathered(pc) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); pc.removeEventListener('icegatheringstatechange', check); resolve(); };
      const check = () => { if (pc.iceGatheringState === 'complete') done(); };
      const timer = setTimeout(done, GATHER_MS);
      pc.addEventListener('icegatheringstatechange', check);
    });
  }

  async applyAnswer(sdp) {
    const pc = this.pc;
    if (!pc || !sdp || pc.signalingState !== 'have-local-offer' || this.answering === pc) return;
    this.answering = pc; // one answer per offer: a second copy of it is ignored, not an error
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp });
    } catch (e) {
      this.state.error = e;
      console.warn('webrtc: answer refused', e);
      this.retry();
    }
  }

  pcState(pc) {
    if (this.pc !== pc) return;
    const s = pc.connectionState;
    console.info('webrtc: peer connection ' + s);
    this.state.connection = s === 'new' ? 'connecting' : s;
    clearTimeout(this.watchTimer);
    if (s === 'connected') {
      this.attempt = 0;
      this.state.error = null;
    } else if (s === 'failed') {
      this.retry();
    } else if (s === 'disconnected') {
      // Often comes back by itself; offer again if it does not.
      this.watchTimer = setTimeout(() => { if (this.pc === pc && pc.connectionState !== 'connected') this.retry(); }, 4000);
    }
  }

  /** The server's view of the media connection (`webrtc.state`, `hello.webrtc`). */
  serverState(connected) {
    console.info('webrtc: server says ' + (connected ? 'connected' : 'not connected'));
    this.state.server = connected;
    if (!connected && this.state.active && this.pc && this.state.connection !== 'connecting') {
      clearTimeout(this.watchTimer);
      this.watchTimer = setTimeout(() => {
        if (!this.state.server && this.state.active && this.state.connection !== 'connecting') this.retry();
      }, 1500);
    }
  }

  /** Offers again after a back-off, while the phone is in use and CTI is up. */
  retry() {
    if (!this.state.active) return;
    console.info('webrtc: offering again (attempt ' + (this.attempt + 1) + ')');
    clearTimeout(this.retryTimer);
    const delay = REOFFER_MS[Math.min(this.attempt++, REOFFER_MS.length - 1)];
    this.state.connection = this.state.connection === 'connected' ? 'disconnected' : this.state.connection;
    this.retryTimer = setTimeout(() => {
      if (!this.state.active) return;
      if (!this.cti.connected) { this.retry(); return; }
      this.connect().catch(() => {});
    }, delay);
  }

  closePc() {
    if (this.pc) {
      const pc = this.pc;
      this.pc = null;
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      try { pc.close(); } catch (e) { /* already closed */ }
    }
  }

  /** Logout: the connection is closed and the microphone released. */
  stop() {
    this.state.active = false;
    clearTimeout(this.retryTimer);
    clearTimeout(this.watchTimer);
    this.closePc();
    this.state.connection = 'idle';
    this.state.server = false;
    this.remote.srcObject = null;
    this.stopMeter();
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.state.mic = false;
  }

  async setInput(id) {
    this.state.input = id || '';
    store(INPUT_KEY, this.state.input);
    if (this.stream) await this.openMic();
  }

  async setOutput(id) {
    this.state.output = id || '';
    store(OUTPUT_KEY, this.state.output);
    await this.applySink(this.remote);
    if (this.onOutputChange) this.onOutputChange();
  }

  async applySink(el) {
    if (!this.state.sinkSupported || !el || !el.setSinkId) return;
    try { await el.setSinkId(this.state.output || ''); } catch (e) { this.state.error = e; }
  }

  startMeter() {
    this.stopMeter();
    const ctx = audioContext();
    if (!ctx || !this.stream) return;
    try {
      const src = ctx.createMediaStreamSource(this.stream);
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 1024;
      src.connect(analyser);
      const buf = new Float32Array(analyser.fftSize);
      const timer = setInterval(() => {
        analyser.getFloatTimeDomainData(buf);
        let sum = 0;
        for (let i = 0; i < buf.length; i++) sum += buf[i] * buf[i];
        const rms = Math.sqrt(sum / buf.length);
        // Speech peaks near 0.1–0.3 RMS: a gentle curve so that normal speech fills most of the bar.
        this.state.level = Math.min(1, Math.sqrt(rms) * 1.6);
      }, 100);
      this.meter = { src, analyser, timer };
    } catch (e) { this.meter = null; }
  }

  stopMeter() {
    if (!this.meter) return;
    clearInterval(this.meter.timer);
    try { this.meter.src.disconnect(); } catch (e) { /* gone */ }
    this.meter = null;
    this.state.level = 0;
  }

  /** Audio byte counters of the current connection (for the agent's diagnostics and the tests). */
  async stats() {
    const out = { inboundBytes: 0, outboundBytes: 0, inboundPackets: 0, outboundPackets: 0, audioEnergy: 0, connection: this.state.connection,
      localCandidate: null, remoteCandidate: null, relayProtocol: null, inboundCodec: null, outboundCodec: null };
    if (!this.pc) return out;
    const report = await this.pc.getStats();
    // The selected candidate pair: "relay" as the local type means the media goes through TURN.
    report.forEach((s) => {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
      const pair = report.get(s.selectedCandidatePairId);
      const local = pair && report.get(pair.localCandidateId);
      const remote = pair && report.get(pair.remoteCandidateId);
      if (local) { out.localCandidate = local.candidateType; out.relayProtocol = local.relayProtocol || null; }
      if (remote) out.remoteCandidate = remote.candidateType;
    });
    report.forEach((s) => {
      const audio = s.kind === 'audio' || s.mediaType === 'audio';
      if (s.type === 'inbound-rtp' && audio) {
        const codec = s.codecId && report.get(s.codecId);
        if (codec) out.inboundCodec = codec.mimeType; // e.g. audio/opus, audio/PCMU: what the server sends this connection
        out.inboundBytes += s.bytesReceived || 0;
        out.inboundPackets += s.packetsReceived || 0;
        out.audioEnergy += s.totalAudioEnergy || 0;
      } else if (s.type === 'outbound-rtp' && audio) {
        const codec = s.codecId && report.get(s.codecId);
        if (codec) out.outboundCodec = codec.mimeType;
        out.outboundBytes += s.bytesSent || 0;
        out.outboundPackets += s.packetsSent || 0;
      }
    });
    return out;
  }
}

/** The ring tone (two tones, 1 s on, 2 s off) from WebAudio, on the chosen speaker where the browser allows. */
export class Ringer {
  constructor(phone) {
    this.phone = phone;
    this.el = hiddenAudio('desk-ring-audio');
    this.nodes = null;
    this.playing = false;
    phone.onOutputChange = () => phone.applySink(this.el);
  }

  start() {
    if (this.playing) return;
    this.playing = true;
    const ctx = audioContext();
    if (!ctx) return;
    try {
      const gain = ctx.createGain();
      gain.gain.value = 0;
      const dest = ctx.createMediaStreamDestination();
      gain.connect(dest);
      const oscs = [440, 480].map((f) => { const o = ctx.createOscillator(); o.frequency.value = f; o.connect(gain); o.start(); return o; });
      const t0 = ctx.currentTime + 0.02;
      for (let i = 0; i < 40; i++) {
        gain.gain.setValueAtTime(0.12, t0 + i * 3);
        gain.gain.setValueAtTime(0, t0 + i * 3 + 1);
      }
      this.el.srcObject = dest.stream;
      this.phone.applySink(this.el);
      const p = this.el.play();
      if (p && p.catch) p.catch(() => {});
      this.nodes = { gain, oscs };
    } catch (e) { this.nodes = null; }
  }

  stop() {
    this.playing = false;
    if (this.nodes) {
      this.nodes.oscs.forEach((o) => { try { o.stop(); } catch (e) { /* stopped */ } });
      try { this.nodes.gain.disconnect(); } catch (e) { /* gone */ }
      this.nodes = null;
    }
    this.el.srcObject = null;
  }
}
