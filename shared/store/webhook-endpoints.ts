/**
 * The webhook endpoints the API manages, in the payments table: ONE item (`WEBHOOK_ENDPOINTS`)
 * holding them all by id (`endpoints`), at most MAX_ENDPOINTS, each at most a few KiB (a URL of
 * 2,048 characters, a description of 256, its types and secrets), so the item stays far under
 * DynamoDB's 400 KB. Why one item: the table has a partition key and no sort key, so separate
 * items could be listed only by a Scan or a new index (an index is a deployment of its own), and
 * every batch of events needs them all (one GetItem); and the limit is then a condition of the
 * very write that adds one (`size(endpoints) < 20`), so two creates at once can never make 21.
 * Every change is one conditional UpdateItem on the endpoint's own path; `version` counts them. An
 * endpoint removed leaves a mark in `removed` (its id and where the walk of its open deliveries is)
 * until the retrier has cancelled what waited for it.
 *
 * The item reaches the events function through the table's stream (shared/store/stream-filter.ts):
 * an endpoint disabled for failing becomes an `endpoint.disabled` event there. Its secrets never
 * leave the functions: no index projects this item, and no reply or log line carries them.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EndpointStore, StoredEndpoint } from '../events/ports.ts';
import { UpdateExpression } from './update-expression.ts';
import { storeSend } from './errors.ts';

export const ENDPOINTS_KEY = 'WEBHOOK_ENDPOINTS';

/** The endpoints an item of this key holds, oldest first (a stream image, or the item read). */
export function endpointsOfItem(item: Record<string, unknown> | undefined): StoredEndpoint[] {
  const map = (item?.endpoints ?? {}) as Record<string, StoredEndpoint>;
  return Object.values(map).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export function createEndpointStore(opts: { client: DynamoDBDocumentClient; tableName: string }): EndpointStore {
  const { client, tableName } = opts;
  const send = storeSend(client);
  const key = { pk: ENDPOINTS_KEY };
  /** The maps endpoints and removed ones go into, made once (a path inside a missing map cannot be set). */
  const maps = (): Promise<unknown> =>
    send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          ...new UpdateExpression()
            .set('#endpoints = if_not_exists(#endpoints, :empty), #removed = if_not_exists(#removed, :empty), #version = if_not_exists(#version, :zero)', { ':empty': {}, ':zero': 0 })
            .build(),
        })
    );

  return {
    async list() {
      const r = await send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      return endpointsOfItem(r.Item);
    },

    async create(e, max) {
      await maps();
      try {
        await send(
            new UpdateCommand({
              TableName: tableName,
              Key: key,
              ...new UpdateExpression()
                .names({ '#epId': e.id })
                .set('#endpoints.#epId = :e', { ':e': e })
                .add('#version :one', { ':one': 1 })
                .when('size(#endpoints) < :max AND attribute_not_exists(#endpoints.#epId)', { ':max': max })
                .build(),
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            })
        );
        return 'created';
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
        // Our own write, whose reply was lost (its secret is ours: made for this request).
        const ours = (err.Item?.endpoints?.M?.[e.id]?.M?.secret?.S ?? '') === e.secret;
        return ours ? 'created' : 'limit';
      }
    },

    async update(id, set, remove, when) {
      // `#epId` is the endpoint's key in the map.
      const u = new UpdateExpression().names({ '#epId': id }).add('#version :one', { ':one': 1 }).when('attribute_exists(#endpoints.#epId)');
      u.setFields(set, { under: '#endpoints.#epId' });
      if (remove.length > 0) u.remove(...remove.map((k) => `#endpoints.#epId.#${k}`));
      if (when?.enabled !== undefined) u.when('#endpoints.#epId.#enabled = :enabled', { ':enabled': when.enabled });
      if (when?.catchUpAfter !== undefined) u.when('#endpoints.#epId.#catchUp.#after = :after', { ':after': when.catchUpAfter });
      try {
        const r = await send(
            new UpdateCommand({
              TableName: tableName,
              Key: key,
              ...u.build(),
              ReturnValues: 'ALL_NEW',
            })
        );
        return endpointsOfItem(r.Attributes).find((x) => x.id === id);
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) return undefined;
        throw err;
      }
    },

    async remove(id) {
      await maps();
      try {
        await send(
            new UpdateCommand({
              TableName: tableName,
              Key: key,
              ...new UpdateExpression()
                .names({ '#epId': id })
                .remove('#endpoints.#epId')
                .set('#removed.#epId = :start', { ':start': '' })
                .add('#version :one', { ':one': 1 })
                .when('attribute_exists(#endpoints.#epId)')
                .build(),
            })
        );
        return true;
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) return false;
        throw err;
      }
    },

    async removed() {
      const r = await send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      return Object.entries((r.Item?.removed ?? {}) as Record<string, string>).map(([id, after]) => ({ id, after }));
    },

    async removedProgress(id, from, to) {
      try {
        await send(
            new UpdateCommand({
              TableName: tableName,
              Key: key,
              ...(to === undefined ? new UpdateExpression().remove('#removed.#epId') : new UpdateExpression().set('#removed.#epId = :to', { ':to': to }))
                .names({ '#epId': id })
                .when('#removed.#epId = :from', { ':from': from })
                .build(),
            })
        );
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    },
  };
}
