import { describe, expect, it } from 'vitest';
import { StackConfigError, parseStackConfig, readStackConfig } from '../../infra/config.ts';

describe('stack configuration (CDK context)', () => {
  it('has safe defaults', () => {
    expect(parseStackConfig({})).toEqual({
      stage: 'dev',
      tossBaseUrl: 'https://pay.toss.im',
      reconcileRate: 5,
      callbackIpAllowlist: true,
      logRetentionDays: 365,
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      publicThrottleRateLimit: 25,
      publicThrottleBurstLimit: 50,
    });
    // The public routes' own limits start below the stage default of every route.
    const d = parseStackConfig({});
    expect(d.publicThrottleRateLimit).toBeLessThan(d.throttleRateLimit);
    expect(d.publicThrottleBurstLimit).toBeLessThan(d.throttleBurstLimit);
  });

  it('reads the public routes\' throttling limits from strings and numbers, within the same bounds as the stage\'s', () => {
    expect(parseStackConfig({ publicThrottleRateLimit: '10', publicThrottleBurstLimit: '20' })).toMatchObject({
      publicThrottleRateLimit: 10,
      publicThrottleBurstLimit: 20,
    });
    expect(parseStackConfig({ publicThrottleRateLimit: 10_000, publicThrottleBurstLimit: 5_000 })).toMatchObject({
      publicThrottleRateLimit: 10_000,
      publicThrottleBurstLimit: 5_000,
    });
    const messageOf = (raw: Record<string, unknown>): string => {
      try {
        parseStackConfig(raw);
      } catch (e) {
        if (!(e instanceof StackConfigError)) throw e;
        return e.message;
      }
      throw new Error('expected a StackConfigError');
    };
    expect(messageOf({ publicThrottleRateLimit: '0', publicThrottleBurstLimit: '5001' }).split('\n').slice(1).sort()).toEqual([
      '  publicThrottleBurstLimit: must be at most 5000',
      '  publicThrottleRateLimit: must be at least 1',
    ]);
    expect(messageOf({ publicThrottleRateLimit: 'fast' })).toMatch(/publicThrottleRateLimit: must be a whole number/);
    expect(messageOf({ publicThrottleBurstLimit: 1.5 })).toMatch(/publicThrottleBurstLimit: must be a whole number/);
    expect(messageOf({ publicThrottleRate: 10 })).toMatch(/unknown context key\(s\) publicThrottleRate; known: .*publicThrottleRateLimit, publicThrottleBurstLimit/);
    const context: Record<string, unknown> = { publicThrottleRateLimit: '12', publicThrottleBurstLimit: 24 };
    expect(readStackConfig((k) => context[k])).toMatchObject({ publicThrottleRateLimit: 12, publicThrottleBurstLimit: 24 });
  });

  it('accepts command-line strings and cdk.json values alike', () => {
    const fromCli = parseStackConfig({
      stage: 'prod',
      reconcileRate: '10',
      callbackIpAllowlist: 'false',
      merchantResultUrl: 'https://shop.example.com/result',
      alarmEmail: 'ops@example.com',
      logRetentionDays: '90',
    });
    const fromJson = parseStackConfig({
      stage: 'prod',
      reconcileRate: 10,
      callbackIpAllowlist: false,
      merchantResultUrl: 'https://shop.example.com/result',
      alarmEmail: 'ops@example.com',
      logRetentionDays: 90,
    });
    expect(fromCli).toEqual(fromJson);
    expect(fromCli).toMatchObject({ reconcileRate: 10, callbackIpAllowlist: false, logRetentionDays: 90 });
  });

  it('treats an empty optional value as unset', () => {
    const c = parseStackConfig({ merchantResultUrl: '', alarmEmail: '' });
    expect(c.merchantResultUrl).toBeUndefined();
    expect(c.alarmEmail).toBeUndefined();
  });

  it('refuses invalid values with a message naming each key', () => {
    const bad = {
      stage: 'Prod_1',
      tossBaseUrl: 'http://pay.toss.im',
      reconcileRate: '0',
      callbackIpAllowlist: 'yes',
      merchantResultUrl: 'not a url',
      alarmEmail: 'nobody',
      logRetentionDays: 100,
    };
    let error: unknown;
    try {
      parseStackConfig(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StackConfigError);
    const message = (error as Error).message;
    const lines = message.split('\n').slice(1);
    expect(lines.filter((l) => !l.startsWith('  logRetentionDays:')).sort()).toEqual(
      [
        '  stage: lower-case letters, digits and dashes, starting with a letter, at most 20',
        '  tossBaseUrl: must be an https URL',
        '  reconcileRate: must be at least 1',
        '  callbackIpAllowlist: must be true or false',
        '  merchantResultUrl: must be an https URL',
        '  alarmEmail: Invalid email address',
      ].sort(),
    );
    expect(lines.filter((l) => l.startsWith('  logRetentionDays:'))).toEqual([
      expect.stringMatching(/^ {2}logRetentionDays: must be one of 1, 3, 5, 7, 14, 30, .*, 3653, 9999$/),
    ]);
    expect(() => parseStackConfig({ reconcileRate: 'often' })).toThrow(/reconcileRate: must be a whole number/);
    expect(() => parseStackConfig({ reconcileRate: 2.5 })).toThrow(/reconcileRate: must be a whole number/);
  });

  it('refuses unknown keys in props, and reads only its own keys from context', () => {
    expect(() => parseStackConfig({ alarmMail: 'ops@example.com' })).toThrow(/unknown context key\(s\) alarmMail/);
    const context: Record<string, unknown> = { stage: 'qa', '@aws-cdk/core:someFlag': true };
    expect(readStackConfig((k) => context[k]).stage).toBe('qa');
  });
});
