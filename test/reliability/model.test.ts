/**
 * Model-based test (fast-check): random interleavings of merchant creates (and retried creates,
 * at once or after waiting out a create lease), buyer actions on the checkout page the merchant was
 * handed (pay with 카드/토스머니, quit; the browser following Toss's redirect or not), Toss's
 * callbacks and forged ones, the buyer's landings (Toss's redirect or a bare URL; up to three
 * reloads at once, sometimes with a reconciler pass running meanwhile), reconciler passes, Toss faults on every endpoint (5xx, 429, transient and
 * final code -1 replies, hangs, lost replies, a slow bank leg) and callback faults, DynamoDB faults
 * on the functions' traffic (a write applied whose reply is lost; throttling and internal errors,
 * fewer and more than the SDK retries), and the sandbox clock moving on; and, once money moved,
 * the merchant's refunds (`POST /payments/{orderNo}/refunds`: a new Idempotency-Key or an earlier
 * one with the same body; part of the amount or everything left; sometimes sent several times at
 * once, sometimes retried at once, or with a `?refresh=true` or a reconciler pass running
 * meanwhile), refunds made at Toss without us
 * (its console), Toss settling a paid payment (정산: before or after refunds, again after a later
 * refund), `GET /payments/{orderNo}?refresh=true` and the merchant's cancel. Faults are set
 * by actions of their own, or ride on a create, a landing, a refund, a refresh or a cancel (set
 * just before it, so that it runs into them); on the refunds target they are Toss's 5xx, 429,
 * "try later" codes, a final refusal, a hang, a lost reply and a slow bank leg (REFUND_PROGRESS
 * meanwhile), and a slow status reply rides on refunds and refreshes. A sequence is 3 to 30
 * actions of every kind, then up to 12 mostly about money going back (refunds come from a paid
 * order: another one than the action names when that one is not paid).
 * The model of the truth is the sandbox's own record. After EVERY step, for every order:
 *   - states only move forward (history: each entry one canTransition step from the last; the
 *     status never goes back from what was seen before);
 *   - a paid order is paid at Toss with the same payToken, orderNo, amount and our key's mode;
 *     PAY_CANCEL only when Toss cancelled it; CREATE_FAILED only when Toss has no payment;
 *   - no payment at Toss that we never recorded (an order is missing only when every create was
 *     answered 503 TEMPORARILY_UNAVAILABLE, and then Toss has none for its orderNo);
 *   - Toss's execute calls for the order ≤ its `execAttempts` (0 for autoExecute orders), and
 *     never two execute calls, nor two refund calls, for one payment in flight at once (the
 *     sandbox's maxConcurrent);
 *   - a checkout the merchant was handed is never superseded by another payment, and no buyer
 *     ever authenticated a payment of the orderNo other than the one the order records;
 *   - its refunds (test/support/reliability.ts refundProblems): SUCCEEDED + PENDING never more
 *     than was paid (and `refundReserved` exactly that); at most one PENDING, the order's
 *     `refundInFlight`, and the order due meanwhile; a SUCCEEDED refund is one of Toss's REFUND
 *     transactions (by transactionId, same amount) once it has a transactionId, recorded once, and
 *     one of ours is one Toss holds under its refundNo; a FAILED one of ours never happened at
 *     Toss (unless a final refusal was injected: the sandbox then refuses even a repeat); Toss
 *     never refunded more than was paid; our `refundedAmount` ≤ Toss's refunded total; `paid`
 *     (as GET shows it) only while money is kept (paid here and at Toss, not fully refunded);
 *   - Toss's moves within the paid family (refunds and settlements in any order) are never a
 *     contradiction: no order is flagged CONTRADICTION:…; `settled` (as GET shows it) only when
 *     Toss's payment went through a settlement state;
 * and for every reply:
 *   - create answers 200, 201, 409 (only CREATE_IN_PROGRESS), 422, 502, 503 or 504 (409 and
 *     503 with Retry-After); a 2xx for an order a buyer can still pay (status PAY_STANDBY) carries
 *     a checkoutPage that opens the sandbox's checkout with its pay button;
 *   - a refund answers 200 or 201 (SUCCEEDED, its refundNo from the Idempotency-Key, a refund
 *     Toss holds under that refundNo with that amount), 404 only for an order never recorded, 409
 *     REFUND_IN_PROGRESS (only while a refund is in flight, or with something running meanwhile;
 *     always with Retry-After)
 *     or ORDER_NOT_PAID (only for an order not paid before the request), 422
 *     REFUND_EXCEEDS_BALANCE (only for more than is left) or TOSS_REFUSED (the refund then
 *     FAILED), 502, 503 (with Retry-After) or 504; never IDEMPOTENCY_KEY_REUSED (a key is only
 *     ever sent again with its body);
 *   - a refresh answers 200 (`paid` only while money is kept, refunded ≤ Toss's refunded total)
 *     or 404 for an order never recorded; a cancel 200 (PAY_CANCEL, and Toss cancelled it), 409
 *     ORDER_PAID (paid at Toss) or ORDER_NOT_CANCELABLE, or 404 for an order never recorded;
 *   - never a 500, and no 5xx unless a Toss or DynamoDB fault was set in the run.
 * At the end of each sequence faults are cleared (Toss and DynamoDB), the reconciler runs until
 * every order equals Toss's state and its refunds equal Toss's, waiting out create leases,
 * execute locks and refund leases that hold it back (a PENDING refund is settled by a pass with its refundNo; a
 * refund made at Toss is found by a pass whose logical now reaches the order's next re-check after
 * payment, or, once the re-checks are over in the pass's logical time, by `?refresh=true`); then
 * waiting payments expire and the reconciler runs again: every order is exactly in Toss's state,
 * its refunds are exactly Toss's REFUND transactions (each recorded once, as ours with its
 * transactionId or as made at Toss; none PENDING; the same amounts), and GET shows Toss's
 * refunded and refundable amounts, its payment state and `paid` only while Toss keeps money.
 *
 * MODEL_SEED reproduces a run (fast-check prints the seed and path of a failure; MODEL_PATH=<path>
 * with the same seed replays just the failing sequence); MODEL_RUNS changes the number of
 * sequences; MODEL_SHRINK=1 shrinks a failing sequence (slow: every candidate runs against the real
 * stack) instead of stopping at the first failure.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbProxy, FaultSpec as DynamoFault } from '../../local/dynamodb-proxy.ts';
import {
  advanceClock,
  approve,
  callbackBody,
  clearFaults,
  getPayment,
  listPayments,
  quit,
  refundAtToss,
  resetSandbox,
  setFault,
  settleAtToss,
  SandboxControlError,
  type Fault,
  type PayMethod,
  type SandboxPayment,
} from '../../local/toss-sandbox/control-client.ts';
import { modeOf } from '../../local/toss-sandbox/server.ts';
import type { Order } from '../../shared/domain/order.ts';
import { moneyOf, paymentStateOf, refundNoFor, refundsOf } from '../../shared/domain/refunds.ts';
import { isAtOrBeyond, isPaid, isSettlement, type OrderStatus } from '../../shared/domain/states.ts';
import { orderView } from '../../shared/payments/view.ts';
import { orderKey } from '../../shared/store/orders.ts';
import {
  historyProblems,
  liveLock,
  locksLapsed,
  paidAtToss,
  refundProblems,
  startReconciler,
  tossRefundsIn,
  type Reconciler,
} from '../support/reliability.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type HttpReply, type Stack } from '../support/stack.ts';

const SEED = process.env.MODEL_SEED !== undefined ? Number(process.env.MODEL_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.MODEL_RUNS ?? 30);
const SHRINK = process.env.MODEL_SHRINK === '1';
const PATH = process.env.MODEL_PATH;
const ORDERS_PER_RUN = 2;

let s: Stack;
let proxy: DynamoDbProxy;
let rec: Reconciler;
beforeAll(async () => {
  // The functions reach DynamoDB through the fault proxy; the reconciler and the checks do not.
  // The payments alone: no invariant here is about the events (test/reliability/webhook-endpoints.test.ts
  // and the duplicate storm hold those), so the table has no stream and no events function runs.
  s = await startStack({ TOSS_TIMEOUT_MS: '1000', POWERTOOLS_LOG_LEVEL: 'CRITICAL', POWERTOOLS_METRICS_DISABLED: 'true' }, PAYMENTS_ALONE);
  proxy = s.proxy;
  rec = startReconciler(s);
});
afterAll(async () => {
  rec?.close();
  await s?.stop();
});

// ------------------------------------------------------------------------------------ actions

type DbFault = Omit<DynamoFault, 'key'>;
/** Faults set for an action's order just before it runs. */
interface Riders {
  tossFault?: Omit<Fault, 'orderNo'> | undefined;
  dbFault?: DbFault | undefined;
}

