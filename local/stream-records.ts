/**
 * What the stream's records and the function's replies are to Lambda's DynamoDB event source
 * mapping, for its local stand-in (./dynamodb-streams.ts): a GetRecords record in the shape
 * Lambda's event gives it, the deployed mapping's filter, the Streams endpoint of a DynamoDB
 * endpoint, and how Lambda reads a batch's reply (ReportBatchItemFailures). Pure.
 */
import type { AttributeValue as StreamAttributeValue, _Record as StreamsRecord } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { matchesStreamFilter, EVENTS_STREAM_FILTER } from '../shared/store/stream-filter.ts';

export const errorText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

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
