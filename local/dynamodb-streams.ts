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
  type AttributeValue as StreamAttributeValue,
  type _Record as StreamsRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { endpointSettings } from '../shared/store/client.ts';
import { matchesStreamFilter, EVENTS_STREAM_FILTER } from '../shared/store/stream-filter.ts';
import { tableDefinition } from '../shared/store/table.ts';
import { createFunctionLoader, defaultTimeoutSeconds, invoke, type LambdaHandler } from './gateway/lambda.ts';

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

/** The filter of the deployed event source mapping, defined once in shared/store/stream-filter.ts. */
export const eventsStreamFilter = (record: DynamoDBRecord): boolean => matchesStreamFilter(EVENTS_STREAM_FILTER, record);

/**
 * The Streams API endpoint for a DynamoDB endpoint: DynamoDB Local (and a proxy in front of it)
 * serves both APIs; AWS has its own host for streams (`streams.dynamodb.<region>.amazonaws.com`),
 * which the SDK picks when no endpoint is given.
 */
export function streamsEndpointFor(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  try {
    return /^dynamodb(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i.test(new URL(endpoint).hostname) ? undefined : endpoint;
  } catch {
    return endpoint;
  }
}

const toBase64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/**
 * An attribute value as Lambda's event carries it (JSON: binary as base64). DynamoDB Local's
 * stream writes an empty map as `{}` instead of `{"M":{}}` (GetItem and real DynamoDB Streams do
 * not; empty lists are fine), which unmarshall refuses: `{}` can only be that, so it is repaired.
 */
function lambdaValue(v: StreamAttributeValue): AttributeValue {
  if (Object.keys(v).length === 0) return { M: {} };
  if (v.B !== undefined) return { B: toBase64(v.B) };
  if (v.BS !== undefined) return { BS: v.BS.map(toBase64) };
  if (v.L !== undefined) return { L: v.L.map(lambdaValue) };
  if (v.M !== undefined) return { M: lambdaImage(v.M) };
  return v as AttributeValue;
}

function lambdaImage(m: Record<string, StreamAttributeValue>): Record<string, AttributeValue>;
function lambdaImage(m: Record<string, StreamAttributeValue> | undefined): Record<string, AttributeValue> | undefined;
function lambdaImage(m: Record<string, StreamAttributeValue> | undefined): Record<string, AttributeValue> | undefined {
  if (m === undefined) return undefined;
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, lambdaValue(v)]));
}

/** A GetRecords record in the shape Lambda's event gives it. */
export function lambdaRecord(r: StreamsRecord, streamArn: string, region: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  const dynamodb: NonNullable<DynamoDBRecord['dynamodb']> = {};
  if (d.ApproximateCreationDateTime !== undefined) dynamodb.ApproximateCreationDateTime = Math.floor(d.ApproximateCreationDateTime.getTime() / 1000);
  const keys = lambdaImage(d.Keys);
  if (keys !== undefined) dynamodb.Keys = keys;
  const newImage = lambdaImage(d.NewImage);
  if (newImage !== undefined) dynamodb.NewImage = newImage;
  const oldImage = lambdaImage(d.OldImage);
  if (oldImage !== undefined) dynamodb.OldImage = oldImage;
  if (d.SequenceNumber !== undefined) dynamodb.SequenceNumber = d.SequenceNumber;
  if (d.SizeBytes !== undefined) dynamodb.SizeBytes = d.SizeBytes;
  if (d.StreamViewType !== undefined) dynamodb.StreamViewType = d.StreamViewType;
  const out: DynamoDBRecord = {
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: r.eventSource ?? 'aws:dynamodb',
    // DynamoDB Local says `ddblocal`; Lambda gives the function's region.
    awsRegion: region,
    dynamodb,
    eventSourceARN: streamArn,
  };
  if (r.userIdentity?.PrincipalId !== undefined && r.userIdentity.Type !== undefined) {
    out.userIdentity = { principalId: r.userIdentity.PrincipalId, type: r.userIdentity.Type };
  }
  return out;
}

