/**
 * The pure parts of events: what a committed change means (types, ids, data), the Standard
 * Webhooks signature (checked against the independent `standardwebhooks` package), the signing
 * secret's formats, and the retry schedule.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../shared/domain/order.ts';
import type { Refund } from '../../shared/domain/refunds.ts';
import { eventId, orderEvents } from '../../shared/events/order-events.ts';
import { parseSigningSecrets, webhookHeaders, WebhookSecretError } from '../../shared/events/webhook-signing.ts';
import { afterFailure, DEFAULT_RETRY_SCHEDULE } from '../../shared/events/webhooks.ts';
import { merchantRedirect } from '../../shared/http/merchant-redirect.ts';

const order = (over: Partial<Order> = {}): Order => ({
  orderNo: 'o-1',
  status: 'PAY_STANDBY',
  amount: 10_000,
  amountTaxFree: 0,
  productDesc: 'T',
  autoExecute: true,
  expiresAt: '2026-11-30T10:15:00.000Z',
  mode: 'TEST',
  history: [],
  createdAt: '2026-11-30T10:00:00.000Z',
  updatedAt: '2026-11-30T10:01:00.000Z',
  checks: 0,
  version: 2,
  refunds: {},
  ...over,
});
const refund = (over: Partial<Refund>): Refund => ({
  refundNo: 'rf_1',
  amount: 3_000,
  amountTaxFree: 0,
  status: 'PENDING',
  source: 'api',
  requestedAt: '2026-11-30T11:00:00.000Z',
  ...over,
});
const types = (before: Order | undefined, after: Order) => orderEvents(before, after).map((e) => e.type);

describe('order events', () => {
  it('one event per change a merchant acts on', () => {
    expect(types(order(), order({ status: 'PAY_COMPLETE', version: 3 }))).toEqual(['payment.completed']);
    expect(types(order(), order({ status: 'PAY_CANCEL', cancelReason: 'BUYER' }))).toEqual(['payment.cancelled']);
    expect(types(order({ status: 'EXECUTING' }), order({ status: 'EXECUTE_FAILED' }))).toEqual(['payment.failed']);
    expect(types(order({ status: 'CREATING' }), order({ status: 'CREATE_FAILED' }))).toEqual(['payment.failed']);
    expect(types(order(), order({ attention: { reason: 'UNRESOLVED:PAY_STANDBY', at: 'x' } }))).toEqual(['order.flagged']);
    const paid = order({ status: 'PAY_COMPLETE' });
    expect(types(order({ ...paid, refunds: { rf_1: refund({}) } }), order({ ...paid, status: 'REFUND_SUCCESS', refunds: { rf_1: refund({ status: 'SUCCEEDED' }) } }))).toEqual([
      'payment.refunded',
    ]);
    expect(types(order({ ...paid, refunds: { rf_1: refund({}) } }), order({ ...paid, refunds: { rf_1: refund({ status: 'FAILED' }) } }))).toEqual(['refund.failed']);
  });

  it('nothing for changes a merchant does not act on, and nothing twice', () => {
    expect(types(order(), order({ checks: 3, version: 3 }))).toEqual([]);
    expect(types(order({ status: 'PAY_COMPLETE' }), order({ status: 'REFUND_SUCCESS' }))).toEqual([]);
    const flagged = { reason: 'X', at: 'y' };
    expect(types(order({ attention: flagged }), order({ attention: flagged, status: 'PAY_CANCEL' }))).toEqual(['payment.cancelled']);
    // A recovered order is recorded paid at once: that is its completion.
    expect(types(undefined, order({ status: 'PAY_COMPLETE', attention: { reason: 'RECOVERED', at: 'x' } }))).toEqual(['payment.completed', 'order.flagged']);
  });

  it('the same change gives the same ids; another version, type or refund another id', () => {
    const a = orderEvents(order(), order({ status: 'PAY_COMPLETE', version: 3 }));
    const b = orderEvents(order(), order({ status: 'PAY_COMPLETE', version: 3 }));
    expect(a.map((e) => e.id)).toEqual(b.map((e) => e.id));
    expect(a[0]?.id).toMatch(/^evt_[A-Za-z0-9_-]{26}$/);
    const ids = new Set([
      eventId('o-1', 3, 'payment.completed'),
      eventId('o-1', 4, 'payment.completed'),
      eventId('o-2', 3, 'payment.completed'),
      eventId('o-1', 3, 'payment.refunded', 'rf_1'),
      eventId('o-1', 3, 'payment.refunded', 'rf_2'),
    ]);
    expect(ids.size).toBe(5);
  });

  it('data is the order as GET shows it, with its version; a refund event names its refund; the timestamp is the commit', () => {
    const paid = order({ status: 'PAY_COMPLETE', version: 7 });
    const [e] = orderEvents(order({ ...paid, refunds: { rf_1: refund({}) } }), order({ ...paid, version: 8, refunds: { rf_1: refund({ status: 'SUCCEEDED' }) } }));
    expect(e?.timestamp).toBe(paid.updatedAt);
    expect(e?.data).toMatchObject({ orderNo: 'o-1', version: 8, refundedAmount: 3_000, paymentState: 'partially_refunded', refund: { refundNo: 'rf_1', status: 'SUCCEEDED' } });
  });
});

describe('webhook signatures (Standard Webhooks)', () => {
  const secret = `whsec_${Buffer.from('a test secret of 24 bytes').toString('base64')}`;
  const body = JSON.stringify({ id: 'evt_1', type: 'payment.completed', timestamp: '2026-11-30T10:00:00.000Z', data: { orderNo: 'o-1' } });

  it('verify with the independent implementation; a tampered body or an old timestamp does not', () => {
    const now = Date.now();
    const headers = webhookHeaders({ current: secret }, 'evt_1', body, now);
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ id: 'evt_1' });
    expect(() => new Webhook(secret).verify(body.replace('o-1', 'o-2'), headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, webhookHeaders({ current: secret }, 'evt_1', body, now - 10 * 60_000))).toThrow();
  });

  it('during a rotation both secrets sign, until the previous one`s time is up', () => {
    const next = `whsec_${Buffer.from('the next secret, 24 bytes').toString('base64')}`;
    const now = Date.now();
    const rotating = { current: next, previous: secret, previousUntil: now + 60_000 };
    const headers = webhookHeaders(rotating, 'evt_1', body, now);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(new Webhook(secret).verify(body, headers)).toBeTruthy();
    expect(new Webhook(next).verify(body, headers)).toBeTruthy();
    const later = webhookHeaders({ ...rotating, previousUntil: now - 1 }, 'evt_1', body, now);
    expect(later['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(() => new Webhook(secret).verify(body, later)).toThrow();
  });

  it('reads the secret as whsec_… or the rotation JSON, and names what is wrong without quoting it', () => {
    expect(parseSigningSecrets(secret)).toEqual({ current: secret });
    const json = JSON.stringify({ current: secret, previous: secret, previousUntil: '2026-12-01T00:00:00Z' });
    expect(parseSigningSecrets(json)).toEqual({ current: secret, previous: secret, previousUntil: Date.parse('2026-12-01T00:00:00Z') });
    const messageOf = (raw: string): string => {
      try {
        parseSigningSecrets(raw);
        return 'accepted';
      } catch (e) {
        return e instanceof WebhookSecretError ? e.message : `not a WebhookSecretError: ${String(e)}`;
      }
    };
    for (const bad of ['plainpassword', 'whsec_not base64!', '{"current":"nope"}', '{not json', JSON.stringify({ current: secret, previous: secret })]) {
      const message = messageOf(bad);
      expect(message).toMatch(/webhook secret|previous/);
      expect(message).not.toContain(bad);
    }
  });
});

describe('the signed merchant redirect', () => {
  const secret = `whsec_${Buffer.from('the redirect secret bytes').toString('base64')}`;
  it('never verifies as a webhook (its key is derived for redirects alone), whatever id, timestamp and body are tried', () => {
    const now = Date.now();
    const r = merchantRedirect('https://shop.example.com/pay/result?x=1', 'o-1', 'paid', { secrets: { current: secret }, now });
    const q = Object.fromEntries(new URL(String(r.headers?.Location)).searchParams);
    expect(q).toMatchObject({ x: '1', orderNo: 'o-1', result: 'paid' });
    // standardwebhooks' verify() finds no matching signature (with one, it would go on to parse the body as JSON).
    const verify = (id: string, body: string) => () =>
      new Webhook(secret).verify(body, { 'webhook-id': id, 'webhook-timestamp': q.timestamp ?? '', 'webhook-signature': q.signature ?? '' });
    for (const [id, body] of [['o-1', 'paid'], ['o-1', '"paid"'], ['o-1.paid', '']] as const) expect(verify(id, body)).toThrow(new WebhookVerificationError('No matching signature found'));
    expect(q.signature).not.toBe(new Webhook(secret).sign('o-1', new Date(Number(q.timestamp) * 1000), 'paid'));
    // While the same secret's webhooks do verify.
    const headers = webhookHeaders({ current: secret }, 'evt_1', '{"a":1}', now);
    expect(new Webhook(secret).verify('{"a":1}', headers)).toEqual({ a: 1 });
  });
  it('without a secret it carries no signature (and proves nothing)', () => {
    const u = new URL(String(merchantRedirect('https://shop.example.com/r', 'o-1', 'paid').headers?.Location));
    expect(u.searchParams.has('signature')).toBe(false);
  });
});

describe('the retry schedule', () => {
  it('by default ten attempts over about three days', () => {
    const total = DEFAULT_RETRY_SCHEDULE.reduce((a, s) => a + s, 0);
    expect(DEFAULT_RETRY_SCHEDULE.length + 1).toBe(10);
    expect(total / 86_400).toBeGreaterThan(2.9);
    expect(total / 86_400).toBeLessThan(3.5);
  });

  it('waits each delay in turn after a failure, then gives up', () => {
    const now = 1_000_000;
    expect(afterFailure(1, [5, 60], now)).toEqual({ status: 'pending', at: now + 5_000 });
    expect(afterFailure(2, [5, 60], now)).toEqual({ status: 'pending', at: now + 60_000 });
    expect(afterFailure(3, [5, 60], now)).toEqual({ status: 'failed', at: now });
  });
});
