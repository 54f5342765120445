/**
 * f. DynamoDB requests and Toss calls per refund, through `POST /payments/{orderNo}/refunds` on the
 * local gateway (the real, unmodified functions: the authorizer, then refund-payment), beside the
 * minimum. DynamoDB requests are counted by the proxy in front of DynamoDB Local
 * (local/dynamodb-proxy.ts, by X-Amz-Target and table), Toss calls by the sandbox's own per-payment
 * counters (by API). Each phase sends its requests one at a time, on its own fresh orders, paid and
 * settled (PAY_COMPLETE) before the counting starts:
 *
 * - full refund (no amount: everything left), partial refund (a third of the amount);
 * - the same Idempotency-Key and body again, on the orders of the partial phase (200, stored result);
 * - a full refund of a settled order (settled at Toss, and recorded settled by `?refresh=true` before
 *   the counting): its refund asks Toss's status first;
 * - Toss failed (the sandbox's `http5xx` fault): the request (its refund left PENDING, its lease ended
 *   at once), then the same request again (it takes the refund's lease and asks Toss again);
 * - the same request 10 times at once while its Toss call runs (a PENDING refund, Toss's reply 300 ms
 *   late): one takes the lease and asks Toss, the others read the order and get 409;
 * - Toss's reply lost (the sandbox's `lose-reply` fault: the refund is made, the socket closed): the
 *   request, then the reconciler pass that concludes it (reconcilePass, composed as functions/reconciler
 *   does, its clock ten minutes ahead, so the refunds in flight are due, their lease over, and nothing
 *   else is), counted apart and per refund.
 */
import { remoteProxy, type OpCounts } from '../../local/dynamodb-proxy.ts';
import { clearFaults, getPayment, setFault, settleAtToss, type ApiName } from '../../local/toss-sandbox/control-client.ts';
import { CREATE_IN_FLIGHT_MS, reconcilerContainer } from '../../shared/deps.ts';
import { reconcilePass } from '../../shared/payments/reconcile/pass.ts';
import { mapPool, progress } from '../lib/pool.ts';
import { makePaidOrders, MERCHANT_TOKEN, postCallback, startBenchStack, type BenchStack, type PaidOrder } from '../lib/stack.ts';

export interface RefundMinimum {
  reads: number;
  writes: number;
  /** Toss API → calls. */
  toss: Partial<Record<ApiName, number>>;
  why: string;
}

export interface RefundPhase {
  label: string;
  /** Requests (or, for the reconciler, refunds it settled). */
  n: number;
  /** HTTP status → how many (the reconciler: `settled` → how many). */
  replies: Record<string, number>;
  /** Per refund. */
  reads: number;
  writes: number;
  failedConditions: number;
  byOperation: Record<string, number>;
  /** Per refund, Toss calls by API (the sandbox's counters). */
  toss: Partial<Record<ApiName, number>>;
  minimum: RefundMinimum;
  /** Why a request beyond the minimum exists (when one does). */
  extra?: string;
}

export interface RefundsResult {
  ordersPerPhase: number;
  phases: RefundPhase[];
}

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const MINUTE = 60_000;

function perRefund(counts: OpCounts, table: string, n: number): Pick<RefundPhase, 'reads' | 'writes' | 'failedConditions' | 'byOperation'> {
  let reads = 0;
  let writes = 0;
  let failed = 0;
  const byOperation: Record<string, number> = {};
  for (const [t, ops] of Object.entries(counts)) {
    for (const [op, c] of Object.entries(ops)) {
      if (READS.has(op)) reads += c.requests;
      if (WRITES.has(op)) {
        writes += c.requests;
        failed += c.errors;
      }
      byOperation[`${t === table ? 'orders' : t} ${op}`] = c.requests / n;
    }
  }
  return { reads: reads / n, writes: writes / n, failedConditions: failed / n, byOperation };
}

/** Toss calls of these orders so far, summed by API. */
async function tossCalls(s: BenchStack, orders: PaidOrder[]): Promise<Partial<Record<ApiName, number>>> {
  const sum: Partial<Record<ApiName, number>> = {};
  for (const calls of await mapPool(orders, 8, async (o) => (await getPayment(s.sandboxUrl, o.payToken)).calls)) {
    for (const [api, c] of Object.entries(calls) as [ApiName, number][]) sum[api] = (sum[api] ?? 0) + c;
  }
  return sum;
}

function diff(after: Partial<Record<ApiName, number>>, before: Partial<Record<ApiName, number>>, n: number): Partial<Record<ApiName, number>> {
  const out: Partial<Record<ApiName, number>> = {};
  for (const [api, c] of Object.entries(after) as [ApiName, number][]) {
    const d = c - (before[api] ?? 0);
    if (d !== 0) out[api] = d / n;
  }
  return out;
}

