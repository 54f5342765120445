/**
 * What each error code means and what the caller should do about it: THE table the reference
 * (docs/reference/errors.md, made by `npm run docs`) is generated from. Typed by the codes of
 * ./error-codes.ts, so a code without an entry (or an entry without a code) does not compile.
 * Documentation only: no function imports it.
 */
import { routeKey, routes, type Route } from '../routes.ts';
import type { ErrorCode } from './error-codes.ts';

/** Each body limit of the route table and the routes that have it, largest first: `16 KiB for `POST /payments`, …`. */
export function bodyLimitsSentence(): string {
  const byLimit = new Map<number, string[]>();
  for (const r of routes as readonly Route[]) if (r.maxBodyBytes !== undefined) byLimit.set(r.maxBodyBytes, [...(byLimit.get(r.maxBodyBytes) ?? []), routeKey(r)]);
  const list = (keys: string[]): string => {
    const quoted = keys.sort().map((k) => `\`${k}\``);
    return quoted.length === 1 ? String(quoted[0]) : `${quoted.slice(0, -1).join(', ')} and ${String(quoted.at(-1))}`;
  };
  return [...byLimit].sort(([a], [b]) => b - a).map(([limit, keys]) => `${limit / 1024} KiB for ${list(keys)}`).join('; ');
}

export interface ErrorGuide {
  /** When the code is answered. */
  readonly meaning: string;
  /** What the caller does about it. */
  readonly action: string;
  /** The same request, sent again later, may succeed. */
  readonly retry: 'no' | 'yes' | 'after Retry-After';
}