type Action =
  /**
   * `retry`: after a 409 or 5xx, the merchant sends it again at once, or after waiting out the
   * create lease (as Retry-After says). `tossFault`, `dbFault`: set for the order just before the call (as the `fault` and
   * `dbFault` actions do), so that the call runs into them.
   */
  | { type: 'create'; i: number; autoExecute: boolean; amount: number; expiresInMinutes: number; retry: 'no' | 'at once' | 'after Retry-After' } & Riders
  | { type: 'wait'; i: number }
  /** `follow`: the buyer's browser follows Toss's redirect at once (riders: set before that landing). */
  | { type: 'pay'; i: number; method: PayMethod; follow: boolean } & Riders
  | { type: 'quit'; i: number; follow: boolean }
  | { type: 'land'; i: number; viaToss: boolean; landing: 'return' | 'cancel'; hits: number; withPass: boolean } & Riders
  | { type: 'callback'; i: number; forge: 'none' | 'amount' | 'orderNo' }
  /**
   * The merchant's refund. `amount`: a percentage of the order's amount, or `rest` (no amount:
   * everything left); `key`: a new Idempotency-Key, or an earlier one of the order (by index) with
   * its very body; `alongside`: a `?refresh=true` or a reconciler pass at the same time; `retry`:
   * after a 409 or 5xx, the same request again at once.
   */
  | {
      type: 'refund';
      i: number;
      amount: number | 'rest';
      key: 'new' | number;
      alongside: 'none' | 'refresh' | 'pass';
      retry: boolean;
      /** Toss's status replies this much later meanwhile (what runs alongside races the refund). */
      slowStatusMs: number | undefined;
      /** The same request sent this many times at once (a merchant's retries piling up). */
      copies: number;
    } & Riders
  /** A refund made at Toss without us (its console): a percentage of the amount, or everything left. */
  | { type: 'tossRefund'; i: number; amount: number | 'rest' }
  /** Toss settles a paid payment (정산): SETTLEMENT_COMPLETE, or SETTLEMENT_REFUND_COMPLETE after refunds. */
  | { type: 'settleAtToss'; i: number }
  | { type: 'refresh'; i: number } & Riders
  | { type: 'cancel'; i: number } & Riders
  | { type: 'reconcile' }
  | { type: 'fault'; i: number; fault: Omit<Fault, 'orderNo'> }
  | { type: 'dbFault'; i: number; fault: DbFault }
  | { type: 'clearFaults' }
  | { type: 'tick'; seconds: number };

const ix = fc.integer({ min: 0, max: ORDERS_PER_RUN - 1 });
const tossTimes = fc.integer({ min: 1, max: 3 });
type ApiTarget = 'payments' | 'execute' | 'status' | 'refunds' | 'cancel';
type WriteTarget = Exclude<ApiTarget, 'status'>;
type TossFault = Omit<Fault, 'orderNo'>;
/** Final refusals: Toss said no for good. */
const REFUSALS = {
  payments: 'COMMON_INVALID_PARAMETER',
  execute: 'CARD_NOT_ENOUGH_BALANCE',
  refunds: 'REFUND_EXCEED_DAILY',
  cancel: 'PAY_CANCEL_ITS_NOT_CANCELABLE_STATUS',
} as const;
/** A fault of Toss's API on one of `targets` (each kind where it applies). */
function apiFaultOn(...targets: ApiTarget[]): fc.Arbitrary<TossFault> {
  const target = fc.constantFrom(...targets);
  const writes = targets.filter((t): t is WriteTarget => t !== 'status');
  const kinds: fc.Arbitrary<TossFault>[] = [
    fc.record({ target, kind: fc.constant('http5xx' as const), times: tossTimes }),
    // Toss throttles: HTTP 429 with Retry-After.
    fc.record({ target, kind: fc.constant('error' as const), status: fc.constant(429), errorCode: fc.constant('TOO_MANY_REQUESTS'), times: tossTimes }),
    // "Try later" errorCodes (code -1, HTTP 200).
    fc.record({
      target,
      kind: fc.constant('error' as const),
      errorCode: fc.constantFrom('COMMON_SYSTEM_ERROR', 'TRANSACTION_PENDING_ERROR', 'COMMON_BREAK_TIME_OF_BANK'),
      msg: fc.constant('잠시 후 다시 시도해 주세요.'),
      times: tossTimes,
    }),
    fc.record({ target, kind: fc.constant('hang' as const), times: fc.constant(1) }),
  ];
  if (writes.length > 0) {
    const write = fc.constantFrom(...writes);
    kinds.push(
      fc.record({ target: write, times: fc.constant(1) }).map((f) => ({ ...f, kind: 'error' as const, errorCode: REFUSALS[f.target], msg: '거절되었습니다.' })),
      fc.record({ target: write, kind: fc.constant('lose-reply' as const), times: fc.constant(1) }),
    );
  }
  // A slow bank leg: PAY_PROGRESS / REFUND_PROGRESS meanwhile; over the client's 1 s timeout sometimes.
  const banks = targets.filter((t): t is 'execute' | 'refunds' => t === 'execute' || t === 'refunds');
  if (banks.length > 0)
    kinds.push(fc.record({ target: fc.constantFrom(...banks), kind: fc.constant('latency' as const), ms: fc.integer({ min: 100, max: 1_500 }), times: fc.constant(1) }));
  return fc.oneof(...kinds);
}
const apiFault = apiFaultOn('payments', 'execute', 'status', 'refunds');
/** A slow status reply (under the client's timeout): whatever asks Toss's status meanwhile races it. */
const slowStatus: fc.Arbitrary<TossFault> = fc.record({
  target: fc.constant('status' as const),
  kind: fc.constant('latency' as const),
  ms: fc.integer({ min: 50, max: 600 }),
  times: fc.integer({ min: 1, max: 2 }),
});
/** Sometimes (about one time in `1 + of`) a value, else undefined. */
const sometimes = <T>(a: fc.Arbitrary<T>, of = 2): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: of, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
const callbackFault: fc.Arbitrary<TossFault> = fc.oneof(
  fc.record({ target: fc.constant('callback' as const), kind: fc.constantFrom('drop' as const, 'fail' as const, 'duplicate' as const), times: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ target: fc.constant('callback' as const), kind: fc.constant('delay' as const), ms: fc.integer({ min: 10, max: 300 }), times: fc.constant(1) }),
);
/** Markers of the order writes (UpdateExpression or ConditionExpression), to aim a DynamoDB fault at one. */
const WRITE_MARKERS = [
  ':to', // any state transition
  '#f_checkoutPage', // CREATING -> PAY_STANDBY with the checkout
  '#leaseId = :id', // taking or releasing the create lease
  '#superseded', // a replacement payment
  '#execAttempts', // the execute lock
  '#until = :now', // ending an execute attempt that surely failed
  '#at = :now', // a landing's claim to ask Toss
  '#inFlight = :rn', // recording a refund PENDING
  '#rstatus = :to', // settling a refund
  '#refunds.#r0 = :r0', // recording refunds made at Toss
] as const;
const marker = fc.option(fc.constantFrom(...WRITE_MARKERS), { nil: undefined });
const dbFault: fc.Arbitrary<DbFault> = fc.oneof(
  // DynamoDB applies the write; its reply is lost and the SDK sends it again.
  fc.record({ kind: fc.constant('drop-reply' as const), operation: fc.constantFrom('PutItem' as const, 'UpdateItem' as const), times: fc.constant(1), expressionContains: marker }),
  // The SDK makes 3 attempts: 1-2 errors are retried away, 3 reach the code.
  fc.record({
    kind: fc.constant('error' as const),
    error: fc.constantFrom('ThrottlingException' as const, 'ProvisionedThroughputExceededException' as const, 'InternalServerError' as const),
    operation: fc.constantFrom('GetItem' as const, 'PutItem' as const, 'UpdateItem' as const),
    times: fc.integer({ min: 1, max: 3 }),
    expressionContains: marker,
  }),
).map((f) => {
  // A marker only means something for an UpdateItem.
  const { expressionContains, ...rest } = f;
  return f.operation === 'UpdateItem' && expressionContains !== undefined ? { ...rest, expressionContains } : rest;
});

