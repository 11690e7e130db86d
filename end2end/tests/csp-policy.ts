// What a response's Content-Security-Policy and other security headers must say.
import { expect, type APIResponse, type Response } from '@playwright/test';

/** The CSP of `res` (a page or API response), as a directive → value map, and its nonce. */
export function parseCsp(res: Response | APIResponse | null) {
  const header = res?.headers()['content-security-policy'];
  expect(header, 'Content-Security-Policy header').toBeTruthy();
  const directives = new Map<string, string>();
  for (const part of header!.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name, values.join(' '));
  }
  const nonce = directives.get('script-src')?.match(/'nonce-([^']+)'/)?.[1];
  return { header: header!, directives, nonce };
}

/** Every CSP promise of the hardening issue, for a page (with nonce) or anything else. */
export function expectPolicy(res: Response | APIResponse | null, { page }: { page: boolean }) {
  const { header, directives, nonce } = parseCsp(res);
  expect(directives.get('default-src')).toBe("'self'");
  const scripts = directives.get('script-src') ?? '';
  expect(scripts.split(' ')).toEqual(
    expect.arrayContaining(["'self'", "'wasm-unsafe-eval'", ...(page ? [`'nonce-${nonce}'`] : [])]),
  );
  // Never inline or eval for scripts ('wasm-unsafe-eval' only allows compiling WebAssembly).
  expect(scripts).not.toMatch(/'unsafe-inline'|(?<!wasm-)'unsafe-eval'|\*|data:/);
  if (page) expect(nonce, 'a nonce of at least 128 bits').toMatch(/^[A-Za-z0-9+/_=-]{22,}$/);
  else expect(nonce, 'no nonce outside pages').toBeUndefined();
  expect(directives.get('style-src')).toBe("'self'");
  expect(directives.get('connect-src')).toBe("'self'");
  expect(directives.get('object-src')).toBe("'none'");
  expect(directives.get('base-uri')).toBe("'none'");
  expect(directives.get('form-action')).toBe("'self'");
  expect(directives.get('frame-ancestors')).toBe("'none'");
  expect(header).not.toContain('unsafe-inline');
  const headers = res!.headers();
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  // No Referer ever leaves for another site. (`no-referrer` also makes Chromium send `Origin: null`
  // with the no-JS form post, which the origin check refuses; `same-origin` does not.)
  expect(headers['referrer-policy'], 'Referrer-Policy').toBe('same-origin');
  const permissions = headers['permissions-policy'] ?? '';
  for (const feature of ['camera=(self)', 'microphone=(self)', 'display-capture=(self)'])
    expect(permissions).toContain(feature);
  return nonce;
}
