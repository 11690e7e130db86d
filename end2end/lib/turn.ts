// A real coturn for the TURN spec: `turnserver` (Debian package coturn, installed by
// `scripts/setup.sh --with-browser`) on 127.0.0.1 with a throw-away configuration, in the same
// network namespace as the Classroom servers (end2end/run.sh).
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLogged } from './server';

export interface Coturn {
  /** e.g. turn:127.0.0.1:3478 */
  url: string;
  /** Everything coturn logged so far. */
  log: () => string;
  stop: () => Promise<void>;
}

/** Why coturn cannot run here, or null when it can. */
export function coturnUnavailable(): string | null {
  try {
    execFileSync('turnserver', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'needs turnserver (Debian package coturn: scripts/setup.sh --with-browser installs it)';
  }
  return null;
}

/**
 * Starts coturn on 127.0.0.1:`port` checking shared-secret credentials (`use-auth-secret`) made
 * with `secret`, and waits until it listens. `allow-loopback-peers` is here only because this test
 * relays to 127.0.0.1; a production server must never set it (docs/deploy.md).
 */
export async function startCoturn(port: number, secret: string): Promise<Coturn> {
  const dir = mkdtempSync(join(tmpdir(), 'classroom-e2e-coturn-'));
  const conf = join(dir, 'turnserver.conf');
  writeFileSync(
    conf,
    [
      `listening-ip=127.0.0.1`,
      `relay-ip=127.0.0.1`,
      `listening-port=${port}`,
      `min-port=49160`,
      `max-port=49260`,
      `use-auth-secret`,
      `static-auth-secret=${secret}`,
      `realm=classroom.test`,
      `fingerprint`,
      `allow-loopback-peers`,
      `no-multicast-peers`,
      `no-tls`,
      `no-dtls`,
      `no-cli`,
      `log-file=stdout`,
      `simple-log`,
      `pidfile=${join(dir, 'turnserver.pid')}`,
      `userdb=${join(dir, 'turndb')}`,
      '',
    ].join('\n'),
  );
  const { child, output, stop } = spawnLogged('turnserver', ['-c', conf], dir);
  // Ready when it answers a STUN Binding request (its log, a pipe, is block-buffered).
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await answersStun(port)) return { url: `turn:127.0.0.1:${port}`, log: output, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`coturn did not start on 127.0.0.1:${port}:\n${output()}`);
}

/** Whether a STUN Binding request (RFC 5389) to 127.0.0.1:`port` gets a success answer within 500 ms. */
function answersStun(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 500);
    socket.on('message', (msg) => done(msg.length >= 20 && msg.readUInt16BE(0) === 0x0101));
    socket.on('error', () => done(false));
    // Binding request, no attributes, the magic cookie and a random transaction id.
    const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), randomBytes(12)]);
    socket.send(request, port, '127.0.0.1');
  });
}

/** TURN REST credentials as the server makes them: `expiry:participant`, base64 HMAC-SHA1. */
export function turnCredentials(secret: string, expiryUnixSecs: number, participant: string) {
  const username = `${expiryUnixSecs}:${participant}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}
