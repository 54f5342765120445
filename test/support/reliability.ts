/**
 * Helpers for the reliability suite (test/reliability), on top of the integration harness
 * (./stack.ts): a reconciler that runs the real `reconcilePass` use case against the harness's
 * table and sandbox, the truth as the sandbox records it, test-only table reads, invariant checks
 * on an order's history and on its refunds against Toss's, the create leases and execute locks that
 * hold the reconciler back (and waiting them out), and a bounded concurrency pool.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { advanceClock, getPayment, listCallbacks, listPayments, type CallbackAttempt, type SandboxPayment } from '../../local/toss-sandbox/control-client.ts';
import { modeOf } from '../../local/toss-sandbox/server.ts';
import { CREATE_IN_FLIGHT_MS } from '../../shared/deps.ts';
import type { Mode, Order } from '../../shared/domain/order.ts';
import { moneyOf, paymentStateOf, refundsOf, type RefundStatus } from '../../shared/domain/refunds.ts';
import type { LogExtra } from '../../shared/payments/ports.ts';
import { canTransition, isOrderStatus, isPaid, type OrderStatus } from '../../shared/domain/states.ts';
import { orderView } from '../../shared/payments/view.ts';
import { reconcilePass } from '../../shared/payments/reconcile/pass.ts';
import type { ReconcileSummary } from '../../shared/payments/reconcile/summary.ts';
import { orderKey } from '../../shared/store/orders.ts';
import { recordingMeter, stackReconcilerContainer } from './containers.ts';
import { testDocumentClient } from './dynamo.ts';
import type { Stack } from './stack.ts';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  extra: Record<string, unknown>[];
}

export interface Reconciler {
  /**
   * One reconciler pass. Its logical "now" is `aheadMs` (default one day) ahead of the real time
   * and a day after the previous pass's, so that every unfinished order is due; and at least
   * `atLeast` (epoch ms), to reach an order's next re-check after payment.
   */
  pass(opts?: { aheadMs?: number; concurrency?: number; atLeast?: number }): Promise<ReconcileSummary>;
  /** The logical "now" of the last pass (0 before the first). */
  now(): number;
  /** Everything the use cases logged during passes. */
  logs: LogEntry[];
  close(): void;
}

const DAY_MS = 24 * 3600_000;

/** The reconciler's use case wired to the harness's table and sandbox, as functions/reconciler wires it. */
export function startReconciler(s: Pick<Stack, 'api' | 'apiKey' | 'sandbox' | 'tableName' | 'timings'>, timeoutMs?: number): Reconciler {
  const client = testDocumentClient();
  const logs: LogEntry[] = [];
  const log =
    (level: LogEntry['level']) =>
    (message: string, ...extra: LogExtra): void => {
      logs.push({ level, message, extra: extra.map((x) => (x instanceof Error ? { error: x } : x)) });
    };
  // The reconciler function's own container (shared/deps.ts), on the harness's table, sandbox and timings.
  const fn = stackReconcilerContainer(s, {
    client,
    logger: { debug: () => undefined, info: log('info'), warn: log('warn'), error: log('error') },
    meter: recordingMeter(),
    tossTimeoutMs: timeoutMs,
  });
  const deps = { ...fn.deps, due: fn.due };
  // Each pass's logical "now" is later than the last one's, so orders a pass just re-scheduled
  // (up to 30 minutes ahead of its "now") are due again in the next pass.
  let lastNow = 0;
  return {
    logs,
    pass: (opts = {}) =>
      reconcilePass(deps, {
        now: (lastNow = Math.max(lastNow + DAY_MS, Date.now() + (opts.aheadMs ?? DAY_MS), opts.atLeast ?? 0)),
        concurrency: opts.concurrency ?? 16,
        deadline: Date.now() + 120_000,
        flagAfterMs: 365 * DAY_MS,
        createGraceMs: CREATE_IN_FLIGHT_MS,
      }),
    now: () => lastNow,
    close: () => client.destroy(),
  };
}

/**
 * The truth: the sandbox's record of the payment for `orderNo` under our key, or undefined when
 * Toss has no payment for it. With a `payToken` (the one our order recorded) that payment;
 * without one, the payment Toss's status API would report for the orderNo (the latest one
 * created for it under our key's mode). Both are read through the control API, which faults
 * never touch (and never consume).
 */
export async function truthOf(
  s: Pick<Stack, 'sandbox' | 'apiKey'>,
  orderNo: string,
  payToken?: string,
): Promise<SandboxPayment | undefined> {
  if (payToken !== undefined) return getPayment(s.sandbox.url, payToken);
  const latest = (await listPayments(s.sandbox.url)).filter((p) => p.orderNo === orderNo && !p.forgotten && p.mode === modeOf(s.apiKey)).at(-1);
  return latest === undefined ? undefined : getPayment(s.sandbox.url, latest.payToken);
}

