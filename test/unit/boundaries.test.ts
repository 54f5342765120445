/**
 * The deployed code stands alone: the lint rule in eslint.config.js refuses imports of local/,
 * test/ or bench/ from functions/ and shared/, and lets test/ and local/ import what they need.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

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