export const ERROR_GUIDE = {
  VALIDATION_FAILED: {
    meaning: 'The request breaks a rule. `issues: [{path, message, code}]` names each field (`path` dot-separated; an unknown field is named too). Nothing was written.',
    action: 'Fix the request as `issues` says; sending it unchanged gets the same reply.',
    retry: 'no',
  },
  BAD_REQUEST: {
    meaning: 'The JSON body parser refused the body for a reason other than those below (none is known today).',
    action: 'Fix the request.',
    retry: 'no',
  },
  INVALID_CURSOR: {
    meaning:
      "A listing's cursor (`GET /payments` `cursor`, `GET /events`, `GET /events/failed` and `GET /payments/{orderNo}/events` `after`, `GET /transactions` `cursor`) it did not hand out for these parameters: altered, made up, made for other filters or another `from`/`to`, or past the end of the event log.",
    action: 'Start the listing again without a cursor, and page with the same other parameters.',
    retry: 'no',
  },
  SOURCE_NOT_ALLOWED: {
    meaning: "A callback from outside Toss's published addresses (`CALLBACK_ALLOWED_IPS`, the stack's `callbackIpAllowlist`).",
    action: 'Nothing, if it was not Toss. Behind a proxy that hides the caller, switch the allowlist off (the callback is confirmed with Toss either way).',
    retry: 'no',
  },
  FORBIDDEN_ROLE: {
    meaning: "A console user's role may not do this (a viewer asking for a refund, say). Nothing was done; it is logged as a security event.",
    action: 'Ask an admin for the role that may (operator: refunds, cancels, redeliveries; admin: also webhook endpoints), or use a merchant token.',
    retry: 'no',
  },
  BODY_TOO_LARGE: {
    meaning: `The body is over its route's limit (the route table's \`maxBodyBytes\`): ${bodyLimitsSentence()}.`,
    action: 'Send a smaller body (the route\'s fields have maximum lengths: see its request schema).',
    retry: 'no',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    meaning: 'A JSON route got another `Content-Type`.',
    action: 'Send `Content-Type: application/json`.',
    retry: 'no',
  },
  MALFORMED_JSON: {
    meaning: 'The body is not JSON.',
    action: 'Send a JSON object.',
    retry: 'no',
  },
  ORDER_NOT_FOUND: {
    meaning: 'No order has this orderNo.',
    action: 'Check the orderNo (it is case-sensitive); an order created in another stage lives in that stage\'s table.',
    retry: 'no',
  },
  EVENT_NOT_FOUND: {
    meaning: 'No event has this id in the log.',
    action: 'Check the id (`evt_…`, from `GET /events` or the `webhook-id` header).',
    retry: 'no',
  },
  ORDER_NO_CONFLICT: {
    meaning: 'The orderNo was already used for a different request (another amount, product or option).',
    action: 'Create the payment under a new orderNo; the same body under the same orderNo answers the existing payment.',
    retry: 'no',
  },
  MODE_MISMATCH: {
    meaning: 'The order was recorded under the other Toss mode (TEST vs LIVE), e.g. the key was changed on the same table.',
    action: 'Use a new orderNo under the current key; the old order can only be read.',
    retry: 'no',
  },
  CREATE_IN_PROGRESS: {
    meaning: 'An earlier attempt to create this orderNo may still be talking to Toss.',
    action: 'Send the same request again after `Retry-After` seconds: it then answers the payment (or creates it).',
    retry: 'after Retry-After',
  },
  CALLBACK_MALFORMED: {
    meaning: 'A callback body without the fields Toss always sends.',
    action: 'Nothing (it was not Toss). The reconciler resolves every order with Toss in any case.',
    retry: 'no',
  },
  CALLBACK_UNKNOWN_PAYMENT: {
    meaning: "Toss has no payment with the callback's payToken.",
    action: 'Nothing (a forged or foreign callback). It is counted as a security event.',
    retry: 'no',
  },
  CALLBACK_NOT_CONFIRMED: {
    meaning: "Toss does not report the callback's payment as paid.",
    action: 'Nothing: Toss retries its callbacks, and the reconciler records the payment when Toss reports it paid.',
    retry: 'no',
  },
  CALLBACK_CONTRADICTED: {
    meaning: 'Toss or the stored order disagree with the callback (orderNo, payToken, amount or mode). Nothing was written; a security event is counted.',
    action: 'Look at the order (`GET /payments/{orderNo}?refresh=true`) and the security-events runbook.',
    retry: 'no',
  },
  IDEMPOTENCY_KEY_REUSED: {
    meaning: "A refund's `Idempotency-Key` was used before with another body.",
    action: 'Use a new key for a new refund; the same key only ever answers the refund it first made.',
    retry: 'no',
  },
  REFUND_IN_PROGRESS: {
    meaning: 'Another refund of the order is in flight, or a call to Toss about this one runs (Toss takes one refund of a payment at a time).',
    action: 'Send the same request (same key) again after `Retry-After` seconds.',
    retry: 'after Retry-After',
  },
  REFUND_EXCEEDS_BALANCE: {
    meaning: 'The refund asks for more than is left to refund (or nothing is left).',
    action: 'Read `refundableAmount` (`GET /payments/{orderNo}`) and refund at most that.',
    retry: 'no',
  },
  REFUND_LIMIT_REACHED: {
    meaning: 'The order already holds 100 refunds, the most one order may hold (ours: it keeps the order within its DynamoDB item); nothing was sent to Toss.',
    action: "Refund what is left in one refund, or in Toss's merchant console.",
    retry: 'no',
  },
  ORDER_NOT_PAID: {
    meaning: "A refund of an order that holds no money (never paid, or cancelled), as Toss's status confirms.",
    action: 'Nothing to refund. To stop an unpaid order, cancel it (`POST /payments/{orderNo}/cancel`).',
    retry: 'no',
  },
  ORDER_PAID: {
    meaning: 'A cancel of a paid order (also when the buyer paid a moment before).',
    action: 'Refund it instead (`POST /payments/{orderNo}/refunds`).',
    retry: 'no',
  },
  ORDER_NOT_CANCELABLE: {
    meaning: 'A cancel while the order is being created or executed, or after it failed.',
    action: 'While it is being created or executed: send the cancel again shortly. A failed order needs no cancel.',
    retry: 'yes',
  },
  WEBHOOK_NOT_CONFIGURED: {
    meaning: 'A redelivery, but there is no webhook endpoint (none made through `POST /webhook-endpoints`, no `MERCHANT_WEBHOOK_URL`), or no enabled one wants the event.',
    action: 'Register an endpoint (`POST /webhook-endpoints`) or enable one (`PATCH /webhook-endpoints/{id}` `enabled: true`); or read the events from `GET /events` or the bus.',
    retry: 'no',
  },
  WEBHOOK_ENDPOINT_NOT_FOUND: {
    meaning: 'No webhook endpoint has this id (never made, or deleted), on a `/webhook-endpoints/{id}` route or as a redelivery\'s `endpointId`.',
    action: 'List the endpoints (`GET /webhook-endpoints`) and use one of their ids.',
    retry: 'no',
  },
  WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION: {
    meaning: 'A change (`PATCH`, `DELETE`, `rotate-secret`) of `we_env`, the endpoint `MERCHANT_WEBHOOK_URL` configures: the API reads and tests it but does not change it.',
    action: "Change it with the deployment (the stack's `merchantWebhookUrl`, the webhook secret), or register an endpoint through the API instead and unset it.",
    retry: 'no',
  },
  WEBHOOK_ENDPOINT_DISABLED: {
    meaning: 'A redelivery to an endpoint that is disabled (by you, or after failing every attempt for `WEBHOOK_DISABLE_AFTER_DAYS`). Its events wait for it.',
    action: 'Fix the receiver, check it with `POST /webhook-endpoints/{id}/test`, then enable it (`PATCH` `enabled: true`): what it missed is sent then.',
    retry: 'no',
  },
  WEBHOOK_ENDPOINT_LIMIT_REACHED: {
    meaning: 'A create when 20 endpoints are registered already (the configured one is not counted). Nothing was written.',
    action: 'Delete one you no longer use (`DELETE /webhook-endpoints/{id}`), or send several event types to one endpoint (`eventTypes`).',
    retry: 'no',
  },
  WEBHOOK_URL_NOT_ALLOWED: {
    meaning:
      "The endpoint's `url` is not one this stage sends to (`issues[0].code` says why): not an https URL (`scheme`; `http_not_loopback` on npm start's stage, which allows http:// on this machine), with credentials, over 2,048 characters, its host unknown (`host_not_found`), or resolving to an address that is not public (`address_not_allowed`: private, loopback, link-local, metadata). Nothing was written.",
    action: 'Use a public https URL of your receiver (no user:password in it).',
    retry: 'no',
  },
  TOSS_REFUSED: {
    meaning: "Toss refused the request; `errorCode` and `msg` are Toss's. A create leaves the order `CREATE_FAILED`; a refund is `FAILED` and its amount back in the balance. The same request gets the same reply.",
    action: "Fix the cause Toss's `errorCode` names; then create under a new orderNo, or refund with a new Idempotency-Key.",
    retry: 'no',
  },
  TOSS_FAILED: {
    meaning: 'Toss answered 5xx or could not be reached: nothing was done at Toss (or, for a refund, it stays `PENDING`).',
    action: 'Send the same request again: it is safe (the orderNo, the Idempotency-Key). The reconciler also resolves a pending refund within minutes.',
    retry: 'yes',
  },
  TOSS_BUSY: {
    meaning: "Toss asked to try later (HTTP 429, or an errorCode Toss uses for \"not now\", such as a bank's maintenance window).",
    action: 'Send the same request again after `Retry-After` seconds.',
    retry: 'after Retry-After',
  },
  TOSS_TIMEOUT: {
    meaning: 'Toss did not answer in time: the outcome is unknown, and is being confirmed with Toss.',
    action: 'Send the same request again (a `409 CREATE_IN_PROGRESS` may come first while the first call can still run): Toss is asked by orderNo first. Without a retry, the reconciler resolves the order.',
    retry: 'yes',
  },
  TEMPORARILY_UNAVAILABLE: {
    meaning: 'DynamoDB failed in a way a retry can fix (throttled, timed out, unavailable).',
    action: 'Send the same request again after `Retry-After` seconds.',
    retry: 'after Retry-After',
  },
  INTERNAL_ERROR: {
    meaning:
      'A bug (logged with its stack, counted: the `unhandled-errors` alarm), or a write DynamoDB refused for good (the order is flagged: the `order-writes-rejected` alarm).',
    action: 'Retrying will not help. Read the order (`GET /payments/{orderNo}`) and tell the operators: see the runbooks.',
    retry: 'no',
  },
} as const satisfies Record<ErrorCode, ErrorGuide>;

