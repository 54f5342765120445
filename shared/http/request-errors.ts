/**
 * What a request got wrong, as errors that know their HTTP status: the HTTP edge's own errors.
 * (Use-case, Toss and store errors carry no status; shared/http/error-replies.ts maps them.)
 */
import * as z from '../zod.ts';
import { ERROR_STATUS, type ErrorCode } from './error-codes.ts';

export abstract class RequestError extends Error {
  abstract readonly status: number;
  abstract readonly code: ErrorCode;
}

/** One problem with a request: `path` names the field (dot-separated), '' for the body as a whole. */
export interface Issue {
  path: string;
  message: string;
  code: string;
}

/** The request breaks a rule: 400 with every issue, nothing written. */
export class RequestValidationError extends RequestError {
  override name = 'RequestValidationError';
  readonly status: number = ERROR_STATUS.VALIDATION_FAILED;
  readonly code = 'VALIDATION_FAILED';
  readonly issues: readonly Issue[];
  constructor(message: string, issues: readonly Issue[] = []) {
    super(message);
    this.issues = issues;
  }
}

export class BodyTooLargeError extends RequestError {
  override name = 'BodyTooLargeError';
  readonly status = ERROR_STATUS.BODY_TOO_LARGE;
  readonly code = 'BODY_TOO_LARGE';
  constructor() {
    super('the request body is too large');
  }
}

/** The body is not what the route reads (not JSON, not a form, empty). */
export class MalformedBodyError extends RequestValidationError {
  override name = 'MalformedBodyError';
}

export class SourceNotAllowedError extends RequestError {
  override name = 'SourceNotAllowedError';
  readonly status = ERROR_STATUS.SOURCE_NOT_ALLOWED;
  readonly code = 'SOURCE_NOT_ALLOWED';
  constructor() {
    super('source address not allowed');
  }
}

/**
 * Zod issues without the offending input values (they may be anything a client sent). An
 * unknown field becomes one issue naming that field, so a named field's path is never empty.
 */
export function issuesOf(e: z.core.$ZodError): Issue[] {
  return e.issues.flatMap((i): Issue[] => {
    const at = i.path.map(String);
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => ({ path: [...at, k].join('.'), message: 'unknown field', code: i.code }));
    return [{ path: at.join('.'), message: i.message, code: i.code }];
  });
}

/**
 * Parses what a request carries against `schema`. A failure is the client's (400); every other
 * ZodError (a reply from Toss, an item from the table) is not, and stays a ZodError.
 */
export function parseRequest<S extends z.core.$ZodType>(schema: S, value: unknown, what = 'the request is invalid'): z.infer<S> {
  const r = z.safeParse(schema, value);
  if (r.success) return r.data;
  throw new RequestValidationError(what, issuesOf(r.error));
}