const landAction = fc.record({
  type: fc.constant('land' as const),
  i: ix,
  viaToss: fc.boolean(),
  landing: fc.constantFrom('return' as const, 'cancel' as const),
  hits: fc.constantFrom(1, 1, 2, 3),
  withPass: fc.boolean(),
  // What this landing runs into (the return landing executes an approved autoExecute=false order).
  tossFault: sometimes(apiFaultOn('execute', 'status'), 3),
  dbFault: sometimes(dbFault, 4),
});
const payAction = fc.record({
  type: fc.constant('pay' as const),
  i: ix,
  method: fc.constantFrom('CARD' as const, 'TOSS_MONEY' as const),
  follow: fc.boolean(),
  tossFault: sometimes(apiFaultOn('execute', 'execute', 'status'), 2),
  dbFault: sometimes(dbFault, 4),
});
const callbackAction = fc.record({ type: fc.constant('callback' as const), i: ix, forge: fc.constantFrom('none' as const, 'none' as const, 'amount' as const, 'orderNo' as const) });
const refundAction = fc.record({
  type: fc.constant('refund' as const),
  i: ix,
  amount: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 70 }) }, { weight: 1, arbitrary: fc.constant('rest' as const) }),
  key: fc.oneof({ weight: 2, arbitrary: fc.constant('new' as const) }, { weight: 1, arbitrary: fc.nat({ max: 7 }) }),
  alongside: fc.constantFrom('none' as const, 'none' as const, 'refresh' as const, 'pass' as const),
  retry: fc.constantFrom(false, false, true),
  slowStatusMs: sometimes(fc.integer({ min: 50, max: 600 }), 1),
  copies: fc.constantFrom(1, 1, 1, 3, 8),
  tossFault: sometimes(apiFaultOn('refunds')),
  dbFault: sometimes(dbFault, 4),
});
const tossRefundAction = fc.record({
  type: fc.constant('tossRefund' as const),
  i: ix,
  amount: fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 1, max: 60 }) }, { weight: 1, arbitrary: fc.constant('rest' as const) }),
});
const settleAction = fc.record({ type: fc.constant('settleAtToss' as const), i: ix });
const refreshAction = fc.record({
  type: fc.constant('refresh' as const),
  i: ix,
  // A refresh asks Toss's status, and Toss again for a refund of ours in flight.
  tossFault: sometimes(fc.oneof(apiFaultOn('status'), apiFaultOn('refunds'), slowStatus)),
  dbFault: sometimes(dbFault, 4),
});
const cancelAction = fc.record({ type: fc.constant('cancel' as const), i: ix, tossFault: sometimes(apiFaultOn('cancel', 'status'), 3), dbFault: sometimes(dbFault, 4) });
const reconcileAction = fc.constant({ type: 'reconcile' as const });
const dbFaultAction = fc.record({ type: fc.constant('dbFault' as const), i: ix, fault: dbFault });
const clearFaultsAction = fc.constant({ type: 'clearFaults' as const });
const tickAction = fc.record({ type: fc.constant('tick' as const), seconds: fc.integer({ min: 5, max: 90 }) });

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('create' as const),
      i: ix,
      // autoExecute=false (the merchant executes: locks, retries) two times in three.
      autoExecute: fc.constantFrom(true, false, false),
      amount: fc.integer({ min: 100, max: 500_000 }),
      expiresInMinutes: fc.constantFrom(1, 10),
      retry: fc.constantFrom('no' as const, 'no' as const, 'at once' as const, 'after Retry-After' as const),
      // What this very call runs into (a create retry asks Toss's status first).
      tossFault: sometimes(fc.oneof({ weight: 3, arbitrary: apiFaultOn('payments') }, { weight: 1, arbitrary: apiFaultOn('status') })),
      dbFault: sometimes(dbFault, 4),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('wait' as const), i: ix }) },
  { weight: 4, arbitrary: payAction },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('quit' as const), i: ix, follow: fc.boolean() }) },
  { weight: 4, arbitrary: landAction },
  { weight: 2, arbitrary: callbackAction },
  { weight: 3, arbitrary: refundAction },
  { weight: 1, arbitrary: tossRefundAction },
  { weight: 1, arbitrary: settleAction },
  { weight: 1, arbitrary: refreshAction },
  { weight: 1, arbitrary: cancelAction },
  { weight: 3, arbitrary: reconcileAction },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('fault' as const), i: ix, fault: fc.oneof({ weight: 3, arbitrary: apiFault }, { weight: 1, arbitrary: callbackFault }) }) },
  { weight: 3, arbitrary: dbFaultAction },
  { weight: 1, arbitrary: clearFaultsAction },
  { weight: 1, arbitrary: tickAction },
);

/**
 * After the sequence's first part, when money has often moved: mostly refunds (ours and at
 * Toss's), refreshes and what runs into them (faults on Toss's refunds and status, reconciler
 * passes), with some payments still landing.
 */
const moneyAction: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: refundAction },
  { weight: 2, arbitrary: tossRefundAction },
  { weight: 3, arbitrary: settleAction },
  { weight: 2, arbitrary: refreshAction },
  { weight: 2, arbitrary: reconcileAction },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('fault' as const), i: ix, fault: apiFaultOn('refunds', 'refunds', 'status') }) },
  { weight: 1, arbitrary: dbFaultAction },
  { weight: 1, arbitrary: payAction },
  { weight: 1, arbitrary: landAction },
  { weight: 1, arbitrary: callbackAction },
  { weight: 1, arbitrary: clearFaultsAction },
  { weight: 1, arbitrary: tickAction },
);

/** A sequence: 3 to 30 actions of every kind, then up to 12 mostly about money going back. */
const sequence: fc.Arbitrary<Action[]> = fc
  .tuple(fc.array(action, { minLength: 3, maxLength: 30, size: 'medium' }), fc.array(moneyAction, { maxLength: 12, size: 'medium' }))
  .map(([first, then]) => [...first, ...then]);

// ------------------------------------------------------------------------------------ one run

interface CreateBody {
  orderNo: string;
  amount: number;
  amountTaxFree: number;
  productDesc: string;
  autoExecute: boolean;
  expiresInMinutes: number;
}

