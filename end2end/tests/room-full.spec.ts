// The e2e server runs with --room-capacity 3 (see run.sh): a fourth person is turned away.
// All four share one Chromium process (separate contexts) to spare the 2 cores; colours don't matter here.
import { clickJoin, createRoom, expect, joinCall, participantsList, test, tile } from './helpers';

test('a fourth participant is told the room is full', async ({ browser }) => {
  test.setTimeout(150_000);
  const contexts = await Promise.all(
    [0, 1, 2, 3].map(() => browser.newContext({ permissions: ['camera', 'microphone'] })),
  );
  try {
    const [a, b, c, d] = await Promise.all(contexts.map((ctx) => ctx.newPage()));
    const { studentLink } = await createRoom(a, 'Full class', 'en', { autoAdmit: true });
    await joinCall(a, studentLink, 'One');
    await joinCall(b, studentLink, 'Two');
    await joinCall(c, studentLink, 'Three');
    await expect(participantsList(a).getByRole('listitem')).toHaveCount(3);

    await d.goto(studentLink);
    await clickJoin(d, 'Four');
    await expect(d.getByRole('alert').filter({ hasText: /room is full/i })).toBeVisible({ timeout: 15_000 });
    await expect(d.getByRole('figure', { name: 'Four (you)' })).toHaveCount(0);

    // The three inside are not disturbed by the refused attempt.
    await expect(tile(a, 'Four')).toHaveCount(0);
    await expect(participantsList(a).getByRole('listitem')).toHaveCount(3);
  } finally {
    await Promise.all(contexts.map((ctx) => ctx.close()));
  }
});
