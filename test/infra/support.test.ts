import { describe, expect, it } from 'vitest';
import { withoutBundlingBanners } from './support.ts';

describe('withoutBundlingBanners', () => {
  it("leaves out only CDK's `Bundling asset ...` lines, passes everything else through, and restores stderr even on failure", () => {
    const seen: unknown[] = [];
    const original = process.stderr.write;
    const recorder = ((chunk: unknown) => seen.push(chunk) > 0) as typeof process.stderr.write;
    process.stderr.write = recorder;
    try {
      withoutBundlingBanners(() => {
        process.stderr.write('Bundling asset TossPay-dev/CallbackFunction/Default/Code/Stage...\n');
        process.stderr.write('✘ [ERROR] Could not resolve "./missing.ts"\n');
        process.stderr.write('Bundling asset TossPay-dev/X/Code/Stage...\nand a second line\n');
        process.stderr.write(Buffer.from('bytes\n'));
      });
      expect(() =>
        withoutBundlingBanners(() => {
          throw new Error('Failed to bundle asset');
        }),
      ).toThrow('Failed to bundle asset');
      expect(process.stderr.write).toBe(recorder);
    } finally {
      process.stderr.write = original;
    }
    expect(seen).toEqual([
      '✘ [ERROR] Could not resolve "./missing.ts"\n',
      'Bundling asset TossPay-dev/X/Code/Stage...\nand a second line\n',
      Buffer.from('bytes\n'),
    ]);
  });
});