interface Slot {
  orderNo: string;
  /** The merchant's request: a retry sends the very same one (else it is a conflict, tested elsewhere). */
  body?: CreateBody;
  /** Every create so far was answered 503 TEMPORARILY_UNAVAILABLE: the order may not be recorded. */
  mayBeUnrecorded: boolean;
  /** The payToken of the checkout the merchant was handed last (a 2xx create reply). */
  checkout?: string;
  /** Every payToken whose checkout the merchant was handed. */
  handedOut: Set<string>;
  /** Where Toss sent the buyer (approve / quit), if anywhere yet. */
  redirect?: string;
  /** The furthest state seen so far. */
  seen?: OrderStatus;
  /** Every refund request the merchant sent, by Idempotency-Key (a key is sent again only with its body). */
  refundKeys: RefundRequest[];
}

interface RefundRequest {
  key: string;
  body: { amount?: number; amountTaxFree: number };
}

const errorCode = (r: HttpReply): string | undefined => (r.json.error as { code?: string } | undefined)?.code;
const auth = (): Record<string, string> => ({ authorization: `Bearer ${s.token}`, 'content-type': 'application/json' });
const refundRequest = (orderNo: string, req: RefundRequest): Promise<HttpReply> =>
  s.request(`/payments/${encodeURIComponent(orderNo)}/refunds`, { method: 'POST', headers: { ...auth(), 'idempotency-key': req.key }, body: JSON.stringify(req.body) });
const refreshRequest = (orderNo: string): Promise<HttpReply> => s.request(`/payments/${encodeURIComponent(orderNo)}?refresh=true`, { headers: auth() });
const cancelRequest = (orderNo: string): Promise<HttpReply> => s.request(`/payments/${encodeURIComponent(orderNo)}/cancel`, { method: 'POST', headers: auth() });
/** The replies a merchant route may give (by status, the error codes allowed; undefined: none). */
type Allowed = Partial<Record<number, readonly (string | undefined)[]>>;
const FAILURES: Allowed = { 502: ['TOSS_FAILED'], 503: ['TOSS_BUSY', 'TEMPORARILY_UNAVAILABLE'], 504: ['TOSS_TIMEOUT'] };
const REFUND_REPLIES: Allowed = {
  200: [undefined],
  201: [undefined],
  404: ['ORDER_NOT_FOUND'],
  409: ['REFUND_IN_PROGRESS', 'ORDER_NOT_PAID'],
  422: ['REFUND_EXCEEDS_BALANCE', 'TOSS_REFUSED'],
  ...FAILURES,
};
const REFRESH_REPLIES: Allowed = { 200: [undefined], 404: ['ORDER_NOT_FOUND'], ...FAILURES };
const CANCEL_REPLIES: Allowed = { 200: [undefined], 404: ['ORDER_NOT_FOUND'], 409: ['ORDER_PAID', 'ORDER_NOT_CANCELABLE'], ...FAILURES };
/** A refund in flight, or Toss's bank leg of one: another refund must wait. */
const refundBusy = (o: Order | undefined): boolean => o !== undefined && (o.refundInFlight !== undefined || o.status === 'REFUND_PROGRESS');

/** Every payment Toss holds for an orderNo (under our key), oldest first. */
async function paymentsOf(orderNo: string): Promise<SandboxPayment[]> {
  const mine = (await listPayments(s.sandbox.url)).filter((p) => p.orderNo === orderNo && !p.forgotten && p.mode === modeOf(s.apiKey));
  return Promise.all(mine.map((p) => getPayment(s.sandbox.url, p.payToken)));
}

/** The truth for an order: the payment it records, else the one Toss's status API reports for its orderNo (the latest). */
const truthAmong = (payments: SandboxPayment[], payToken: string | undefined): SandboxPayment | undefined =>
  payToken !== undefined ? payments.find((p) => p.payToken === payToken) : payments.at(-1);

class Run {
  readonly slots: Slot[] = Array.from({ length: ORDERS_PER_RUN }, () => ({
    orderNo: newOrderNo('m'),
    mayBeUnrecorded: true,
    handedOut: new Set<string>(),
    refundKeys: [],
  }));
  readonly log: string[] = [];
  faultsSet = false;
  /** A final refusal was set on Toss's refunds (the sandbox then refuses even a repeat of a refund it made). */
  refusalInjected = false;
  ticked = 0;

  /** Any reply: never a 500; no 5xx at all unless a Toss or DynamoDB fault was set in this run. */
  reply(what: string, r: HttpReply): HttpReply {
    this.log.push(`  ${what} → ${r.status}${errorCode(r) !== undefined ? ` ${errorCode(r)}` : ''}`);
    saw(`${what.split(' ')[0] ?? what} ${r.status}${errorCode(r) !== undefined ? ` ${errorCode(r)}` : ''}`);
    if (r.status === 500 || (r.status >= 500 && !this.faultsSet)) throw new Error(`${what} answered ${r.status}: ${r.text.slice(0, 300)}`);
    return r;
  }

