/**
 * THE error -> reply mapping, as one middy `onError` middleware every HTTP function uses. Replies
 * are JSON `{"error": {"code": "STABLE_CODE", "message": "...", ...}}` (./error-schema.ts; the landings render the
 * same reply as a page). Messages are shown only below 500; a 5xx says what to do, never why.
 *
 * - RequestError (the edge's own: 400, 403, 413) and middy's HTTP errors (415, 422): their status.
 * - Use-case refusals (PaymentError): the status of its code (shared/http/error-codes.ts).
 * - Toss failures: refused 422, failed 502, busy 503 (Retry-After), no answer 504.
 * - Store failures: 503 (Retry-After); a write DynamoDB refused for good (OrderWriteRejectedError,
 *   the order flagged): 500, logged and counted (OrderWritesRejected, alarmed).
 * - Anything else is a bug: logged with its stack, counted (UnhandledErrors, alarmed) and 500.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MetricName } from '../metrics.ts';
import { PaymentError } from '../payments/errors.ts';
import { reportRejectedWrite } from '../payments/alerts.ts';
import type { PaymentLogger } from '../payments/ports.ts';
import { OrderWriteRejectedError, StoreError } from '../store/errors.ts';
import { TossBusyError, TossError, TossRefusedError, TossServerError, TossUnknownOutcomeError } from '../toss/errors.ts';
import { ERROR_STATUS, type ErrorCode } from './error-codes.ts';
import type { ErrorReplyBody, IssueBody } from './error-schema.ts';
import { RequestError, RequestValidationError } from './request-errors.ts';

/** What an error is answered with. */
export interface ErrorReply {
  status: number;
  code: ErrorCode;
  message: string;
  /** Extra fields of the error object (`issues`, Toss's `errorCode` and `msg`). */
  details?: { issues?: readonly IssueBody[] } & Pick<ErrorReplyBody['error'], 'errorCode' | 'msg'>;
  headers?: Record<string, string>;
  /** A retry of the same request later may succeed. */
  retryable: boolean;
}

/** middy's own HTTP errors (e.g. @middy/http-json-body-parser): status and `expose`. */
interface MiddyHttpError {
  statusCode: number;
  expose?: boolean;
  message: string;
}
const isMiddyHttpError = (e: unknown): e is MiddyHttpError =>
  e instanceof Error && typeof (e as { statusCode?: unknown }).statusCode === 'number';
const MIDDY_CODES: Record<number, ErrorCode> = { 415: 'UNSUPPORTED_MEDIA_TYPE', 422: 'MALFORMED_JSON' };

/** The reply for a known error; undefined for an error nothing expected (a bug). */
export function replyFor(e: unknown): ErrorReply | undefined {
  if (e instanceof RequestError) {
    const details = e instanceof RequestValidationError && e.issues.length > 0 ? { issues: e.issues } : undefined;
    return { status: e.status, code: e.code, message: e.message, ...(details !== undefined ? { details } : {}), retryable: false };
  }
  if (e instanceof PaymentError) {
    const status = ERROR_STATUS[e.code];
    const r: ErrorReply = { status, code: e.code, message: e.message, retryable: e.retryable };
    if ('retryAfterSeconds' in e && typeof e.retryAfterSeconds === 'number') r.headers = { 'Retry-After': String(e.retryAfterSeconds) };
    if ('issues' in e && Array.isArray(e.issues) && e.issues.length > 0) r.details = { issues: e.issues };
    return r;
  }
  if (e instanceof TossError) {
    if (e instanceof TossRefusedError)
      return { status: ERROR_STATUS.TOSS_REFUSED, code: 'TOSS_REFUSED', message: 'Toss refused the request', details: { errorCode: e.errorCode, msg: e.msg }, retryable: false };
    if (e instanceof TossBusyError)
      return { status: ERROR_STATUS.TOSS_BUSY, code: 'TOSS_BUSY', message: 'Toss asked to try again later', headers: { 'Retry-After': String(e.retryAfterSeconds) }, retryable: true };
    if (e instanceof TossServerError) return { status: ERROR_STATUS.TOSS_FAILED, code: 'TOSS_FAILED', message: 'Toss failed; try again later', retryable: true };
    if (e instanceof TossUnknownOutcomeError)
      return { status: ERROR_STATUS.TOSS_TIMEOUT, code: 'TOSS_TIMEOUT', message: 'Toss did not answer in time; the outcome is being confirmed', retryable: true };
  }
  // Our failure, and no retry mends it: the order is flagged for a person.
  if (e instanceof OrderWriteRejectedError) return { ...INTERNAL_ERROR };
  if (e instanceof StoreError)
    return { status: ERROR_STATUS.TEMPORARILY_UNAVAILABLE, code: 'TEMPORARILY_UNAVAILABLE', message: 'temporarily unavailable; try again', headers: { 'Retry-After': '1' }, retryable: e.retryable };
  if (isMiddyHttpError(e) && e.statusCode < 500 && e.expose !== false)
    return { status: e.statusCode, code: MIDDY_CODES[e.statusCode] ?? 'BAD_REQUEST', message: e.message, retryable: false };
  return undefined;
}

export const INTERNAL_ERROR: ErrorReply = { status: ERROR_STATUS.INTERNAL_ERROR, code: 'INTERNAL_ERROR', message: 'internal error', retryable: false };

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** The JSON form of a reply. */
export const jsonReply = (r: ErrorReply): APIGatewayProxyStructuredResultV2 => {
  const { issues, ...toss } = r.details ?? {};
  const body: ErrorReplyBody = { error: { code: r.code, message: r.message, ...toss, ...(issues !== undefined ? { issues: [...issues] } : {}) } };
  return jsonResponse(r.status, body, r.headers);
};

export interface ErrorRepliesOptions {
  logger: PaymentLogger;
  /** Counts one occurrence of a metric (UnhandledErrors). */
  count: (name: string) => void;
  /** How a reply is rendered (default JSON; the landings render a page for the request's order). */
  render?: (r: ErrorReply, event: APIGatewayProxyEventV2) => APIGatewayProxyStructuredResultV2;
}

/** The `onError` middleware: every error becomes a reply; a bug is also logged, counted and alarmed. */
export function errorReplies(o: ErrorRepliesOptions): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  const render = o.render ?? jsonReply;
  return {
    onError: (request) => {
      if (request.response !== undefined) return;
      const e = request.error;
      let reply = replyFor(e);
      // A write DynamoDB refused for good is logged and counted there.
      const rejected = reportRejectedWrite(o, e);
      if (reply === undefined) {
        if (e instanceof Error) o.logger.error('unhandled error', e);
        else o.logger.error('unhandled error', { error: String(e) });
        o.count(MetricName.UnhandledErrors);
        reply = INTERNAL_ERROR;
      } else if (reply.status >= 500 && !rejected) {
        o.logger.warn('request failed; a retry may succeed', { code: reply.code, error: e });
      }
      request.response = render(reply, request.event);
    },
  };
}
