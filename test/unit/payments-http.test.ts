import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bodyBytes, parseObjectBody } from '../../shared/http/body.ts';
import { BodyTooLargeError, MalformedBodyError } from '../../shared/http/request-errors.ts';
import { replyFor } from '../../shared/http/error-replies.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';
import { escapeHtml, orderNoHtml, resultPage } from '../../shared/http/html.ts';
import { merchantRedirect } from '../../shared/http/merchant-redirect.ts';
import type { CancelReason } from '../../shared/domain/order.ts';
import type { Merchant } from '../../shared/merchant.ts';
import { ipAllowList } from '../../shared/http/ip.ts';
import { generateOrderNo, ORDER_NO_ALPHABET, ORDER_NO_RE } from '../../shared/domain/order-no.ts';
import { callbackBodySchema, createPaymentSchema, requestHash } from '../../shared/payments/request-schemas.ts';
import { OrderNoConflictError, OrderNotFoundError } from '../../shared/payments/errors.ts';
import { StoreUnavailableError } from '../../shared/store/errors.ts';
import { TossRefusedError, TossServerError, TossUnknownOutcomeError } from '../../shared/toss/errors.ts';
import { fromKst, toKst, tossTimeIso as iso } from '../../shared/domain/toss-time.ts';

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

  it('generates orderNos within Toss`s rules, short, grouped, of the Korea-time day, without look-alike characters', () => {
    const seen = new Set<string>();
    const now = Date.parse('2026-12-06T15:30:00Z');
    for (let i = 0; i < 200; i++) {
      const o = generateOrderNo(now);
      expect(o).toMatch(ORDER_NO_RE);
      // 2026-12-07 in Korea.
      expect(o).toMatch(/^261207-[3-9A-Z]{4}-[3-9A-Z]{4}$/);
      expect(o.slice(7)).not.toMatch(/[0OIL1Z2S5B8]/);
      seen.add(o);
    }
    expect(seen.size).toBe(200);
    expect(ORDER_NO_ALPHABET).toHaveLength(25);
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

const MERCHANT: Merchant = {
  name: '토스 데모 상점',
  support: { kind: 'phone', value: '1588-0000' },
  business: { company: '(주)토스데모', representative: '홍길동', registrationNumber: '123-45-67890', mailOrderNumber: '제2026-서울강남-01234호', address: '서울특별시 강남구 테헤란로 1' },
  shopUrl: 'https://shop.example.com/',
};
const page = (kind: Parameters<typeof resultPage>[0], r: Parameters<typeof resultPage>[1] = {}, m: Merchant = MERCHANT) => String(resultPage(kind, r, m).body);
const KINDS = ['paid', 'refunded', 'failed', 'cancelled', 'pending', 'not_found', 'unconfirmed'] as const;

describe('pages and error replies', () => {
  it('escapes everything it shows, is never cached, and refuses to be framed', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const p = resultPage('failed', { buyer: true, orderNo: 'o<1>', message: '<script>alert(1)</script>' }, { ...MERCHANT, name: '<b>샵</b>' });
    expect(String(p.body)).toContain('결제 실패');
    expect(String(p.body)).not.toContain('<script>');
    expect(String(p.body)).not.toContain('<b>샵</b>');
    for (const kind of KINDS) {
      const h = resultPage(kind, {}, MERCHANT).headers ?? {};
      expect([kind, h['Cache-Control'], h['X-Frame-Options'], h['Referrer-Policy']]).toEqual([kind, 'no-store', 'DENY', 'no-referrer']);
      expect(String(h['Content-Security-Policy'])).toContain("frame-ancestors 'none'");
    }
    const pending = page('pending', { orderNo: 'o1', refreshUrl: 'https://pay.example.com/payments/return?t=abc.def' });
    expect(pending).toContain('http-equiv="refresh"');
    expect(page('paid')).toContain('결제 완료');
    expect(page('cancelled')).toContain('결제 취소');
  });

  it('every page names the shop, how to reach it, and its business details (those configured)', () => {
    for (const kind of KINDS) {
      const p = page(kind);
      for (const s of ['토스 데모 상점', 'href="tel:15880000"', '1588-0000', '상호 (주)토스데모', '대표자 홍길동', '사업자등록번호 123-45-67890', '통신판매업 신고번호 제2026-서울강남-01234호', '주소 서울특별시 강남구 테헤란로 1'])
        expect([kind, p.includes(s)]).toEqual([kind, true]);
    }
    const bare = page('paid', {}, { name: '작은 상점', business: {} });
    expect(bare).toContain('작은 상점');
    expect(bare).not.toContain('사업자등록번호');
    expect(page('paid', {}, { ...MERCHANT, support: { kind: 'url', value: 'https://help.example.com/' } })).toContain('href="https://help.example.com/"');
  });

  it("a paid page is the buyer's receipt: product, amount, method, time (Korea), order number, and the way back to the shop", () => {
    const p = page('paid', { buyer: true, orderNo: 'o-1', productDesc: '토스 티셔츠', amount: 35_000, payMethod: 'CARD', paidAt: '2026-11-30T10:05:00.000Z' });
    for (const s of ['토스 티셔츠', '35,000원', '카드', '2026년 11월 30일 19:05', 'o-', 'href="https://shop.example.com/"', '쇼핑 계속하기', 'role="status"', 'word-break:keep-all'])
      expect(p).toContain(s);
  });

  it('without the buyer\'s landing token a page says whether the order is done, nothing about it', () => {
    const receipt = { orderNo: 'A-17', productDesc: '토스 티셔츠', amount: 35_000, payMethod: 'CARD', paidAt: '2026-11-30T10:05:00.000Z', cancelReason: 'BUYER' as const, message: '잔액이 부족합니다' };
    for (const kind of ['paid', 'refunded', 'failed', 'cancelled', 'pending'] as const) {
      const p = page(kind, receipt);
      for (const s of ['토스 티셔츠', '35,000', '카드', '19:05', 'A-17', '주문번호', '중단', '잔액']) expect([kind, s, p.includes(s)]).toEqual([kind, s, false]);
      expect(p).toContain(`<h1>${{ paid: '결제 완료', refunded: '환불 완료', failed: '결제 실패', cancelled: '결제 취소', pending: '결제 확인 중' }[kind]}</h1>`);
      // The shop is still named, with its way back.
      expect(p).toContain('토스 데모 상점');
    }
  });

  it('a quit, expired, cancelled or failed page shows the product and the amount, and 다시 결제하기 back to the shop', () => {
    for (const [kind, cancelReason] of [['cancelled', 'BUYER'], ['cancelled', 'EXPIRED'], ['cancelled', 'MERCHANT'], ['cancelled', 'UNKNOWN'], ['failed', undefined]] as const) {
      const p = page(kind, { buyer: true, orderNo: 'o-1', productDesc: '토스 티셔츠', amount: 35_000, cancelReason });
      for (const s of ['토스 티셔츠', '주문 금액', '35,000원', '다시 결제하기', 'href="https://shop.example.com/"']) expect([kind, cancelReason, s, p.includes(s)]).toEqual([kind, cancelReason, s, true]);
    }
  });

  it('says why an order was cancelled only when Toss told us (never a guess), never calls an unknown order a failed payment, and shows no code', () => {
    const cancelled = (cancelReason: CancelReason) => page('cancelled', { buyer: true, cancelReason });
    expect(new Set((['BUYER', 'EXPIRED', 'MERCHANT', 'UNKNOWN'] as const).map(cancelled)).size).toBe(4);
    expect(cancelled('UNKNOWN')).toContain('결제가 취소되었습니다');
    for (const guess of ['중단', '시간이 지나', '상점에서']) expect(cancelled('UNKNOWN')).not.toContain(guess);
    expect(cancelled('BUYER')).toContain('결제를 중단하셨습니다');
    expect(cancelled('EXPIRED')).toContain('시간이 지나');
    const unknown = page('not_found');
    expect(unknown).toContain('주문을 찾을 수 없습니다');
    expect(unknown).not.toContain('결제 실패');
    for (const kind of KINDS) expect(page(kind, { buyer: true, orderNo: 'o-1' })).not.toMatch(/[A-Z]{2,}_[A-Z_]{2,}/);
  });

  it('an order number breaks only between its groups', () => {
    expect(orderNoHtml('261207-K7QM-3XRA')).toBe('<span class="g">261207-</span><wbr><span class="g">K7QM-</span><wbr><span class="g">3XRA</span>');
    expect(orderNoHtml('A<1>')).toBe('<span class="g">A&lt;1&gt;</span>');
    expect(orderNoHtml('a.b:c_d')).toBe('<span class="g">a.</span><wbr><span class="g">b:</span><wbr><span class="g">c_</span><wbr><span class="g">d</span>');
    // A group too long for any line may break inside.
    expect(orderNoHtml('x'.repeat(30))).toBe(`<span class="g long">${'x'.repeat(30)}</span>`);
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
