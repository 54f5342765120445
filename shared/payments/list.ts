/**
 * GET /payments: orders newest first, from the indexes that list them (./ports.ts OrderList,
 * shared/store/order-list.ts), each as its summary (./order-view.ts). A listing covers a time
 * range, fixed by its first page: its cursors carry it (shared/paging.ts).
 */
import type { PaymentState } from '../domain/refunds.ts';
import type { OrderStatus } from '../domain/states.ts';
import { DAY_MS } from '../domain/toss-time.ts';
import { makeCursor, readCursor } from '../paging.ts';
import * as z from '../zod.ts';
import type { OrderList, PaymentDeps } from './ports.ts';
import { orderSummary } from './order-view.ts';
import type { ListPaymentsReply } from './reply-schemas.ts';
import { DEFAULT_LIST_DAYS, MAX_LIST_DAYS } from './request-schemas.ts';

/** The listing whose cursors GET /payments hands out (shared/paging.ts). */
const LIST_SCOPE = 'payments';

/** What a GET /payments cursor holds: the time range of its listing (fixed by its first page), and the store's position in it. */
const listCursorSchema = /* @__PURE__ */ z.pure(() =>
  z.strictObject({
    w: z.tuple([z.int(), z.int()]).check(z.refine(([from, to]) => from >= 0 && from <= to && to - from <= MAX_LIST_DAYS * DAY_MS)),
    p: z.unknown(),
  }),
);

export async function listPayments(
  q: {
    from?: number | undefined;
    to?: number | undefined;
    status?: OrderStatus | undefined;
    paymentState?: PaymentState | undefined;
    attention: boolean;
    limit: number;
    cursor?: string | undefined;
  },
  deps: Pick<PaymentDeps, 'toss' | 'clock'> & { orders: OrderList },
): Promise<ListPaymentsReply> {
  // A cursor belongs to the parameters it was made for (any other is refused); `limit` may change from page to page.
  const bound = { status: q.status, paymentState: q.paymentState, attention: q.attention, from: q.from, to: q.to };
  let from: number;
  let to: number;
  let after: unknown;
  if (q.cursor !== undefined) {
    // The range of the first page: "the last 30 days" does not move under a client paging through it.
    const c = readCursor(LIST_SCOPE, bound, q.cursor, listCursorSchema);
    [from, to] = c.w;
    after = c.p;
  } else {
    to = q.to ?? deps.clock();
    // Flagged orders are few: by default all of them; otherwise the most recent days.
    from = q.from ?? (q.attention ? to - MAX_LIST_DAYS * DAY_MS : to - DEFAULT_LIST_DAYS * DAY_MS);
  }
  const r = await deps.orders.listOrders({ from, to, status: q.status, paymentState: q.paymentState, attention: q.attention, limit: q.limit, after });
  const keyMode = await deps.toss.mode();
  return {
    orders: r.orders.map((o) => orderSummary(o, keyMode)),
    ...(r.next !== undefined ? { next: makeCursor(LIST_SCOPE, bound, { w: [from, to], p: r.next }) } : {}),
  };
}
