/**
 * The JSON error reply, as zod (mini) schemas: `{"error": {"code", "message", ...}}` as
 * shared/http/error-replies.ts writes it (jsonReply), and the `{"message"}` API Gateway itself
 * answers with (no route, no or a refused token, throttled, the function failed or timed out).
 * Types for the code; the OpenAPI document (tools/openapi.ts) is made from the schemas. No
 * function imports this module, only its types.
 */
import * as z from '../zod.ts';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

/** One problem with a request (shared/http/request-errors.ts Issue; a refused callback's issues carry no code). */
export const issueSchema = z.object({
  path: z.string().check(z.describe("The field, dot-separated ('' for the body as a whole; `Idempotency-Key` for that header).")),
  message: z.string(),
  code: z.optional(z.string().check(z.describe("The rule it broke (zod's issue code, e.g. too_small, invalid_format, unrecognized_keys, custom).")))
});

/** The error object, with every code (the document narrows `code` per route and status). */
const errorObjectSchema = z.object({
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]).check(z.describe('Stable: act on it. docs/reference/errors.md lists every code and what to do about it.')),
  message: z.string().check(z.describe('For people; below 500 it says what was wrong, a 5xx says what to do.')),
  issues: z.optional(z.array(issueSchema).check(z.describe('VALIDATION_FAILED, CALLBACK_MALFORMED: every problem found.'))),
  errorCode: z.optional(z.string().check(z.describe("TOSS_REFUSED: Toss's errorCode."))),
  msg: z.optional(z.string().check(z.describe("TOSS_REFUSED: Toss's msg."))),
});

export type IssueBody = z.infer<typeof issueSchema>;

export const errorReplySchema = z.object({ error: errorObjectSchema });
export type ErrorReplyBody = z.infer<typeof errorReplySchema>;

/** What API Gateway answers by itself: `{"message": "Unauthorized"}`, `Forbidden`, `Not Found`, `Too Many Requests`, … */
export const gatewayErrorSchema = z.object({ message: z.string() });
export type GatewayErrorBody = z.infer<typeof gatewayErrorSchema>;
