/**
 * Every error code a JSON error reply can carry (`{"error": {"code": ...}}`), with the HTTP status
 * it is answered with: THE list. The edge's own errors (shared/http/request-errors.ts) are typed
 * with it; the use cases declare their refusals' codes themselves (RefusalCode, shared/payments/
 * errors.ts), and this list must give each a status (it does not compile otherwise).
 * shared/http/error-replies.ts answers with these statuses, and the OpenAPI document
 * (tools/openapi.ts) lists them. Plain data: every HTTP function loads it.
 */
import type { RefusalCode } from '../payments/errors.ts';

export const ERROR_STATUS = {
  // The request itself (shared/http/request-errors.ts, and the JSON body parser's own errors).
  VALIDATION_FAILED: 400,
  /** Another 4xx of the body parser (none is known today; its own status). */
  BAD_REQUEST: 400,
  /** A cursor this listing did not hand out for these parameters (shared/paging.ts). */
  INVALID_CURSOR: 400,
  SOURCE_NOT_ALLOWED: 403,
  /** The caller's role may not call the route (shared/http/route-permission.ts); nothing was done. */
  FORBIDDEN_ROLE: 403,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MALFORMED_JSON: 422,
  // Use-case refusals (shared/payments/errors.ts, shared/events/event-log.ts).
  ORDER_NOT_FOUND: 404,
  EVENT_NOT_FOUND: 404,
  ORDER_NO_CONFLICT: 409,
  MODE_MISMATCH: 409,
  CREATE_IN_PROGRESS: 409,
  CALLBACK_MALFORMED: 400,
  CALLBACK_UNKNOWN_PAYMENT: 422,
  CALLBACK_NOT_CONFIRMED: 409,
  CALLBACK_CONTRADICTED: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  REFUND_IN_PROGRESS: 409,
  REFUND_EXCEEDS_BALANCE: 422,
  REFUND_LIMIT_REACHED: 422,
  ORDER_NOT_PAID: 409,
  ORDER_PAID: 409,
  ORDER_NOT_CANCELABLE: 409,
  WEBHOOK_NOT_CONFIGURED: 409,
  // The webhook endpoints API (shared/events/endpoint-errors.ts).
  WEBHOOK_ENDPOINT_NOT_FOUND: 404,
  WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION: 409,
  WEBHOOK_ENDPOINT_DISABLED: 409,
  WEBHOOK_ENDPOINT_LIMIT_REACHED: 422,
  WEBHOOK_URL_NOT_ALLOWED: 400,
  // Toss (shared/toss/errors.ts): refused, failed, busy (Retry-After), no answer.
  TOSS_REFUSED: 422,
  TOSS_FAILED: 502,
  TOSS_BUSY: 503,
  TOSS_TIMEOUT: 504,
  // DynamoDB (shared/store/errors.ts), Retry-After.
  TEMPORARILY_UNAVAILABLE: 503,
  // A bug: logged, counted, alarmed.
  INTERNAL_ERROR: 500,
} as const satisfies Record<string, number> & Record<RefusalCode, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];
