/**
 * The local stand-in for Lambda's DynamoDB event source mapping: it reads the payments table's
 * stream and invokes the stream function (functions/events) with the records, as AWS does.
 *
 * - DescribeTable gives the table's LatestStreamArn; DescribeStream lists its shards, again every
 *   `discoveryIntervalMs` (shards close and new ones appear over time). A child shard is read only
 *   once its parent is finished, so one item's changes stay in order.
 * - Per shard: GetShardIterator (TRIM_HORIZON), then GetRecords in a loop, a short sleep when a
 *   call returns nothing. An iterator that expired is renewed after the last record read.
 * - Each record is given the shape Lambda gives it (DynamoDBRecord: eventSourceARN, awsRegion,
 *   dynamodb.{Keys, NewImage, OldImage, SequenceNumber, ApproximateCreationDateTime (epoch
 *   seconds), SizeBytes, StreamViewType}; DynamoDB Local's `{}` for an empty map is repaired to
 *   `{"M":{}}`) and passes the event source mapping's filter
 *   (EVENTS_STREAM_FILTER, shared/store/stream-filter.ts: orders and the webhook endpoints inserted or modified); records it
 *   drops are never sent. Batches of at most `batchSize` records, one batch per shard at a time.
 * - The function is invoked through local/gateway/lambda.ts (its Lambda context, its timeout from
 *   shared/functions.ts). Its reply is read as Lambda reads a DynamoDBBatchResponse with
 *   ReportBatchItemFailures: empty, `{}` or `batchItemFailures: []` is success; otherwise the
 *   batch is retried from the lowest failed sequence number (records before it are done). An
 *   error, a timeout, or an itemIdentifier that is not a record of the batch retries the whole batch.
 * - A failing batch is retried after a short backoff (doubling, at most `maxBackoffMs`), forever:
 *   in AWS a record is given up after 6 hours (on-failure queue, alarm); here every failure is
 *   logged, loudly, with its sequence numbers (never the record's data), so it is seen.
 *
 * `poke()` says a change was just written: every shard is read at once, and the shards listed, instead
 * of at the next poll (a test harness pokes on every write it sees, so it can poll rarely otherwise);
 * `caughtUp()` pokes too. `stop()` ends polling, lets a running invocation finish, and closes the clients. Like a new event
 * source mapping, a consumer starts at TRIM_HORIZON: records already in the stream are read again
 * (the events function is idempotent: event ids are derived from the change).
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { endpointSettings } from '../shared/aws-endpoint.ts';
import { tableDefinition } from '../shared/store/table.ts';
import { createFunctionLoader, defaultTimeoutSeconds, invoke, type LambdaHandler } from './gateway/lambda.ts';
import { batchOutcome, errorText, lambdaRecord, eventsStreamFilter, streamsEndpointFor } from './stream-records.ts';

// Named here too, beside the consumer that uses them.
export { batchOutcome, lambdaRecord, eventsStreamFilter, streamsEndpointFor } from './stream-records.ts';

export interface StreamConsumerOptions {
  /** The DynamoDB endpoint (DynamoDB Local, a proxy in front of it, or an AWS endpoint); unset: AWS's. */
  endpoint?: string | undefined;
  tableName: string;
  region?: string;
  /** The function the mapping feeds: functions/<name>/handler.ts. Default `events`. */
  functionName?: string;
  /** How the function is loaded (default: the handler module, imported once, as the gateway does). */
  loadFunction?: (fn: string) => Promise<LambdaHandler>;
  /** The invocation timeout (default: the function's, from shared/functions.ts). */
  timeoutSeconds?: number;
  /** At most this many records per invocation (the deployed mapping: 100). */
  batchSize?: number;
  /** Sleep after a GetRecords that returned nothing (cut short by `poke()`). Default 250 ms (Lambda polls each shard 4 times a second). */
  pollIntervalMs?: number;
  /** How often the stream's shards are listed again. Default 1 s. */
  discoveryIntervalMs?: number;
  /** First retry delay of a failing batch; it doubles up to maxBackoffMs. Defaults 200 ms and 5 s. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Which records reach the function. Default: the deployed mapping's EVENTS_STREAM_FILTER. */
  filter?: (record: DynamoDBRecord) => boolean;
  /** Where its lines go (default: stdout and stderr, written directly as the functions' logs are). Lines start with `[stream]`. */
  log?: { info(line: string): void; error(line: string): void };
}

export interface StreamConsumerStats {
  /** Records read from the stream, filtered out ones included. */
  read: number;
  /** Records that passed the filter. */
  passed: number;
  invocations: number;
  /** Invocations that failed a record or the whole batch (each one retried). */
  failedInvocations: number;
  shards: number;
}