  async step(a: Action): Promise<void> {
    this.log.push(JSON.stringify(a));
    const slot = 'i' in a ? await this.target(a) : undefined;
    const order = slot?.body !== undefined ? await s.readOrder(slot.orderNo) : undefined;
    switch (a.type) {
      case 'create': {
        if (slot === undefined) return;
        await this.setFaults(slot, a);
        slot.body ??= { orderNo: slot.orderNo, amount: a.amount, amountTaxFree: 0, productDesc: 'model', autoExecute: a.autoExecute, expiresInMinutes: a.expiresInMinutes };
        const r = this.reply('create', await s.createPayment({ ...slot.body }));
        await this.checkCreateReply(slot, r);
        if (a.retry === 'no' || (r.status !== 409 && r.status < 500)) return;
        const o = await s.readOrder(slot.orderNo);
        if (a.retry === 'after Retry-After' && o !== undefined && liveLock(o)?.kind === 'create lease') {
          this.log.push(`  waited ${await locksLapsed(s, [slot.orderNo], ['create lease'], 10_000)} ms for the create lease`);
          saw('create retry after its lease lapsed');
        }
        await this.checkCreateReply(slot, this.reply('create', await s.createPayment({ ...slot.body })));
        return;
      }
      case 'wait': {
        // The merchant waits out a create attempt that may still be running (Retry-After).
        if (slot === undefined || order === undefined || liveLock(order)?.kind !== 'create lease') return;
        const waited = await locksLapsed(s, [slot.orderNo], ['create lease'], 10_000);
        this.log.push(`  waited ${waited} ms`);
        saw('wait for a create lease');
        return;
      }
      case 'pay':
      case 'quit': {
        if (slot?.checkout === undefined) return; // the buyer has no checkout page
        let redirect;
        try {
          ({ redirect } = a.type === 'pay' ? await approve(s.sandbox.url, slot.checkout, a.method) : await quit(s.sandbox.url, slot.checkout));
        } catch (e) {
          if (!(e instanceof SandboxControlError)) throw e; // not payable any more: the page says so
          this.log.push(`  checkout refused: ${e.code}`);
          return;
        }
        slot.redirect = redirect;
        this.log.push(`  → ${redirect.replace(s.api, '')}`);
        if (!a.follow) return;
        if (a.type === 'pay') await this.setFaults(slot, a);
        this.landed(redirect, [await s.visit(redirect)], order);
        return;
      }
      case 'land': {
        if (slot?.body === undefined) return;
        await this.setFaults(slot, a);
        const url = a.viaToss && slot.redirect !== undefined ? slot.redirect : `${s.api}/payments/${a.landing}?orderNo=${encodeURIComponent(slot.orderNo)}`;
        const [replies] = await Promise.all([
          Promise.all(Array.from({ length: a.hits }, () => s.visit(url))),
          a.withPass ? rec.pass() : Promise.resolve(undefined),
        ]);
        this.landed(url, replies, order);
        return;
      }
      case 'callback': {
        if (slot === undefined || order?.payToken === undefined) return;
        // Toss's own body for a paid payment; for an unpaid one (Toss sends none) a forged claim
        // that it was paid, with the real payToken, orderNo and amount: it must be refused.
        const paid = await callbackBody(s.sandbox.url, order.payToken).catch((e: unknown) => {
          if (e instanceof SandboxControlError && e.code === 'NOT_PAID') return undefined;
          throw e;
        });
        const body = paid ?? { status: 'PAY_COMPLETE', payToken: order.payToken, orderNo: slot.orderNo, amount: order.amount };
        if (a.forge === 'amount') body.amount = Number(body.amount) + 1;
        if (a.forge === 'orderNo') body.orderNo = this.slots[(a.i + 1) % ORDERS_PER_RUN]?.orderNo;
        const forged = a.forge !== 'none' || paid === undefined;
        const r = this.reply(`callback ${a.forge}${paid === undefined ? ' (unpaid at Toss)' : ''}`, await s.request('/payments/callback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
        if (forged && r.status < 400) throw new Error(`forged callback (${a.forge}, paid at Toss: ${paid !== undefined}) accepted: ${r.status}`);
        return;
      }
      case 'refund': {
        if (slot?.body === undefined) return;
        const earlier = typeof a.key === 'number' && slot.refundKeys.length > 0 ? slot.refundKeys[a.key % slot.refundKeys.length] : undefined;
        const req: RefundRequest = earlier ?? {
          key: `k${slot.refundKeys.length + 1}`,
          body: a.amount === 'rest' ? { amountTaxFree: 0 } : { amount: Math.max(1, Math.floor((slot.body.amount * a.amount) / 100)), amountTaxFree: 0 },
        };
        if (earlier === undefined) slot.refundKeys.push(req);
        else saw('refund with an earlier Idempotency-Key');
        this.log.push(`  ${req.key} ${JSON.stringify(req.body)}`);
        await this.setFaults(slot, a);
        if (a.slowStatusMs !== undefined && a.alongside !== 'none')
          await this.setFaults(slot, { tossFault: { target: 'status', kind: 'latency', ms: a.slowStatusMs, times: 1 } });
        if (a.copies > 1) saw('refund sent several times at once');
        const [[r, ...copies]] = await Promise.all([
          Promise.all(Array.from({ length: a.copies }, () => refundRequest(slot.orderNo, req))),
          a.alongside === 'refresh' ? this.refresh(slot, order) : a.alongside === 'pass' ? rec.pass() : Promise.resolve(undefined),
        ]);
        if (r === undefined) return;
        const concurrent = a.alongside !== 'none' || a.copies > 1;
        await this.refunded(slot, order, req, this.reply(`refund ${req.key}`, r), concurrent);
        for (const c of copies) await this.refunded(slot, order, req, this.reply(`refund ${req.key} (at once)`, c), true);
        if (!a.retry || (r.status < 500 && errorCode(r) !== 'REFUND_IN_PROGRESS')) return;
        const again = await s.readOrder(slot.orderNo);
        await this.refunded(slot, again, req, this.reply(`refund ${req.key} again`, await refundRequest(slot.orderNo, req)), false);
        return;
      }
      case 'tossRefund': {
        if (slot?.body === undefined) return;
        const t = truthAmong(await paymentsOf(slot.orderNo), order?.payToken);
        if (t === undefined || !paidAtToss(t)) return;
        const body = a.amount === 'rest' ? {} : { amount: Math.max(1, Math.floor((t.amount * a.amount) / 100)) };
        try {
          const r = await refundAtToss(s.sandbox.url, t.payToken, body);
          this.log.push(`  refunded at Toss: ${JSON.stringify(body)} → ${r.transactionId} (refundable ${String(r.refundableAmount)})`);
          saw('refund at Toss made');
        } catch (e) {
          if (!(e instanceof SandboxControlError)) throw e;
          this.log.push(`  refund at Toss refused: ${e.code}`);
          saw(`refund at Toss refused ${e.code}`);
        }
        return;
      }
      case 'settleAtToss': {
        if (slot?.body === undefined) return;
        const t = truthAmong(await paymentsOf(slot.orderNo), order?.payToken);
        if (t === undefined || !paidAtToss(t)) return;
        try {
          const r = await settleAtToss(s.sandbox.url, t.payToken);
          this.log.push(`  settled at Toss: ${r.payStatus}`);
          saw(`settled at Toss ${r.payStatus}`);
        } catch (e) {
          if (!(e instanceof SandboxControlError)) throw e;
          this.log.push(`  settling at Toss refused: ${e.code}`);
          saw(`settling at Toss refused ${e.code}`);
        }
        return;
      }
      case 'refresh':
        if (slot?.body === undefined) return;
        await this.setFaults(slot, a);
        await this.refresh(slot, order);
        return;
      case 'cancel': {
        if (slot?.body === undefined) return;
        await this.setFaults(slot, a);
        const r = this.reply('cancel', await cancelRequest(slot.orderNo));
        this.allowed('cancel', CANCEL_REPLIES, r);
        if (r.status === 404 && order !== undefined) throw new Error(`cancel answered 404 for a recorded order: ${r.text}`);
        if (r.status === 200 || errorCode(r) === 'ORDER_PAID') {
          const t = truthAmong(await paymentsOf(slot.orderNo), (await s.readOrder(slot.orderNo))?.payToken);
          if (r.status === 200 && (r.json.status !== 'PAY_CANCEL' || t?.payStatus !== 'PAY_CANCEL'))
            throw new Error(`cancel answered 200 with ${String(r.json.status)}; Toss says ${t?.payStatus ?? 'no payment'}`);
          if (r.status === 409 && !paidAtToss(t)) throw new Error(`cancel answered ORDER_PAID; Toss says ${t?.payStatus ?? 'no payment'}`);
        }
        return;
      }
      case 'reconcile': {
        const sum = await rec.pass();
        this.log.push(`  pass: examined ${sum.examined}, changed ${JSON.stringify(sum.changed)}, errors ${sum.errors}`);
        return;
      }
      case 'fault':
        if (slot !== undefined) await this.setFaults(slot, { tossFault: a.fault });
        return;
      case 'dbFault':
        if (slot !== undefined) await this.setFaults(slot, { dbFault: a.fault });
        return;
      case 'clearFaults':
        await clearFaults(s.sandbox.url);
        await proxy.clearFaults();
        return;
      case 'tick': {
        // Keep the sandbox clock within a few minutes of ours, so creates stay valid.
        const seconds = Math.min(a.seconds, 300 - this.ticked);
        if (seconds <= 0) return;
        this.ticked += seconds;
        await advanceClock(s.sandbox.url, seconds);
        return;
      }
    }
  }

  /**
   * The order an action is for: the i-th; but money goes back (a refund, ours or at Toss) from a
   * paid order, so those take another order that is paid when the i-th is not (an unpaid one only
   * when none is paid).
   */
  async target(a: Action & { i: number }): Promise<Slot | undefined> {
    const slot = this.slots[a.i];
    if (a.type !== 'refund' && a.type !== 'tossRefund' && a.type !== 'settleAtToss') return slot;
    for (const c of [slot, ...this.slots.filter((x) => x !== slot)]) {
      const o = c?.body === undefined ? undefined : await s.readOrder(c.orderNo);
      if (o !== undefined && isPaid(o.status)) return c;
    }
    return slot;
  }

  /** The reply is one `allowed` lists; a 503 carries Retry-After. */
  allowed(what: string, allowed: Allowed, r: HttpReply): void {
    if (allowed[r.status]?.includes(errorCode(r)) !== true) throw new Error(`${what} answered ${r.status}: ${r.text.slice(0, 300)}`);
    if (r.status === 503 && r.headers.get('retry-after') === null) throw new Error(`${what} answered 503 without Retry-After`);
  }

  /**
   * A refund's reply, given the order as it was before the request (and, read now, after it).
   * `concurrent`: something else ran meanwhile (a refresh or a reconciler pass).
   */
  async refunded(slot: Slot, before: Order | undefined, req: RefundRequest, r: HttpReply, concurrent: boolean): Promise<void> {
    this.allowed('refund', REFUND_REPLIES, r);
    const code = errorCode(r);
    const after = await s.readOrder(slot.orderNo);
    const refundNo = refundNoFor(slot.orderNo, req.key);
    if (r.status === 404 && before !== undefined) throw new Error(`refund answered 404 for a recorded order: ${r.text}`);
    if (code === 'ORDER_NOT_PAID' && before !== undefined && isPaid(before.status)) throw new Error(`refund answered ORDER_NOT_PAID for a ${before.status} order`);
    if (code === 'REFUND_IN_PROGRESS' && !concurrent && !refundBusy(before) && !refundBusy(after))
      throw new Error(`refund answered REFUND_IN_PROGRESS, but no refund was in flight (${before?.status ?? '-'} → ${after?.status ?? '-'})`);
    if (code === 'REFUND_IN_PROGRESS' && !(Number(r.headers.get('retry-after')) >= 1)) throw new Error('refund answered REFUND_IN_PROGRESS without a Retry-After');
    if (code === 'REFUND_EXCEEDS_BALANCE') {
      const left = [before, after].map((o) => (o === undefined ? 0 : moneyOf(o).refundableAmount));
      if (!left.some((l) => l === 0 || (req.body.amount !== undefined && req.body.amount > l)))
        throw new Error(`refund of ${req.body.amount ?? 'everything left'} answered REFUND_EXCEEDS_BALANCE with ${left.join(' / ')} refundable`);
    }
    if (r.status < 300) {
      const t = truthAmong(await paymentsOf(slot.orderNo), after?.payToken);
      const atToss = t?.refunds.find((x) => x.refundNo === refundNo);
      if (r.json.status !== 'SUCCEEDED' || r.json.refundNo !== refundNo) throw new Error(`refund answered ${r.status} ${r.text}; its refundNo is ${refundNo}`);
      if (atToss === undefined || atToss.amount !== r.json.amount)
        throw new Error(`refund answered ${r.status} for ${String(r.json.amount)}, but Toss ${atToss === undefined ? 'has no such refund' : `refunded ${atToss.amount}`}`);
    }
    if (code === 'TOSS_REFUSED' && after?.refunds?.[refundNo]?.status !== 'FAILED')
      throw new Error(`refund answered TOSS_REFUSED, but the refund is ${after?.refunds?.[refundNo]?.status ?? 'not recorded'}`);
  }

  /** GET ?refresh=true: 200 (`paid` only while money is kept, refunded ≤ Toss's refunded total), or 404 for an order never recorded. */
  async refresh(slot: Slot, before: Order | undefined): Promise<void> {
    const r = this.reply('refresh', await refreshRequest(slot.orderNo));
    this.allowed('refresh', REFRESH_REPLIES, r);
    if (r.status === 404 && before !== undefined) throw new Error(`refresh answered 404 for a recorded order: ${r.text}`);
    if (r.status !== 200) return;
    const t = truthAmong(await paymentsOf(slot.orderNo), typeof r.json.payToken === 'string' ? r.json.payToken : undefined);
    const tossRefunded = tossRefundsIn(t).reduce((n, x) => n + x.amount, 0);
    const { paid, refundedAmount, paidAmount } = r.json as { paid: boolean; refundedAmount: number; paidAmount: number };
    if (paid && (!paidAtToss(t) || refundedAmount >= paidAmount)) throw new Error(`refresh says paid: true, refunded ${refundedAmount} of ${paidAmount}; Toss says ${t?.payStatus ?? 'no payment'}`);
    if (refundedAmount > tossRefunded) throw new Error(`refresh says refunded ${refundedAmount}; Toss refunded ${tossRefunded}`);
  }

  /** A landing's replies: a page (the pending one when DynamoDB failed), or 404 for an order never recorded. */
  landed(url: string, replies: HttpReply[], order: Order | undefined): void {
    for (const r of replies) {
      this.reply(`land ${url.replace(s.api, '')}`, r);
      if (r.status !== 200 && r.status !== 503 && !(r.status === 404 && order === undefined)) throw new Error(`landing answered ${r.status}`);
    }
  }

  /** Sets Toss and DynamoDB faults for the slot's order. */
  async setFaults(slot: Slot, f: Riders): Promise<void> {
    if (f.tossFault !== undefined) {
      // A status reply slower than usual, but within the client's timeout, is no failure.
      this.faultsSet ||= f.tossFault.target !== 'callback' && !(f.tossFault.target === 'status' && f.tossFault.kind === 'latency');
      this.refusalInjected ||= f.tossFault.target === 'refunds' && f.tossFault.errorCode === REFUSALS.refunds;
      await setFault(s.sandbox.url, { ...f.tossFault, orderNo: slot.orderNo } as Fault);
    }
    if (f.dbFault !== undefined) {
      this.faultsSet = true;
      await proxy.addFault({ ...f.dbFault, key: orderKey(slot.orderNo) } as DynamoFault);
    }
  }

  /** The replies a create may give, and a payable checkout with every 2xx for an order a buyer can still pay. */
  async checkCreateReply(slot: Slot, r: HttpReply): Promise<void> {
    if (![200, 201, 409, 422, 502, 503, 504].includes(r.status)) throw new Error(`create answered ${r.status}: ${r.text}`);
    if (r.status === 409 && errorCode(r) !== 'CREATE_IN_PROGRESS') throw new Error(`create answered 409 ${r.text}`);
    if ((r.status === 409 || r.status === 503) && r.headers.get('retry-after') === null) throw new Error(`create answered ${r.status} without Retry-After`);
    if (!(r.status === 503 && errorCode(r) === 'TEMPORARILY_UNAVAILABLE')) slot.mayBeUnrecorded = false;
    if (r.status >= 300) return;
    const { payToken, checkoutPage, status } = r.json;
    if (status !== 'PAY_STANDBY') return;
    if (typeof payToken !== 'string' || typeof checkoutPage !== 'string') throw new Error(`create ${r.status} PAY_STANDBY without a payToken or checkoutPage: ${r.text}`);
    const t = await getPayment(s.sandbox.url, payToken);
    if (t.cancelledBy === 'superseded') throw new Error(`create ${r.status} handed out the checkout of a superseded payment`);
    if (t.payStatus !== 'PAY_STANDBY') {
      // Nobody can pay it any more (expired, or the buyer quit and no landing told us yet).
      this.log.push(`  (checkout not payable: Toss says ${t.payStatus}, cancelled by ${t.cancelledBy ?? '-'})`);
      return;
    }
    if (new URL(checkoutPage).searchParams.get('payToken') !== payToken) throw new Error(`create ${r.status}: the checkoutPage is not the payment's: ${r.text}`);
    const page = await fetch(checkoutPage);
    const html = await page.text();
    if (page.status !== 200 || !html.includes('action="/payfront/auth/approve"')) throw new Error(`create ${r.status}: the checkoutPage does not open a payable checkout (HTTP ${page.status})`);
    slot.checkout = payToken;
    slot.handedOut.add(payToken);
  }

  /** The invariants, for every order of the run; `final`: also exactly Toss's state. */
  async check(final: boolean): Promise<void> {
    for (const slot of this.slots) {
      if (slot.body === undefined) continue;
      const o = await s.readOrder(slot.orderNo);
      const payments = await paymentsOf(slot.orderNo);
      if (o === undefined) {
        if (!slot.mayBeUnrecorded) throw new Error(`${slot.orderNo}: created but not recorded`);
        if (payments.length > 0) throw new Error(`${slot.orderNo}: never recorded, but Toss has ${payments.length} payments for it`);
        continue;
      }
      const problems = historyProblems(o);
      if (problems.length > 0) throw new Error(problems.join('; '));
      if (slot.seen !== undefined && !isAtOrBeyond(o.status, slot.seen)) throw new Error(`${o.orderNo}: went back from ${slot.seen} to ${o.status}`);
      slot.seen = o.status;
      for (const p of payments)
        if (slot.handedOut.has(p.payToken) && p.cancelledBy === 'superseded') throw new Error(`${o.orderNo}: the checkout handed out (${p.payToken.slice(0, 6)}…) was superseded`);
      const d = disagreement(o, payments, final);
      if (d !== undefined) throw new Error(`${o.orderNo}: ${d}`);
      const t = truthAmong(payments, o.payToken);
      const refunds = refundProblems(o, t, modeOf(s.apiKey), { final, refusalInjected: this.refusalInjected });
      if (refunds.length > 0) throw new Error(`${o.orderNo}: ${refunds.join('; ')}`);
      // Toss's moves within the paid family are never a contradiction; settled only when Toss settled.
      if (o.attention?.reason.startsWith('CONTRADICTION:') === true) throw new Error(`${o.orderNo}: flagged ${o.attention.reason} (${o.status}; Toss ${t?.payStatus ?? 'none'})`);
      const settledAtToss = t?.history.some((h) => isSettlement(h.payStatus as OrderStatus)) === true;
      if (orderView(o, modeOf(s.apiKey)).settled && !settledAtToss) throw new Error(`${o.orderNo}: settled, but Toss never settled it (${t?.payStatus ?? 'none'})`);
      if (!final) continue;
      // What the merchant reads: GET (faults are cleared) shows Toss's money.
      const v = await s.getPayment(o.orderNo);
      const keeps = paidAtToss(t) && (t?.refundableAmount ?? 0) > 0;
      const money = paidAtToss(t) && t !== undefined ? { refundedAmount: t.amount - t.refundableAmount, refundableAmount: t.refundableAmount } : { refundedAmount: 0, refundableAmount: 0 };
      if (isSettlement((t?.payStatus ?? 'PAY_CANCEL') as OrderStatus) && v.json.settled !== true)
        throw new Error(`${o.orderNo}: Toss says ${t?.payStatus ?? '-'}, GET says settled ${String(v.json.settled)}`);
      if (v.status !== 200 || v.json.paid !== keeps || v.json.refundedAmount !== money.refundedAmount || v.json.refundableAmount !== money.refundableAmount)
        throw new Error(
          `${o.orderNo}: GET answered ${v.status} paid ${String(v.json.paid)}, refunded ${String(v.json.refundedAmount)}, refundable ${String(v.json.refundableAmount)}; Toss ${t?.payStatus ?? 'none'} keeps money ${keeps}, ${JSON.stringify(money)}`,
        );
    }
  }

  /**
   * Orders not yet in Toss's state, or whose payment Toss is still working on (an order Toss keeps
   * approved after a refused execute waits for its expiry), with the lease or lock that holds
   * the reconciler back, if any.
   */
  async unsettled(): Promise<Unsettled[]> {
    const out: Unsettled[] = [];
    for (const slot of this.slots) {
      if (slot.body === undefined) continue;
      const o = await s.readOrder(slot.orderNo);
      if (o === undefined) continue;
      const t = truthAmong(await paymentsOf(slot.orderNo), o.payToken);
      // Toss mid-way (a slow bank leg) is not settled yet, even when the order says the same.
      const midway = t?.payStatus === 'PAY_PROGRESS' || t?.payStatus === 'REFUND_PROGRESS';
      const same = t === undefined ? o.status === 'CREATE_FAILED' : o.status === t.payStatus || (o.status === 'EXECUTE_FAILED' && t.payStatus === 'PAY_APPROVED');
      // Its refunds not yet Toss's (a PENDING one, or a refund made at Toss not recorded yet).
      const refunds = refundProblems(o, t, modeOf(s.apiKey), { final: true, refusalInjected: this.refusalInjected });
      if (same && !midway && refunds.length === 0) continue;
      const lock = liveLock(o);
      const what = `${o.orderNo} ${o.status} vs Toss ${t?.payStatus ?? 'none'}${lock !== undefined ? ` (${lock.kind})` : ''}${refunds.length > 0 ? `: ${refunds.join('; ')}` : ''}`;
      const u: Unsettled = { what, orderNo: o.orderNo };
      if (lock !== undefined) u.lockedUntil = lock.until;
      // Paid here and at Toss: what is left to settle is refunds (and the status a refund at Toss moved).
      if (isPaid(o.status) && paidAtToss(t) && !midway) u.refunds = { dueAt: o.dueAt, pending: o.refundInFlight !== undefined };
      out.push(u);
    }
    return out;
  }
}

/** An order not settled yet (Run.unsettled). */
interface Unsettled {
  what: string;
  orderNo: string;
  /** The create lease or execute lock that holds the reconciler back lapses then (epoch ms). */
  lockedUntil?: number;
  /** Paid here and at Toss, its refunds to settle: when it is due (undefined: not due; its re-checks are over), and whether one of ours is PENDING. */
  refunds?: { dueAt: number | undefined; pending: boolean };
}

/** What is wrong with an order given Toss's payments for its orderNo (undefined: nothing). */
function disagreement(o: Order, payments: SandboxPayment[], final: boolean): string | undefined {
  const executes = payments.reduce((n, p) => n + (p.calls.execute ?? 0), 0);
  if (executes > (o.execAttempts ?? 0)) return `Toss execute called ${executes} times, ${o.execAttempts ?? 0} attempts recorded (autoExecute ${o.autoExecute})`;
  const overlapping = payments.find((p) => (p.maxConcurrent.execute ?? 0) > 1);
  if (overlapping !== undefined) return `${overlapping.maxConcurrent.execute} execute calls in flight at once`;
  // One call to Toss about a refund at a time (its lease), and Toss takes one refund at a time.
  const refunding = payments.find((p) => (p.maxConcurrent.refunds ?? 0) > 1);
  if (refunding !== undefined) return `${refunding.maxConcurrent.refunds} refund calls in flight at once`;
  const t = truthAmong(payments, o.payToken);
  if (o.payToken !== undefined && t === undefined) return `payToken ${o.payToken} is not one of Toss's payments for the order`;
  if (isPaid(o.status)) {
    if (t === undefined) return `${o.status} but Toss has no payment`;
    if (!isPaid(t.payStatus as OrderStatus)) return `${o.status} but Toss says ${t.payStatus}`;
    if (t.amount !== o.amount || t.mode !== modeOf(s.apiKey) || t.mode !== o.mode) return `paid with amount ${t.amount}/${o.amount}, mode ${t.mode}/${o.mode}`;
    if (t.payToken !== o.payToken || t.orderNo !== o.orderNo) return 'paid under another payToken or orderNo';
  }
  if (o.status === 'PAY_CANCEL' && t?.payStatus !== 'PAY_CANCEL') return `PAY_CANCEL but Toss says ${t?.payStatus ?? 'no payment'}`;
  if (o.status === 'CREATE_FAILED' && t !== undefined) return `CREATE_FAILED but Toss has a ${t.payStatus} payment`;
  // A payment the order does not record (replaced, or never answered) is never paid or approved.
  const stray = payments.find((p) => p.payToken !== t?.payToken && p.hasOwner);
  if (stray !== undefined) return `a buyer authenticated a payment the order does not record (${stray.payStatus})`;
  if (!final) return undefined;
  if (t === undefined) return o.status === 'CREATE_FAILED' ? undefined : `${o.status} but Toss has no payment`;
  return o.status === t.payStatus ? undefined : `${o.status} but Toss says ${t.payStatus} after reconciliation`;
}

/** Final states reached over all sequences (printed: shows what the sequences explored). */
const finals: Record<string, number> = {};
/** What the sequences ran into (printed): replies by status and code, faults that bit, paths taken. */
const explored: Record<string, number> = {};
const saw = (what: string): void => {
  explored[what] = (explored[what] ?? 0) + 1;
};
/** Time spent between the passes that settle the runs (waiting out create leases and execute locks). */
let settleWaitMs = 0;

/** Counts the DynamoDB faults that bit (before they are cleared). */
async function countDbFaultHits(): Promise<void> {
  for (const f of await proxy.faults()) {
    if (f.hits === 0) continue;
    const what = f.kind === 'error' ? `${f.error}×${f.hits}` : f.kind;
    saw(`dynamodb ${what} on ${f.operation}`);
  }
}

/** How long settling may take: the longest execute lock (Toss timeout + 15 s) and a margin. */
const SETTLE_LIMIT_MS = 30_000;

/**
 * Faults cleared (Toss and DynamoDB); then reconciler passes until every order equals Toss's
 * state. A CREATING order whose create lease is live, or an EXECUTING one whose execute call may
 * still run, is left alone by the reconciler: the next pass comes when the first of them lapses
 * (at most a second later, in case Toss moved on meanwhile, e.g. a slow bank leg ending).
 */
async function settle(run: Run): Promise<void> {
  await clearFaults(s.sandbox.url);
  await countDbFaultHits();
  await proxy.clearFaults();
  run.log.push('settle');
  for (const slot of run.slots) {
    const o = slot.body === undefined ? undefined : await s.readOrder(slot.orderNo);
    if (o?.refundInFlight !== undefined) saw('refund PENDING when settling began');
  }
  const started = Date.now();
  let lastLeft = '';
  let heldBack = false;
  /** The logical now the next pass must reach: an order's next re-check after payment. */
  let reach = 0;
  for (;;) {
    const sum = await rec.pass({ atLeast: reach });
    await run.check(false);
    const left = await run.unsettled();
    if (left.length === 0) return;
    const waitingFor = left.map((u) => u.what).join('; ');
    if (waitingFor !== lastLeft)
      run.log.push(`  pass (now +${Math.round((rec.now() - Date.now()) / 86_400_000)} d): examined ${sum.examined}, changed ${JSON.stringify(sum.changed)}, errors ${sum.errors}; not settled: ${waitingFor}`);
    lastLeft = waitingFor;
    if (Date.now() - started > SETTLE_LIMIT_MS) throw new Error(`not in Toss's state ${SETTLE_LIMIT_MS} ms after the faults were cleared: ${waitingFor}`);
    reach = 0;
    for (const u of left) {
      if (u.refunds === undefined) continue;
      if (u.refunds.dueAt !== undefined) {
        // The next pass reaches its next re-check (the reconciler finds a refund made at Toss then).
        if (u.refunds.dueAt > rec.now()) reach = Math.max(reach, u.refunds.dueAt);
        if (u.refunds.dueAt > rec.now() + 86_400_000) saw('settling pass moved on to a re-check after payment');
      } else if (!u.refunds.pending) {
        // Its re-checks after payment are over in the passes' logical time (which runs far ahead
        // of the refund made at Toss): the merchant's refresh finds it.
        const r = run.reply('refresh (settling)', await refreshRequest(u.orderNo));
        if (r.status !== 200) throw new Error(`refresh answered ${r.status} after the faults were cleared: ${r.text.slice(0, 300)}`);
        saw('settling: refunds made at Toss found by ?refresh=true (re-checks over)');
      }
    }
    const lapses = left.flatMap((u) => (u.lockedUntil !== undefined ? [u.lockedUntil] : []));
    if (lapses.length > 0 && !heldBack) saw('settling held back by a lease or lock');
    heldBack ||= lapses.length > 0;
    const pause = lapses.length === 0 ? 200 : Math.min(1_000, Math.max(50, Math.min(...lapses) - Date.now() + 20));
    settleWaitMs += pause;
    await new Promise((r) => setTimeout(r, pause));
  }
}

async function runSequence(actions: Action[]): Promise<void> {
  const run = new Run();
  try {
    for (const a of actions) {
      await run.step(a);
      await run.check(false);
    }
    await settle(run);
    // Waiting payments expire; the reconciler follows.
    await advanceClock(s.sandbox.url, 61 * 60);
    const sum = await rec.pass();
    run.log.push(`expired; pass: examined ${sum.examined}, changed ${JSON.stringify(sum.changed)}, errors ${sum.errors}`);
    await run.check(true);
    for (const slot of run.slots) {
      if (slot.seen !== undefined) finals[slot.seen] = (finals[slot.seen] ?? 0) + 1;
      const o = await s.readOrder(slot.orderNo);
      if ((o?.supersededPayTokens?.length ?? 0) > 0) saw('order with a replaced payment');
      if ((o?.execAttempts ?? 0) > 0) saw('order executed');
      if ((o?.execAttempts ?? 0) > 1) saw('order executed again');
      if (o?.history.some((h) => h.to === 'EXECUTE_FAILED') === true) saw('order whose execute Toss refused');
      if (o?.history.some((h) => h.source === 'create' && h.from === 'CREATING' && !['PAY_STANDBY', 'CREATE_FAILED'].includes(h.to)))
        saw('create retry recorded a later Toss state');
      if (o === undefined) continue;
      const refunds = refundsOf(o);
      for (const r of refunds) saw(`refund ${r.source} ${r.status} in the end`);
      if (refunds.some((r) => r.source === 'api' && r.status === 'SUCCEEDED') && refunds.some((r) => r.source === 'toss')) saw('order refunded by us and at Toss');
      if (isPaid(o.status)) saw(`order ${paymentStateOf(o)} in the end`);
      if (o.history.some((h) => isSettlement(h.to))) saw(`order settled, ${o.status} in the end`);
    }
  } catch (e) {
    throw new Error(`${(e as Error).message}\n  steps:\n${run.log.join('\n')}`, { cause: e });
  } finally {
    // Every order of the run is finished now (or the property failed): start the next from a clean Toss.
    await countDbFaultHits();
    await proxy.clearFaults();
    await resetSandbox(s.sandbox.url);
  }
}

describe('model-based: random interleavings never break the invariants', () => {
  it(`${RUNS} random sequences (seed ${SEED})`, async () => {
    console.log(`model-based test: seed ${SEED} (MODEL_SEED=${SEED} reproduces it)`);
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(sequence, runSequence),
      { numRuns: RUNS, seed: SEED, endOnFailure: !SHRINK, ...(PATH !== undefined ? { path: PATH } : {}) },
    );
    console.log(`model-based test: final states ${JSON.stringify(finals)}; ${Date.now() - started} ms, ${settleWaitMs} ms of it between settling passes`);
    console.log(`model-based test: explored ${JSON.stringify(Object.fromEntries(Object.entries(explored).sort()))}`);
    // The reconciler never failed on its own (Toss errors are warnings, not errors).
    expect(rec.logs.filter((l) => l.level === 'error')).toEqual([]);
  }, SHRINK ? 3_600_000 : 480_000);
});
