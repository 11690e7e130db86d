// Servers and data around the shared e2e server:
// - startServer: a second, short-lived Classroom server for specs that need other flags (e.g.
//   `--rooms-per-minute 1`), from the binary and site the shared one was started from
//   (CLASSROOM_SERVER_BIN, CLASSROOM_SITE_ROOT, set by scripts/with-server.sh), with its own database
//   (or the database of one that crashed, to start it again: `crash` keeps it);
// - closeRoom: edits the shared server's database (CLASSROOM_DB);
// - startOtherSite: a page of "another site" for cross-origin tests.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ExtraServer {
  /** e.g. http://127.0.0.1:3001 */
  url: string;
  /** Everything the server printed so far. */
  log: () => string;
  /** Stops the server and removes its database. */
  stop: () => Promise<void>;
  /** Kills the server at once (SIGKILL, or `signal`) and waits for it to exit; keeps its database. */
  crash: (signal?: NodeJS.Signals) => Promise<void>;
  /** The scratch directory with its database, for `startServer(…, { dir })`. */
  dir: string;
}

/** Why `startServer` cannot run here, or null when it can. */
export function extraServerUnavailable(): string | null {
  if (!process.env.CLASSROOM_SERVER_BIN || !process.env.CLASSROOM_SITE_ROOT)
    return 'needs CLASSROOM_SERVER_BIN and CLASSROOM_SITE_ROOT (set by end2end/run.sh)';
  return null;
}

/**
 * Starts the server on 127.0.0.1:`port` with `args` and waits for /healthz. `dir`: the scratch
 * directory of an earlier server (after its `crash`), to start again on its database.
 */
export async function startServer(port: number, args: string[], opts: { dir?: string } = {}): Promise<ExtraServer> {
  const bin = process.env.CLASSROOM_SERVER_BIN!;
  const site = process.env.CLASSROOM_SITE_ROOT!;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'classroom-e2e-extra-'));
  const addr = `127.0.0.1:${port}`;
  const { child, output, stop, crash } = spawnLogged(
    bin,
    // Any free UDP port for the media server unless a spec picks one: specs run servers side by side.
    ['--bind', addr, '--database-url', `sqlite://${join(dir, 'db.sqlite')}`,
      ...(args.includes('--udp-port') ? [] : ['--udp-port', '0', '--media-address', '127.0.0.1']), ...args],
    dir,
    { LEPTOS_SITE_ROOT: site, LEPTOS_OUTPUT_NAME: 'classroom', LEPTOS_SITE_PKG_DIR: 'pkg', LEPTOS_SITE_ADDR: addr },
  );
  const url = `http://${addr}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok)
        return { url, log: output, stop, crash, dir };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`the extra server on ${addr} did not answer /healthz:\n${output()}`);
}

/**
 * Starts `cmd` with `args` (and `env` added to ours), collecting everything it prints; `stop` ends it
 * (SIGTERM, SIGKILL after 5 s) and removes its scratch directory `dir`; `crash` sends `signal`
 * (SIGKILL by default), waits for the exit and leaves `dir` alone.
 */
export function spawnLogged(cmd: string, args: string[], dir: string, env: Record<string, string> = {}) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (d) => (text += d));
  child.stderr.on('data', (d) => (text += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const crash = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await exited;
    }
  };
  return { child, output: () => text, stop, crash };
}

/** Why closing a room by hand cannot work here, or null. */
export function closeRoomUnavailable(): string | null {
  if (!process.env.CLASSROOM_DB) return 'needs CLASSROOM_DB (set by end2end/run.sh)';
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
  } catch {
    return 'needs the sqlite3 command (Debian package sqlite3)';
  }
  return null;
}

/** Closes a room the way the hourly housekeeping does after --room-idle-days. */
export function closeRoom(id: string) {
  // The server keeps the database in WAL mode; the CLI waits for a lock like the server does.
  execFileSync('sqlite3', [
    '-cmd',
    '.timeout 5000',
    process.env.CLASSROOM_DB!,
    `UPDATE rooms SET closed_at = ${Date.now()} WHERE id = '${id.replace(/'/g, "''")}'`,
  ]);
}

/**
 * "Another site" for cross-origin tests: a plain HTTP server on a free loopback port answering every
 * GET with `html`. (A page routed by Playwright from a public name such as evil.example cannot be
 * used: Chromium's local network access checks stop such a page from reaching 127.0.0.1 at all, so
 * the server's own refusal would never be exercised.)
 */
export async function startOtherSite(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
