/**
 * docs/reference/sandbox.md: the Toss sandbox's control API (local/toss-sandbox/control-routes.ts,
 * the table its dispatcher serves) with each body's fields, and its faults (faults.ts).
 */
import { z } from 'zod';
import { CONTROL_ROUTES, type ControlRoute } from '../../local/toss-sandbox/control-routes.ts';
import { API_FAULT_KINDS, API_TARGETS, CALLBACK_FAULT_KINDS } from '../../local/toss-sandbox/faults.ts';
import { code, generatedNote, rulesOf, slug, table, typeOf } from './markdown.ts';

type Json = Record<string, unknown>;

const routeName = (r: ControlRoute): string => `${r.method} ${r.path}`;

function bodyFields(schema: z.ZodType): string {
  const j = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  const object = (Array.isArray(j.anyOf) ? (j.anyOf as Json[])[0] : j) as Json;
  const required = new Set((object.required as string[] | undefined) ?? []);
  const props = (object.properties ?? {}) as Record<string, Json>;
  return table(
    ['field', 'type', 'required', 'rules', 'description'],
    Object.entries(props).map(([f, p]) => [code(f), typeOf(p, (n) => n), required.has(f) ? 'yes' : 'no', rulesOf(p), String(p.description ?? '')]),
  );
}

export function sandboxReference(): string {
  const routes = Object.values(CONTROL_ROUTES) as ControlRoute[];
  const out = [
    generatedNote('local/toss-sandbox/control-routes.ts and faults.ts'),
    '',
    '# Toss sandbox: the control API',
    '',
    'The sandbox (`npm run sandbox`, or inside `npm start` at http://127.0.0.1:4010) is a faithful Toss Pay server: its Toss API, ' +
      'checkout page and rules are described in [local/toss-sandbox/README.md](../../local/toss-sandbox/README.md). Its control API, ' +
      'below, plays what a person or Toss would do (pay, quit, refund in Toss\'s console, pay out: 정산), moves its clock and injects faults. ' +
      'JSON bodies; errors are `{"error", "code"}`. The typed client is `local/toss-sandbox/control.ts`.',
    '',
    table(
      ['route', 'body', 'what it does'],
      routes.map((r) => [code(routeName(r)), r.body !== undefined ? `[fields](#${slug(routeName(r))})` : '', r.does]),
    ),
  ];
  for (const r of routes) {
    if (r.body === undefined) continue;
    out.push('', `## ${routeName(r)}`, '', r.does, '', bodyFields(r.body));
  }
  out.push(
    '',
    '## Faults',
    '',
    `\`POST /sandbox/faults\` takes one fault or a list. \`target\`: a Toss API (${API_TARGETS.map(code).join(', ')}) or \`callback\`. ` +
      `\`kind\` for an API: ${API_FAULT_KINDS.map(code).join(', ')}; for callbacks: ${CALLBACK_FAULT_KINDS.map(code).join(', ')} ` +
      '(what each does: the header of `local/toss-sandbox/faults.ts`). A fault may name a `payToken` or an `orderNo` (else it matches every call) ' +
      'and `times` (else it stays until cleared).',
    '',
    '```sh',
    "curl -s -X POST http://127.0.0.1:4010/sandbox/faults -d '{\"target\":\"execute\",\"kind\":\"lose-reply\",\"times\":1}'",
    "curl -s -X POST http://127.0.0.1:4010/sandbox/clock -d '{\"advanceSeconds\":900}'   # expire open payments",
    '```',
  );
  return `${out.join('\n')}\n`;
}
