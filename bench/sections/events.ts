/**
 * g. Events: change-to-delivery latency and events delivered per second, through the local stack
 * as `npm start` runs it, in this (fresh) process: the gateway with the real functions, the stream
 * consumer (local/dynamodb-streams.ts, with npm start's settings: GetRecords every 250 ms when a
 * shard is idle, batches of up to 100, one batch per shard at a time) feeding functions/events,
 * the EventBridge stand-in (local/eventbridge.ts) as EVENTBRIDGE_ENDPOINT and a webhook receiver
 * (bench/lib/webhook-receiver.ts) registered as one webhook endpoint through the API (`POST
 * /webhook-endpoints`, as a merchant does; MERCHANT_WEBHOOK_URL is the same delivery code), and the webhook retrier every 10 s as npm
 * start runs it (a first attempt the events function could not make in its budget is the
 * retrier's; the hanging phase's deliveries are due but never answered). DynamoDB Local and the Toss sandbox are
 * other processes. The event measured is payment.completed: the callback settles a paid order
 * (its callback dropped by the sandbox, the bench delivers it), the stream carries the change.
 *
 * - Latency: `latencyOrders` callbacks one at a time, 100–200 ms apart (random, so the posts do not
 *   fall in step with the polling). Per order: from the committed change (the event's `timestamp`,
 *   the order's updatedAt) and from the callback's 200 at the client, to the entry's arrival at the
 *   bus stand-in and the delivery's arrival at the receiver (all on this machine's clock).
 * - Storm: `stormCallbacks` callbacks posted through the gateway at once, `concurrency` in flight
 *   (section c's load), `repetitions` runs; events/s = events ÷ time from the first callback sent
 *   to the last event's arrival; the same latencies under that load.
 * - A hanging receiver: `hangOrders` callbacks one at a time as in the latency phase, while the
 *   receiver holds every request unanswered. From the committed change to the event's log time
 *   (`loggedAt`, GET /events) and to its arrival at the bus; and what became of the deliveries
 *   (first attempts cut at the events function's budget, or left due for the retrier).
 * - Fan-out: `fanOutCallbacks` callbacks posted as in the storm (`concurrency` in flight), once with
 *   each number of endpoints of `fanOutEndpoints` (1, 5, 20: the endpoints replaced through the API
 *   before each run, each a path of its own on the receiver). Deliveries/s = orders × endpoints ÷
 *   time from the first callback sent to the last delivery's arrival; change → webhook over every
 *   delivery, and per event to its last endpoint.
 */
import { randomBytes } from 'node:crypto';
import { startStreamConsumer, type StreamConsumer } from '../../local/dynamodb-streams.ts';
import { startEventBridge, type EventBridgeStandIn } from '../../local/eventbridge.ts';
import { invokeScheduled } from '../../local/start.ts';
import { mapPool, progress } from '../lib/pool.ts';
import type { EventsSizes } from '../lib/sizes.ts';
import { makePaidOrders, startBenchStack, type BenchStack, type PaidOrder } from '../lib/stack.ts';
import { latencies, type LatencySummary } from '../lib/stats.ts';
import { MERCHANT_TOKEN } from '../lib/stack.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../lib/webhook-receiver.ts';

export interface LatencyFigures {
  /** Committed change (updatedAt) → logged (the event's loggedAt), ms. */
  changeToLog: LatencySummary;
  /** Committed change (updatedAt) → entry received by the bus stand-in, ms. */
  changeToBus: LatencySummary;
  /** Committed change → delivery received by the webhook receiver, ms. */
  changeToWebhook: LatencySummary;
  /** The callback's reply at the client → bus, ms. */
  replyToBus: LatencySummary;
  /** The callback's reply at the client → webhook, ms. */
  replyToWebhook: LatencySummary;
}

