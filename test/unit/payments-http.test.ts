import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bodyBytes, parseObjectBody } from '../../shared/http/body.ts';
import { BodyTooLargeError, MalformedBodyError } from '../../shared/http/request-errors.ts';
import { replyFor } from '../../shared/http/error-replies.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';
import { escapeHtml, merchantRedirect, resultPage } from '../../shared/http/html.ts';
import { ipAllowList } from '../../shared/http/ip.ts';
import { callbackBodySchema } from '../../shared/payments/callback.ts';
import { createPaymentSchema, generateOrderNo, ORDER_NO_RE, requestHash } from '../../shared/payments/create-schema.ts';
import { OrderNoConflictError, OrderNotFoundError } from '../../shared/payments/errors.ts';
import { StoreUnavailableError } from '../../shared/store/errors.ts';
import { TossRefusedError, TossServerError, TossUnknownOutcomeError } from '../../shared/toss/errors.ts';
import { fromKst, toKst, tossTimeIso as iso } from '../../shared/toss/time.ts';

const valid = { amount: 1000, amountTaxFree: 0, productDesc: 'T-shirt' };

describe('create request schema', () => {
  it('applies defaults and accepts the documented fields', () => {
    const r = createPaymentSchema.parse(valid);
    expect(r).toMatchObject({ autoExecute: true, expiresInMinutes: 15 });
    expect(() =>
      createPaymentSchema.parse({
        ...valid,
        orderNo: 'A-1_b:c.d^e@f',
        amount: 9_999_999,
        amountTaxFree: 999_999,
        amountTaxable: 8_181_818,
        amountVat: 818_182,
        amountServiceFee: 0,
        cashReceipt: false,
        enablePayMethods: ['CARD', 'TOSS_MONEY'],
        metadata: 'anything',
        expiresInMinutes: 60,
      }),
    ).not.toThrow();
  });

  it.each([
    ['amount 0', { amount: 0 }],
    ['amount too big', { amount: 10_000_000 }],
    ['amount not integer', { amount: 10.5 }],
    ['amount as string', { amount: '1000' }],
    ['tax free above amount', { amountTaxFree: 2000 }],
    ['parts not adding up', { amountTaxable: 900, amountVat: 90 }],
    ['missing amountTaxFree', { amountTaxFree: undefined }],
    ['blank productDesc', { productDesc: ' ' }],
    ['quote in productDesc', { productDesc: "it's" }],
    ['backslash in productDesc', { productDesc: 'a\\b' }],
    ['long productDesc', { productDesc: 'x'.repeat(256) }],
    ['bad orderNo charset', { orderNo: '주문1' }],
    ['long orderNo', { orderNo: 'a'.repeat(51) }],
    ['expiry 0', { expiresInMinutes: 0 }],
    ['expiry 61', { expiresInMinutes: 61 }],
    ['unknown method', { enablePayMethods: ['CASH'] }],
    ['repeated method', { enablePayMethods: ['CARD', 'CARD'] }],
    ['unknown field', { foo: 1 }],
  ])('refuses %s', (_name, patch) => {
    expect(createPaymentSchema.safeParse({ ...valid, ...patch }).success).toBe(false);
  });

  it('hashes equal requests equally, whatever the key order and defaults', () => {
    const a = createPaymentSchema.parse({ ...valid, orderNo: 'x1' });
    const b = createPaymentSchema.parse({ productDesc: 'T-shirt', autoExecute: true, amountTaxFree: 0, amount: 1000, orderNo: 'x1' });
    expect(requestHash(a)).toBe(requestHash(b));
    expect(requestHash(a)).not.toBe(requestHash(createPaymentSchema.parse({ ...valid, amount: 1001 })));
  });

  it('generates orderNos within Toss`s rules', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const o = generateOrderNo(Date.now());
      expect(o).toMatch(ORDER_NO_RE);
      seen.add(o);
    }
    expect(seen.size).toBe(200);
  });
});

