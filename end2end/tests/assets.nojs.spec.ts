// The browser's files under /pkg are named by their content (cargo-leptos hash-files) and may be
// kept for a year; the pages that name them are not cached. Checked on the real release build:
// the names the page references are the names the server serves.
import { BASE_URL, expect, test } from './helpers';

const YEAR = 'public, max-age=31536000, immutable';

test('the page names hashed files, served with a year-long immutable cache', async ({ request }) => {
  const created = await request.post('/api/rooms', { data: { name: 'Assets' } });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  for (const path of ['/', `/r/${id}`]) {
    const page = await request.get(path);
    expect(page.status(), path).toBe(200);
    expect(page.headers()['cache-control'] ?? '', `${path}: the page itself is not kept`).not.toContain('max-age');
    const html = await page.text();
    const names = [...html.matchAll(/\/pkg\/([^"'`?#\s]+)/g)].map(([, name]) => name);
    for (const ext of ['js', 'wasm', 'css']) {
      const hashed = names.filter((n) => new RegExp(`^classroom\\.[A-Za-z0-9_-]{10,}\\.${ext}$`).test(n));
      expect(hashed.length, `${path}: names a hashed .${ext} (named: ${names.join(', ')})`).toBeGreaterThan(0);
      for (const name of hashed) {
        const file = await request.get(`${BASE_URL}/pkg/${name}`, { headers: { 'accept-encoding': 'br' } });
        expect(file.status(), name).toBe(200);
        expect(file.headers()['cache-control'], name).toBe(YEAR);
      }
    }
    expect(names, `${path}: no unhashed name left`).not.toContain('classroom.wasm');
  }
});

test('a name from another build is not found and not cached', async ({ request }) => {
  const res = await request.get('/pkg/classroom.AAAAAAAAAAAAAAAAAAAAAA.wasm');
  expect(res.status()).toBe(404);
  expect(res.headers()['cache-control'] ?? '').not.toContain('immutable');
});
