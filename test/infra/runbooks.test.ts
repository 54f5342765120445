/**
 * docs/runbooks.md has an entry for every alarm the stack creates, matched on the alarm's id
 * (`toss-pay-<stage>-<id>`): a heading or an `<a id>` of that id; and no entry for an alarm that
 * does not exist. Each Logs Insights query filters on messages the code really logs, so a
 * renamed log line cannot leave a query finding nothing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorsOf, codeBlocksOf } from '../support/markdown.ts';
import { ofType, synth } from './support.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const RUNBOOKS = readFileSync(join(ROOT, 'docs', 'runbooks.md'), 'utf8');
/** The section that holds the per-function alarms (`<function>-errors`), each an `<a id>` of its table. */
const GROUP_SECTIONS = ['function-errors'];

const s = synth({ stage: 'runbooks' }, { bundle: false });
const alarmIds = ofType(s, 'AWS::CloudWatch::Alarm').map(([, r]) => String(r.Properties?.AlarmName).replace(/^toss-pay-runbooks-/, ''));

/** Every string and template literal of the deployed code: what it can log. */
function literals(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)) out.push((m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1'));
    }
  };
  walk(join(ROOT, 'shared'));
  walk(join(ROOT, 'functions'));
  return out;
}

describe('docs/runbooks.md', () => {
  it('finds the alarms of the stack', () => {
    expect(alarmIds.length).toBeGreaterThan(10);
  });

  it('has an entry for every alarm the stack creates', () => {
    const anchors = anchorsOf(RUNBOOKS);
    expect(alarmIds.filter((id) => !anchors.has(id))).toEqual([]);
  });

  it('has no entry for an alarm the stack does not create', () => {
    const entries = [...RUNBOOKS.matchAll(/^## (\S+)\s*$/gm)].map((m) => m[1] ?? '').filter((h) => !GROUP_SECTIONS.includes(h));
    const rows = [...RUNBOOKS.matchAll(/<a id="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect([...entries, ...rows].filter((id) => !alarmIds.includes(id))).toEqual([]);
  });

  it('queries only messages the code logs', () => {
    const known = literals();
    const queries = codeBlocksOf(RUNBOOKS).filter((b) => b.lang === '').map((b) => b.code);
    const exact = queries.flatMap((q) => [...q.matchAll(/message = "([^"]+)"/g)].map((m) => m[1] ?? ''));
    const patterns = queries.flatMap((q) => [...q.matchAll(/message like \/((?:[^/\\]|\\.)+)\//g)].map((m) => m[1] ?? ''));
    expect(exact.length + patterns.length).toBeGreaterThan(5);
    expect(exact.filter((m) => !known.includes(m))).toEqual([]);
    expect(patterns.filter((p) => !known.some((k) => new RegExp(p).test(k)))).toEqual([]);
  });
});
