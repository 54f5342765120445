/**
 * docs/reference/api.md: every route of the OpenAPI document (tools/openapi.ts, itself made from
 * the route table and the handlers' schemas): its parameters, body, replies and error codes, and
 * every schema with its fields.
 */
import { openApiDocument } from '../openapi.ts';
import { code, generatedNote, rulesOf, slug, table, typeOf } from './markdown.ts';

type Json = Record<string, unknown>;

const schemaLink = (name: string): string => `[${name}](#${slug(name)})`;
const errorLink = (c: string): string => `[${code(c)}](errors.md#${slug(c)})`;

/** A route's heading: `POST /payments`. */
export const routeHeading = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

function parameters(op: Json): string {
  const list = (op.parameters as Json[] | undefined) ?? [];
  if (list.length === 0) return '';
  return [
    '**Parameters**',
    '',
    table(
      ['name', 'in', 'required', 'type', 'rules', 'description'],
      list.map((p) => [code(String(p.name)), String(p.in), p.required === true ? 'yes' : 'no', typeOf(p.schema as Json, schemaLink), rulesOf(p.schema as Json), String(p.description ?? '')]),
    ),
  ].join('\n');
}

function body(op: Json): string {
  const rb = op.requestBody as Json | undefined;
  if (rb === undefined) return '';
  const content = rb.content as Record<string, { schema: Json }>;
  const kinds = Object.entries(content).map(([type, c]) => `${code(type)} ${typeOf(c.schema, schemaLink)}`);
  return `**Body** (${rb.required === true ? 'required' : 'optional'}): ${kinds.join(', ')}.`;
}

function replies(op: Json): string {
  const rows = Object.entries(op.responses as Record<string, Json>).map(([status, r]) => {
    const content = (r.content ?? {}) as Record<string, { schema?: Json }>;
    const codes = new Set<string>();
    const what: string[] = [];
    for (const [type, c] of Object.entries(content)) {
      const s = c.schema ?? {};
      const schemas = (Array.isArray(s.anyOf) ? s.anyOf : [s]) as Json[];
      for (const one of schemas) {
        const enumOf = ((one.properties as Json | undefined)?.error as Json | undefined)?.properties as Json | undefined;
        const list = (enumOf?.code as Json | undefined)?.enum;
        if (Array.isArray(list)) for (const c2 of list) codes.add(String(c2));
        else what.push(`${code(type)} ${typeOf(one, schemaLink)}`);
      }
    }
    if (codes.size > 0) what.unshift(`${schemaLink('ErrorReply')} with ${[...codes].map(errorLink).join(', ')}`);
    const headers = Object.keys((r.headers ?? {}) as Json);
    return [code(status), what.join('; ') || '(no body)', `${String(r.description ?? '')}${headers.length > 0 ? ` Headers: ${headers.map(code).join(', ')}.` : ''}`];
  });
  return ['**Replies**', '', table(['status', 'body', 'when'], rows)].join('\n');
}

function schemaSection(name: string, s: Json): string {
  const lines = [`### ${name}`, ''];
  if (typeof s.description === 'string') lines.push(s.description, '');
  const props = s.properties as Record<string, Json> | undefined;
  if (props === undefined) {
    lines.push(`${typeOf(s, schemaLink)}${rulesOf(s) !== '' ? `; ${rulesOf(s)}` : ''}.`);
    return lines.join('\n');
  }
  const required = new Set((s.required as string[] | undefined) ?? []);
  lines.push(
    table(
      ['field', 'type', 'required', 'rules', 'description'],
      Object.entries(props).map(([field, p]) => [code(field), typeOf(p, schemaLink), required.has(field) ? 'yes' : 'no', rulesOf(p), String(p.description ?? '')]),
    ),
  );
  if (s.additionalProperties === false) lines.push('', 'Closed: a field not listed here is refused (400 `VALIDATION_FAILED`).');
  return lines.join('\n');
}

export function apiReference(): string {
  const doc = openApiDocument() as Json;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const tags = doc.tags as { name: string; description: string }[];
  const out: string[] = [
    generatedNote('the OpenAPI document (tools/openapi.ts: shared/routes.ts and the handlers\' schemas)'),
    '',
    '# API reference',
    '',
    `${String((doc.info as Json).description)}`,
    '',
    'Base URL: the stack\'s `ApiUrl` output (`http://127.0.0.1:3000` under `npm start`). The same document as JSON is `GET /openapi.json` ' +
      '([docs/openapi.json](../openapi.json)); rendered, with "Try it out", `GET /docs`. What each error code means and what to do about it: ' +
      '[errors.md](errors.md). The events and webhooks: [events.md](events.md).',
    '',
    '## Routes',
    '',
  ];
  const ops: { tag: string; method: string; path: string; op: Json }[] = [];
  for (const [path, methods] of Object.entries(paths)) for (const [method, op] of Object.entries(methods)) ops.push({ tag: (op.tags as string[])[0] ?? '', method, path, op });
  out.push(
    table(
      ['route', 'auth', 'what it does'],
      ops.map(({ method, path, op }) => {
        const h = routeHeading(method, path);
        return [`[${code(h)}](#${slug(h)})`, (op.security as unknown[]).length > 0 ? 'merchant token' : 'public', String(op.summary)];
      }),
    ),
  );
  for (const tag of tags) {
    const mine = ops.filter((o) => o.tag === tag.name);
    if (mine.length === 0) continue;
    out.push('', `## ${tag.name}`, '', tag.description);
    for (const { method, path, op } of mine) {
      out.push('', `### ${routeHeading(method, path)}`, '', `**${String(op.summary)}.** ${String(op.description ?? '')}`.trim(), '');
      out.push(
        (op.security as unknown[]).length > 0
          ? '**Auth**: `Authorization: Bearer <merchant token>` (401 without it, 403 with a token the stack does not accept).'
          : '**Auth**: none (public).',
      );
      for (const part of [parameters(op), body(op), replies(op)]) if (part !== '') out.push('', part);
    }
  }
  const webhooks = Object.keys(doc.webhooks as Json);
  out.push('', '## Webhooks', '', `Every event type (${webhooks.map(code).join(', ')}) is POSTed to your receiver as [events.md](events.md) describes.`);
  out.push('', '## Schemas');
  for (const [name, s] of Object.entries((doc.components as Json).schemas as Record<string, Json>)) out.push('', schemaSection(name, s));
  return `${out.join('\n')}\n`;
}