export interface StormRun {
  callbacks: number;
  /** First callback sent → last callback reply, s. */
  callbacksSeconds: number;
  callbacksPerSecond: number;
  /** First callback sent → last event at the bus / at the webhook, s. */
  busSeconds: number;
  webhookSeconds: number;
  busEventsPerSecond: number;
  webhookEventsPerSecond: number;
  /** Last callback reply → last webhook delivery, s: the backlog drained after the storm. */
  drainSeconds: number;
  latency: LatencyFigures;
  non200: number;
}

/** The hanging-receiver phase: the log and the bus while no webhook is ever answered. */
export interface HangFigures {
  orders: number;
  /** The events function's budget for first webhook attempts per invocation (WEBHOOK_FIRST_ATTEMPT_MS default), ms. */
  budgetMs: number;
  /** Committed change → logged, ms. */
  changeToLog: LatencySummary;
  /** Committed change → entry received by the bus stand-in, ms. */
  changeToBus: LatencySummary;
  /** Requests the receiver held unanswered. */
  receiverHeld: number;
  /** First attempts cut at the budget (recorded; retried on the schedule). */
  cutAttempts: number;
  /** Deliveries left due for the retrier without an attempt. */
  leftDue: number;
  /** Deliveries of the phase's events that are due (pending) at its end: all of them. */
  pending: number;
}

/** One fan-out run: the same storm of callbacks, each event to `endpoints` endpoints. */
export interface FanOutRun {
  endpoints: number;
  callbacks: number;
  /** Orders × endpoints. */
  deliveries: number;
  callbacksPerSecond: number;
  /** First callback sent → last delivery at the receiver, s. */
  webhookSeconds: number;
  deliveriesPerSecond: number;
  /** Committed change → each delivery's arrival, ms (every endpoint's). */
  changeToWebhook: LatencySummary;
  /** Committed change → the event's arrival at the last of its endpoints, ms. */
  changeToLastEndpoint: LatencySummary;
  non200: number;
}

export interface EventsResult {
  sizes: EventsSizes;
  /** The stream consumer's settings (npm start's). */
  consumer: { pollIntervalMs: number; batchSize: number };
  latency: LatencyFigures & { orders: number };
  storm: StormRun[];
  /** Absent from runs before the phase existed. */
  hang?: HangFigures;
  /** Stream consumer counters over the whole section. */
  stream: { invocations: number; recordsPassed: number; shards: number };
  /** Events that arrived at the bus or webhook more than once (at-least-once: expected 0 here). */
  duplicates: { bus: number; webhook: number };
  /** Absent from runs before endpoints. */
  fanOut?: FanOutRun[];
}

const POLL_MS = 250;
const BATCH = 100;
/** npm start's WEBHOOK_RETRY_INTERVAL_SECONDS default. */
const RETRIER_EVERY_MS = 10_000;
/** The events function's default WEBHOOK_FIRST_ATTEMPT_MS (shared/config.ts): the bench runs it unset. */
const FIRST_ATTEMPT_BUDGET_MS = 2_000;

interface Arrival {
  orderNo: string;
  /** The event's timestamp (the committed change), epoch ms. */
  changeAt: number;
  at: number;
}

interface Sent {
  orderNo: string;
  repliedAt: number;
  status: number;
}

/** payment.completed arrivals at the bus stand-in, by orderNo (first arrival). */
function busArrivals(bus: EventBridgeStandIn): Map<string, Arrival> {
  const out = new Map<string, Arrival>();
  for (const e of bus.entries()) {
    if (e.DetailType !== 'payment.completed') continue;
    const d = e.Detail as { timestamp?: string; data?: { orderNo?: string } };
    const orderNo = d.data?.orderNo;
    if (orderNo === undefined || out.has(orderNo)) continue;
    out.set(orderNo, { orderNo, changeAt: Date.parse(d.timestamp ?? ''), at: Date.parse(e.ReceivedAt) });
  }
  return out;
}

