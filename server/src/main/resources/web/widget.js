// The "call us" widget (API-3, docs/widget.md). A company puts ONE tag on its site:
//   <script src="https://HOTLINE/widget.js" data-key="WIDGET_KEY" async></script>
// and a call button appears (bottom right, or inside the element with id data-target). The visitor's browser calls into the
// widget's queue over WebRTC, without any login: one peer connection, its offer POSTed to Hotline (which answers it the way it
// answers an agent's browser phone), then the call's state polled until it ends. Hotline accepts the requests only from the
// sites the enterprise listed for the widget. Optional attributes: data-lang (zh | en; default: the browser's language),
// data-target (the id of an element to put the button in). No dependencies; plain script.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  var key = script.getAttribute('data-key') || '';
  var hotline = new URL(script.src, location.href).origin;
  var api = hotline + '/api/v1/public/widget/' + encodeURIComponent(key);
  var lang = (script.getAttribute('data-lang') || navigator.language || 'en').toLowerCase().indexOf('zh') === 0 ? 'zh' : 'en';
  var TEXT = {
    en: {
      call: 'Call us', hangup: 'Hang up', loading: 'Loading…', ready: 'Talk to us from your browser',
      connecting: 'Connecting…', queued: 'Waiting for an agent…', talking: 'Connected', ended: 'Call ended',
      refused: 'Calling is not available on this site', busy: 'Too many calls; try again in {s} s',
      mic: 'Please allow the microphone to call', failed: 'The call could not be placed',
    },
    zh: {
      call: '呼叫我们', hangup: '挂断', loading: '加载中…', ready: '在浏览器中直接与我们通话',
      connecting: '正在连接…', queued: '正在等待坐席接听…', talking: '通话中', ended: '通话已结束',
      refused: '本网站不能使用呼叫功能', busy: '呼叫过多，请 {s} 秒后重试',
      mic: '请允许使用麦克风后再呼叫', failed: '呼叫未能接通',
    },
  }[lang];
  var POLL_MS = 1000;
  var GATHER_MS = 2500;

  var st = { state: 'loading', message: TEXT.loading, token: null, visitor: null, callId: null, retryAfter: null };
  var pc = null;
  var stream = null;
  var pollTimer = null;

  var box = document.createElement('div');
  box.setAttribute('data-testid', 'hotline-widget');
  box.style.cssText = 'font:14px/1.4 system-ui,sans-serif;display:flex;flex-direction:column;align-items:flex-end;gap:6px;z-index:2147483000;';
  var targetId = script.getAttribute('data-target');
  var target = targetId && document.getElementById(targetId);
  if (!target) box.style.cssText += 'position:fixed;right:20px;bottom:20px;';
  var status = document.createElement('div');
  status.setAttribute('data-testid', 'hotline-widget-status');
  status.style.cssText = 'background:#fff;color:#333;border-radius:6px;padding:4px 10px;box-shadow:0 1px 4px rgba(0,0,0,.2);max-width:260px;';
  var button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('data-testid', 'hotline-widget-button');
  button.style.cssText = 'border:0;border-radius:24px;padding:10px 20px;font:600 15px system-ui,sans-serif;color:#fff;cursor:pointer;';
  var audio = document.createElement('audio');
  audio.autoplay = true;
  audio.setAttribute('data-testid', 'hotline-widget-audio');
  audio.style.display = 'none';
  box.appendChild(status);
  box.appendChild(button);
  box.appendChild(audio);

  function render() {
    var inCall = ['connecting', 'queued', 'talking'].indexOf(st.state) >= 0;
    button.textContent = inCall ? '☎ ' + TEXT.hangup : '☎ ' + TEXT.call;
    button.style.background = inCall ? '#d9363e' : '#1677ff';
    button.disabled = st.state === 'loading' || st.state === 'refused';
    button.style.opacity = button.disabled ? '0.5' : '1';
    box.setAttribute('data-state', st.state);
    status.textContent = st.message;
  }

  function set(state, message) {
    st.state = state;
    st.message = message != null ? message : (TEXT[state] || '');
    render();
  }

  function request(method, path, body) {
    // text/plain keeps the POST a "simple" CORS request (no preflight); the body is JSON all the same.
    var init = { method: method, mode: 'cors', credentials: 'omit', cache: 'no-store' };
    if (body !== undefined) {
      init.headers = { 'Content-Type': 'text/plain' };
      init.body = JSON.stringify(body);
    }
    return fetch(api + path, init).then(function (r) {
      // OPS-3: the widget's company is served by another Hotline node (421, Location: this request there); ask that one.
      var to = r.status === 421 && r.headers.get('Location');
      if (!to) return r;
      api = new URL(to).origin + '/api/v1/public/widget/' + encodeURIComponent(key);
      return fetch(api + path, init);
    });
  }

  function gathered(conn) {
    if (conn.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise(function (resolve) {
      var timer = setTimeout(done, GATHER_MS);
      function check() { if (conn.iceGatheringState === 'complete') done(); }
      function done() { clearTimeout(timer); conn.removeEventListener('icegatheringstatechange', check); resolve(); }
      conn.addEventListener('icegatheringstatechange', check);
    });
  }

  async function call() {
    set('connecting');
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true }, video: false });
    } catch (e) {
      set('idle', TEXT.mic);
      return;
    }
    try {
      var info = await request('GET', '');
      if (info.ok) keepIceServers(await info.json());
      // MEDIA-6: the STUN/TURN servers the widget's info named (a visitor behind NAT relays through TURN).
      pc = new RTCPeerConnection({ iceServers: st.iceServers || [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
      stream.getAudioTracks().forEach(function (t) { pc.addTrack(t, stream); });
      pc.ontrack = function (e) {
        audio.srcObject = (e.streams && e.streams[0]) || new MediaStream([e.track]);
        var p = audio.play();
        if (p && p.catch) p.catch(function () {});
      };
      var offer = await pc.createOffer({ offerToReceiveAudio: true });
      await pc.setLocalDescription(offer);
      await gathered(pc);
      var r = await request('POST', '/calls', { sdp: pc.localDescription.sdp, page: location.href });
      if (r.status === 429) {
        st.retryAfter = Number(r.headers.get('Retry-After')) || 60;
        release();
        set('busy', TEXT.busy.replace('{s}', st.retryAfter));
        return;
      }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      var started = await r.json();
      st.token = started.token;
      st.visitor = started.visitor;
      st.callId = started.callId;
      await pc.setRemoteDescription({ type: 'answer', sdp: started.sdp });
      poll();
    } catch (e) {
      console.warn('hotline widget: call failed', e);
      release();
      set('failed');
    }
  }

  function poll() {
    clearTimeout(pollTimer);
    if (!st.token) return;
    request('GET', '/calls/' + st.token).then(function (r) { return r.ok ? r.json() : { state: 'ended' }; })
      .catch(function () { return null; })
      .then(function (s) {
        if (!st.token) return;
        if (s && s.state === 'ended') { release(); set('ended'); return; }
        if (s && s.state !== st.state) set(s.state);
        pollTimer = setTimeout(poll, POLL_MS);
      });
  }

  function hangup() {
    var token = st.token;
    release();
    set('ended');
    if (token) request('POST', '/calls/' + token + '/hangup', {}).catch(function () {});
  }

  function release() {
    clearTimeout(pollTimer);
    st.token = null;
    if (pc) { try { pc.close(); } catch (e) { /* closed */ } pc = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    audio.srcObject = null;
  }

  button.addEventListener('click', function () {
    if (['connecting', 'queued', 'talking'].indexOf(st.state) >= 0) hangup(); else call();
  });
  window.addEventListener('pagehide', function () {
    if (st.token) navigator.sendBeacon && navigator.sendBeacon(api + '/calls/' + st.token + '/hangup', '{}');
  });

  /** For the page (and tests): the state and the audio counters of the call's connection. */
  window.HotlineWidget = {
    state: function () { return { state: st.state, message: st.message, visitor: st.visitor, callId: st.callId, retryAfter: st.retryAfter }; },
    call: call,
    hangup: hangup,
    stats: async function () {
      var out = { inboundBytes: 0, outboundBytes: 0, connection: pc ? pc.connectionState : 'none' };
      if (!pc) return out;
      (await pc.getStats()).forEach(function (s) {
        var isAudio = s.kind === 'audio' || s.mediaType === 'audio';
        if (s.type === 'inbound-rtp' && isAudio) out.inboundBytes += s.bytesReceived || 0;
        if (s.type === 'outbound-rtp' && isAudio) out.outboundBytes += s.bytesSent || 0;
      });
      return out;
    },
  };

  /** The STUN/TURN servers of the widget's info; TURN credentials are time-limited, so they are asked for again per call. */
  function keepIceServers(info) {
    st.iceServers = (info && info.iceServers || []).map(function (x) {
      return x.username ? { urls: x.urls, username: x.username, credential: x.credential } : { urls: x.urls };
    });
  }

  function mount() {
    (target || document.body).appendChild(box);
    render();
    request('GET', '').then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (info) {
      keepIceServers(info);
      set('idle', TEXT.ready);
    }, function () { set('refused'); });
  }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