describe('callback body schema', () => {
  it('accepts V2 JSON numbers and V1 form strings, tolerating unknown fields', () => {
    const v2 = callbackBodySchema.parse({ status: 'PAY_COMPLETE', payToken: 't', orderNo: 'o', amount: 100, cardNumber: 'x' });
    expect(v2.amount).toBe(100);
    expect(callbackBodySchema.parse({ status: 'PAY_COMPLETE', payToken: 't', orderNo: 'o', amount: '100' }).amount).toBe(100);
  });
  it('refuses missing or malformed fields', () => {
    expect(callbackBodySchema.safeParse({ status: 'PAY_COMPLETE', payToken: 't', orderNo: 'o' }).success).toBe(false);
    expect(callbackBodySchema.safeParse({ status: 'PAY_COMPLETE', payToken: 't', orderNo: 'o', amount: '1e3' }).success).toBe(false);
    expect(callbackBodySchema.safeParse({ status: '', payToken: 't', orderNo: 'o', amount: 1 }).success).toBe(false);
  });
});

describe('request bodies', () => {
  it('decodes base64 and enforces the size limit', () => {
    expect(bodyBytes({ body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true }, 100).toString()).toBe('{"a":1}');
    expect(() => bodyBytes({ body: 'x'.repeat(101) }, 100)).toThrow(BodyTooLargeError);
    expect(() => bodyBytes({ body: Buffer.alloc(101).toString('base64'), isBase64Encoded: true }, 100)).toThrow(BodyTooLargeError);
  });
  it('parses JSON and form bodies by content type, or by shape when it is missing', () => {
    expect(parseObjectBody(Buffer.from('{"a":1}'), { 'content-type': 'application/json;charset=UTF-8' })).toEqual({ a: 1 });
    expect(parseObjectBody(Buffer.from('a=1&b=%ED%86%A0'), { 'Content-Type': 'application/x-www-form-urlencoded' })).toEqual({
      a: '1',
      b: '토',
    });
    expect(parseObjectBody(Buffer.from('{"a":1}'), {})).toEqual({ a: 1 });
    expect(parseObjectBody(Buffer.from('a=1'), undefined)).toEqual({ a: '1' });
    for (const bad of ['', '{', '[1]', 'null'])
      expect(() => parseObjectBody(Buffer.from(bad), { 'content-type': 'application/json' })).toThrow(MalformedBodyError);
  });
});

describe('callback IP allowlist', () => {
  it('understands single addresses, CIDRs and ranges (Toss`s shorthand too)', () => {
    const allow = ipAllowList(['117.52.3.4', '117.52.3.80-87', '10.0.0.0/8', '192.168.1.10-192.168.1.20']);
    expect(allow('117.52.3.4')).toBe(true);
    expect(allow('::ffff:117.52.3.4')).toBe(true);
    expect(allow('117.52.3.5')).toBe(false);
    expect(allow('117.52.3.80')).toBe(true);
    expect(allow('117.52.3.87')).toBe(true);
    expect(allow('117.52.3.88')).toBe(false);
    expect(allow('10.255.1.2')).toBe(true);
    expect(allow('11.0.0.1')).toBe(false);
    expect(allow('192.168.1.15')).toBe(true);
    expect(allow('192.168.1.21')).toBe(false);
    expect(allow(undefined)).toBe(false);
    expect(allow('2001:db8::1')).toBe(false);
    expect(allow('127.0.0.1')).toBe(false);
  });
  it('rejects invalid entries at start', () => {
    for (const bad of ['300.1.1.1', '1.2.3.4/33', '1.2.3.9-1.2.3.1', 'example.com', '1.2.3'])
      expect(() => ipAllowList([bad])).toThrow(/CALLBACK_ALLOWED_IPS/);
  });
});

