// Benchmark (not a test): time from clicking "Join" to the first decoded remote video frame.
//
// Usage (from the repo root; builds the release site first, see bench/run.sh):
//   end2end/bench/run.sh target/release/classroom target/site
// or against a server already running on loopback:
//   CLASSROOM_URL=http://127.0.0.1:3000 node end2end/bench/join-latency.mjs
// Env: BENCH_ROUNDS (default 10), CLASSROOM_Y4M_DIR (clips; made in a temp dir if unset).
// Prints, per run and as medians, when each phase of the join happened (PHASES).
//
// Participant A (red camera) creates a room and joins. Then, each round, participant B (green camera)
// opens the student link, types a name and clicks "Join". A capture-phase click listener installed in
// B's page notes performance.now() at that click and polls B's RTCPeerConnections (recorded in
// window.__pcs by the init script) every 10 ms until one reports framesDecoded > 0: the whole
// measurement happens inside the page, so Playwright's round trips don't count. B then reloads (leaves)
// and we wait until A no longer shows B before the next round. Prints each run and the median in ms.
import { launch } from './launch.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 10);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 300);

/** The phases of a join, in the order they happen; each is ms after the click (`window.__phases`). */
const PHASES = ['socket open', 'joined', 'call view', 'peer connection', 'negotiationneeded', 'createOffer', 'offer made', 'offer sent', 'answer', 'ICE connected', 'DTLS connected', 'first video packet', 'first frame received', 'first frame', 'frame received (rVFC)', 'frame shown (rVFC)'];

/**
 * Runs in B's page before the click: arms the in-page stopwatch. Also notes when each phase first
 * happens: the signaling socket (the page's own WebSocket, wrapped here: the WASM looks the constructor
 * up when it opens one, which is after the click), `joined`, our offer out and its answer back, then
 * the peer connection's ICE and DTLS (`connectionState`) states.
 */
