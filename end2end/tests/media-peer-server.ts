// The hooks of a spec file whose tests run on a server of their own, where a third person moves a
// room to the media peer, and whose weak links are tc rate limits (lib/block.ts): so they run only
// in the test network namespace (end2end/run.sh) and skip elsewhere, saying why.
import { blockUnavailable, unblockPeerTraffic } from '../lib/block';
import { extraServerUnavailable, startServer, type ExtraServer } from '../lib/server';
import { attachOnFailure, closeAll, test, type Participant } from './helpers';

/**
 * Registers the hooks for a server on `port` (rooms of up to 10, the media peer from 3 people on).
 * Returns the file's participants (closed after each test, with their logs attached and the
 * server's printed on failure) and the server's base URL.
 */
export function onMediaPeerServer(port: number): { people: Record<string, Participant>; url: () => string } {
  let server: ExtraServer | undefined;
  const people: Record<string, Participant> = {};

  test.beforeAll(async () => {
    if (extraServerUnavailable() || blockUnavailable()) return;
    server = await startServer(port, ['--room-capacity', '10', '--mesh-size', '2']);
  });

  test.afterAll(async () => {
    unblockPeerTraffic();
    await server?.stop();
  });

  test.beforeEach(() => {
    const why = extraServerUnavailable() ?? blockUnavailable();
    test.skip(!!why, why ?? '');
  });

  test.afterEach(async ({}, testInfo) => {
    unblockPeerTraffic();
    await attachOnFailure(testInfo, people);
    if (testInfo.status !== testInfo.expectedStatus && server)
      console.error(`----- ${server.url} log -----\n${server.log().slice(-10_000)}`);
    await closeAll(Object.values(people));
    for (const key of Object.keys(people)) delete people[key];
  });

  return { people, url: () => server!.url };
}
