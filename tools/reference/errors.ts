/**
 * docs/reference/errors.md: every error code (shared/http/error-codes.ts) with its status, what it
 * means and what to do (shared/http/error-guide.ts), the routes that answer it (the OpenAPI
 * document), and what API Gateway answers by itself.
 */
import { ERROR_CODES, ERROR_STATUS, type ErrorCode } from '../../shared/http/error-codes.ts';
import { ERROR_GUIDE, GATEWAY_REPLIES } from '../../shared/http/error-guide.ts';
import { openApiDocument } from '../openapi.ts';
import { routeHeading } from './api.ts';
import { code, generatedNote, slug, table } from './markdown.ts';

type Json = Record<string, unknown>;

/** The routes of the document that answer each code. */
function routesByCode(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const paths = (openApiDocument() as Json).paths as Record<string, Record<string, Json>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      for (const r of Object.values(op.responses as Record<string, Json>)) {
        const schema = (((r.content ?? {}) as Json)['application/json'] as Json | undefined)?.schema as Json | undefined;
        for (const s of (Array.isArray(schema?.anyOf) ? schema.anyOf : [schema]) as (Json | undefined)[]) {
          const list = ((((s?.properties as Json | undefined)?.error as Json | undefined)?.properties as Json | undefined)?.code as Json | undefined)?.enum;
          if (!Array.isArray(list)) continue;
          for (const c of list) out.set(String(c), [...(out.get(String(c)) ?? []), routeHeading(method, path)]);
        }
      }
    }
  }
  return out;
}

const RETRY_WORDS = { no: 'no: not as it is', yes: 'yes: the same request again', 'after Retry-After': 'yes, after `Retry-After` seconds' } as const;

export function errorsReference(): string {
  const byCode = routesByCode();
  const codes = [...ERROR_CODES].sort((a, b) => ERROR_STATUS[a] - ERROR_STATUS[b] || a.localeCompare(b));
  const out = [
    generatedNote('shared/http/error-codes.ts, shared/http/error-guide.ts and the OpenAPI document'),
    '',
    '# Error codes',
    '',
    'Every error reply of a function has one shape: `{"error": {"code": "VALIDATION_FAILED", "message": "…", …}}` ' +
      '(the `ErrorReply` schema of [api.md](api.md#errorreply)). Act on `code`, which is stable; `message` is for people (a 5xx says ' +
      'what to do, never why). A 5xx means the same request may succeed later; a 4xx means it will not, as it is. Every merchant ' +
      'route is safe to send again: a create is keyed by its orderNo, a refund by its `Idempotency-Key`. The buyer\'s landings never ' +
      'show these codes: they answer with a page.',
    '',
    table(
      ['status', 'code', 'retry', 'what to do'],
      codes.map((c) => [String(ERROR_STATUS[c]), `[${code(c)}](#${slug(c)})`, RETRY_WORDS[ERROR_GUIDE[c].retry], ERROR_GUIDE[c].action]),
    ),
  ];
  for (const c of codes) {
    const g = ERROR_GUIDE[c as ErrorCode];
    const routes = byCode.get(c) ?? [];
    out.push(
      '',
      `## ${c}`,
      '',
      `**${ERROR_STATUS[c]}.** ${g.meaning}`,
      '',
      `**What to do:** ${g.action}`,
      '',
      `**Retry:** ${RETRY_WORDS[g.retry]}.`,
      '',
      `**Answered by:** ${routes.map((r) => `[${code(r)}](api.md#${slug(r)})`).join(', ')}.`,
    );
  }
  out.push(
    '',
    '## Replies of API Gateway itself',
    '',
    'Before a function runs (or instead of one that failed), API Gateway answers `{"message": "…"}` with no code; the local gateway answers the same.',
    '',
    table(
      ['status', 'body', 'when', 'what to do'],
      GATEWAY_REPLIES.map((r) => [String(r.status), code(JSON.stringify({ message: r.message })), r.meaning, r.action]),
    ),
  );
  return `${out.join('\n')}\n`;
}