export type LockKind = 'create lease' | 'execute lock' | 'refund lease';

/**
 * The create lease, execute lock or refund lease that stops the reconciler (or a retry) from
 * acting on an order now: a CREATING order's live create lease, an EXECUTING order's execute lock
 * whose call may still run, or the lease of the refund in flight while a call to Toss about it may
 * still run. `until`: epoch ms when it lapses; undefined when there is none.
 */
export function liveLock(o: Order, now = Date.now()): { kind: LockKind; until: number } | undefined {
  if (o.status === 'CREATING' && o.leaseUntil !== undefined && o.leaseUntil > now) return { kind: 'create lease', until: o.leaseUntil };
  if (o.status === 'EXECUTING' && o.execUntil !== undefined && o.execUntil > now) return { kind: 'execute lock', until: o.execUntil };
  const lease = o.refundInFlight === undefined ? undefined : o.refunds?.[o.refundInFlight]?.lease;
  if (lease !== undefined && lease.until > now) return { kind: 'refund lease', until: lease.until };
  return undefined;
}

/**
 * Waits (polling the table) until none of these orders holds a live lock of the given kinds, or
 * throws after `ms`. Returns how long it waited.
 */
export async function locksLapsed(
  s: Pick<Stack, 'readOrder'>,
  orderNos: readonly string[],
  kinds: readonly LockKind[] = ['create lease', 'execute lock', 'refund lease'],
  ms = 30_000,
): Promise<number> {
  const start = Date.now();
  for (;;) {
    const orders = await Promise.all(orderNos.map((n) => s.readOrder(n)));
    const now = Date.now();
    const live = orders.flatMap((o) => {
      const l = o === undefined ? undefined : liveLock(o, now);
      return l !== undefined && kinds.includes(l.kind) ? [{ orderNo: o?.orderNo, ...l }] : [];
    });
    if (live.length === 0) return now - start;
    if (now - start > ms) throw new Error(`locks still held after ${ms} ms: ${JSON.stringify(live)}`);
    // Until the first one lapses (plus a little), never longer than 250 ms between looks.
    const next = Math.min(...live.map((l) => l.until)) - now + 20;
    await new Promise((r) => setTimeout(r, Math.max(20, Math.min(250, next))));
  }
}

/**
 * What the table holds, without a Scan (the project has none): DynamoDB Local's live item count
 * plus a consistent read of each order the test knows. A write to a known order changes its item;
 * a write that creates any other item changes the count.
 */
export async function tableSnapshot(
  tableName: string,
  orderNos: readonly string[],
): Promise<{ itemCount: number; items: (Record<string, unknown> | undefined)[] }> {
  const client = testDocumentClient();
  try {
    const t = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const items = await Promise.all(
      orderNos.map(async (orderNo) => {
        const r = await client.send(new GetCommand({ TableName: tableName, Key: { pk: orderKey(orderNo) }, ConsistentRead: true }));
        return r.Item;
      }),
    );
    return { itemCount: t.Table?.ItemCount ?? -1, items };
  } finally {
    client.destroy();
  }
}


/**
 * Problems with an order's history: it must start with CREATING from nothing (or a recovered
 * order's first state), and every later entry must be one forward step from the one before
 * (canTransition), its recorded `from` (when given) being exactly that previous state; the last
 * entry is the order's status. An order whose older entries were dropped (`historyDropped`) keeps
 * the last ones and, first, the one that recorded it settled: the checks start after the gap.
 * Returns the problems found ([] = fine).
 */
export function historyProblems(o: Order): string[] {
  const out: string[] = [];
  const h = o.history;
  if (h.length === 0) return [`${o.orderNo}: empty history`];
  const dropped = (o.historyDropped ?? 0) > 0;
  if (!dropped && h[0]?.from !== null) out.push(`${o.orderNo}: first entry has from=${String(h[0]?.from)}`);
  for (let i = dropped ? 2 : 1; i < h.length; i++) {
    const prev = h[i - 1];
    const cur = h[i];
    if (prev === undefined || cur === undefined) continue;
    if (!isOrderStatus(cur.to)) out.push(`${o.orderNo}: unknown state ${String(cur.to)}`);
    if (cur.from !== null && cur.from !== prev.to) out.push(`${o.orderNo}: entry ${i} from ${cur.from} but the order was ${prev.to}`);
    if (!canTransition(prev.to, cur.to)) out.push(`${o.orderNo}: entry ${i} moves backwards or sideways ${prev.to} -> ${cur.to}`);
  }
  if (h.at(-1)?.to !== o.status) out.push(`${o.orderNo}: status ${o.status} but the last history entry is ${String(h.at(-1)?.to)}`);
  return out;
}

