/** test/support/capture.ts: a screenshot Chromium refused is asked for once more, and only that. */
import { describe, expect, it } from 'vitest';
import { captureOnceMore } from '../support/capture.ts';

const REFUSAL = new Error('page.screenshot: Protocol error (Page.captureScreenshot): Unable to capture screenshot\nCall log:\n  - taking page screenshot');

/** A capture that answers each of `answers` in turn (an Error is thrown), and what was asked. */
function scripted(answers: (string | Error)[]): { capture: () => Promise<string>; nextFrame: () => Promise<void>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    capture: async () => {
      calls.push('capture');
      const a = answers.shift();
      if (a === undefined) throw new Error('asked once too often');
      if (a instanceof Error) throw a;
      return a;
    },
    nextFrame: async () => {
      calls.push('frame');
    },
  };
}

describe('captureOnceMore', () => {
  it('takes the picture once when Chromium takes it', async () => {
    const s = scripted(['png']);
    await expect(captureOnceMore(s.capture, s.nextFrame)).resolves.toBe('png');
    expect(s.calls).toEqual(['capture']);
  });

  it('asks once more, after a frame, when Chromium refused the capture', async () => {
    const s = scripted([REFUSAL, 'png']);
    await expect(captureOnceMore(s.capture, s.nextFrame)).resolves.toBe('png');
    expect(s.calls).toEqual(['capture', 'frame', 'capture']);
  });

  it('fails on a second refusal, and at once on any other error', async () => {
    const twice = scripted([REFUSAL, REFUSAL, 'png']);
    await expect(captureOnceMore(twice.capture, twice.nextFrame)).rejects.toBe(REFUSAL);
    expect(twice.calls).toEqual(['capture', 'frame', 'capture']);
    const closed = new Error('page.screenshot: Target page, context or browser has been closed');
    const other = scripted([closed, 'png']);
    await expect(captureOnceMore(other.capture, other.nextFrame)).rejects.toBe(closed);
    expect(other.calls).toEqual(['capture']);
  });
});
