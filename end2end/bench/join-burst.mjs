// Benchmark (not a test): how many signaling messages and bytes a real browser sends when it joins
// a full room, to size the per-connection budget (src/server/budget.rs, docs/BENCHMARKS.md).
//
// Usage: end2end/bench/run.sh target/release/classroom target/site join-burst.mjs
//
// Two members (red, yellow) are in a room of capacity 3; a third (green) joins. An init script in
// every page wraps WebSocket.prototype.send and records each message's time, type and size. We print
// what the newcomer sent in its first 3 s (per member it connects to), and what each member sent in
// answer, then the same scaled to a room of 50.
import { launch } from './launch.mjs';


function recordSends() {
  const w = /** @type {any} */ (window);
  w.__sent = [];
  const send = WebSocket.prototype.send;
  /** @this {WebSocket} @param {any} data */
  WebSocket.prototype.send = function (data) {
    let type = '?';
    try {
      const msg = JSON.parse(data);
      type = msg.type === 'signal' ? `signal/${msg.data.kind}` : msg.type;
    } catch {}
    w.__sent.push({ t: performance.now(), type, bytes: new TextEncoder().encode(data).length });
    return send.call(this, data);
  };
}


/** @param {import('@playwright/test').Page} page @param {string} link @param {string} name */
async function joinAs(page, link, name) {
  await page.goto(link);
  const button = page.getByRole('button', { name: 'Join', exact: true });
  await button.click({ trial: true });
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await button.click();
  await page.getByRole('figure', { name: `${name} (you)`, exact: true }).waitFor({ timeout: 20_000 });
}

/** @param {any[]} sent @param {number} since */
function summary(sent, since) {
  const window3s = sent.filter((/** @type {any} */ m) => m.t >= since && m.t < since + 3000);
  /** @type {Record<string, number>} */
  const byType = {};
  for (const m of window3s) byType[m.type] = (byType[m.type] ?? 0) + 1;
  const bytes = window3s.reduce((n, m) => n + m.bytes, 0);
  return { messages: window3s.length, bytes, byType };
}

const parts = await Promise.all(['red', 'yellow', 'green'].map((c) => launch(c, [recordSends])));
try {
  const [a, c, b] = parts;
  await a.page.goto('/');
  await a.page.getByRole('textbox', { name: 'Class name' }).fill('Burst');
  // Students come straight in: the join path measured here is the call's, not a teacher's click.
  await a.page.getByRole('checkbox', { name: 'Let students in automatically' }).check();
  await a.page.getByRole('button', { name: 'Create room' }).click();
  const field = a.page.getByRole('textbox', { name: 'Student link' });
  await field.waitFor();
  const link = new URL(await field.inputValue(), a.page.url()).href;
  await joinAs(a.page, link, 'Anchor');
  await joinAs(c.page, link, 'Second');
  await new Promise((r) => setTimeout(r, 3000));
  const since = {
    a: await a.page.evaluate(() => performance.now()),
    c: await c.page.evaluate(() => performance.now()),
  };
  await joinAs(b.page, link, 'Newcomer');
  await new Promise((r) => setTimeout(r, 3500));
  const newcomer = summary(await b.page.evaluate(() => /** @type {any} */ (window).__sent), 0);
  const answers = [
    summary(await a.page.evaluate(() => /** @type {any} */ (window).__sent), since.a),
    summary(await c.page.evaluate(() => /** @type {any} */ (window).__sent), since.c),
  ];
  const perPeer = { messages: newcomer.messages / 2, bytes: newcomer.bytes / 2 };
  console.log('newcomer, first 3 s, joining 2 members:', JSON.stringify(newcomer));
  console.log('each member answering:', JSON.stringify(answers));
  console.log(
    `per member: ${perPeer.messages.toFixed(1)} messages, ${(perPeer.bytes / 1024).toFixed(1)} KiB → ` +
      `a join into a room of 50 (49 members): ~${Math.ceil(perPeer.messages * 49)} messages, ` +
      `~${Math.ceil((perPeer.bytes * 49) / 1024)} KiB`,
  );
} finally {
  await Promise.all(parts.map((p) => p.browser.close()));
}