export interface StreamConsumer {
  readonly streamArn: string;
  /**
   * Resolves once everything in the stream when it was called has been handled: every shard read
   * to its end by a GetRecords that started after the call, and no batch waiting or being retried.
   * Rejects after `timeoutMs` (default 10 s), e.g. while a batch keeps failing.
   */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** A change was just written: read every shard now, and list the shards, rather than at the next poll. */
  poke(): void;
  stats(): StreamConsumerStats;
  /** Stops polling, waits for an invocation in flight, closes the clients. */
  stop(): Promise<void>;
}

/** Sleeps `ms`, or less when `signal` aborts or `wakers` are woken (each sleeper adds its waker while it sleeps). */
const sleep = (ms: number, signal: AbortSignal, wakers?: Set<() => void>): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      wakers?.delete(done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
    wakers?.add(done);
  });

interface ShardState {
  id: string;
  parent: string | undefined;
  /** Read to its end (a closed shard) and every record handled. */
  done: boolean;
  /** When the last GetRecords that returned nothing started, with no record waiting (epoch ms). */
  idleSince: number;
  worker?: Promise<void>;
}

/** A running consumer: its settings (the options with their defaults), its clients and state, shared by its lister and its shard readers. */
interface Run {
  readonly arn: string;
  readonly region: string;
  readonly fn: string;
  readonly load: (fn: string) => Promise<LambdaHandler>;
  readonly timeoutSeconds: number;
  readonly batchSize: number;
  readonly pollMs: number;
  readonly discoveryMs: number;
  readonly initialBackoff: number;
  readonly maxBackoff: number;
  readonly filter: (record: DynamoDBRecord) => boolean;
  readonly log: { info(line: string): void; error(line: string): void };
  readonly prefix: string;
  readonly streams: DynamoDBStreamsClient;
  readonly signal: AbortSignal;
  readonly stats: StreamConsumerStats;
  readonly shards: Map<string, ShardState>;
  /** The shards' pollers and the lister, sleeping until their next look; `poke()` wakes them all. */
  readonly pollers: Set<() => void>;
  readonly lister: Set<() => void>;
  /** When the last complete listing of the shards started (epoch ms), and the last listing error said. */
  listedAt: number;
  lastListError: string;
}

const wake = (sleepers: Set<() => void>): void => {
  for (const w of [...sleepers]) w();
};

/** The table's stream; fails when the table has none. */
async function streamArnOf(o: StreamConsumerOptions, region: string): Promise<string> {
  const ddb = new DynamoDBClient({ region, ...endpointSettings(o.endpoint) });
  let streamArn: string | undefined;
  try {
    const table = (await ddb.send(new DescribeTableCommand({ TableName: o.tableName }))).Table;
    streamArn = table?.StreamSpecification?.StreamEnabled === true ? table.LatestStreamArn : undefined;
  } finally {
    ddb.destroy();
  }
  if (streamArn === undefined) {
    throw new Error(`table ${o.tableName} has no stream: the events need one (${tableDefinition.stream}; ensureTable in local/dynamodb.ts creates it)`);
  }
  return streamArn;
}

async function listShards(run: Run): Promise<Shard[]> {
  const out: Shard[] = [];
  let start: string | undefined;
  do {
    const r = await run.streams.send(new DescribeStreamCommand({ StreamArn: run.arn, ExclusiveStartShardId: start }), { abortSignal: run.signal });
    out.push(...(r.StreamDescription?.Shards ?? []));
    start = r.StreamDescription?.LastEvaluatedShardId;
  } while (start !== undefined);
  return out;
}

/** Starts a reader for every shard whose parent is finished (or unknown: trimmed away). */
function startReady(run: Run): void {
  for (const s of run.shards.values()) {
    if (s.worker !== undefined) continue;
    const parent = s.parent === undefined ? undefined : run.shards.get(s.parent);
    if (parent !== undefined && !parent.done) continue;
    s.worker = readShard(run, s).catch((e: unknown) => run.log.error(`${run.prefix}: shard ${s.id} stopped: ${errorText(e)}`));
  }
}

