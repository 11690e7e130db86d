// The one import point of the e2e specs: the CSP-guarded `test` and `expect` (every spec must take them
// from here, which security.spec.ts checks) and the shared helpers, re-exported from one file per concern:
//  - csp-guard.ts: the guard that fails a test on any CSP violation;
//  - csp-policy.ts: the security headers a response must carry;
//  - ui.ts: the UI strings and role locators (everything is located by role and accessible name, never
//    by CSS path);
//  - participants.ts: one Chromium per participant, and its logs on failure;
//  - flows.ts: making rooms, joining from the lobby, the admin login, muting;
//  - media-checks.ts: frames decoded, SDPs, tile colours, the media port.
export { expect, test, watchCsp } from './csp-guard';
export { expectPolicy, parseCsp } from './csp-policy';
export { LOCALE, participantEntry, participantsList, selfTile, tile, UI, type Lang } from './ui';
export {
  attachOnFailure,
  BASE_URL,
  closeAll,
  launchParticipant,
  peerConnectionSummary,
  type Colour,
  type Participant,
} from './participants';
export { ADMIN_PASSWORD, adminLogin, clickJoin, createRoom, deadline, joinCall, muteMicrophone, roomByApi } from './flows';
export {
  colourName,
  decodedFramesPerPc,
  expectFramesRising,
  expectTileColour,
  localSdps,
  mediaPort,
  tileColour,
  type TileColour,
} from './media-checks';