function armStopwatch() {
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

/**
 * Runs in A's page before B clicks (BENCH_SENDER=1): notes, as epoch ms, when A's new connection
 * (the one to B) is connected, and when it encodes and sends its first video frame. Polls getStats
 * every 5 ms for 3 s, which costs A some CPU: a diagnostic, off by default.
 */
function watchSender() {
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
const SENDER = process.env.BENCH_SENDER === '1';

// BENCH_SENDER's view of A answering: when A reads B's arrival and offer, makes its connection,
// applies the offer and sends its answer (epoch ms, first of each, once `__aLogOn` is set).
const answererLog = {
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

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Experiment: BENCH_START_BITRATE=<kbit/s> adds x-google-start-bitrate to every remote description's
// video codecs in both browsers (the sender's bandwidth estimate starts there instead of 300 kbit/s).
const START = Number(process.env.BENCH_START_BITRATE || 0);
const startBitrate = {
  content: `(() => {
    const kbps = ${START};
    const proto = RTCPeerConnection.prototype;
    const real = proto.setRemoteDescription;
    proto.setRemoteDescription = function (desc, ...rest) {
      if (!desc || !desc.sdp) return real.call(this, desc, ...rest);
      const lines = desc.sdp.split('\\r\\n');
      const out = [];
      let video = false;
      const codecs = new Set();
      for (const l of lines) {
        if (l.startsWith('m=')) video = l.startsWith('m=video');
        const m = video && /^a=rtpmap:(\\d+) (VP8|VP9|H264|AV1)\\//.exec(l);
        if (m) codecs.add(m[1]);
      }
      for (const l of lines) {
        out.push(l);
        const r = /^a=rtpmap:(\\d+) /.exec(l);
        if (r && codecs.has(r[1]) && !lines.some((x) => x.startsWith('a=fmtp:' + r[1] + ' '))) out.push('a=fmtp:' + r[1] + ' x-google-start-bitrate=' + kbps);
        const f = /^a=fmtp:(\\d+) /.exec(l);
        if (f && codecs.has(f[1])) out[out.length - 1] = l + ';x-google-start-bitrate=' + kbps;
      }
      return real.call(this, { type: desc.type, sdp: out.join('\\r\\n') }, ...rest);
    };
  })();`,
};
const extra = START ? [startBitrate] : [];
const a = await launch('red', /** @type {any} */ (SENDER ? [...extra, answererLog] : extra));
const b = await launch('green', /** @type {any} */ (extra));
try {
  // A creates the room and stays in the call for the whole benchmark.
  await a.page.goto('/');
  await a.page.getByRole('textbox', { name: 'Class name' }).fill('Benchmark');
  // Students come straight in: the join path measured here is the call's, not a teacher's click.
  await a.page.getByRole('checkbox', { name: 'Let students in automatically' }).check();
  await a.page.getByRole('button', { name: 'Create room' }).click();
  const studentField = a.page.getByRole('textbox', { name: 'Student link' });
  await studentField.waitFor();
  const studentLink = new URL(await studentField.inputValue(), a.page.url()).href;
  await a.page.goto(studentLink);
  await a.page.getByRole('button', { name: 'Join', exact: true }).click({ trial: true }); // hydrated
  await a.page.getByRole('textbox', { name: 'Your name' }).fill('Anchor');
  await a.page.getByRole('button', { name: 'Join', exact: true }).click();
  await a.page.getByRole('figure', { name: 'Anchor (you)', exact: true }).waitFor({ timeout: 20_000 });

  /** @type {number[]} */
  const runs = [];
  /** @type {Record<string, number[]>} */
  const byPhase = Object.fromEntries(PHASES.map((p) => [p, []]));
  for (let i = 1; i <= ROUNDS; i++) {
    const name = `Bench ${i}`;
    await b.page.goto(studentLink);
    const join = b.page.getByRole('button', { name: 'Join', exact: true });
    await join.click({ trial: true }); // waits until enabled (= hydrated) without clicking
    // Armed before typing: the lobby opens its connection as the name is typed (phases before
    // the click are not noted: the stopwatch starts at the click).
    await b.page.evaluate(armStopwatch);
    await b.page.getByRole('textbox', { name: 'Your name' }).fill(name);
    // A person takes a moment between typing their name and clicking Join (the lobby opens the
    // signaling connection meanwhile). BENCH_PAUSE_MS=0 clicks at once.
    await b.page.waitForTimeout(PAUSE_MS);
    if (SENDER) await a.page.evaluate(watchSender);
    await join.click();
    await b.page.waitForFunction(() => /** @type {any} */ (window).__joinMs !== undefined, null, {
      timeout: 30_000,
      polling: 50,
    });
    const ms = await b.page.evaluate(() => /** @type {any} */ (window).__joinMs);
    /** @type {Record<string, number>} */
    const phases = await b.page.evaluate(() => /** @type {any} */ (window).__phases);
    if (SENDER) {
      await a.page.waitForTimeout(3000);
      const click = await b.page.evaluate(() => /** @type {any} */ (window).__clickEpoch);
      /** @type {Record<string, number>} */
      const sender = await a.page.evaluate(() => ({ .../** @type {any} */ (window).__aLog, .../** @type {any} */ (window).__aPhases }));
      const byTime = Object.entries(sender).sort((x, y) => x[1] - y[1]);
      console.log(`  sender: ${byTime.map(([k, t]) => `${k} ${(t - click).toFixed(0)}`).join(', ')}`);
    }
    runs.push(ms);
    for (const p of PHASES) if (phases[p] !== undefined) byPhase[p].push(phases[p]);
    const split = PHASES.map((p) => `${p} ${phases[p]?.toFixed(0) ?? '–'}`).join(', ');
    console.log(`run ${String(i).padStart(2)}: ${ms.toFixed(0)} ms (${split})`);
    // Leave by reloading, and let A notice before the next round.
    await b.page.reload();
    await a.page.getByRole('figure', { name, exact: true }).waitFor({ state: 'detached', timeout: 15_000 });
  }
  console.log('phase (ms after the click): median, min–max');
  for (const p of PHASES) {
    const xs = byPhase[p];
    if (xs.length) console.log(`  ${p.padEnd(22)} ${median(xs).toFixed(0).padStart(4)}  ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} (${xs.length} runs)`);
  }
  console.log(
    `join → first remote frame: median ${median(runs).toFixed(0)} ms ` +
      `(min ${Math.min(...runs).toFixed(0)}, max ${Math.max(...runs).toFixed(0)}, ${runs.length} runs)`,
  );
} finally {
  await Promise.all([a.browser.close(), b.browser.close()]);
}
