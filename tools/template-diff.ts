/**
 * `node tools/template-diff.ts <before.template.json> <after.template.json>`: what a change does
 * to the deployed stack, from two `npx cdk synth -c merchantName=x` templates: the logical ids
 * added and removed (a removed id is a resource CloudFormation deletes), and for every resource
 * kept, the property paths that differ. A Lambda function's code (its asset's S3 key) changes with
 * every change of code and is left out (its S3 key and the asset path in its metadata). Exit code 1 when a logical id was added or removed.
 */
import { readFileSync } from 'node:fs';

interface Template {
  Resources: Record<string, { Type: string; Properties?: unknown; DependsOn?: unknown }>;
}

/** The paths (a.b[2].c) at which two values differ, `+` added, `-` removed, `~` changed. */
export function differences(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => {
      const at = Array.isArray(a) ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`;
      if (!(k in a)) return [`+ ${at} ${JSON.stringify(b[k])}`];
      if (!(k in b)) return [`- ${at} ${JSON.stringify(a[k])}`];
      return differences(a[k], b[k], at);
    });
  }
  return [`~ ${path} ${JSON.stringify(a)} -> ${JSON.stringify(b)}`];
}

/** What the change does to the stack: ids added and removed, and each kept resource's differences. */
export function templateDiff(before: Template, after: Template): { added: string[]; removed: string[]; changed: Record<string, string[]> } {
  const was = before.Resources;
  const is = after.Resources;
  const added = Object.keys(is).filter((id) => !(id in was));
  const removed = Object.keys(was).filter((id) => !(id in is));
  const changed: Record<string, string[]> = {};
  for (const id of Object.keys(is).filter((k) => k in was)) {
    const d = differences({ ...was[id], Code: undefined }, { ...is[id], Code: undefined }).filter((x) => !/^~ (Properties\.Code\.S3Key|Metadata\.aws:asset:path) /.test(x));
    if (d.length > 0) changed[`${id} (${is[id]?.Type})`] = d;
  }
  return { added, removed, changed };
}

if (import.meta.main) {
  const [beforePath, afterPath] = process.argv.slice(2);
  if (beforePath === undefined || afterPath === undefined) {
    console.error('usage: node tools/template-diff.ts <before.template.json> <after.template.json>');
    process.exit(2);
  }
  const read = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Template;
  const d = templateDiff(read(beforePath), read(afterPath));
  console.log(`logical ids added: ${d.added.length === 0 ? 'none' : d.added.join(', ')}`);
  console.log(`logical ids removed: ${d.removed.length === 0 ? 'none' : d.removed.join(', ')}`);
  console.log(`resources changed: ${Object.keys(d.changed).length}`);
  for (const [id, lines] of Object.entries(d.changed)) console.log(`  ${id}\n${lines.map((l) => `    ${l}`).join('\n')}`);
  process.exitCode = d.added.length > 0 || d.removed.length > 0 ? 1 : 0;
}
