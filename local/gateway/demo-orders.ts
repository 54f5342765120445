/**
 * The demo shop's side of the events: its webhook receiver and what it knows of its orders.
 *
 * The receiver does what docs/guides/receive-webhooks.md asks of a merchant's: it verifies the Standard Webhooks
 * signature (`webhook-id`, `webhook-timestamp` within 5 minutes of now, `webhook-signature`: any of
 * its space-separated `v1,<base64>` HMAC-SHA256 of `{id}.{timestamp}.{body}` under the secret,
 * compared in constant time), ignores an event id it has seen (deliveries repeat), and never lets
 * an older event undo a newer one (`data.version`). An order becomes 배송 준비 중 once its
 * payment.completed (or anything later that says it is paid) has arrived.
 */
import { timingSafeEqual } from 'node:crypto';
import { parseSigningSecrets, sign, type SigningSecrets } from '../../shared/events/webhook-signing.ts';

/** How far a webhook-timestamp may be from now (Standard Webhooks' default tolerance). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;
/** Event ids remembered for deduplication. */
const SEEN_LIMIT = 10_000;

export type Verification = { ok: true; id: string } | { ok: false; status: 400 | 401; reason: string };

/** Verifies one delivery's headers (lower-cased names) against `secrets` at `nowMs`. */
export function verifyWebhook(secrets: SigningSecrets, headers: Record<string, string | undefined>, body: string, nowMs: number): Verification {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sigs = headers['webhook-signature'];
  if (id === undefined || id === '' || ts === undefined || sigs === undefined || sigs === '') {
    return { ok: false, status: 400, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  }
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, status: 400, reason: 'webhook-timestamp is not whole seconds' };
  const timestamp = Number(ts);
  if (Math.abs(nowMs / 1000 - timestamp) > WEBHOOK_TOLERANCE_SECONDS) return { ok: false, status: 401, reason: 'webhook-timestamp is more than 5 minutes from now' };
  const keys = [secrets.current, ...(secrets.previous !== undefined ? [secrets.previous] : [])];
  const given = sigs.split(' ').filter((s) => s.startsWith('v1,'));
  for (const key of keys) {
    const expected = Buffer.from(sign(key, id, timestamp, body));
    if (given.some((g) => g.length === expected.length && timingSafeEqual(Buffer.from(g), expected))) return { ok: true, id };
  }
  return { ok: false, status: 401, reason: 'no valid signature' };
}

/** What the shop shows for an order. */
export type ShopOrderState = 'waiting' | 'paid' | 'partially_refunded' | 'refunded' | 'cancelled' | 'failed';

export interface ShopOrder {
  orderNo: string;
  productDesc: string;
  amount: number;
  state: ShopOrderState;
  /** The order's version in the last event applied (0: none yet). */
  version: number;
  /** The payment.completed event's id, once it has arrived. */
  paidEventId?: string;
  /** order.flagged arrived: a person must look at it. */
  flagged: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The shop's words for each state. */
export const STATE_LABEL: Record<ShopOrderState, string> = {
  waiting: '결제 확인 중',
  paid: '배송 준비 중',
  partially_refunded: '부분 환불 · 배송 준비 중',
  refunded: '환불 완료',
  cancelled: '주문 취소',
  failed: '결제되지 않음',
};

const STATES: Record<string, ShopOrderState> = {
  unpaid: 'waiting',
  paid: 'paid',
  partially_refunded: 'partially_refunded',
  refunded: 'refunded',
  cancelled: 'cancelled',
  failed: 'failed',
};

export interface OrderBook {
  /** An order the shop just sent to checkout. */
  placed(o: { orderNo: string; productDesc: string; amount: number }): void;
  get(orderNo: string): ShopOrder | undefined;
  /** Newest first. */
  list(limit?: number): ShopOrder[];
  /** A verified event: applied unless seen before. `applied: false` for a duplicate or an older version. */
  receive(envelope: unknown): { duplicate: boolean; applied: boolean };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function createOrderBook(clock: () => number = Date.now): OrderBook {
  const orders = new Map<string, ShopOrder>();
  const seen = new Set<string>();
  const now = (): string => new Date(clock()).toISOString();
  return {
    placed(o) {
      if (orders.has(o.orderNo)) return;
      const t = now();
      orders.set(o.orderNo, { ...o, state: 'waiting', version: 0, flagged: false, createdAt: t, updatedAt: t });
    },
    get: (orderNo) => {
      const o = orders.get(orderNo);
      return o === undefined ? undefined : { ...o };
    },
    list: (limit = 10) => [...orders.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit).map((o) => ({ ...o })),
    receive(envelope) {
      if (!isObject(envelope) || typeof envelope.id !== 'string' || !isObject(envelope.data)) return { duplicate: false, applied: false };
      if (seen.has(envelope.id)) return { duplicate: true, applied: false };
      seen.add(envelope.id);
      if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
      const d = envelope.data;
      const orderNo = typeof d.orderNo === 'string' ? d.orderNo : undefined;
      if (orderNo === undefined) return { duplicate: false, applied: false };
      const t = now();
      const o: ShopOrder = orders.get(orderNo) ?? {
        orderNo,
        productDesc: typeof d.productDesc === 'string' ? d.productDesc : '',
        amount: typeof d.amount === 'number' ? d.amount : 0,
        state: 'waiting',
        version: 0,
        flagged: false,
        createdAt: t,
        updatedAt: t,
      };
      orders.set(orderNo, o);
      if (envelope.type === 'payment.completed') o.paidEventId = envelope.id;
      if (envelope.type === 'order.flagged') o.flagged = true;
      const version = typeof d.version === 'number' ? d.version : 0;
      // Deliveries come in any order: an older version never undoes a newer one.
      if (version <= o.version) return { duplicate: false, applied: false };
      const state = typeof d.paymentState === 'string' ? STATES[d.paymentState] : undefined;
      o.version = version;
      if (state !== undefined) o.state = state;
      o.updatedAt = t;
      return { duplicate: false, applied: true };
    },
  };
}

/** The demo shop's receiver: verify, dedupe, apply. The HTTP status and a short reason. */
export function receiveWebhook(
  book: OrderBook,
  secret: string,
  headers: Record<string, string | undefined>,
  body: string,
  nowMs: number = Date.now(),
): { status: number; message: string } {
  const v = verifyWebhook(parseSigningSecrets(secret), headers, body, nowMs);
  if (!v.ok) return { status: v.status, message: v.reason };
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    return { status: 400, message: 'the body is not JSON' };
  }
  if (!isObject(envelope) || envelope.id !== v.id) return { status: 400, message: 'the body is not the signed event' };
  const r = book.receive(envelope);
  return { status: 200, message: r.duplicate ? 'duplicate' : r.applied ? 'applied' : 'ignored (older than what the shop has)' };
}