/** Toss's refunds of a payment (its REFUND transactions), as positive amounts. */
export function tossRefundsIn(t: SandboxPayment | undefined): { transactionId: string; amount: number }[] {
  return (t?.transactions ?? []).filter((x) => x.stepType === 'REFUND').map((x) => ({ transactionId: x.transactionId, amount: -x.transactionAmount }));
}

/** Toss's payment is paid (PAY_COMPLETE or a refund or settlement state after it). */
export const paidAtToss = (t: SandboxPayment | undefined): boolean => t !== undefined && isPaid(t.payStatus as OrderStatus);

/**
 * Problems with an order's refunds, given `t`, Toss's payment the order records (the truth), and
 * `keyMode`, the mode of our Toss key ([] = fine). Always:
 *   - our SUCCEEDED + PENDING refunds never exceed what was paid, and `refundReserved` (the
 *     balance a new refund is checked against) is exactly their sum;
 *   - at most one refund PENDING, and it is the order's `refundInFlight`; an order with a refund
 *     in flight is due (the reconciler settles it if nobody else does);
 *   - a SUCCEEDED refund with a transactionId is one of Toss's REFUND transactions, with the same
 *     amount, and no Toss refund is recorded twice; a SUCCEEDED refund of ours (source api) is
 *     one Toss holds under its refundNo, with the same amount;
 *   - a FAILED refund of ours never happened at Toss (unless `refusalInjected`: the sandbox then
 *     refuses even a repeat of a refund it made; the refund is found as one made at Toss);
 *   - Toss never refunded more than was paid (and its refundableAmount is what is left);
 *   - our `refundedAmount` is at most Toss's refunded total;
 *   - `paid` (as GET shows the order) only while money is kept: paid here and at Toss, not fully
 *     refunded.
 * `final` (after settling): our refunds are exactly Toss's: every Toss refund recorded once (api
 * with its transactionId, or toss), nothing PENDING, the same amounts, and `refundedAmount`,
 * `refundableAmount`, `paymentState` and `paid` as Toss's refundableAmount and payStatus say.
 */
