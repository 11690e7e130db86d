// The administrator's room actions in real Chromium: a teacher and a student in a call, the
// administrator ends the class from the room list and both see the ended message; a room deleted
// (after ticking "Yes, delete …") sends its student off with the deletion message.
import {
  adminLogin,
  attachOnFailure,
  closeAll,
  createRoom,
  expect,
  joinCall,
  launchParticipant,
  selfTile,
  test,
  type Participant,
} from './helpers';

const people: Record<string, Participant> = {};

test.afterEach(async ({}, testInfo) => {
  await attachOnFailure(testInfo, people);
  await closeAll(Object.values(people));
  for (const k of Object.keys(people)) delete people[k];
});

test('the administrator ends a live class from the room list', async ({ page }) => {
  test.setTimeout(180_000);
  people.Kim = await launchParticipant('yellow');
  people.Minji = await launchParticipant('red');
  const [kim, minji] = [people.Kim.page, people.Minji.page];
  const name = `Admin end ${Date.now()}`;
  const { studentLink, teacherLink } = await createRoom(kim, name, 'en', { autoAdmit: true });
  await joinCall(kim, teacherLink, 'Kim');
  await joinCall(minji, studentLink, 'Minji');

  await adminLogin(page);
  await page.goto(`/admin?q=${encodeURIComponent(name)}`);
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row.getByRole('cell', { name: 'Live', exact: true })).toBeVisible();
  const actions = page.getByRole('group', { name, exact: true });
  // The page is interactive once its WASM has run; the form would post without it too.
  await actions.getByRole('button', { name: 'End class', exact: true }).click();

  for (const p of [kim, minji]) {
    await expect(p.getByRole('alert').filter({ hasText: 'The class has ended.' })).toBeVisible({ timeout: 15_000 });
    await expect(p.getByRole('button', { name: 'Join again' })).toHaveCount(0);
  }
  await expect(page.getByRole('status').filter({ hasText: `${name}: the class has ended (2 disconnected).` }))
    .toBeVisible();
  await expect(row.getByRole('cell', { name: 'Ended', exact: true })).toBeVisible();
  // Reopen makes it joinable again.
  await actions.getByRole('button', { name: 'Reopen', exact: true }).click();
  await expect(row.getByRole('cell', { name: 'Idle', exact: true })).toBeVisible();
  await joinCall(minji, studentLink, 'Minji');
});

test('deleting a room asks first, then sends its student off', async ({ page }) => {
  test.setTimeout(120_000);
  people.Minji = await launchParticipant('red');
  const minji = people.Minji.page;
  const name = `Admin delete ${Date.now()}`;
  const { studentLink } = await createRoom(minji, name, 'en', { autoAdmit: true });
  await joinCall(minji, studentLink, 'Minji');

  await adminLogin(page);
  await page.goto(`/admin?q=${encodeURIComponent(name)}`);
  const actions = page.getByRole('group', { name, exact: true });
  await actions.getByText('Delete…').click();
  const confirm = actions.getByRole('checkbox', { name: `Yes, delete ${name} with its chat and attendance.`, exact: false });
  const deleteForGood = actions.getByRole('button', { name: 'Delete for good' });
  // Not ticked: the browser keeps the form (the checkbox is required) and the student stays.
  await deleteForGood.click();
  await page.waitForTimeout(500);
  await expect(minji.getByText('The administrator deleted this class.')).toHaveCount(0);
  await expect(selfTile(minji, 'Minji')).toBeVisible();
  await confirm.check();
  await deleteForGood.click();
  await expect(minji.getByRole('alert').filter({ hasText: 'The administrator deleted this class.' }))
    .toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('status').filter({ hasText: `${name} was deleted (1 disconnected).` })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
});
