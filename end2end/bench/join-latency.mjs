// Benchmark (not a test): time from clicking "Join" to the first decoded remote video frame.
//
// Usage (from the repo root; builds the release site first, see bench/run.sh):
//   end2end/bench/run.sh target/release/classroom target/site
// or against a server already running on loopback:
//   CLASSROOM_URL=http://127.0.0.1:3000 node end2end/bench/join-latency.mjs
// Env: BENCH_ROUNDS (default 10), CLASSROOM_Y4M_DIR (clips; made in a temp dir if unset).
// Prints, per run and as medians, when each phase of the join happened (PHASES, in phases.mjs).
//
// Participant A (red camera) creates a room and joins. Then, each round, participant B (green camera)
// opens the student link, types a name and clicks "Join". A capture-phase click listener installed in
// B's page notes performance.now() at that click and polls B's RTCPeerConnections (recorded in
// window.__pcs by the init script) every 10 ms until one reports framesDecoded > 0: the whole
// measurement happens inside the page, so Playwright's round trips don't count. B then reloads (leaves)
// and we wait until A no longer shows B before the next round. Prints each run and the median in ms.
import { launch } from './launch.mjs';
import { armStopwatch, PHASES } from './phases.mjs';
import { answererLog, watchSender } from './sender.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 10);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 300);

const SENDER = process.env.BENCH_SENDER === '1';

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