export function refundProblems(o: Order, t: SandboxPayment | undefined, keyMode: Mode, opts: { final: boolean; refusalInjected: boolean }): string[] {
  const out: string[] = [];
  const ours = refundsOf(o);
  const money = moneyOf(o);
  const sum = (...st: RefundStatus[]): number => ours.filter((r) => st.includes(r.status)).reduce((a, r) => a + r.amount, 0);
  const reserved = sum('SUCCEEDED', 'PENDING');
  if (reserved > money.paidAmount) out.push(`refunds SUCCEEDED + PENDING ${reserved} exceed the paid amount ${money.paidAmount}`);
  if ((o.refundReserved ?? 0) !== reserved) out.push(`refundReserved ${o.refundReserved ?? 0}, but the SUCCEEDED + PENDING refunds add up to ${reserved}`);
  const pending = ours.filter((r) => r.status === 'PENDING');
  if (pending.length > 1) out.push(`${pending.length} refunds PENDING at once (${pending.map((r) => r.refundNo).join(', ')})`);
  if (o.refundInFlight !== (pending[0]?.refundNo)) out.push(`refundInFlight ${o.refundInFlight ?? '-'}, but the PENDING refund is ${pending[0]?.refundNo ?? '-'}`);
  if (pending.length > 0 && o.dueAt === undefined) out.push(`refund ${pending[0]?.refundNo} PENDING, but the order is not due: the reconciler would never settle it`);

  const toss = tossRefundsIn(t);
  const tossTotal = toss.reduce((a, x) => a + x.amount, 0);
  if (t !== undefined && tossTotal > t.amount) out.push(`Toss refunded ${tossTotal} of a payment of ${t.amount}`);
  if (t !== undefined && paidAtToss(t) && t.refundableAmount !== t.amount - tossTotal)
    out.push(`Toss's refundableAmount ${t.refundableAmount}, but it refunded ${tossTotal} of ${t.amount}`);
  if (money.refundedAmount > tossTotal) out.push(`refundedAmount ${money.refundedAmount} exceeds what Toss refunded (${tossTotal})`);

  const byTx = new Map(toss.map((x) => [x.transactionId, x]));
  const recorded = new Map<string, string[]>();
  for (const r of ours) {
    if (r.status !== 'SUCCEEDED' || r.transactionId === undefined) continue;
    const x = byTx.get(r.transactionId);
    if (x === undefined) out.push(`refund ${r.refundNo} (${r.source}) SUCCEEDED as transaction ${r.transactionId}, which is not one of Toss's refunds`);
    else if (x.amount !== r.amount) out.push(`refund ${r.refundNo} (${r.source}) of ${r.amount}, but Toss's transaction ${r.transactionId} refunded ${x.amount}`);
    recorded.set(r.transactionId, [...(recorded.get(r.transactionId) ?? []), `${r.refundNo} (${r.source})`]);
  }
  for (const [tx, rs] of recorded) if (rs.length > 1) out.push(`Toss's refund ${tx} recorded ${rs.length} times: ${rs.join(', ')}`);
  for (const r of ours) {
    if (r.source !== 'api' || r.status === 'PENDING') continue;
    const atToss = t?.refunds.find((x) => x.refundNo === r.refundNo);
    if (r.status === 'SUCCEEDED') {
      if (atToss === undefined) out.push(`refund ${r.refundNo} SUCCEEDED, but Toss has no refund with that refundNo`);
      else if (atToss.amount !== r.amount || (r.transactionId !== undefined && r.transactionId !== atToss.transactionId))
        out.push(`refund ${r.refundNo} SUCCEEDED with ${r.amount} as ${r.transactionId ?? '-'}, but Toss made it with ${atToss.amount} as ${atToss.transactionId}`);
    } else if (atToss !== undefined && !opts.refusalInjected) out.push(`refund ${r.refundNo} FAILED (${r.failure?.errorCode ?? '-'}), but Toss made it (${atToss.amount})`);
  }

  const view = orderView(o, keyMode);
  if (view.paid === true && (!isPaid(o.status) || money.refundedAmount >= money.paidAmount || !paidAtToss(t)))
    out.push(`GET says paid: true (${o.status}, refunded ${money.refundedAmount} of ${money.paidAmount}; Toss ${t?.payStatus ?? 'none'})`);
  if (!opts.final) return out;

  if (pending.length > 0) out.push(`refund ${pending[0]?.refundNo} still PENDING after settling`);
  for (const x of toss) if (!recorded.has(x.transactionId)) out.push(`Toss's refund ${x.transactionId} of ${x.amount} is not among ours after settling`);
  for (const r of ours) if (r.status === 'SUCCEEDED' && r.transactionId === undefined) out.push(`refund ${r.refundNo} (${r.source}) SUCCEEDED without Toss's transactionId after settling`);
  if (paidAtToss(t) && t !== undefined) {
    const state = t.refundableAmount === t.amount ? 'paid' : t.refundableAmount === 0 ? 'refunded' : 'partially_refunded';
    if (money.refundedAmount !== tossTotal || money.refundableAmount !== t.refundableAmount || paymentStateOf(o) !== state)
      out.push(
        `refunded ${money.refundedAmount}, refundable ${money.refundableAmount}, ${paymentStateOf(o)}; Toss: refunded ${tossTotal}, refundable ${t.refundableAmount}, ${t.payStatus} (${state})`,
      );
  } else if (ours.some((r) => r.status !== 'FAILED')) out.push(`refunds recorded, but Toss says ${t?.payStatus ?? 'no payment'}`);
  const keeps = paidAtToss(t) && (t?.refundableAmount ?? 0) > 0;
  if (view.paid !== keeps) out.push(`GET says paid: ${String(view.paid)}, but Toss ${keeps ? 'keeps' : 'does not keep'} money (${t?.payStatus ?? 'none'}, refundable ${t?.refundableAmount ?? 0})`);
  return out;
}

/** Runs `fn` over `items` with at most `concurrency` at once; results in input order. */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

/**
 * Waits until Toss (the sandbox) delivered its resultCallback for each of these payments: when
 * an attempt failed (e.g. no reply within Toss's 10 s under load), the sandbox clock is moved to
 * the next retry. Returns every attempt for them.
 */
export async function callbacksDelivered(baseUrl: string, payTokens: readonly string[], ms = 60_000): Promise<CallbackAttempt[]> {
  const want = new Set(payTokens);
  const end = Date.now() + ms;
  for (;;) {
    const mine = (await listCallbacks(baseUrl)).filter((a) => want.has(a.payToken));
    const delivered = new Set(mine.filter((a) => a.ok).map((a) => a.payToken));
    if (delivered.size === want.size) return mine;
    if (Date.now() > end) throw new Error(`resultCallback never delivered for ${want.size - delivered.size} payments`);
    const failedOnly = [...want].filter((t) => !delivered.has(t) && mine.some((a) => a.payToken === t));
    // Every undelivered payment has a failed attempt behind it: its retry waits on the sandbox clock.
    if (failedOnly.length === want.size - delivered.size) await advanceClock(baseUrl, 60);
    await new Promise((r) => setTimeout(r, 200));
  }
}
