// The administrator's room actions without JavaScript: each is a plain form post that comes back
// to the list; Delete needs its "Yes, delete …" box ticked (the browser and the server insist).
import { adminLogin, createRoom, expect, test } from './helpers';

test('without JavaScript: end, reopen and a confirmed delete', async ({ page, browser }) => {
  // The room is made in a page with JavaScript (its links come from the reply).
  const maker = await browser.newPage({ javaScriptEnabled: true });
  const name = `No-JS admin ${Date.now()}`;
  await createRoom(maker, name);
  await maker.close();

  await adminLogin(page);
  await page.goto(`/admin?q=${encodeURIComponent(name)}`);
  const row = page.getByRole('row', { name: new RegExp(name) });
  const actions = page.getByRole('group', { name, exact: true });
  await expect(row.getByRole('cell', { name: 'Idle', exact: true })).toBeVisible();
  await actions.getByRole('button', { name: 'End class', exact: true }).click();
  await expect(row.getByRole('cell', { name: 'Ended', exact: true })).toBeVisible();
  await actions.getByRole('button', { name: 'Reopen', exact: true }).click();
  await expect(row.getByRole('cell', { name: 'Idle', exact: true })).toBeVisible();

  await actions.getByText('Delete…').click();
  await actions.getByRole('button', { name: 'Delete for good' }).click();
  // The unticked box keeps the form from being sent.
  await expect(row).toHaveCount(1);
  await actions.getByRole('checkbox', { name: new RegExp(`Yes, delete ${name}`) }).check();
  await actions.getByRole('button', { name: 'Delete for good' }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
  await expect(page).toHaveURL(/\/admin/);
});