function webhookArrivals(w: WebhookReceiver, path?: string): Map<string, Arrival> {
  const out = new Map<string, Arrival>();
  for (const d of w.deliveries()) {
    if (path !== undefined && d.path !== path) continue;
    if (d.type !== 'payment.completed' || out.has(d.orderNo)) continue;
    out.set(d.orderNo, { orderNo: d.orderNo, changeAt: Date.parse(d.timestamp), at: d.at });
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Logged {
  orderNo: string;
  type: string;
  timestamp: string;
  loggedAt: string;
  cursor: string;
  delivery: { status: string; attempts: { error?: string }[] };
}

/** The log after `after` (GET /events, every page), and the cursor to go on from. */
async function readLog(api: string, after: string | undefined): Promise<{ events: Logged[]; cursor: string | undefined }> {
  const events: Logged[] = [];
  let cursor = after;
  for (;;) {
    const res = await fetch(`${api}/events?limit=100${cursor !== undefined ? `&after=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${MERCHANT_TOKEN}` } });
    if (!res.ok) throw new Error(`events: GET /events answered ${res.status}`);
    const page = (await res.json()) as { events: (Omit<Logged, 'orderNo'> & { data: { orderNo: string } })[]; next?: string };
    for (const e of page.events) events.push({ ...e, orderNo: e.data.orderNo });
    cursor = page.next ?? page.events.at(-1)?.cursor ?? cursor;
    if (page.next === undefined) return { events, cursor };
  }
}

/** payment.completed in the log, by orderNo: the change and when it was logged. */
const logArrivals = (events: Logged[]): Map<string, Arrival> =>
  new Map(events.filter((e) => e.type === 'payment.completed').map((e) => [e.orderNo, { orderNo: e.orderNo, changeAt: Date.parse(e.timestamp), at: Date.parse(e.loggedAt) }]));

/** Waits until every order has its event at the bus and at the webhook (or throws after `timeoutMs`). */
async function arrived(bus: EventBridgeStandIn, w: WebhookReceiver, orders: PaidOrder[], timeoutMs: number): Promise<{ bus: Map<string, Arrival>; webhook: Map<string, Arrival> }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const b = busArrivals(bus);
    const h = webhookArrivals(w);
    if (orders.every((o) => b.has(o.orderNo) && h.has(o.orderNo))) return { bus: b, webhook: h };
    if (Date.now() > until) {
      throw new Error(`events: after ${timeoutMs / 1000} s, ${orders.filter((o) => b.has(o.orderNo)).length}/${orders.length} at the bus, ${orders.filter((o) => h.has(o.orderNo)).length} at the webhook`);
    }
    await sleep(20);
  }
}

function latency(orders: PaidOrder[], sent: Map<string, Sent>, bus: Map<string, Arrival>, webhook: Map<string, Arrival>, log: Map<string, Arrival>): LatencyFigures {
  const of = (m: Map<string, Arrival>, from: (o: PaidOrder, a: Arrival) => number): number[] =>
    orders.map((o) => {
      const a = m.get(o.orderNo)!;
      return a.at - from(o, a);
    });
  const change = (_o: PaidOrder, a: Arrival): number => a.changeAt;
  const reply = (o: PaidOrder): number => sent.get(o.orderNo)!.repliedAt;
  return {
    changeToLog: latencies(of(log, change)),
    changeToBus: latencies(of(bus, change)),
    changeToWebhook: latencies(of(webhook, change)),
    replyToBus: latencies(of(bus, reply)),
    replyToWebhook: latencies(of(webhook, reply)),
  };
}

async function post(base: string, o: PaidOrder): Promise<Sent> {
  const res = await fetch(`${base}/payments/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify(o.callbackBody),
  });
  await res.arrayBuffer();
  return { orderNo: o.orderNo, repliedAt: Date.now(), status: res.status };
}

export async function runEvents(args: { dynamoEndpoint: string; sandboxUrl: string; tableName: string } & EventsSizes): Promise<EventsResult> {
  let bus: EventBridgeStandIn | undefined;
  let receiver: WebhookReceiver | undefined;
  let stack: BenchStack | undefined;
  let consumer: StreamConsumer | undefined;
  let retrier: NodeJS.Timeout | undefined;
  try {
    bus = await startEventBridge({ port: 0, host: '127.0.0.1' });
    receiver = await startWebhookReceiver();
    const b = bus;
    const w = receiver;
    // The events function reads these when it starts (startBenchStack resets the containers after).
    // The webhook goes to an endpoint of the API (below), not to MERCHANT_WEBHOOK_URL.
    delete process.env.MERCHANT_WEBHOOK_URL;
    Object.assign(process.env, {
      EVENTBRIDGE_ENDPOINT: b.url,
      EVENT_BUS_NAME: 'toss-pay-bench',
      MERCHANT_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
    });
    stack = await startBenchStack({
      functionsEndpoint: args.dynamoEndpoint,
      adminEndpoint: args.dynamoEndpoint,
      sandboxUrl: args.sandboxUrl,
      tableName: args.tableName,
      powertools: false,
    });
    const s = stack;
    /** The webhook endpoints: the `n` given, each a path of its own on the receiver (those there before removed). */
    const endpoints = async (n: number): Promise<string[]> => {
      const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
        const res = await fetch(`${s.api}${path}`, {
          method,
          headers: { authorization: `Bearer ${MERCHANT_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        if (!res.ok) throw new Error(`events: ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
        return (await res.json()) as Record<string, unknown>;
      };
      const { endpoints: old } = (await call('GET', '/webhook-endpoints')) as { endpoints: { id: string }[] };
      for (const e of old) await call('DELETE', `/webhook-endpoints/${e.id}`);
      const paths: string[] = [];
      for (let k = 0; k < n; k++) {
        const path = `/webhooks?endpoint=${n}-${k}`;
        await call('POST', '/webhook-endpoints', { url: new URL(path, w.url).toString() });
        paths.push(path);
      }
      return paths;
    };
    await endpoints(1);
    consumer = await startStreamConsumer({
      endpoint: args.dynamoEndpoint,
      tableName: args.tableName,
      region: 'ap-northeast-2',
      pollIntervalMs: POLL_MS,
      batchSize: BATCH,
      log: { info: () => undefined, error: (l: string) => void process.stderr.write(`${l}\n`) },
    });
    const c = consumer;
    retrier = setInterval(() => {
      invokeScheduled('webhook-retrier').catch((e: unknown) => progress(`events: the webhook retrier failed: ${String(e)}`));
    }, RETRIER_EVERY_MS);

    /** Fresh paid orders whose creation the stream has already carried (so only the callbacks' changes follow). */
    const fresh = async (prefix: string, n: number): Promise<PaidOrder[]> => {
      const orders = await makePaidOrders(s, prefix, n, 16);
      await c.caughtUp(120_000);
      b.clear();
      w.clear();
      return orders;
    };

    // Warm-up: the functions' first invocations (imports, clients) are not measured.
    const warm = await fresh('ev-warm', 20);
    await mapPool(warm, 4, (o) => post(s.api, o));
    await arrived(b, w, warm, 60_000);

    // ---- Latency: one callback at a time.
    let cursor = (await readLog(s.api, undefined)).cursor;
    const lat = await fresh('ev-lat', args.latencyOrders);
    const sent = new Map<string, Sent>();
    for (const o of lat) {
      const r = await post(s.api, o);
      if (r.status !== 200) throw new Error(`events: callback ${o.orderNo}: HTTP ${r.status}`);
      sent.set(o.orderNo, r);
      await sleep(100 + Math.random() * 100);
    }
    const got = await arrived(b, w, lat, 60_000);
    const latLog = await readLog(s.api, cursor);
    cursor = latLog.cursor;
    const latencyFigures = { orders: lat.length, ...latency(lat, sent, got.bus, got.webhook, logArrivals(latLog.events)) };
    progress(`events: latency over ${lat.length} orders, change → webhook p50 ${latencyFigures.changeToWebhook.p50.toFixed(0)} ms`);

    // ---- A hanging receiver: one callback at a time; the log and the bus must not wait on it.
    const hangOrders = await fresh('ev-hang', args.hangOrders);
    cursor = (await readLog(s.api, cursor)).cursor;
    w.hang(true);
    for (const o of hangOrders) {
      const r = await post(s.api, o);
      if (r.status !== 200) throw new Error(`events: callback ${o.orderNo}: HTTP ${r.status}`);
      await sleep(100 + Math.random() * 100);
    }
    const hangLog = await (async () => {
      const until = Date.now() + 120_000;
      const seen: Logged[] = [];
      for (;;) {
        const r = await readLog(s.api, cursor);
        seen.push(...r.events);
        cursor = r.cursor;
        const bus = busArrivals(b);
        if (hangOrders.every((o) => bus.has(o.orderNo) && seen.some((e) => e.orderNo === o.orderNo))) return seen;
        if (Date.now() > until) throw new Error('events: the hanging phase did not reach the log and the bus in 120 s');
        await sleep(50);
      }
    })();
    await c.caughtUp(120_000);
    const hangBus = busArrivals(b);
    const hangEvents = (await readLog(s.api, undefined)).events.filter((e) => e.type === 'payment.completed' && hangOrders.some((o) => o.orderNo === e.orderNo));
    const changeOf = (m: Map<string, Arrival>): number[] => hangOrders.map((o) => (m.get(o.orderNo)?.at ?? Number.NaN) - (m.get(o.orderNo)?.changeAt ?? Number.NaN));
    const hang: HangFigures = {
      orders: hangOrders.length,
      budgetMs: FIRST_ATTEMPT_BUDGET_MS,
      changeToLog: latencies(changeOf(logArrivals(hangLog))),
      changeToBus: latencies(changeOf(hangBus)),
      receiverHeld: w.held(),
      cutAttempts: hangEvents.filter((e) => e.delivery.attempts.some((a) => a.error === 'deadline')).length,
      leftDue: hangEvents.filter((e) => e.delivery.attempts.length === 0).length,
      pending: hangEvents.filter((e) => e.delivery.status === 'pending').length,
    };
    w.hang(false);
    progress(`events: hanging receiver, change → log p50 ${hang.changeToLog.p50.toFixed(0)} ms, change → bus p50 ${hang.changeToBus.p50.toFixed(0)} ms`);

    // ---- Storm: many callbacks at once.
    const storm: StormRun[] = [];
    let dupBus = 0;
    let dupWebhook = 0;
    const countDuplicates = (): void => {
      const ids = (xs: string[]): number => xs.length - new Set(xs).size;
      dupBus += ids(b.entries().map((e) => String((e.Detail as { id?: string }).id)));
      dupWebhook += ids(w.deliveries().map((d) => d.id));
    };
    countDuplicates();
    for (let r = 0; r < args.repetitions; r++) {
      const orders = await fresh(`ev-storm${r}`, args.stormCallbacks);
      const t0 = Date.now();
      const replies = await mapPool(orders, args.concurrency, (o) => post(s.api, o));
      const lastReply = Math.max(...replies.map((x) => x.repliedAt));
      const arrivedAt = await arrived(b, w, orders, 180_000);
      const stormRead = await readLog(s.api, cursor);
      cursor = stormRead.cursor;
      const stormLog = logArrivals(stormRead.events);
      const lastBus = Math.max(...[...arrivedAt.bus.values()].map((a) => a.at));
      const lastWebhook = Math.max(...[...arrivedAt.webhook.values()].map((a) => a.at));
      const n = orders.length;
      const run: StormRun = {
        callbacks: n,
        callbacksSeconds: (lastReply - t0) / 1000,
        callbacksPerSecond: n / ((lastReply - t0) / 1000),
        busSeconds: (lastBus - t0) / 1000,
        webhookSeconds: (lastWebhook - t0) / 1000,
        busEventsPerSecond: n / ((lastBus - t0) / 1000),
        webhookEventsPerSecond: n / ((lastWebhook - t0) / 1000),
        drainSeconds: (lastWebhook - lastReply) / 1000,
        latency: latency(orders, new Map(replies.map((x) => [x.orderNo, x])), arrivedAt.bus, arrivedAt.webhook, stormLog),
        non200: replies.filter((x) => x.status !== 200).length,
      };
      storm.push(run);
      countDuplicates();
      progress(`events: storm ${r + 1}/${args.repetitions}: ${run.webhookEventsPerSecond.toFixed(0)} events/s at the webhook (${run.callbacksPerSecond.toFixed(0)} callbacks/s)`);
    }
    // ---- Fan-out: the storm again, each event to 1, 5 and 20 endpoints.
    const fanOut: FanOutRun[] = [];
    for (const n of args.fanOutEndpoints) {
      const paths = await endpoints(n);
      const orders = await fresh(`ev-fan${n}`, args.fanOutCallbacks);
      const t0 = Date.now();
      const replies = await mapPool(orders, args.concurrency, (o) => post(s.api, o));
      const lastReply = Math.max(...replies.map((x) => x.repliedAt));
      const until = Date.now() + 300_000;
      let arrivals: Map<string, Arrival>[] = [];
      for (;;) {
        arrivals = paths.map((p) => webhookArrivals(w, p));
        if (arrivals.every((m) => orders.every((o) => m.has(o.orderNo)))) break;
        if (Date.now() > until) throw new Error(`events: fan-out to ${n}: not every delivery arrived in 300 s`);
        await sleep(20);
      }
      const every = arrivals.flatMap((m) => orders.map((o) => m.get(o.orderNo)!));
      const lastOf = orders.map((o) => Math.max(...arrivals.map((m) => m.get(o.orderNo)!.at)) - arrivals[0]!.get(o.orderNo)!.changeAt);
      const lastDelivery = Math.max(...every.map((a) => a.at));
      const run: FanOutRun = {
        endpoints: n,
        callbacks: orders.length,
        deliveries: every.length,
        callbacksPerSecond: orders.length / ((lastReply - t0) / 1000),
        webhookSeconds: (lastDelivery - t0) / 1000,
        deliveriesPerSecond: every.length / ((lastDelivery - t0) / 1000),
        changeToWebhook: latencies(every.map((a) => a.at - a.changeAt)),
        changeToLastEndpoint: latencies(lastOf),
        non200: replies.filter((x) => x.status !== 200).length,
      };
      fanOut.push(run);
      progress(`events: fan-out to ${n}: ${run.deliveriesPerSecond.toFixed(0)} deliveries/s, change → webhook p50 ${run.changeToWebhook.p50.toFixed(0)} ms`);
    }
    const st = c.stats();
    return {
      sizes: {
        latencyOrders: args.latencyOrders,
        stormCallbacks: args.stormCallbacks,
        concurrency: args.concurrency,
        repetitions: args.repetitions,
        hangOrders: args.hangOrders,
        fanOutCallbacks: args.fanOutCallbacks,
        fanOutEndpoints: args.fanOutEndpoints,
      },
      consumer: { pollIntervalMs: POLL_MS, batchSize: BATCH },
      latency: latencyFigures,
      storm,
      hang,
      stream: { invocations: st.invocations, recordsPassed: st.passed, shards: st.shards },
      duplicates: { bus: dupBus, webhook: dupWebhook },
      fanOut,
    };
  } finally {
    clearInterval(retrier);
    await consumer?.stop();
    await stack?.close();
    await receiver?.close();
    await bus?.close();
  }
}
