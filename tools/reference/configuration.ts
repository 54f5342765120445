/**
 * docs/reference/configuration.md: every variable the functions read (shared/config.ts's schemas
 * and their defaults, their descriptions from shared/config-descriptions.ts, and which functions
 * read each: shared/functions.ts), every CDK context key (infra/config.ts), and the variables of
 * `npm start` (local/start.ts) and of the Toss sandbox (local/toss-sandbox/server.ts).
 */
import { z as zod } from 'zod';
import { CONTEXT_KEYS, stackConfigSchema } from '../../infra/config.ts';
import { localStartSchema } from '../../local/start.ts';
import { SANDBOX_VARIABLES } from '../../local/toss-sandbox/server.ts';
import { appConfigSchema, authConfigSchema, consoleConfigSchema, eventsConfigSchema } from '../../shared/config.ts';
import { VARIABLE_DESCRIPTIONS } from '../../shared/config-descriptions.ts';
import { FUNCTION_ACCESS, type FunctionAccess, type FunctionName } from '../../shared/functions.ts';
import { LOG_FORMAT_DESCRIPTION, LOG_FORMATS } from '../../shared/logger.ts';
import * as z from '../../shared/zod.ts';
import { code, generatedNote, rulesOf, table } from './markdown.ts';

type Json = Record<string, unknown>;
type Properties = Record<string, Json>;

const SCHEMAS = { app: appConfigSchema, events: eventsConfigSchema, auth: authConfigSchema, console: consoleConfigSchema } as const;

const propertiesOf = (schema: z.core.$ZodType): { properties: Properties; required: string[] } => {
  const j = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties: Properties; required?: string[] };
  return { properties: j.properties, required: j.required ?? [] };
};

/** The variables every function of a schema reads, and those only some read (their optionalEnv). */
function readers(variable: string): FunctionName[] {
  const listedBySome = Object.values(FUNCTION_ACCESS).some((a) => (a.optionalEnv as readonly string[]).includes(variable));
  return (Object.entries(FUNCTION_ACCESS) as [FunctionName, FunctionAccess][])
    .filter(([, a]) => {
      if (a.config === 'none') return false;
      if (!(variable in propertiesOf(SCHEMAS[a.config]).properties)) return false;
      return !listedBySome || (a.optionalEnv as readonly string[]).includes(variable);
    })
    .map(([fn]) => fn)
    .sort();
}

/** A variable's description (shared/config-descriptions.ts, which its type keeps complete). */
function descriptionOf(variable: string): string {
  const d = (VARIABLE_DESCRIPTIONS as Record<string, string | undefined>)[variable];
  if (d === undefined) throw new Error(`${variable} has no description in shared/config-descriptions.ts`);
  return d;
}

function functionsTable(): string {
  const names = [...new Set(Object.values(SCHEMAS).flatMap((s) => Object.keys(propertiesOf(s).properties)))];
  const rows = names.map((name) => {
    const found = Object.values(SCHEMAS).map((s) => propertiesOf(s)).find((p) => name in p.properties);
    const p = found?.properties[name] ?? {};
    const required = Object.values(SCHEMAS).some((s) => propertiesOf(s).required.includes(name));
    const fns = readers(name);
    const all = Object.values(FUNCTION_ACCESS).filter((a) => a.config !== 'none').length;
    return [code(name), required ? '**required**' : 'default' in p ? code(JSON.stringify(p.default)) : 'unset', rulesOf({ ...p, default: undefined }).replace(/, default `undefined`|default `undefined`/, ''), fns.length === all ? 'every function' : fns.map(code).join(', '), descriptionOf(name)];
  });
  const logReaders = Object.values(FUNCTION_ACCESS).filter((a) => a.config !== 'none').length;
  rows.push([code('LOG_FORMAT'), code(JSON.stringify('json')), `one of ${LOG_FORMATS.map(code).join(', ')}`, logReaders > 0 ? 'every function' : '', LOG_FORMAT_DESCRIPTION]);
  return table(['variable', 'default', 'rules', 'read by', 'description'], rows.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '')));
}

/** The defaults of a full-zod object schema: what it parses `minimal` into. */
const defaultsOf = (schema: zod.ZodType, minimal: Json): Json => schema.parse(minimal) as Json;

function contextTable(): string {
  const j = zod.toJSONSchema(stackConfigSchema, { io: 'input', unrepresentable: 'any' }) as { properties: Properties };
  const defaults = defaultsOf(stackConfigSchema, { merchantName: 'x' });
  return table(
    ['key', 'default', 'rules', 'description'],
    CONTEXT_KEYS.map((key) => {
      const p = j.properties[key] ?? {};
      const def = key === 'merchantName' ? '**required**' : defaults[key] !== undefined ? code(JSON.stringify(defaults[key])) : 'unset';
      return [code(key), def, rulesOf({ ...p, default: undefined }).replace(/,? ?default `undefined`/, ''), String(p.description ?? '')];
    }),
  );
}

function localTable(): string {
  const j = zod.toJSONSchema(localStartSchema, { io: 'input', unrepresentable: 'any' }) as { properties: Properties };
  const defaults = defaultsOf(localStartSchema, {});
  return table(
    ['variable', 'default', 'description'],
    Object.entries(j.properties).map(([name, p]) => [code(name), defaults[name] !== undefined ? code(JSON.stringify(defaults[name])) : 'unset', String(p.description ?? '')]),
  );
}

export function configurationReference(): string {
  const out = [
    generatedNote('shared/config.ts, shared/functions.ts, infra/config.ts, local/start.ts and the sandbox'),
    '',
    '# Configuration',
    '',
    'Four places read configuration: the functions (environment variables, checked with zod at every cold start: a missing or invalid one ' +
      'fails the start, naming it), the CDK app (context keys, checked at every synth, naming the key), `npm start`, and the Toss sandbox. ' +
      'In AWS the stack sets the functions\' variables from its context; locally `npm start` sets them from its own variables (and passes ' +
      'the functions\' own through).',
    '',
    '## The functions\' environment',
    '',
    'From `shared/config.ts`; which function reads each, from `shared/functions.ts` (the stack sets each variable only on those).',
    '',
    functionsTable(),
    '',
    '## CDK context',
    '',
    'Give them in `cdk.json` under `"context"` or per command, `npx cdk deploy -c key=value`. Unknown keys are refused. CDK context is not ' +
      'remembered between deploys: give a stage the same values every time.',
    '',
    contextTable(),
    '',
    '## `npm start`',
    '',
    'What `npm start` (local/start.ts) reads itself; the functions\' variables above are passed through to the local functions. ' +
      '`npm run reconcile` reads the same.',
    '',
    localTable(),
    '',
    '## Toss sandbox',
    '',
    'What `npm run sandbox` reads (`npm start` starts the sandbox with its own settings). Its control API: [sandbox.md](sandbox.md).',
    '',
    table(
      ['variable', 'default', 'description'],
      Object.entries(SANDBOX_VARIABLES).map(([name, v]) => [code(name), v.default.includes(' ') ? v.default : code(v.default), v.description]),
    ),
  ];
  return `${out.join('\n')}\n`;
}