describe('pages and error replies', () => {
  it('escapes everything it shows and never caches', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const p = resultPage('failed', { orderNo: 'o<1>', message: '<script>alert(1)</script>' });
    expect(String(p.body)).toContain('결제 실패');
    expect(String(p.body)).not.toContain('<script>');
    expect(p.headers?.['Cache-Control']).toBe('no-store');
    const pending = resultPage('pending', { orderNo: 'o1', refreshUrl: 'https://pay.example.com/payments/return?orderNo=o1' });
    expect(String(pending.body)).toContain('http-equiv="refresh"');
    expect(String(resultPage('paid', {}).body)).toContain('결제 완료');
    expect(String(resultPage('cancelled', {}).body)).toContain('결제 취소');
  });

  it('a paid page is a receipt: product, amount, method, time (Korea), order number, and the way back to the shop', () => {
    const p = String(
      resultPage('paid', {
        orderNo: 'o-1',
        productDesc: '토스 티셔츠',
        amount: 35_000,
        payMethod: 'CARD',
        paidAt: '2026-11-30T10:05:00.000Z',
        shopUrl: 'https://shop.example.com/',
      }).body,
    );
    for (const s of ['토스 티셔츠', '35,000원', '카드', '2026년 11월 30일 19:05', 'o-1', 'href="https://shop.example.com/"', 'role="status"', 'word-break:keep-all'])
      expect(p).toContain(s);
  });

  it('says why an order was cancelled, never calls an unknown order a failed payment, and shows no code', () => {
    const cancelled = (cancelReason: 'BUYER' | 'EXPIRED' | 'MERCHANT') => String(resultPage('cancelled', { cancelReason }).body);
    expect(new Set([cancelled('BUYER'), cancelled('EXPIRED'), cancelled('MERCHANT')]).size).toBe(3);
    expect(cancelled('EXPIRED')).toContain('시간이 지나');
    const unknown = String(resultPage('not_found', {}).body);
    expect(unknown).toContain('주문을 찾을 수 없습니다');
    expect(unknown).not.toContain('결제 실패');
    for (const kind of ['paid', 'refunded', 'failed', 'cancelled', 'pending', 'not_found', 'unconfirmed'] as const)
      expect(String(resultPage(kind, { orderNo: 'o-1' }).body)).not.toMatch(/[A-Z]{2,}_[A-Z_]{2,}/);
  });
  it('redirects only to the configured URL, appending orderNo and result', () => {
    const r = merchantRedirect('https://shop.example.com/done?x=1', 'o-1', 'paid');
    expect(r.statusCode).toBe(303);
    expect(r.headers?.Location).toBe('https://shop.example.com/done?x=1&orderNo=o-1&result=paid');
  });
  it('maps every failure to a stable code and status', () => {
    const code = (e: unknown) => {
      const r = replyFor(e);
      return r === undefined ? 'unexpected' : [r.status, r.code];
    };
    const requestError = (() => {
      try {
        parseRequest(z.object({ a: z.string() }), {});
      } catch (e) {
        return e;
      }
    })();
    expect(code(requestError)).toEqual([400, 'VALIDATION_FAILED']);
    // A ZodError that is not the request's (e.g. from a reply) is not the client's fault: a bug.
    expect(code(z.object({ a: z.string() }).safeParse({}).error)).toBe('unexpected');
    expect(code(new Error('bug'))).toBe('unexpected');
    expect(code(new MalformedBodyError('x'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(new BodyTooLargeError())).toEqual([413, 'BODY_TOO_LARGE']);
    expect(code(new OrderNotFoundError('o'))).toEqual([404, 'ORDER_NOT_FOUND']);
    expect(code(new OrderNoConflictError('o'))).toEqual([409, 'ORDER_NO_CONFLICT']);
    expect(code(new TossRefusedError('E', 'm', 400))).toEqual([422, 'TOSS_REFUSED']);
    expect(code(new TossServerError('x', 500))).toEqual([502, 'TOSS_FAILED']);
    expect(code(new TossUnknownOutcomeError('timeout', 'x'))).toEqual([504, 'TOSS_TIMEOUT']);
    expect(code(new StoreUnavailableError('x'))).toEqual([503, 'TEMPORARILY_UNAVAILABLE']);
  });
});

describe('Korea time', () => {
  it('formats and parses Toss time strings', () => {
    expect(toKst(Date.parse('2024-01-01T15:30:05Z'))).toBe('2024-01-02 00:30:05');
    expect(fromKst('2024-01-02 00:30:05')).toBe(Date.parse('2024-01-01T15:30:05Z'));
    expect(fromKst('2024-01-02T00:30:05')).toBeUndefined();
  });

  it('replies carry Toss times in one format, ISO 8601 UTC; a time that cannot be read is left out', () => {
    expect(iso('2024-01-02 00:30:05')).toBe('2024-01-01T15:30:05.000Z');
    expect(iso('2024-01-02T00:30:05+09:00')).toBe('2024-01-01T15:30:05.000Z');
    expect(iso('2024-01-01T15:30:05Z')).toBe('2024-01-01T15:30:05.000Z');
    for (const unreadable of ['2024-01-02T00:30:05', '20240102003005', 'yesterday', '']) expect(iso(unreadable)).toBeUndefined();
    expect(iso(undefined)).toBeUndefined();
  });
});
