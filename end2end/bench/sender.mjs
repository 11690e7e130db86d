// A's side of a join for join-latency.mjs (BENCH_SENDER=1 diagnostics): its new connection's first
// frame out, and when it read B's arrival and offer and answered.

/**
 * Runs in A's page before B clicks (BENCH_SENDER=1): notes, as epoch ms, when A's new connection
 * (the one to B) is connected, and when it encodes and sends its first video frame. Polls getStats
 * every 5 ms for 3 s, which costs A some CPU: a diagnostic, off by default.
 */
export function watchSender() {
  const w = /** @type {any} */ (window);
  const old = new Set(w.__pcs ?? []);
  /** @type {Record<string, number>} */
  const at = (w.__aPhases = {});
  w.__aLog = {};
  w.__aLogOn = true;
  const mark = (/** @type {string} */ k) => {
    if (at[k] === undefined) at[k] = performance.timeOrigin + performance.now();
  };
  const end = performance.now() + 3000;
  const poll = async () => {
    for (const pc of w.__pcs ?? []) {
      if (old.has(pc) || pc.connectionState === 'closed') continue;
      mark('A: connection made');
      if (pc.connectionState === 'connected') mark('A: DTLS connected');
      (await pc.getStats()).forEach((/** @type {any} */ r) => {
        if (r.type !== 'outbound-rtp' || r.kind !== 'video') return;
        if ((r.framesEncoded ?? 0) > 0) mark('A: first frame encoded');
        if ((r.packetsSent ?? 0) > 0) mark('A: first video packet sent');
      });
    }
    if (performance.now() < end) setTimeout(poll, 5);
  };
  poll();
}

// BENCH_SENDER's view of A answering: when A reads B's arrival and offer, makes its connection,
// applies the offer and sends its answer (epoch ms, first of each, once `__aLogOn` is set).
export const answererLog = {
  content: `(() => {
    const w = window;
    w.__aLog = {};
    const note = (k) => {
      if (w.__aLogOn && w.__aLog[k] === undefined) w.__aLog[k] = performance.timeOrigin + performance.now();
    };
    const kind = (data) => {
      try {
        const m = JSON.parse(String(data));
        return m.type === 'signal' ? 'signal ' + (m.data?.sdp_type ?? 'candidate') : m.type;
      } catch { return '?'; }
    };
    const Real = w.WebSocket;
    w.WebSocket = class extends Real {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) => note('A: read ' + kind(e.data)));
      }
      send(data) {
        note('A: sent ' + kind(data));
        return super.send(data);
      }
    };
    const RealPc = w.RTCPeerConnection;
    w.RTCPeerConnection = class extends RealPc {
      constructor(...args) {
        super(...args);
        note('A: peer connection made');
      }
    };
    const proto = RealPc.prototype;
    for (const name of ['setRemoteDescription', 'createAnswer', 'setLocalDescription']) {
      const real = proto[name];
      proto[name] = function (...args) {
        note('A: ' + name + ' called');
        return real.apply(this, args).then((r) => (note('A: ' + name + ' done'), r));
      };
    }
  })();`,
};
