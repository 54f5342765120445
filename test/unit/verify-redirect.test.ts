/**
 * The integrate guide's verification of the signed MERCHANT_RESULT_URL redirect (docs/guides/integrate-your-shop.md) is docs/examples/verify-redirect.ts,
 * word for word (checked here), and it verifies what the landings really send: URLs made by
 * merchantRedirect (shared/http/merchant-redirect.ts), the landings' own redirect, signed with a key derived from the webhook secret.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REDIRECT_TOLERANCE_SECONDS, verifyRedirect } from '../../docs/examples/verify-redirect.ts';
import { merchantRedirect, REDIRECT_KEY_INFO } from '../../shared/http/merchant-redirect.ts';
import type { SigningSecrets } from '../../shared/events/webhook-signing.ts';
import { PROJECT_ROOT } from '../../infra/paths.ts';

const secretOf = (text: string) => `whsec_${Buffer.from(text).toString('base64')}`;
const SECRET = secretOf('the merchant redirect secret, 32b');
const OTHER = secretOf('another secret, not the merchants');
const NOW = Date.parse('2025-01-02T03:04:05Z');

/** The Location the landings answer with, for `orderNo` and `result`, signed with `secrets` at `now`. */
const redirectTo = (merchantUrl: string, orderNo: string, result: 'paid' | 'failed' | 'cancelled' | 'refunded' | 'pending', secrets?: SigningSecrets, now = NOW): string => {
  const r = merchantRedirect(merchantUrl, orderNo, result, secrets === undefined ? undefined : { secrets, now });
  expect(r.statusCode).toBe(303);
  return String(r.headers?.Location);
};

/** `url` with query parameter `name` set to `value`. */
const withParam = (url: string, name: string, value: string): string => {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
};

describe("the integrate guide's redirect verification (docs/examples/verify-redirect.ts)", () => {
  it('is in docs/guides/integrate-your-shop.md exactly as in the file, and derives the key with the label the landings use', () => {
    const code = readFileSync(join(PROJECT_ROOT, 'docs/examples/verify-redirect.ts'), 'utf8');
    expect(code).toContain(`'${REDIRECT_KEY_INFO}'`);
    const guide = readFileSync(join(PROJECT_ROOT, 'docs/guides/integrate-your-shop.md'), 'utf8');
    expect(guide.includes(`\`\`\`ts\n${code}\`\`\`\n`), 'docs/guides/integrate-your-shop.md holds docs/examples/verify-redirect.ts as a ts block, word for word').toBe(true);
  });

  it("accepts the landings' signed redirect and returns its orderNo and result, whatever the shop's URL already has", () => {
    for (const result of ['paid', 'failed', 'cancelled', 'refunded', 'pending'] as const) {
      const url = redirectTo('https://shop.example.com/pay/result?from=toss&lang=ko', 'A-17:x^y@z.1_2', result, { current: SECRET });
      expect(verifyRedirect(url, SECRET, NOW)).toEqual({ orderNo: 'A-17:x^y@z.1_2', result });
      expect(new URL(url).searchParams.get('from')).toBe('toss');
    }
  });

  it('signs exactly orderNo, timestamp and result: a changed one fails', () => {
    const url = redirectTo('https://shop.example.com/r', 'order-1', 'failed', { current: SECRET });
    expect(verifyRedirect(url, SECRET, NOW)).toBeDefined();
    expect(verifyRedirect(withParam(url, 'result', 'paid'), SECRET, NOW)).toBeUndefined();
    expect(verifyRedirect(withParam(url, 'orderNo', 'order-2'), SECRET, NOW)).toBeUndefined();
    const ts = Number(new URL(url).searchParams.get('timestamp'));
    expect(ts).toBe(Math.floor(NOW / 1000));
    expect(verifyRedirect(withParam(url, 'timestamp', String(ts + 1)), SECRET, NOW)).toBeUndefined();
    // Parameters the shop's page adds are not signed and change nothing.
    expect(verifyRedirect(`${url}&utm_source=mail`, SECRET, NOW)).toEqual({ orderNo: 'order-1', result: 'failed' });
  });

  it('refuses another secret, a missing or malformed signature, and an unsigned redirect', () => {
    const url = redirectTo('https://shop.example.com/r', 'order-1', 'paid', { current: SECRET });
    expect(verifyRedirect(url, OTHER, NOW)).toBeUndefined();
    expect(verifyRedirect(withParam(url, 'signature', ''), SECRET, NOW)).toBeUndefined();
    expect(verifyRedirect(withParam(url, 'signature', 'v1,short'), SECRET, NOW)).toBeUndefined();
    const noSignature = new URL(url);
    noSignature.searchParams.delete('signature');
    expect(verifyRedirect(noSignature.toString(), SECRET, NOW)).toBeUndefined();
    expect(verifyRedirect(redirectTo('https://shop.example.com/r', 'order-1', 'paid'), SECRET, NOW)).toBeUndefined();
  });

  it(`accepts a timestamp up to ${REDIRECT_TOLERANCE_SECONDS} s from now, either way, and no further`, () => {
    const url = redirectTo('https://shop.example.com/r', 'order-1', 'paid', { current: SECRET });
    const tolerance = REDIRECT_TOLERANCE_SECONDS * 1000;
    expect(verifyRedirect(url, SECRET, NOW + tolerance)).toBeDefined();
    expect(verifyRedirect(url, SECRET, NOW - tolerance)).toBeDefined();
    expect(verifyRedirect(url, SECRET, NOW + tolerance + 1000)).toBeUndefined();
    expect(verifyRedirect(url, SECRET, NOW - tolerance - 1000)).toBeUndefined();
    expect(verifyRedirect(withParam(url, 'timestamp', 'soon'), SECRET, NOW)).toBeUndefined();
  });

  it('during a rotation verifies with the new secret or the old one; after previousUntil the old one no longer signs', () => {
    const rotation: SigningSecrets = { current: SECRET, previous: OTHER, previousUntil: NOW + 60_000 };
    const during = redirectTo('https://shop.example.com/r', 'order-1', 'paid', rotation);
    expect(new URL(during).searchParams.get('signature')?.split(' ')).toHaveLength(2);
    expect(verifyRedirect(during, SECRET, NOW)).toEqual({ orderNo: 'order-1', result: 'paid' });
    expect(verifyRedirect(during, OTHER, NOW)).toEqual({ orderNo: 'order-1', result: 'paid' });
    const after = redirectTo('https://shop.example.com/r', 'order-1', 'paid', rotation, NOW + 60_000);
    expect(verifyRedirect(after, SECRET, NOW + 60_000)).toBeDefined();
    expect(verifyRedirect(after, OTHER, NOW + 60_000)).toBeUndefined();
  });
});
