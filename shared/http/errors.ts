/**
 * THE error -> response mapper: JSON `{"error": {"code": "STABLE_CODE", "message": "..."}}`.
 * 5xx only when a retry could succeed; 500 only for bugs. Messages never carry secrets.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { CallbackRejectedError, CreateInProgressError, ModeMismatchError, OrderNoConflictError, OrderNotFoundError } from '../payments/errors.ts';
import { StoreUnavailableError } from '../store/orders.ts';
import { TossBusyError, TossRefusedError, TossServerError, TossUnknownOutcomeError } from '../toss/errors.ts';
import { BodyTooLargeError, MalformedBodyError } from './body.ts';
import { logger } from './observability.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const sourceNotAllowed = (): HttpError => new HttpError(403, 'SOURCE_NOT_ALLOWED', 'source address not allowed');

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

const errorBody = (code: string, message: string, extra: Record<string, unknown> = {}) => ({ error: { code, message, ...extra } });

/** Zod issues without the offending input values (they may be anything a client sent). */
const issuesOf = (e: z.ZodError) => e.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, code: i.code }));

export function errorResponse(e: unknown): APIGatewayProxyStructuredResultV2 {
  if (e instanceof HttpError) return jsonResponse(e.status, errorBody(e.code, e.message, e.details));
  if (e instanceof z.ZodError)
    return jsonResponse(400, errorBody('VALIDATION_FAILED', 'the request is invalid', { issues: issuesOf(e) }));
  if (e instanceof MalformedBodyError) return jsonResponse(400, errorBody('VALIDATION_FAILED', e.message));
  if (e instanceof BodyTooLargeError) return jsonResponse(413, errorBody('BODY_TOO_LARGE', 'the request body is too large'));
  if (e instanceof OrderNotFoundError) return jsonResponse(404, errorBody('ORDER_NOT_FOUND', 'no such order'));
  if (e instanceof OrderNoConflictError) return jsonResponse(409, errorBody('ORDER_NO_CONFLICT', e.message));
  if (e instanceof CallbackRejectedError) return jsonResponse(e.httpStatus, errorBody(e.code, e.message));
  if (e instanceof ModeMismatchError) return jsonResponse(409, errorBody('MODE_MISMATCH', e.message));
  if (e instanceof CreateInProgressError)
    return jsonResponse(409, errorBody('CREATE_IN_PROGRESS', e.message), { 'Retry-After': String(e.retryAfterSeconds) });
  if (e instanceof TossBusyError)
    return jsonResponse(503, errorBody('TOSS_BUSY', 'Toss asked to try again later'), { 'Retry-After': String(e.retryAfterSeconds) });
  if (e instanceof TossRefusedError)
    return jsonResponse(422, errorBody('TOSS_REFUSED', 'Toss refused the request', { errorCode: e.errorCode, msg: e.msg }));
  if (e instanceof TossServerError) return jsonResponse(502, errorBody('TOSS_FAILED', 'Toss failed; try again later'));
  if (e instanceof TossUnknownOutcomeError)
    return jsonResponse(504, errorBody('TOSS_TIMEOUT', 'Toss did not answer in time; the outcome is being confirmed'));
  if (e instanceof StoreUnavailableError)
    return jsonResponse(503, errorBody('TEMPORARILY_UNAVAILABLE', 'temporarily unavailable; try again'), { 'Retry-After': '1' });
  logger.error('unhandled error', e as Error);
  return jsonResponse(500, errorBody('INTERNAL_ERROR', 'internal error'));
}