/** What API Gateway answers by itself, `{"message": …}`, before or instead of a function. */
export const GATEWAY_REPLIES = [
  { status: 401, message: 'Unauthorized', meaning: 'No `Authorization` header on a merchant route.', action: 'Send `Authorization: Bearer <merchant token>`.' },
  { status: 403, message: 'Forbidden', meaning: 'The merchant token is not one the stack accepts (decisions are cached 60 s per token), or a console user\'s token is expired, of another pool or client, or of a user in no console group.', action: 'Check the token against the merchant tokens secret (`MERCHANT_TOKENS` locally).' },
  { status: 404, message: 'Not Found', meaning: 'No such route.', action: 'Check the method and path against the routes above.' },
  { status: 413, message: 'Request Entity Too Large', meaning: "Over API Gateway's payload limit.", action: 'Send a smaller body.' },
  { status: 429, message: 'Too Many Requests', meaning: "Over the route's throttling limits (`throttleRateLimit`, `publicThrottleRateLimit`).", action: 'Slow down and retry; raise the limits in the stack if the load is real.' },
  { status: 500, message: 'Internal Server Error', meaning: 'The function failed (an `<function>-errors` alarm).', action: 'Retry; if it persists, see the runbooks.' },
  { status: 503, message: 'Service Unavailable', meaning: 'The function did not answer in time.', action: 'Retry the same request (every merchant route is safe to retry).' },
] as const;
