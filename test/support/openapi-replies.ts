/**
 * Replies checked against the OpenAPI document (tools/openapi.ts, the document the code makes):
 * for a request to a route of shared/routes.ts, its status must be documented for that route, its
 * content type one the document names for that status, a JSON body valid against that schema, a
 * reply without content empty, and a header the document names for some reply (Retry-After,
 * ETag, Location) sent only where the document names it. test/support/stack.ts checks every
 * reply of the local stack's gateway this way, so every integration test that calls the API also
 * checks the document.
 *
 * The replies are checked closed: an object of the document with `properties` takes no other
 * property here (the document itself leaves replies open, so clients ignore new fields), so a
 * field the code sends and the document does not name fails. Times (`format: date-time`) are
 * checked with zod's own ISO check, the one the schemas are written with.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { z } from 'zod';
import { createRouter } from '../../local/gateway/routing.ts';
import { documentPath, openApiDocument } from '../../tools/openapi.ts';
import { routes, type Route } from '../../shared/routes.ts';

type Json = Record<string, unknown>;

const DOC_ID = 'openapi.json';

/** Every object with `type: object` and `properties` (and no say of its own) closed. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)])) as Json;
  if (out.type === 'object' && out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** `$ref`s made absolute, into the document as the validator holds it. */
const absolute = (schema: unknown): Json => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`)) as Json;

interface Documented {
  doc: Json;
  /** Every response header the document names somewhere (lower case): Retry-After, ETag, Location. */
  headers: Set<string>;
  ajv: Ajv2020;
  compiled: Map<string, ValidateFunction>;
}

let documented: Documented | undefined;

/**
 * The last document's validators, kept on the worker's process for its next files: each file
 * evaluates this module afresh (test/support/shared-worker.ts), and compiling the schemas again
 * was most of what checking its replies cost. They are used only for the same document, compared
 * as JSON (within a run it cannot differ: it is made from the code).
 */
/** Where on the worker's `globalThis` they are kept. */
export const KEPT = Symbol.for('toss-pay.test.openapi-replies');
type Kept = { json: string; documented: Documented };
const kept = globalThis as typeof globalThis & { [KEPT]?: Kept };

function load(): Documented {
  if (documented !== undefined) return documented;
  const doc = openApiDocument();
  const json = JSON.stringify(doc);
  if (kept[KEPT]?.json === json) return (documented = kept[KEPT].documented);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const isoTime = z.iso.datetime({ offset: true });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => isoTime.safeParse(s).success });
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) });
  ajv.addSchema(absolute({ $id: DOC_ID, components: closed(doc.components) }) as never);
  const headers = new Set(
    Object.values(doc.paths as Record<string, Record<string, { responses: Record<string, { headers?: Json }> }>>)
      .flatMap((ops) => Object.values(ops))
      .flatMap((op) => Object.values(op.responses))
      .flatMap((r) => Object.keys(r.headers ?? {}).map((h) => h.toLowerCase())),
  );
  documented = { doc, headers, ajv, compiled: new Map() };
  kept[KEPT] = { json, documented };
  return documented;
}

const match = createRouter(routes);

/** The route of the table a request reaches: the local gateway's matching (API Gateway's rules). */
export const routeOf = (method: string, path: string): Route | undefined => match(method, path)?.route;

export class ReplyContractError extends Error {
  override name = 'ReplyContractError';
}

export interface CheckedReply {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Throws a ReplyContractError when `reply` (to `method` `url`) breaks the document; replies to
 * paths no route serves (the gateway's own 404, the demo shop) are not the API's and pass.
 */
export function checkReply(method: string, url: string, reply: CheckedReply): void {
  const path = new URL(url, 'http://x').pathname;
  const route = routeOf(method, path);
  if (route === undefined) return;
  const { doc, headers, ajv, compiled } = load();
  const where = `${route.method} ${route.path} (${method} ${path}) answered ${reply.status}`;
  const operation = ((doc.paths as Record<string, Record<string, Json>>)[documentPath(route.path)] ?? {})[route.method.toLowerCase()];
  const responses = (operation?.responses ?? {}) as Record<string, Json>;
  const status = String(reply.status);
  const response = responses[status] ?? responses[`${status[0]}XX`];
  const fail = (why: string): never => {
    throw new ReplyContractError(`${where}: ${why}\n${reply.text.slice(0, 2_000)}`);
  };
  if (response === undefined) return fail(`the document has no ${status} for this route (it has ${Object.keys(responses).join(', ')})`);
  const named = (response.headers ?? {}) as Record<string, { required?: boolean }>;
  for (const [name, header] of Object.entries(named)) {
    if (header.required === true && reply.headers.get(name) === null) fail(`no ${name} header`);
  }
  // A header the document names for some replies (Retry-After, ETag, Location) must be named for this one too.
  const here = new Set(Object.keys(named).map((h) => h.toLowerCase()));
  for (const name of headers) if (reply.headers.get(name) !== null && !here.has(name)) fail(`a header the document does not give this reply: ${name}`);
  const content = response.content as Record<string, { schema: Json }> | undefined;
  if (content === undefined) {
    if (reply.text !== '') fail('a body where the document has none');
    return;
  }
  const type = (reply.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const media = content[type];
  if (media === undefined) return fail(`content type ${JSON.stringify(type)}, the document has ${Object.keys(content).join(', ')}`);
  if (type !== 'application/json') return;
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    return fail('not JSON');
  }
  const key = `${route.method} ${route.path} ${status} ${type}`;
  let validate = compiled.get(key);
  if (validate === undefined) {
    validate = ajv.compile(absolute(media.schema));
    compiled.set(key, validate);
  }
  if (!validate(body)) fail(`the body breaks its schema: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
}
