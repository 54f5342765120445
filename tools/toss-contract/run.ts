/**
 * Runs the contract calls (calls.ts) against a Toss and reports, call by call, where its replies
 * differ from what we assume:
 *   - the documented behaviour (each call's `expect`, from Toss's pages or marked assumed);
 *   - our reply schemas (shared/toss/schemas.ts, the strict variants): a reply they refuse would be
 *     a reply the functions cannot read;
 *   - the sandbox (local/toss-sandbox), when a reference sandbox is given: the same calls there, and
 *     the HTTP status, code, errorCode and every field's presence and JSON type compared. A field
 *     Toss sends that neither our schemas nor the sandbox name is a note, not a difference: the
 *     schemas keep unknown fields (Toss adds fields without notice).
 */
import * as z from '../../shared/zod.ts';
import { errorReplySchema } from '../../shared/toss/schemas.ts';
import { CALLS, newContext, type Call, type Reply, type RunContext } from './calls.ts';

export interface Target {
  baseUrl: string;
  apiKey: string;
}

export interface CallReport {
  call: string;
  source: string;
  /** Skipped: nothing to do (e.g. a cleanup of what was never created). */
  skipped: boolean;
  differences: string[];
  notes: string[];
}

const TIMEOUT_MS = 15_000;

async function send(t: Target, path: string, body: Record<string, unknown>): Promise<Reply> {
  const res = await fetch(`${t.baseUrl.replace(/\/+$/, '')}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=UTF-8', accept: 'application/json' },
    body: JSON.stringify({ apiKey: t.apiKey, ...body }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  try {
    const v: unknown = JSON.parse(text);
    return { http: res.status, body: v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined };
  } catch {
    return { http: res.status, body: undefined };
  }
}

const typeOf = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** Every field's path and JSON type (an array's elements as `[]`, its first element's fields). */
export function shapeOf(v: unknown, path = '', out: Map<string, string> = new Map()): Map<string, string> {
  if (Array.isArray(v)) {
    if (v.length > 0) {
      out.set(`${path}[]`, typeOf(v[0]));
      shapeOf(v[0], `${path}[]`, out);
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = path === '' ? k : `${path}.${k}`;
      out.set(p, typeOf(x));
      shapeOf(x, p, out);
    }
  }
  return out;
}

/** The top-level fields a (loose) object schema names. */
const namedFields = (schema: z.core.$ZodType): Set<string> => new Set(Object.keys((schema as unknown as { _zod: { def: { shape?: object } } })._zod.def.shape ?? {}));

/** How a reply breaks our schema (success) or our error schema (code -1). */
function schemaProblems(call: Call, r: Reply): string[] {
  if (r.body === undefined) return [`the reply is not a JSON object (HTTP ${r.http})`];
  const schema = r.body.code === -1 ? errorReplySchema : call.schema;
  const parsed = z.safeParse(schema, r.body);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => `our schema: ${i.path.map(String).join('.') || '(reply)'}: ${i.message}`);
}

/** Where the target's reply differs from the sandbox's reply to the same call. */
function sandboxDifferences(target: Reply, sandbox: Reply): { differences: string[]; notes: string[] } {
  const differences: string[] = [];
  const notes: string[] = [];
  if (target.http !== sandbox.http) differences.push(`HTTP ${target.http}; the sandbox answers ${sandbox.http}`);
  for (const k of ['code', 'errorCode'] as const) {
    if (target.body?.[k] !== sandbox.body?.[k]) differences.push(`${k} ${JSON.stringify(target.body?.[k])}; the sandbox answers ${JSON.stringify(sandbox.body?.[k])}`);
  }
  const ours = shapeOf(target.body);
  const theirs = shapeOf(sandbox.body);
  for (const [path, type] of theirs) {
    const t = ours.get(path);
    if (t === undefined) differences.push(`no ${path}; the sandbox sends it (${type})`);
    else if (t !== type) differences.push(`${path} is ${t}; the sandbox sends ${type}`);
  }
  for (const [path, type] of ours) if (!theirs.has(path)) notes.push(`${path} (${type}): the sandbox does not send it`);
  return { differences, notes };
}

/**
 * Runs every call against `target` (and, when given, against `sandbox` too, to compare). Never
 * throws for what Toss answers; a call that gets no reply at all is a difference.
 */
export async function runContract(target: Target, sandbox?: Target): Promise<CallReport[]> {
  const ctx = newContext();
  const refCtx = newContext();
  const reports: CallReport[] = [];
  for (const call of CALLS) {
    const report: CallReport = { call: call.name, source: call.source, skipped: false, differences: [], notes: [] };
    reports.push(report);
    const runsHere = call.when?.(ctx) ?? true;
    // The sandbox runs the call when its own run calls for it (a cleanup of what it created).
    const reference = sandbox !== undefined && (call.when?.(refCtx) ?? true) ? await attempt(sandbox, call, refCtx, undefined) : undefined;
    if (!runsHere) {
      report.skipped = true;
      continue;
    }
    const reply = await attempt(target, call, ctx, report);
    // Not even the first call was answered: this Toss cannot be checked (wrong address, no network).
    if (reply === undefined && reports.length === 1) throw new Error(`${target.baseUrl} did not answer: ${report.differences.join('; ')}`);
    if (reply === undefined) continue;
    const expected = call.expect(reply, ctx);
    if (expected !== undefined) report.differences.push(`${expected} [${call.source}]`);
    report.differences.push(...schemaProblems(call, reply));
    if (reply.body !== undefined && reply.body.code === 0) {
      const named = namedFields(call.schema);
      for (const k of Object.keys(reply.body)) if (!named.has(k)) report.notes.push(`${k}: not in our schema (kept, never read)`);
    }
    if (reference !== undefined) {
      const d = sandboxDifferences(reply, reference);
      report.differences.push(...d.differences);
      report.notes.push(...d.notes);
    }
  }
  return reports;
}

async function attempt(t: Target, call: Call, ctx: RunContext, report: CallReport | undefined): Promise<Reply | undefined> {
  try {
    const r = await send(t, call.path, call.body(ctx));
    call.after?.(r, ctx);
    return r;
  } catch (e) {
    report?.differences.push(`no reply: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** The report as lines for a person: every call, ✓ or ✗, and under each difference what differs. */
export function formatReport(reports: readonly CallReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    if (r.skipped) {
      lines.push(`- ${r.call}: skipped (nothing to do)`);
      continue;
    }
    lines.push(`${r.differences.length === 0 ? '✓' : '✗'} ${r.call}`);
    for (const d of r.differences) lines.push(`    differs: ${d}`);
    for (const n of r.notes) lines.push(`    note: ${n}`);
  }
  const differing = reports.filter((r) => r.differences.length > 0).length;
  lines.push('', `${reports.filter((r) => !r.skipped).length} calls, ${differing} with differences.`);
  return lines;
}
