/**
 * Helpers for the events tests: paying through the sandbox, and reading one order's events from
 * the three places they appear (the event log API, the EventBridge stand-in, the webhook receiver).
 */
import { expect } from 'vitest';
import { approve, quit, type PayMethod } from '../../../local/toss-sandbox/control-client.ts';
import type { PutEntry } from '../../../local/eventbridge.ts';
import type { Order } from '../../../shared/domain/order.ts';
import { eventually, newOrderNo, type Stack } from '../../support/stack.ts';

/** A redelivery asked for through the API: where its round begins in `attempts`, when, who asked. */
type Round = { from: number; at: string; actor?: { id: string; email?: string } };

/** An event as GET /events and GET /events/{id} show it. */
export interface LoggedEvent {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
  cursor: string;
  loggedAt: string;
  delivery: { status: string; attempts: { at: string; status?: number; latencyMs: number; error?: string; endpointId?: string }[]; nextAt?: string; roundFrom?: number; rounds?: Round[] };
  /** Each endpoint's delivery. */
  deliveries: { endpointId: string; status: string; attempts: { at: string; status?: number; latencyMs: number; error?: string }[]; attemptCount: number; nextAt?: string; roundFrom: number; rounds?: Round[] }[];
}

/** The envelope every delivery sends (the log's view without its log fields). */
export const envelopeOf = (e: LoggedEvent): { id: string; type: string; timestamp: string; data: Record<string, unknown> } => ({
  id: e.id,
  type: e.type,
  timestamp: e.timestamp,
  data: e.data,
});

export const statusOf = (s: Stack, orderNo: string, want: string, ms = 5_000): Promise<Order> =>
  eventually(async () => {
    const o = await s.readOrder(orderNo);
    return o?.status === want ? o : undefined;
  }, ms);

/** A created order the buyer pays (the sandbox's callback settles it); the order once paid. */
export async function payOrder(s: Stack, o: { prefix?: string; amount?: number; payMethod?: PayMethod; orderNo?: string } = {}): Promise<{ orderNo: string; payToken: string; order: Order }> {
  const orderNo = o.orderNo ?? newOrderNo(o.prefix ?? 'ev');
  const c = await s.createPayment({ orderNo, amount: o.amount ?? 35_000, amountTaxFree: 0, productDesc: '토스 티셔츠' });
  expect(c.status).toBe(201);
  const payToken = String(c.json.payToken);
  const { redirect } = await approve(s.sandbox.url, payToken, o.payMethod ?? 'CARD');
  const order = await statusOf(s, orderNo, 'PAY_COMPLETE');
  // The buyer's browser comes back too: no second event.
  expect((await s.visit(redirect)).status).toBe(200);
  return { orderNo, payToken, order };
}

/** A created order the buyer quits on the checkout page (the cancel landing settles it). */
export async function quitOrder(s: Stack, prefix = 'evq'): Promise<{ orderNo: string; order: Order }> {
  const orderNo = newOrderNo(prefix);
  const c = await s.createPayment({ orderNo, amount: 12_000, amountTaxFree: 0, productDesc: '토스 양말' });
  expect(c.status).toBe(201);
  const { redirect } = await quit(s.sandbox.url, String(c.json.payToken));
  expect((await s.visit(redirect)).status).toBe(200);
  return { orderNo, order: await statusOf(s, orderNo, 'PAY_CANCEL') };
}

/** Every event in the log, oldest first (all pages). */
export async function allLogged(s: Stack, query = ''): Promise<LoggedEvent[]> {
  const out: LoggedEvent[] = [];
  let after: string | undefined;
  for (let page = 0; page < 100; page++) {
    const q = new URLSearchParams(query);
    q.set('limit', '100');
    if (after !== undefined) q.set('after', after);
    const r = await s.merchantRequest(`/events?${q.toString()}`);
    expect(r.status).toBe(200);
    const body = r.json as { events: LoggedEvent[]; next?: string };
    out.push(...body.events);
    if (body.next === undefined) return out;
    after = body.next;
  }
  throw new Error('more than 100 pages of events');
}

/** The order's events in the log, once the log lists them (it lists events about 2 s after they are logged). */
export async function loggedFor(s: Stack, orderNo: string, count: number, ms = 8_000): Promise<LoggedEvent[]> {
  return eventually(async () => {
    const events = (await allLogged(s)).filter((e) => e.data.orderNo === orderNo);
    return events.length >= count ? events : undefined;
  }, ms);
}

/** The order's entries on the bus (the EventBridge stand-in). */
export const busFor = (s: Stack, orderNo: string): PutEntry[] => s.eventBridge.entries().filter((e) => (e.Detail.data as { orderNo?: string } | undefined)?.orderNo === orderNo);

/** The order's deliveries at the test receiver. */
export const deliveriesFor = (s: Stack, orderNo: string) =>
  (s.webhooks?.deliveries() ?? []).filter((d) => (JSON.parse(d.body) as { data?: { orderNo?: string } }).data?.orderNo === orderNo);

export const typesOf = (events: readonly { type: string }[]): string[] => events.map((e) => e.type);
