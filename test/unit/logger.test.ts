/**
 * LOG_FORMAT: the deployed default is Powertools' JSON, one object per line, as CloudWatch gets it;
 * `pretty` writes the same attributes as a line a person reads in a terminal (npm start's default
 * there), through a Powertools custom log formatter. Anything else fails the cold start, naming it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/config.ts';
import { logFormatOf, newLogger, terminalLine } from '../../shared/logger.ts';

let out: string[];
let err: string[];
const originals = { out: process.stdout.write, err: process.stderr.write };
beforeEach(() => {
  out = [];
  err = [];
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
});
afterEach(() => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
});

describe('LOG_FORMAT', () => {
  it('json by default: one Powertools JSON object per line', () => {
    const logger = newLogger({});
    logger.info('landing resolved', { orderNo: 'A-17', result: 'paid' });
    const line = JSON.parse(out.join('')) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'INFO', message: 'landing resolved', service: 'toss-pay', orderNo: 'A-17', result: 'paid' });
    expect(typeof line.timestamp).toBe('string');
  });

  it('pretty: time, level, message and the keys on one line; warnings and errors on stderr, with the stack below', () => {
    const logger = newLogger({ LOG_FORMAT: 'pretty' });
    logger.appendKeys({ orderNo: 'A-17' });
    logger.info('landing resolved', { result: 'paid', note: 'two words' });
    expect(out.join('')).toMatch(/^\d\d:\d\d:\d\d\.\d{3} {2}INFO {3}landing resolved {2}orderNo=A-17 {2}result=paid {2}note="two words"\n$/);
    expect(() => JSON.parse(out.join(''))).toThrow();
    logger.error('unhandled error', new Error('boom'));
    const e = err.join('');
    expect(e).toMatch(/ERROR {2}unhandled error {2}orderNo=A-17\n {4}Error: boom\n +at /);
    expect(out).toHaveLength(1);
  });

  it('refuses another value, naming LOG_FORMAT', () => {
    expect(logFormatOf({ LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(logFormatOf({ LOG_FORMAT: '' })).toBe('json');
    expect(() => logFormatOf({ LOG_FORMAT: 'text' })).toThrow(ConfigError);
    expect(() => newLogger({ LOG_FORMAT: 'text' })).toThrow(/LOG_FORMAT/);
  });

  it('a line shows objects as JSON and a function name when the invocation has one', () => {
    expect(terminalLine({ time: '01:02:03.004', level: 'WARN', fn: 'callback', message: 'm', extra: { a: 1 }, error: 'text' })).toBe(
      '01:02:03.004  WARN   callback  m  extra={"a":1}\n    error=text',
    );
  });
});
