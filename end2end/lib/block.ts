// Bad networks on loopback, inside the test network namespace only:
// - blockPeerTraffic cuts peer-to-peer traffic for a while: UDP, and TCP except the Classroom
//   servers' ports (so signaling stays up while media cannot pass, and ICE cannot move over to a
//   TCP candidate pair instead of noticing the loss);
// - limitUdpTo makes one browser's downlink a weak one;
// - dropDtls loses DTLS records (all, or one socket's) while STUN and RTP pass: ICE connects, a
//   handshake cannot.
//
// The kernel here has no netem and no drop action, so both are a tc u32 classifier that sends such
// packets to an HTB class: for a cut, one whose queue holds nothing (pfifo limit 0), so every packet
// is dropped; for a weak link, one with a low rate and a short queue.
import { execFileSync } from 'node:child_process';

const DEV = 'lo';

/** Why the block cannot be used here, or null. Never outside the namespace: it would cut the host's loopback. */
export function blockUnavailable(): string | null {
  if (process.env.CLASSROOM_E2E_NETNS !== '1') return 'only inside the test network namespace (end2end/run.sh)';
  try {
    execFileSync('tc', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'needs the tc command (Debian package iproute2)';
  }
  return null;
}

function tc(...args: string[]) {
  execFileSync('tc', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Replaces whatever was installed with an HTB root whose default class 1:10 lets everything
 * through, and a class 1:20 of `rate` behind a queue of `limit` packets (0: every packet dropped)
 * for the filters to send traffic to.
 */
function slowLane(rate: string, limit: number) {
  unblockPeerTraffic();
  tc('qdisc', 'add', 'dev', DEV, 'root', 'handle', '1:', 'htb', 'default', '10');
  tc('class', 'add', 'dev', DEV, 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '10gbit');
  tc('class', 'add', 'dev', DEV, 'parent', '1:', 'classid', '1:20', 'htb', 'rate', rate, 'ceil', rate);
  tc('qdisc', 'add', 'dev', DEV, 'parent', '1:20', 'handle', '20:', 'pfifo', 'limit', String(limit));
}

/** Drops UDP and TCP on loopback, except TCP to or from `keepPorts` (the servers). */
export function blockPeerTraffic(keepPorts: number[]) {
  slowLane('10gbit', 0);
  const filter = (prio: string, matches: string[], classid: string) =>
    tc('filter', 'add', 'dev', DEV, 'parent', '1:', 'protocol', 'ip', 'prio', prio, 'u32', ...matches, 'classid', classid);
  for (const port of keepPorts) {
    for (const side of ['sport', 'dport']) filter('1', ['match', 'ip', 'protocol', '6', '0xff', 'match', 'ip', side, String(port), '0xffff'], '1:10');
  }
  filter('2', ['match', 'ip', 'protocol', '17', '0xff'], '1:20');
  filter('2', ['match', 'ip', 'protocol', '6', '0xff'], '1:20');
}

/**
 * Limits UDP to `port` (where one browser receives its media) to `kbit` kbit/s behind a queue of
 * 20 packets, as a weak mobile link would: delay grows, then packets are lost. Nothing else is
 * slowed.
 */
export function limitUdpTo(port: number, kbit: number) {
  slowLane(`${kbit}kbit`, 20);
  tc('filter', 'add', 'dev', DEV, 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32',
    'match', 'ip', 'protocol', '17', '0xff', 'match', 'ip', 'dport', String(port), '0xffff', 'classid', '1:20');
}

// A UDP datagram whose first payload byte is 20–23. IP header (20 bytes on loopback) + UDP header
// (8): the payload starts at offset 28.
const DTLS = ['match', 'ip', 'protocol', '17', '0xff', 'match', 'u8', '0x14', '0xfc', 'at', '28'];

/**
 * Drops every UDP datagram on loopback whose first byte is a DTLS record type (20–23; RFC 7983
 * tells DTLS, STUN and RTP apart that way): STUN checks and media still pass, so ICE connects, but
 * a new DTLS handshake cannot finish. Connections already set up keep their media (SRTP is RTP).
 */
export function dropDtls() {
  slowLane('10gbit', 0);
  tc('filter', 'add', 'dev', DEV, 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', ...DTLS, 'classid', '1:20');
}

/**
 * After `dropDtls`: from now on drop only the DTLS records to and from `ports` (one browser
 * connection's sockets). The narrow filters go in before the wide one goes, so that no record
 * slips through in between (a gap of a few milliseconds once let a retransmitted handshake by).
 */
export function narrowDtlsDrop(ports: number[]) {
  for (const port of ports)
    for (const side of ['sport', 'dport'])
      tc('filter', 'add', 'dev', DEV, 'parent', '1:', 'protocol', 'ip', 'prio', '2', 'u32', ...DTLS,
        'match', 'ip', side, String(port), '0xffff', 'classid', '1:20');
  tc('filter', 'del', 'dev', DEV, 'parent', '1:', 'protocol', 'ip', 'prio', '1');
}

/** Lets everything through again (safe to call when nothing is blocked). */
export function unblockPeerTraffic() {
  try {
    tc('qdisc', 'del', 'dev', DEV, 'root');
  } catch {
    // nothing was installed
  }
}