export async function runRefunds(args: { dynamoEndpoint: string; proxyEndpoint: string; sandboxUrl: string; orders: number; tableName: string }): Promise<RefundsResult> {
  const proxy = remoteProxy(args.proxyEndpoint);
  let stack: BenchStack | undefined;
  try {
    stack = await startBenchStack({
      functionsEndpoint: proxy.endpoint,
      adminEndpoint: args.dynamoEndpoint,
      sandboxUrl: args.sandboxUrl,
      tableName: args.tableName,
      powertools: false,
    });
    const s = stack;
    const n = args.orders;
    const phases: RefundPhase[] = [];

    /** Fresh orders, paid at Toss and settled in our table by their callback (PAY_COMPLETE). */
    const paidOrders = async (prefix: string): Promise<PaidOrder[]> => {
      const orders = await makePaidOrders(s, prefix, n, 8);
      const statuses = await mapPool(orders, 8, (o) => postCallback(s.api, o.callbackBody));
      if (statuses.some((st) => st !== 200)) throw new Error(`refunds: paying ${prefix} orders: HTTP ${statuses.join(',')}`);
      return orders;
    };

    const refund = async (o: PaidOrder, key: string, body: Record<string, unknown>): Promise<number> => {
      const res = await fetch(`${s.api}/payments/${encodeURIComponent(o.orderNo)}/refunds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${MERCHANT_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      return res.status;
    };

    /** Counts DynamoDB requests and Toss calls around `run` (which returns one label per refund). */
    const phase = async (
      label: string,
      orders: PaidOrder[],
      run: () => Promise<string[]>,
      minimum: RefundMinimum,
      extra?: string,
    ): Promise<void> => {
      const before = await tossCalls(s, orders);
      await proxy.reset();
      const outcomes = await run();
      const counts = await proxy.counts();
      const toss = diff(await tossCalls(s, orders), before, orders.length);
      const replies: Record<string, number> = {};
      for (const o of outcomes) replies[o] = (replies[o] ?? 0) + 1;
      phases.push({ label, n: orders.length, replies, ...perRefund(counts, s.tableName, orders.length), toss, minimum, ...(extra !== undefined ? { extra } : {}) });
      progress(`refunds: ${label} done`);
    };
    const oneByOne = (orders: PaidOrder[], send: (o: PaidOrder) => Promise<number>) => async () =>
      (await mapPool(orders, 1, send)).map(String);

    const made: RefundMinimum = {
      reads: 1,
      writes: 2,
      toss: { refunds: 1 },
      why: 'read the order (paid? the balance, the key), one conditional write records the refund PENDING (so two requests cannot both pass), Toss v2/refunds, one write records its outcome',
    };

    const full = await paidOrders('rf-full');
    await phase('full refund (everything left)', full, oneByOne(full, (o) => refund(o, 'bench-full', { amountTaxFree: 0 })), made);

    const part = await paidOrders('rf-part');
    const partBody = { amount: 5_000, amountTaxFree: 0, reason: 'bench partial refund' };
    await phase('partial refund (5,000 of 15,000)', part, oneByOne(part, (o) => refund(o, 'bench-part', partBody)), made);
    await phase('the same Idempotency-Key and body again', part, oneByOne(part, (o) => refund(o, 'bench-part', partBody)), {
      reads: 1,
      writes: 0,
      toss: {},
      why: 'read the order: the refund stored under the key is the reply; nothing changes and Toss is not asked',
    });

    // Settled at Toss and recorded settled here (a refresh), before the counting starts.
    const settled = await paidOrders('rf-settled');
    await mapPool(settled, 8, async (o) => {
      await settleAtToss(s.sandboxUrl, o.payToken);
      const res = await fetch(`${s.api}/payments/${encodeURIComponent(o.orderNo)}?refresh=true`, { headers: { authorization: `Bearer ${MERCHANT_TOKEN}` } });
      const body = (await res.json()) as { status?: string };
      if (body.status !== 'SETTLEMENT_COMPLETE') throw new Error(`refunds: ${o.orderNo} is ${String(body.status)} after settling at Toss`);
    });
    await phase('a settled order: full refund (Toss asked first)', settled, oneByOne(settled, (o) => refund(o, 'bench-settled', { amountTaxFree: 0 })), {
      reads: 1,
      writes: 2,
      toss: { status: 1, refunds: 1 },
      why: "as a full refund, plus Toss's status first: after settlement a refund made in Toss's console may be unknown to us (the re-checks after payment may be over), and the balance is at most Toss's refundableAmount",
    });

    // Toss failed: the refund stays PENDING; the same request again asks Toss under the refund's lease.
    const failed = await paidOrders('rf-5xx');
    const setFailures = (orders: PaidOrder[]) =>
      setFault(
        s.sandboxUrl,
        orders.map((o) => ({ target: 'refunds' as const, kind: 'http5xx' as const, payToken: o.payToken, times: 1 })),
      );
    await setFailures(failed);
    await phase('Toss failed (5xx): the request', failed, oneByOne(failed, (o) => refund(o, 'bench-5xx', partBody)), {
      reads: 1,
      writes: 2,
      toss: { refunds: 1 },
      why: 'read the order, record the refund PENDING (taking its lease), Toss v2/refunds (5xx: Toss did nothing), end the lease at once so that a retry need not wait for it',
    });
    await phase('Toss failed (5xx): the same request again', failed, oneByOne(failed, (o) => refund(o, 'bench-5xx', partBody)), {
      reads: 1,
      writes: 2,
      toss: { refunds: 1 },
      why: "read the order, take the refund's lease (one call about a refund at a time), Toss v2/refunds with the same refundNo, one write records its outcome and ends the lease",
    });

    // A storm: the same request 10 times at once while the one that holds the lease waits on Toss.
    const storm = await paidOrders('rf-storm');
    await setFailures(storm);
    await mapPool(storm, 1, (o) => refund(o, 'bench-storm', partBody));
    await setFault(
      s.sandboxUrl,
      storm.map((o) => ({ target: 'refunds' as const, kind: 'latency' as const, ms: 300, payToken: o.payToken, times: 1 })),
    );
    await phase(
      'the same request 10 times at once while its Toss call runs',
      storm,
      async () => {
        const out: string[] = [];
        for (const o of storm) {
          const before = (await getPayment(s.sandboxUrl, o.payToken)).calls.refunds ?? 0;
          const holder = refund(o, 'bench-storm', partBody);
          // Until its call reaches Toss (the sandbox counts it), then the other nine.
          while (((await getPayment(s.sandboxUrl, o.payToken)).calls.refunds ?? 0) === before) await new Promise((r) => setTimeout(r, 5));
          const others = await Promise.all(Array.from({ length: 9 }, () => refund(o, 'bench-storm', partBody)));
          out.push(String(await holder), ...others.map(String));
        }
        return out;
      },
      {
        reads: 10,
        writes: 2,
        toss: { refunds: 1 },
        why: "each request reads the order; the first takes the refund's lease, asks Toss and records its outcome; the nine others find the lease held as they read the order: 409 with Retry-After, no write, nothing sent to Toss",
      },
    );
    await clearFaults(s.sandboxUrl);
    await s.setFaults(0);

    const lost = await paidOrders('rf-lost');
    await setFault(
      s.sandboxUrl,
      lost.map((o) => ({ target: 'refunds' as const, kind: 'lose-reply' as const, payToken: o.payToken, times: 1 })),
    );
    await phase('Toss reply lost: the request', lost, oneByOne(lost, (o) => refund(o, 'bench-lost', partBody)), {
      reads: 1,
      writes: 1,
      toss: { refunds: 1 },
      why: 'read the order, record the refund PENDING, Toss v2/refunds (made, its reply lost): the outcome is unknown, so nothing more can be written',
    });
    await clearFaults(s.sandboxUrl);
    await s.setFaults(0);
    await phase(
      'Toss reply lost: concluded by the reconciler pass',
      lost,
      async () => {
        // Ten minutes on: the refunds in flight are due and the lease of each lost call is over.
        const later = (): number => Date.now() + 10 * MINUTE;
        const summary = await reconcilePass(
          { ...s.deps, clock: later, due: reconcilerContainer('reconciler').due, count: () => undefined },
          { now: later(), concurrency: 16, deadline: Date.now() + 10 * MINUTE, flagAfterMs: 365 * 24 * 60 * MINUTE, createGraceMs: CREATE_IN_FLIGHT_MS },
        );
        const concluded = Object.values(summary.changed).reduce((a, x) => a + x, 0);
        if (concluded !== lost.length) progress(`refunds: the pass concluded ${concluded} of ${lost.length} (${JSON.stringify(summary.changed)})`);
        return [...Array.from({ length: concluded }, () => 'concluded'), ...Array.from({ length: lost.length - concluded }, () => 'not concluded')];
      },
      {
        reads: 1,
        writes: 2,
        toss: { refunds: 1 },
        why: "the due index names the order (one Query per page of 100, shared); its refunds are not projected, so one read; the refund's lease taken (never two calls about it at once); Toss asked for the refund again with the same refundNo (it answers with the refund it made); one write records its outcome",
      },
    );
    return { ordersPerPhase: n, phases };
  } finally {
    await stack?.close();
  }
}