/** Lists the stream's shards every `discoveryMs` (or when poked), starting a reader for each new one that is ready. */
async function discover(run: Run): Promise<void> {
  while (!run.signal.aborted) {
    const startedAt = Date.now();
    try {
      for (const sh of await listShards(run)) {
        if (sh.ShardId === undefined || run.shards.has(sh.ShardId)) continue;
        run.shards.set(sh.ShardId, { id: sh.ShardId, parent: sh.ParentShardId, done: false, idleSince: 0 });
        run.stats.shards++;
      }
      startReady(run);
      run.listedAt = startedAt;
      run.lastListError = '';
    } catch (e) {
      if (run.signal.aborted) return;
      // Said once per kind of failure, not every second.
      const text = errorText(e);
      if (text !== run.lastListError) run.log.error(`${run.prefix}: cannot list the stream's shards (retrying): ${text}`);
      run.lastListError = text;
    }
    await sleep(run.discoveryMs, run.signal, run.lister);
  }
}

async function iteratorFor(run: Run, shardId: string, after: string | undefined): Promise<string | undefined> {
  const r = await run.streams.send(
    new GetShardIteratorCommand({
      StreamArn: run.arn,
      ShardId: shardId,
      ...(after === undefined ? { ShardIteratorType: 'TRIM_HORIZON' } : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }),
    }),
    { abortSignal: run.signal },
  );
  return r.ShardIterator;
}

/** Where a shard's reader is: its iterator, the last record read, whether the shard may still grow, GetRecords failures in a row. */
interface Cursor {
  iterator: string | undefined;
  lastRead: string | undefined;
  open: boolean;
  readErrors: number;
}

const backoff = (run: Run, attempt: number): number => Math.min(run.initialBackoff * 2 ** Math.min(attempt - 1, 10), run.maxBackoff);

/**
 * One look at the shard: a GetRecords (with a new iterator when it has none or it expired), the
 * records read that pass the filter, in Lambda's shape. Nothing read: the shard is idle since the
 * look started, and the reader sleeps a poll interval (or until poked). A failed read: backs off.
 */
async function readRecords(run: Run, s: ShardState, c: Cursor): Promise<DynamoDBRecord[]> {
  const startedAt = Date.now();
  try {
    c.iterator ??= await iteratorFor(run, s.id, c.lastRead);
    if (c.iterator === undefined) {
      c.open = false;
      return [];
    }
    const r = await run.streams.send(new GetRecordsCommand({ ShardIterator: c.iterator, Limit: 1_000 }), { abortSignal: run.signal });
    c.readErrors = 0;
    c.iterator = r.NextShardIterator;
    if (c.iterator === undefined) c.open = false;
    const records = r.Records ?? [];
    run.stats.read += records.length;
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last !== undefined) c.lastRead = last;
    const passed = records.map((x) => lambdaRecord(x, run.arn, run.region)).filter(run.filter);
    run.stats.passed += passed.length;
    if (records.length === 0) {
      s.idleSince = startedAt;
      if (c.open) await sleep(run.pollMs, run.signal, run.pollers);
    }
    return passed;
  } catch (e) {
    if (run.signal.aborted) return [];
    c.iterator = undefined;
    if (e instanceof ExpiredIteratorException) return [];
    if (e instanceof TrimmedDataAccessException) {
      run.log.error(`${run.prefix}: shard ${s.id}: records after ${c.lastRead ?? 'the start'} were trimmed before they were read; reading from the oldest left`);
      c.lastRead = undefined;
      return [];
    }
    c.readErrors++;
    if (c.readErrors === 1 || c.readErrors % 20 === 0) run.log.error(`${run.prefix}: shard ${s.id}: GetRecords failed ${c.readErrors} time(s), retrying: ${errorText(e)}`);
    await sleep(backoff(run, c.readErrors), run.signal);
    return [];
  }
}

/**
 * Invokes the function with the first batch of `pending`, as Lambda does; what is still to deliver:
 * the rest after a success, else everything from the first record to retry, after a backoff.
 * `attempt`: the failed attempts of this batch so far.
 */
async function deliverBatch(run: Run, s: ShardState, pending: DynamoDBRecord[], attempt: number): Promise<{ pending: DynamoDBRecord[]; attempt: number }> {
  const batch = pending.slice(0, run.batchSize);
  const event: DynamoDBStreamEvent = { Records: batch };
  run.stats.invocations++;
  let outcome: ReturnType<typeof batchOutcome>;
  try {
    outcome = batchOutcome(batch, await invoke(await run.load(run.fn), run.fn, event, run.timeoutSeconds));
  } catch (e) {
    outcome = { ok: false, from: 0, why: `the function could not be loaded: ${errorText(e)}` };
  }
  if (outcome.ok) {
    if (attempt > 0) run.log.info(`${run.prefix}: shard ${s.id}: the batch from sequence number ${batch[0]?.dynamodb?.SequenceNumber ?? '?'} succeeded after ${attempt} failed attempt(s)`);
    return { pending: pending.slice(batch.length), attempt: 0 };
  }
  run.stats.failedInvocations++;
  const left = pending.slice(outcome.from);
  const first = left[0]?.dynamodb;
  const delay = backoff(run, attempt + 1);
  run.log.error(
    `${run.prefix}: FAILED (attempt ${attempt + 1}): ${outcome.why}; retrying from sequence number ${first?.SequenceNumber ?? '?'} ` +
      `(${first?.Keys?.pk?.S ?? '?'}, ${left.length} record(s) waiting) in ${delay} ms. In AWS a record is given up after 6 hours; here it is retried until it succeeds.`,
  );
  await sleep(delay, run.signal);
  return { pending: left, attempt: attempt + 1 };
}

