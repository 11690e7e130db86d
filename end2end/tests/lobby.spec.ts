// The lobby: device pickers, and a person who refuses camera/microphone can still take part.
import { attachOnFailure, closeAll, createRoom, expect, joinCall, launchParticipant, test, type Participant } from './helpers';

test('lobby lists cameras and microphones', async ({ page, context }) => {
  await context.grantPermissions(['camera', 'microphone']);
  const { studentLink } = await createRoom(page, 'Lobby check', 'en', { autoAdmit: true });
  await page.goto(studentLink);
  await expect(page.getByRole('textbox', { name: 'Your name' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Join', exact: true })).toBeVisible();
  for (const name of ['Camera', 'Microphone']) {
    // Options are filled in after hydration (enumerateDevices), so poll.
    await expect
      .poll(() => page.getByRole('combobox', { name }).locator('option').count(), {
        message: `combobox "${name}" has options`,
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(1);
  }
});

test.describe('without camera and microphone permission', () => {
  const people: Record<string, Participant> = {};
  test.afterEach(async ({}, testInfo) => {
    await attachOnFailure(testInfo, people);
    await closeAll(Object.values(people));
  });

  test('explains the problem and still lets the person join', async () => {
    people.denied = await launchParticipant('red', { denyPermissions: true });
    const page = people.denied.page;
    const { studentLink } = await createRoom(page, 'No camera class', 'en', { autoAdmit: true });
    await page.goto(studentLink);
    await expect(page.getByRole('button', { name: 'Join', exact: true })).toBeVisible();
    const explanation = page.getByRole('status').or(page.getByRole('alert')).filter({ hasText: /camera|microphone/i });
    await expect(explanation.first()).toBeVisible({ timeout: 15_000 });
    await joinCall(page, studentLink, 'Sora');
  });
});
