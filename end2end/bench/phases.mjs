// B's in-page stopwatch for join-latency.mjs: the phases of a join and the init script that notes them.

/** The phases of a join, in the order they happen; each is ms after the click (`window.__phases`). */
export const PHASES = ['socket open', 'joined', 'call view', 'peer connection', 'negotiationneeded', 'createOffer', 'offer made', 'offer sent', 'answer', 'ICE connected', 'DTLS connected', 'first video packet', 'first frame received', 'first frame', 'frame received (rVFC)', 'frame shown (rVFC)'];

/**
 * Runs in B's page before the click: arms the in-page stopwatch. Also notes when each phase first
 * happens: the signaling socket (the page's own WebSocket, wrapped here: the WASM looks the constructor
 * up when it opens one, which is after the click), `joined`, our offer out and its answer back, then
 * the peer connection's ICE and DTLS (`connectionState`) states.
 */
export function armStopwatch() {
  const w = /** @type {any} */ (window);
  w.__joinMs = undefined;
  /** @type {Record<string, number>} */
  const phases = (w.__phases = {});
  let t0 = 0;
  const mark = (/** @type {string} */ phase) => {
    if (t0 && phases[phase] === undefined) phases[phase] = performance.now() - t0;
  };
  const parse = (/** @type {any} */ data) => {
    try {
      return JSON.parse(String(data));
    } catch {
      return null;
    }
  };
  const Real = w.__RealWebSocket ?? (w.__RealWebSocket = w.WebSocket);
  w.WebSocket = class extends Real {
    /** @param {any[]} args */
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => mark('socket open'));
      this.addEventListener('message', (/** @type {MessageEvent} */ e) => {
        const m = parse(e.data);
        if (m?.type === 'joined') mark('joined');
        if (m?.type === 'signal' && m.data?.sdp_type === 'answer') mark('answer');
      });
    }
    /** @param {any} data */
    send(data) {
      const m = parse(data);
      if (m?.type === 'signal' && m.data?.sdp_type === 'offer') mark('offer sent');
      return super.send(data);
    }
  };
  // What the page spends between `joined` and its offer going out.
  const proto = w.RTCPeerConnection.prototype;
  if (!w.__realCreateOffer) {
    w.__realCreateOffer = proto.createOffer;
    proto.createOffer = function (/** @type {any[]} */ ...args) {
      w.__mark?.('createOffer');
      return w.__realCreateOffer.apply(this, args).then((/** @type {any} */ offer) => {
        w.__mark?.('offer made');
        return offer;
      });
    };
  }
  // When the page makes its peer connection and Chromium asks it to negotiate.
  if (!w.__RealPeerConnection) {
    const RealPc = (w.__RealPeerConnection = w.RTCPeerConnection);
    w.RTCPeerConnection = class extends RealPc {
      /** @param {any[]} args */
      constructor(...args) {
        super(...args);
        w.__mark?.('peer connection');
        this.addEventListener('negotiationneeded', () => w.__mark?.('negotiationneeded'));
      }
    };
  }
  w.__mark = mark;
  const watched = new WeakSet();
  const watch = (/** @type {RTCPeerConnection} */ pc) => {
    if (watched.has(pc)) return;
    watched.add(pc);
    const check = () => {
      if (['connected', 'completed'].includes(pc.iceConnectionState)) mark('ICE connected');
      if (pc.connectionState === 'connected') mark('DTLS connected');
    };
    pc.addEventListener('iceconnectionstatechange', check);
    pc.addEventListener('connectionstatechange', check);
    check();
  };
  document.addEventListener(
    'click',
    () => {
      t0 = performance.now();
      w.__clickEpoch = performance.timeOrigin + t0;
      // getStats answers from a cache up to ~50 ms old (libwebrtc's RTCStatsCollector), so the
      // poll below can be late by that much. A remote <video>'s first frame callback is not:
      // `receiveTime` is when the frame's last packet arrived, `presentationTime` when it was
      // handed to the compositor. Videos on the page before the click (our own) are left out.
      const before = new Set(document.querySelectorAll('video'));
      const onFrame = (/** @type {number} */ _now, /** @type {any} */ meta) => {
        // Only a frame that came over WebRTC has a receiveTime: our own camera's new tile has none.
        if (meta.receiveTime === undefined) return;
        for (const [phase, t] of [['frame received (rVFC)', meta.receiveTime], ['frame shown (rVFC)', meta.presentationTime]])
          if (phases[phase] === undefined) phases[phase] = t - t0;
      };
      const watchVideos = () => {
        for (const v of document.querySelectorAll('video')) {
          if (before.has(v) || /** @type {any} */ (v).__watched) continue;
          /** @type {any} */ (v).__watched = true;
          v.requestVideoFrameCallback(onFrame);
        }
      };
      new MutationObserver(() => {
        // The in-call page replaces the lobby: its leave button is the sign.
        if ([...document.querySelectorAll('button')].some((b) => /Leave|나가기/.test(b.textContent ?? ''))) mark('call view');
        watchVideos();
      }).observe(document.body, { childList: true, subtree: true });
      const poll = async () => {
        for (const pc of w.__pcs ?? []) {
          if (pc.connectionState === 'closed') continue;
          watch(pc);
          let frames = 0;
          (await pc.getStats()).forEach((/** @type {any} */ r) => {
            if (r.type !== 'inbound-rtp' || r.kind !== 'video') return;
            frames += r.framesDecoded ?? 0;
            // Where the wait after DTLS goes: the sender's first packet, a whole frame, its decoding.
            if ((r.packetsReceived ?? 0) > 0) mark('first video packet');
            if ((r.framesReceived ?? 0) > 0) mark('first frame received');
          });
          if (frames > 0) {
            mark('first frame');
            w.__joinMs = performance.now() - t0;
            return;
          }
        }
        setTimeout(poll, 10);
      };
      poll();
    },
    { capture: true, once: true },
  );
}
