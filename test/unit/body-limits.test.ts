/**
 * THE body-size rule: each route that reads a body states its limit in the route table
 * (shared/routes.ts), every HTTP function's chain refuses a bigger body with 413 before anything
 * reads it (shared/http/body.ts), and the error reference (docs/reference/errors.md) says each limit. The real handlers, no I/O: a
 * body at the limit gets past the rule and is refused by validation instead (HANDLER_ENV points
 * DynamoDB and Toss at a closed port).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../local/gateway/lambda.ts';
import { PROJECT_ROOT } from '../../infra/paths.ts';
import { routeKey, routes, type Route } from '../../shared/routes.ts';
import { eventOf, HANDLER_ENV, type Handler, type Request } from './validation-messages.cases.ts';

const withBody = (routes as readonly Route[]).filter((r) => r.maxBodyBytes !== undefined);
const KiB = (n: number): string => `${n / 1024} KiB`;

/** The reference's sentence on 413, as the route table makes it (the limits listed out here, not by the code under test). */
function referenceSentence(): string {
  const byLimit = new Map<number, string[]>();
  for (const r of withBody) byLimit.set(r.maxBodyBytes as number, [...(byLimit.get(r.maxBodyBytes as number) ?? []), routeKey(r)]);
  const list = (keys: string[]) => {
    const quoted = keys.sort().map((k) => `\`${k}\``);
    return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
  };
  const parts = [...byLimit].sort(([a], [b]) => b - a).map(([limit, keys]) => `${KiB(limit)} for ${list(keys)}`);
  return `The body is over its route's limit (the route table's \`maxBodyBytes\`): ${parts.join('; ')}.`;
}

/** A JSON body of exactly `bytes` bytes that no route takes (an unknown field). */
const padded = (bytes: number): string => {
  const head = '{"unknownField":"';
  return `${head}${'a'.repeat(bytes - head.length - 2)}"}`;
};

const requestOf = (r: Route, body: string): Request => {
  const pathParameters: Record<string, string> = {};
  if (r.path.includes('{orderNo}')) pathParameters.orderNo = 'A-17';
  const id = r.path.startsWith('/webhook-endpoints') ? 'we_abc' : 'evt_abc';
  if (r.path.includes('{id}')) pathParameters.id = id;
  return { routeKey: routeKey(r), path: r.path.replace('{orderNo}', 'A-17').replace('{id}', id), pathParameters, headers: { 'idempotency-key': 'body-limit-1' }, body };
};

let handlers: Map<string, Handler>;
beforeAll(async () => {
  Object.assign(process.env, HANDLER_ENV);
  handlers = new Map();
  for (const r of withBody) handlers.set(r.fn, ((await import(`../../functions/${r.fn}/handler.ts`)) as { handler: Handler }).handler);
});

describe('the body-size rule', () => {
  it('every route that takes a body (POST, PATCH) states its limit, and no other does', () => {
    expect(withBody.map(routeKey).sort()).toEqual(routes.filter((r) => r.method === 'POST' || r.method === 'PATCH').map(routeKey).sort());
  });

  it.each(withBody.map((r) => [routeKey(r), r] as const))('%s refuses one byte over its limit with 413, and takes a body at it', async (_key, r) => {
    const limit = r.maxBodyBytes as number;
    const handler = handlers.get(r.fn) as Handler;
    const over = await handler(eventOf(requestOf(r, padded(limit + 1))), lambdaContext(r.fn, 28));
    expect([over.statusCode, JSON.parse(String(over.body)).error.code]).toEqual([413, 'BODY_TOO_LARGE']);
    const at = await handler(eventOf(requestOf(r, padded(limit))), lambdaContext(r.fn, 28));
    expect(at.statusCode).toBe(400);
  });

  it('the error reference states each route`s limit', () => {
    expect(readFileSync(join(PROJECT_ROOT, 'docs', 'reference', 'errors.md'), 'utf8')).toContain(referenceSentence());
  });
});
