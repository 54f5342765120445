/**
 * The boundaries `npm run lint` enforces. The deployed code stands alone: the lint rule in
 * eslint.config.js refuses imports of local/, test/ or bench/ from functions/ and shared/. The
 * layers of docs/ARCHITECTURE.md and the absence of import cycles (type-only imports included):
 * .dependency-cruiser.mjs, run here exactly as `npm run lint` runs it, on files planted in a
 * scratch copy of the layout, each breaking one rule (and one that breaks none).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/paths.ts';

const eslint = new ESLint();
const restricted = async (filePath: string, source: string): Promise<string[]> => {
  const [r] = await eslint.lintText(source, { filePath });
  return (r?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('import boundaries', () => {
  it.each([
    ['shared/payments/x.ts', "import { startSandbox } from '../../local/toss-sandbox/server.ts';"],
    ['shared/x.ts', "import { startStack } from '../test/support/stack.ts';"],
    ['functions/callback/x.ts', "import { startDynamoDbProxy } from '../../local/dynamodb-proxy.ts';"],
    ['functions/callback/x.ts', "import { run } from '../../bench/run.ts';"],
  ])('%s may not import %s', async (file, source) => {
    expect(await restricted(file, `${source}\nexport const used = 1;\n`)).toEqual([expect.stringContaining('deployed code')]);
  });

  it('test/ and local/ may import the deployed code and each other', async () => {
    expect(await restricted('test/unit/x.ts', "import { decide } from '../../shared/domain/decide.ts';\nexport const y = decide;\n")).toEqual([]);
    expect(await restricted('local/x.ts', "import { startSandbox } from './toss-sandbox/server.ts';\nexport const y = startSandbox;\n")).toEqual([]);
  });
});

/** The modules the planted files import, as empty stand-ins (the checker reads paths, not contents). */
const TARGETS = [
  'shared/domain/order.ts',
  'shared/store/orders.ts',
  'shared/toss/client.ts',
  'shared/payments/create.ts',
  'shared/payments/view.ts',
  'shared/payments/ports.ts',
  'shared/payments/order-view.ts',
  'shared/events/webhook-signing.ts',
  'shared/ledger/record.ts',
  'shared/http/chain.ts',
  'shared/deps.ts',
  'shared/zod.ts',
];

const CYCLE = 'no-cycles (a cycle)';

/** Each planted file, what it imports, and the rule that refuses it (undefined: none does). */
const PLANTED: [file: string, source: string, rule: string | undefined][] = [
  ['shared/domain/planted.ts', "import { x } from '../store/orders.ts';", 'domain-is-pure'],
  ['shared/domain/planted-type.ts', "import type { X } from '../payments/ports.ts';", 'domain-is-pure'],
  ['shared/store/planted.ts', "import { x } from '../payments/create.ts';", 'adapters-import-domain-and-ports'],
  ['shared/store/planted-toss.ts', "import { x } from '../toss/client.ts';", 'adapters-import-domain-and-ports'],
  ['shared/payments/planted.ts', "import { x } from '../http/chain.ts';", 'use-cases-import-domain-and-ports'],
  ['shared/payments/planted-store.ts', "import { x } from '../store/orders.ts';", 'use-cases-import-domain-and-ports'],
  ['shared/payments/planted-ledger.ts', "import { x } from '../ledger/record.ts';", 'payments-is-the-lowest-area'],
  ['shared/events/planted.ts', "import { x } from '../payments/view.ts';", 'events-read-payments-contracts-only'],
  ['shared/planted-config.ts', "import { x } from './events/webhook-signing.ts';", 'foundation-and-contracts-stand-alone'],
  ['shared/http/planted.ts', "import { x } from '../store/orders.ts';", 'http-above-use-cases'],
  ['shared/http/planted-root.ts', "import type { X } from '../deps.ts';", 'roots-are-imported-by-functions-only'],
  ['functions/planted/handler.ts', "import { x } from '../../shared/store/orders.ts';", 'functions-wire'],
  ['console/src/planted.ts', "import { x } from '../../shared/payments/create.ts';", 'console-reads-contracts'],
  ['console/src/planted-root.ts', "import type { X } from '../../shared/deps.ts';", 'roots-are-imported-by-functions-only'],
  ['clients/typescript/planted.ts', "import type { X } from '../../shared/payments/ports.ts';", 'typed-client-stands-alone'],
  // A cycle through type-only imports (the checker names it once, from one of its modules).
  ['shared/payments/cycle-a.ts', "import type { B } from './cycle-b.ts';\nexport type A = { b?: B };", CYCLE],
  ['shared/payments/cycle-b.ts', "import type { A } from './cycle-a.ts';\nexport type B = { a?: A };", CYCLE],
  // Allowed: a use case on the domain, its ports, another area's contract and the foundation.
  ['shared/events/fine.ts', "import { x } from '../domain/order.ts';\nimport { y } from '../payments/order-view.ts';\nimport { z } from '../zod.ts';", undefined],
  ['functions/fine/handler.ts', "import { x } from '../../shared/deps.ts';\nimport { y } from '../../shared/http/chain.ts';", undefined],
  // Allowed: the console on the API's contracts, the domain and the foundation.
  ['console/src/fine.ts', "import type { X } from '../../shared/payments/order-view.ts';\nimport { x } from '../../shared/domain/order.ts';\nimport { z } from '../../shared/zod.ts';", undefined],
];

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

let dir: string;
let violations: Violation[];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'layers-'));
  const put = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  for (const t of TARGETS) put(t, 'export const x = 1, y = 1, z = 1;\nexport type X = number;\n');
  for (const [file, source] of PLANTED) put(file, `${source}\nexport const used = 1;\n`);
  // As `npm run lint` runs it: the project's configuration, on the whole tree.
  const r = spawnSync(
    process.execPath,
    [join(PROJECT_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs'), '--config', join(PROJECT_ROOT, '.dependency-cruiser.mjs'), '--output-type', 'json', '.'],
    { cwd: dir, encoding: 'utf8' },
  );
  if (r.stdout === '') throw new Error(`dependency-cruiser gave nothing: ${r.stderr}`);
  violations = (JSON.parse(r.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('layers and cycles (npm run lint: .dependency-cruiser.mjs)', () => {
  it.each(PLANTED.filter(([, , rule]) => rule !== undefined && rule !== CYCLE).map(([file, source, rule]) => [file, source.split('\n')[0], rule] as const))(
    '%s (%s) is refused: %s',
    (file, _source, rule) => {
      expect(violations.filter((v) => v.from === file).map((v) => v.rule.name)).toContain(rule);
    },
  );

  it('a cycle of type-only imports is refused', () => {
    const cycles = violations.filter((v) => v.rule.name === 'no-cycles');
    expect(cycles.map((v) => [v.from, v.to].sort())).toEqual([['shared/payments/cycle-a.ts', 'shared/payments/cycle-b.ts']]);
  });

  it('a use case on the domain, another area`s contract and the foundation, and a function wiring its container, break no rule', () => {
    expect(violations.filter((v) => ['shared/events/fine.ts', 'functions/fine/handler.ts', 'console/src/fine.ts'].includes(v.from))).toEqual([]);
  });

  it('the project itself breaks none', () => {
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs'), '--config', '.dependency-cruiser.mjs', '--output-type', 'err', '.'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    expect([r.status, r.stdout]).toEqual([0, expect.stringContaining('no dependency violations found')]);
  }, 60_000);
});
