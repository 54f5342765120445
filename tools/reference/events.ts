/**
 * docs/reference/events.md: the event types (shared/events/event-shape.ts) with when each is sent
 * and what to do on it (shared/events/event-guide.ts), the envelope and its `data` (the OpenAPI
 * document's OrderEvent and EventData, made from shared/events/reply-schemas.ts), and how they are
 * delivered (shared/events/webhooks.ts, event-bus.ts, event-data.ts).
 */
import { EVENT_SOURCE } from '../../shared/events/event-bus.ts';
import { EVENT_RECENT_REFUNDS, MAX_EVENT_BYTES } from '../../shared/events/event-data.ts';
import { EVENT_GUIDE } from '../../shared/events/event-guide.ts';
import { EVENT_TYPES, TEST_EVENT_TYPE } from '../../shared/events/event-shape.ts';
import { DEFAULT_RETRY_SCHEDULE, REPLY_READ_BYTES, WEBHOOK_TIMEOUT_MS } from '../../shared/events/webhooks.ts';
import { openApiDocument } from '../openapi.ts';
import { code, generatedNote, rulesOf, slug, table, typeOf } from './markdown.ts';

type Json = Record<string, unknown>;

const schemaLink = (name: string): string => `[${name}](api.md#${slug(name)})`;

function fields(s: Json): string {
  const required = new Set((s.required as string[] | undefined) ?? []);
  return table(
    ['field', 'type', 'always', 'rules', 'description'],
    Object.entries(s.properties as Record<string, Json>).map(([f, p]) => [code(f), typeOf(p, schemaLink), required.has(f) ? 'yes' : 'no', rulesOf(p), String(p.description ?? '')]),
  );
}

const duration = (seconds: number): string =>
  seconds % 86_400 === 0 ? `${seconds / 86_400} d` : seconds % 3_600 === 0 ? `${seconds / 3_600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;

export function eventsReference(): string {
  const schemas = (openApiDocument().components as Json).schemas as Record<string, Json>;
  const total = DEFAULT_RETRY_SCHEDULE.reduce((a, b) => a + b, 0);
  const out = [
    generatedNote('shared/events (the types, their guide, the envelope schemas, the delivery settings)'),
    '',
    '# Events',
    '',
    'Every committed change of an order that a merchant acts on (and a webhook endpoint disabled for failing) becomes an event, logged once, in order, and sent three ways:',
    '',
    `- **Webhooks**: POSTed to each webhook endpoint that wants it (those registered with \`POST /webhook-endpoints\`, each with its \`eventTypes\` and its own secret, and \`MERCHANT_WEBHOOK_URL\`, the stack's \`merchantWebhookUrl\`, where set), signed as [Standard Webhooks](https://www.standardwebhooks.com/) describes; each endpoint's delivery has its own attempts and retries. How to verify: [the webhooks guide](../guides/receive-webhooks.md).`,
    `- **The event bus**: EventBridge bus \`toss-pay-<stage>\`, source ${code(EVENT_SOURCE)}, detail-type the event type, detail the envelope below. Add your own rules to it.`,
    '- **The event log**: `GET /events` (page with `after`), `GET /events/{id}` with each endpoint\'s webhook attempts, `GET /events/failed`, `GET /payments/{orderNo}/events` ([api.md](api.md#events)).',
    '',
    'Deliveries repeat and may arrive out of order: key your processing on the event `id`, and of two events of one order trust the higher `data.version`.',
    '',
    '## Types',
    '',
    table(
      ['type', 'when', 'what to do'],
      ([...EVENT_TYPES, TEST_EVENT_TYPE] as const).map((t) => [code(t), EVENT_GUIDE[t].when, EVENT_GUIDE[t].act]),
    ),
    '',
    '## The envelope',
    '',
    `Every webhook's body, the bus's \`detail\`, each entry of \`GET /events\` (which adds \`cursor\`, \`loggedAt\`, \`deliveries\` and \`delivery\`, those summed up). At most ${MAX_EVENT_BYTES / 1024} KiB. An order event:`,
    '',
    fields(schemas.OrderEvent as Json),
    '',
    '### data',
    '',
    String((schemas.EventData as Json).description ?? ''),
    '',
    fields(schemas.EventData as Json),
    '',
    `\`recentRefunds\` holds the latest ${EVENT_RECENT_REFUNDS}; \`data.href\` (\`GET /payments/{orderNo}\`) has the whole order.`,
    '',
    '### endpoint.disabled',
    '',
    'The same envelope, its `data` the endpoint that was disabled. Not sent to that endpoint itself.',
    '',
    fields(schemas.EndpointDisabledData as Json),
    '',
    `### ${TEST_EVENT_TYPE}`,
    '',
    'The same envelope, its `data` `{endpointId, message}`: sent by `POST /webhook-endpoints/{id}/test` to that endpoint alone, once. Never logged, on the bus or retried.',
    '',
    '## Webhook delivery',
    '',
    table(
      ['', ''],
      [
        ['Headers', '`webhook-id` (the event id), `webhook-timestamp` (Unix seconds), `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` under the secret\'s key (the base64-decoded part after `whsec_`); during a secret rotation, two signatures, space-separated.'],
        ['Success', `Any 2xx within ${WEBHOOK_TIMEOUT_MS / 1000} s. At most ${REPLY_READ_BYTES / 1024} KiB of the reply is read; a redirect is not followed (a failure).`],
        ['Retries', `After each failed attempt, wait the next delay of \`WEBHOOK_RETRY_SCHEDULE\`: by default ${DEFAULT_RETRY_SCHEDULE.map(duration).join(', ')} (${(total / 86_400).toFixed(1)} days in all). After the last, the delivery has failed (the \`webhook-failures\` alarm).`],
        ['Secrets', 'Each endpoint of the API has its own (`POST /webhook-endpoints/{id}/rotate-secret`: both sign for `WEBHOOK_SECRET_ROTATION_HOURS`); `MERCHANT_WEBHOOK_URL` is signed with the stack\'s webhook secret.'],
        ['Disabling', 'An endpoint of the API whose every attempt failed for `WEBHOOK_DISABLE_AFTER_DAYS` (5 days) is disabled: its events wait until it is enabled again (`PATCH` `enabled: true`), and the others get `endpoint.disabled`.'],
        ['Redelivery', '`POST /events/{id}/redeliver` (now; `{"endpointId"}` for one endpoint) or `POST /events/redeliver` `{"failedSince", "endpointId"?}` (a new round of retries for each). Each records who asked.'],
      ],
    ),
  ];
  return `${out.join('\n')}\n`;
}