/** How Lambda reads the function's reply: everything done, or the index of the first record to retry (0: the whole batch). */
export function batchOutcome(
  batch: readonly DynamoDBRecord[],
  reply: { ok: true; value: unknown } | { ok: false; reason: string; error?: unknown },
): { ok: true } | { ok: false; from: number; why: string } {
  if (!reply.ok) {
    const why = reply.reason === 'timeout' ? 'the invocation timed out' : `the function failed: ${errorText(reply.error)}`;
    return { ok: false, from: 0, why };
  }
  const v = reply.value;
  if (v === undefined || v === null || v === '') return { ok: true };
  if (typeof v !== 'object') return { ok: false, from: 0, why: 'the reply is not a DynamoDBBatchResponse' };
  const failures = (v as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { ok: true };
  if (!Array.isArray(failures)) return { ok: false, from: 0, why: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { ok: true };
  let from = batch.length;
  for (const f of failures as unknown[]) {
    const id = f !== null && typeof f === 'object' ? (f as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    const i = typeof id === 'string' && id !== '' ? batch.findIndex((r) => r.dynamodb?.SequenceNumber === id) : -1;
    if (i === -1) return { ok: false, from: 0, why: `batchItemFailures names ${JSON.stringify(id)}, not a record of the batch: the whole batch is retried` };
    from = Math.min(from, i);
  }
  return { ok: false, from, why: `the function reported ${failures.length} failed record(s)` };
}

const errorText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

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

/** Starts reading the table's stream into the function. Fails when the table has no stream. */
export async function startStreamConsumer(o: StreamConsumerOptions): Promise<StreamConsumer> {
  const region = o.region ?? process.env.AWS_REGION ?? 'ap-northeast-2';
  const fn = o.functionName ?? 'events';
  const load = o.loadFunction ?? createFunctionLoader();
  const timeoutSeconds = o.timeoutSeconds ?? defaultTimeoutSeconds(fn);
  const batchSize = o.batchSize ?? 100;
  const pollMs = o.pollIntervalMs ?? 250;
  const discoveryMs = o.discoveryIntervalMs ?? 1_000;
  const initialBackoff = o.initialBackoffMs ?? 200;
  const maxBackoff = o.maxBackoffMs ?? 5_000;
  const filter = o.filter ?? eventsStreamFilter;
  const log = o.log ?? { info: (l: string) => void process.stdout.write(`${l}\n`), error: (l: string) => void process.stderr.write(`${l}\n`) };

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
  const arn = streamArn;
  const streams = new DynamoDBStreamsClient({ region, ...endpointSettings(streamsEndpointFor(o.endpoint)) });
  const stopping = new AbortController();
  const signal = stopping.signal;
  const shards = new Map<string, ShardState>();
  /** The shards' pollers and the lister, sleeping until their next look; `poke()` wakes them all. */
  const pollers = new Set<() => void>();
  const lister = new Set<() => void>();
  const wake = (sleepers: Set<() => void>): void => {
    for (const w of [...sleepers]) w();
  };
  const poke = (): void => {
    wake(pollers);
    wake(lister);
  };
  const stats: StreamConsumerStats = { read: 0, passed: 0, invocations: 0, failedInvocations: 0, shards: 0 };
  /** When the last complete listing of the shards started (epoch ms). */
  let listedAt = 0;
  let lastListError = '';
  const prefix = `[stream] ${fn} (${o.tableName})`;

  async function listShards(): Promise<Shard[]> {
    const out: Shard[] = [];
    let start: string | undefined;
    do {
      const r = await streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }), { abortSignal: signal });
      out.push(...(r.StreamDescription?.Shards ?? []));
      start = r.StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined);
    return out;
  }

  /** Starts a worker for every shard whose parent is finished (or unknown: trimmed away). */
  function startReady(): void {
    for (const s of shards.values()) {
      if (s.worker !== undefined) continue;
      const parent = s.parent === undefined ? undefined : shards.get(s.parent);
      if (parent !== undefined && !parent.done) continue;
      s.worker = readShard(s).catch((e: unknown) => log.error(`${prefix}: shard ${s.id} stopped: ${errorText(e)}`));
    }
  }

  async function discover(): Promise<void> {
    while (!signal.aborted) {
      const startedAt = Date.now();
      try {
        for (const sh of await listShards()) {
          if (sh.ShardId === undefined || shards.has(sh.ShardId)) continue;
          shards.set(sh.ShardId, { id: sh.ShardId, parent: sh.ParentShardId, done: false, idleSince: 0 });
          stats.shards++;
        }
        startReady();
        listedAt = startedAt;
        lastListError = '';
      } catch (e) {
        if (signal.aborted) return;
        // Said once per kind of failure, not every second.
        const text = errorText(e);
        if (text !== lastListError) log.error(`${prefix}: cannot list the stream's shards (retrying): ${text}`);
        lastListError = text;
      }
      await sleep(discoveryMs, signal, lister);
    }
  }

  async function iteratorFor(shardId: string, after: string | undefined): Promise<string | undefined> {
    const r = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: shardId,
        ...(after === undefined ? { ShardIteratorType: 'TRIM_HORIZON' } : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }),
      }),
      { abortSignal: signal },
    );
    return r.ShardIterator;
  }

  async function readShard(s: ShardState): Promise<void> {
    let iterator: string | undefined;
    let lastRead: string | undefined;
    let open = true;
    let pending: DynamoDBRecord[] = [];
    let attempt = 0;
    let readErrors = 0;
    while (!signal.aborted) {
      if (pending.length === 0) {
        if (!open) break;
        const startedAt = Date.now();
        try {
          iterator ??= await iteratorFor(s.id, lastRead);
          if (iterator === undefined) {
            open = false;
            continue;
          }
          const r = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1_000 }), { abortSignal: signal });
          readErrors = 0;
          iterator = r.NextShardIterator;
          if (iterator === undefined) open = false;
          const records = r.Records ?? [];
          stats.read += records.length;
          const last = records.at(-1)?.dynamodb?.SequenceNumber;
          if (last !== undefined) lastRead = last;
          pending = records.map((x) => lambdaRecord(x, arn, region)).filter(filter);
          stats.passed += pending.length;
          if (records.length === 0) {
            s.idleSince = startedAt;
            if (open) await sleep(pollMs, signal, pollers);
          }
        } catch (e) {
          if (signal.aborted) break;
          if (e instanceof ExpiredIteratorException) {
            iterator = undefined;
            continue;
          }
          if (e instanceof TrimmedDataAccessException) {
            log.error(`${prefix}: shard ${s.id}: records after ${lastRead ?? 'the start'} were trimmed before they were read; reading from the oldest left`);
            iterator = undefined;
            lastRead = undefined;
            continue;
          }
          readErrors++;
          if (readErrors === 1 || readErrors % 20 === 0) log.error(`${prefix}: shard ${s.id}: GetRecords failed ${readErrors} time(s), retrying: ${errorText(e)}`);
          iterator = undefined;
          await sleep(Math.min(initialBackoff * 2 ** Math.min(readErrors - 1, 10), maxBackoff), signal);
        }
        continue;
      }

      const batch = pending.slice(0, batchSize);
      const event: DynamoDBStreamEvent = { Records: batch };
      stats.invocations++;
      let outcome: ReturnType<typeof batchOutcome>;
      try {
        outcome = batchOutcome(batch, await invoke(await load(fn), fn, event, timeoutSeconds));
      } catch (e) {
        outcome = { ok: false, from: 0, why: `the function could not be loaded: ${errorText(e)}` };
      }
      if (outcome.ok) {
        pending = pending.slice(batch.length);
        if (attempt > 0) log.info(`${prefix}: shard ${s.id}: the batch from sequence number ${batch[0]?.dynamodb?.SequenceNumber ?? '?'} succeeded after ${attempt} failed attempt(s)`);
        attempt = 0;
        continue;
      }
      stats.failedInvocations++;
      attempt++;
      pending = pending.slice(outcome.from);
      const first = pending[0]?.dynamodb;
      const delay = Math.min(initialBackoff * 2 ** Math.min(attempt - 1, 10), maxBackoff);
      log.error(
        `${prefix}: FAILED (attempt ${attempt}): ${outcome.why}; retrying from sequence number ${first?.SequenceNumber ?? '?'} ` +
          `(${first?.Keys?.pk?.S ?? '?'}, ${pending.length} record(s) waiting) in ${delay} ms. In AWS a record is given up after 6 hours; here it is retried until it succeeds.`,
      );
      await sleep(delay, signal);
    }
    if (!open && pending.length === 0) {
      s.done = true;
      // Its children may start now.
      if (!signal.aborted) startReady();
    }
  }

  const discovery = discover();

  return {
    streamArn: arn,
    async caughtUp(timeoutMs = 10_000) {
      const since = Date.now();
      const deadline = since + timeoutMs;
      for (;;) {
        if (signal.aborted) throw new Error(`${prefix}: stopped`);
        // A look that started before `since` does not count: whoever still needs one, and sleeps, looks now.
        const all = [...shards.values()];
        const listed = listedAt >= since;
        const read = all.every((s) => s.done || (s.worker !== undefined && s.idleSince >= since));
        if (listed && read) return;
        if (!listed) wake(lister);
        if (!read) wake(pollers);
        if (Date.now() > deadline) {
          const behind = all.filter((s) => !(s.done || s.idleSince >= since)).map((s) => s.id);
          throw new Error(`${prefix}: not caught up after ${timeoutMs} ms (shards behind: ${behind.join(', ') || 'none'}; ${stats.failedInvocations} failed invocation(s))`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    poke,
    stats: () => ({ ...stats }),
    async stop() {
      if (signal.aborted) return;
      stopping.abort();
      await discovery;
      await Promise.allSettled([...shards.values()].map((s) => s.worker));
      streams.destroy();
    },
  };
}
