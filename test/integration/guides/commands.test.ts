/**
 * The commands of the guides (docs/guides/*.md): every `sh` block is marked, just before its
 * fence, `<!-- run: … -->` or `<!-- not run: <why> -->`. The blocks marked `run` are run here, a
 * guide's blocks in order in one bash (so a variable one sets, the next uses), against a fresh
 * local stack: API, TOKEN and SANDBOX point at it, as the guides set them for `npm start`. A
 * command that fails (curl --fail-with-body on an HTTP error) fails the guide's test with its output.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../support/stack.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const GUIDES = join(ROOT, 'docs', 'guides');

interface ShBlock {
  marker: 'run' | 'not run' | undefined;
  why: string;
  code: string;
  line: number;
}

/** Every `sh` block of a guide, with the marker on the line before its fence. */
function shBlocks(text: string): ShBlock[] {
  const lines = text.split('\n');
  const out: ShBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```sh\s*$/.exec(lines[i] ?? '');
    if (fence === null) continue;
    const indent = fence[1] ?? '';
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    const marker = /^\s*<!-- (run|not run): (.*) -->\s*$/.exec(lines[i - 1] ?? '');
    out.push({
      marker: marker?.[1] as ShBlock['marker'],
      why: marker?.[2] ?? '',
      code: lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n'),
      line: i + 1,
    });
    i = end;
  }
  return out;
}

const guides = readdirSync(GUIDES).filter((f) => f.endsWith('.md')).sort();

let s: Stack;
beforeAll(async () => {
  s = await startStack({}, { webhooks: true });
});
afterAll(() => s.stop());

describe('the commands of the guides', () => {
  it('finds the guides, and marks every sh block run or not run (with why)', () => {
    expect(guides).toEqual(expect.arrayContaining(['run-locally.md', 'integrate-your-shop.md', 'receive-webhooks.md', 'deploy-and-go-live.md', 'operate.md']));
    const unmarked = guides.flatMap((g) =>
      shBlocks(readFileSync(join(GUIDES, g), 'utf8'))
        .filter((b) => b.marker === undefined || (b.marker === 'not run' && b.why.trim().length < 10))
        .map((b) => `${g}:${b.line}`),
    );
    expect(unmarked).toEqual([]);
  });

  for (const guide of guides) {
    const run = shBlocks(readFileSync(join(GUIDES, guide), 'utf8')).filter((b) => b.marker === 'run');
    if (run.length === 0) continue;
    it(`runs the commands of ${guide} against the local stack`, async () => {
      const script = ['set -euo pipefail', ...run.map((b) => `echo "--- ${guide}:${b.line}"\n${b.code}`)].join('\n');
      // Not spawnSync: the stack answers from this very process.
      const r = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn('bash', ['-c', script], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', API: s.api, TOKEN: s.token, SANDBOX: s.sandbox.url },
        });
        let output = '';
        child.stdout.on('data', (b: Buffer) => (output += b.toString()));
        child.stderr.on('data', (b: Buffer) => (output += b.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, output }));
      });
      expect(r.code, `${guide}: the commands failed\n${r.output}`).toBe(0);
    });
  }
});