/** Reads one shard to its end (while it is open, for ever), delivering what it reads in order; then its children may start. */
async function readShard(run: Run, s: ShardState): Promise<void> {
  const c: Cursor = { iterator: undefined, lastRead: undefined, open: true, readErrors: 0 };
  let pending: DynamoDBRecord[] = [];
  let attempt = 0;
  while (!run.signal.aborted) {
    if (pending.length > 0) ({ pending, attempt } = await deliverBatch(run, s, pending, attempt));
    else if (c.open) pending = await readRecords(run, s, c);
    else break;
  }
  if (!c.open && pending.length === 0) {
    s.done = true;
    // Its children may start now.
    if (!run.signal.aborted) startReady(run);
  }
}

/** Resolves once every shard was read to its end by a look that started at or after `since`, and the shards were listed since. */
async function caughtUp(run: Run, since: number, timeoutMs: number): Promise<void> {
  const deadline = since + timeoutMs;
  for (;;) {
    if (run.signal.aborted) throw new Error(`${run.prefix}: stopped`);
    // A look that started before `since` does not count: whoever still needs one, and sleeps, looks now.
    const all = [...run.shards.values()];
    const listed = run.listedAt >= since;
    const read = all.every((s) => s.done || (s.worker !== undefined && s.idleSince >= since));
    if (listed && read) return;
    if (!listed) wake(run.lister);
    if (!read) wake(run.pollers);
    if (Date.now() > deadline) {
      const behind = all.filter((s) => !(s.done || s.idleSince >= since)).map((s) => s.id);
      throw new Error(`${run.prefix}: not caught up after ${timeoutMs} ms (shards behind: ${behind.join(', ') || 'none'}; ${run.stats.failedInvocations} failed invocation(s))`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts reading the table's stream into the function. Fails when the table has no stream. */
export async function startStreamConsumer(o: StreamConsumerOptions): Promise<StreamConsumer> {
  const region = o.region ?? process.env.AWS_REGION ?? 'ap-northeast-2';
  const fn = o.functionName ?? 'events';
  const arn = await streamArnOf(o, region);
  const stopping = new AbortController();
  const run: Run = {
    arn,
    region,
    fn,
    load: o.loadFunction ?? createFunctionLoader(),
    timeoutSeconds: o.timeoutSeconds ?? defaultTimeoutSeconds(fn),
    batchSize: o.batchSize ?? 100,
    pollMs: o.pollIntervalMs ?? 250,
    discoveryMs: o.discoveryIntervalMs ?? 1_000,
    initialBackoff: o.initialBackoffMs ?? 200,
    maxBackoff: o.maxBackoffMs ?? 5_000,
    filter: o.filter ?? eventsStreamFilter,
    log: o.log ?? { info: (l: string) => void process.stdout.write(`${l}\n`), error: (l: string) => void process.stderr.write(`${l}\n`) },
    prefix: `[stream] ${fn} (${o.tableName})`,
    streams: new DynamoDBStreamsClient({ region, ...endpointSettings(streamsEndpointFor(o.endpoint)) }),
    signal: stopping.signal,
    stats: { read: 0, passed: 0, invocations: 0, failedInvocations: 0, shards: 0 },
    shards: new Map(),
    pollers: new Set(),
    lister: new Set(),
    listedAt: 0,
    lastListError: '',
  };
  const discovery = discover(run);
  const poke = (): void => {
    wake(run.pollers);
    wake(run.lister);
  };
  return {
    streamArn: arn,
    caughtUp: (timeoutMs = 10_000) => caughtUp(run, Date.now(), timeoutMs),
    poke,
    stats: () => ({ ...run.stats }),
    async stop() {
      if (run.signal.aborted) return;
      stopping.abort();
      await discovery;
      await Promise.allSettled([...run.shards.values()].map((s) => s.worker));
      run.streams.destroy();
    },
  };
}
