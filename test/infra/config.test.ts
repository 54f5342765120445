import { describe, expect, it } from 'vitest';
import { StackConfigError, parseStackConfig, readStackConfig } from '../../infra/config.ts';
import { REQUIRED_CONTEXT } from './support.ts';

/** The context as a deployment gives it: the merchant's name, and `raw`. */
const parseNamed = (raw: Record<string, unknown>) => parseStackConfig({ ...REQUIRED_CONTEXT, ...raw });

describe('stack configuration (CDK context)', () => {
  it('has safe defaults', () => {
    expect(parseNamed({})).toEqual({
      merchantName: '테스트 상점',
      stage: 'dev',
      tossBaseUrl: 'https://pay.toss.im',
      reconcileRate: 5,
      callbackIpAllowlist: true,
      logRetentionDays: 365,
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      publicThrottleRateLimit: 25,
      publicThrottleBurstLimit: 50,
      consoleThreatProtection: true,
    });
    // The public routes' own limits start below the stage default of every route.
    const d = parseNamed({});
    expect(d.publicThrottleRateLimit).toBeLessThan(d.throttleRateLimit);
    expect(d.publicThrottleBurstLimit).toBeLessThan(d.throttleBurstLimit);
  });

  it('reads the public routes\' throttling limits from strings and numbers, within the same bounds as the stage\'s', () => {
    expect(parseNamed({ publicThrottleRateLimit: '10', publicThrottleBurstLimit: '20' })).toMatchObject({
      publicThrottleRateLimit: 10,
      publicThrottleBurstLimit: 20,
    });
    expect(parseNamed({ publicThrottleRateLimit: 10_000, publicThrottleBurstLimit: 5_000 })).toMatchObject({
      publicThrottleRateLimit: 10_000,
      publicThrottleBurstLimit: 5_000,
    });
    const messageOf = (raw: Record<string, unknown>): string => {
      try {
        parseNamed(raw);
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
    expect(readStackConfig((k) => ({ ...REQUIRED_CONTEXT, ...context })[k])).toMatchObject({ publicThrottleRateLimit: 12, publicThrottleBurstLimit: 24 });
  });

  it("requires the shop's name (every buyer page shows it), and takes its support contact and business details", () => {
    expect(() => parseStackConfig({})).toThrow(/merchantName: required: the shop's name, shown on every buyer result page/);
    expect(() => parseStackConfig({ merchantName: '  ' })).toThrow(/merchantName: required/);
    expect(
      parseNamed({
        merchantSupport: '1588-0000',
        merchantCompany: '(주)테스트',
        merchantRepresentative: '홍길동',
        merchantBusinessNumber: '123-45-67890',
        merchantMailOrderNumber: '제2026-서울강남-01234호',
        merchantAddress: '서울특별시 강남구 테헤란로 1',
      }),
    ).toMatchObject({ merchantSupport: '1588-0000', merchantBusinessNumber: '123-45-67890', merchantAddress: '서울특별시 강남구 테헤란로 1' });
    expect(parseNamed({ merchantSupport: 'https://help.example.com/' }).merchantSupport).toBe('https://help.example.com/');
    expect(() => parseNamed({ merchantSupport: 'call us' })).toThrow(/merchantSupport: must be a phone number/);
    expect(() => parseNamed({ merchantSupport: 'http://help.example.com/' })).toThrow(/merchantSupport/);
    expect(() => parseNamed({ merchantBusinessNumber: '12345' })).toThrow(/merchantBusinessNumber: must be the 10 digits/);
  });

  it('accepts command-line strings and cdk.json values alike', () => {
    const fromCli = parseNamed({
      stage: 'prod',
      reconcileRate: '10',
      callbackIpAllowlist: 'false',
      merchantResultUrl: 'https://shop.example.com/result',
      alarmEmail: 'ops@example.com',
      logRetentionDays: '90',
    });
    const fromJson = parseNamed({
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

  it("refuses the stage `local`: it is npm start's, where webhook endpoints may be http:// on the machine itself", () => {
    expect(() => parseNamed({ stage: 'local' })).toThrow(/stage: "local" is npm start's stage/);
    expect(parseNamed({ stage: 'locals' }).stage).toBe('locals');
  });

  it('reads the webhook endpoints\' settings within their bounds', () => {
    expect(parseNamed({ webhookSecretRotationHours: '12', webhookDisableAfterDays: 7 })).toMatchObject({ webhookSecretRotationHours: 12, webhookDisableAfterDays: 7 });
    expect(() => parseNamed({ webhookSecretRotationHours: 0 })).toThrow(/webhookSecretRotationHours: must be at least 1/);
    expect(() => parseNamed({ webhookDisableAfterDays: '400' })).toThrow(/webhookDisableAfterDays: must be at most 365/);
  });

  it('treats an empty optional value as unset', () => {
    const c = parseNamed({ merchantResultUrl: '', alarmEmail: '' });
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
      parseNamed(bad);
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
    expect(() => parseNamed({ reconcileRate: 'often' })).toThrow(/reconcileRate: must be a whole number/);
    expect(() => parseNamed({ reconcileRate: 2.5 })).toThrow(/reconcileRate: must be a whole number/);
  });

  it('reads the webhook URL (https only) and the retry schedule (whole seconds, normalized) for the events functions', () => {
    expect(parseNamed({ merchantWebhookUrl: 'https://shop.example.com/hooks', webhookRetrySchedule: ' 5, 300 ,1800' })).toMatchObject({
      merchantWebhookUrl: 'https://shop.example.com/hooks',
      webhookRetrySchedule: '5,300,1800',
    });
    // cdk.json may give a list or one number.
    expect(parseNamed({ webhookRetrySchedule: [5, 300] }).webhookRetrySchedule).toBe('5,300');
    expect(parseNamed({ webhookRetrySchedule: 60 }).webhookRetrySchedule).toBe('60');
    // Empty: unset (no webhooks; the code's default schedule).
    const unset = parseNamed({ merchantWebhookUrl: '', webhookRetrySchedule: '' });
    expect(unset.merchantWebhookUrl).toBeUndefined();
    expect(unset.webhookRetrySchedule).toBeUndefined();
    const context: Record<string, unknown> = { merchantWebhookUrl: 'https://a.example/h', webhookRetrySchedule: '10,20' };
    expect(readStackConfig((k) => ({ ...REQUIRED_CONTEXT, ...context })[k])).toMatchObject({ merchantWebhookUrl: 'https://a.example/h', webhookRetrySchedule: '10,20' });

    const messageOf = (raw: Record<string, unknown>): string => {
      try {
        parseNamed(raw);
      } catch (e) {
        if (!(e instanceof StackConfigError)) throw e;
        return e.message;
      }
      throw new Error('expected a StackConfigError');
    };
    expect(messageOf({ merchantWebhookUrl: 'http://shop.example.com/hooks' })).toMatch(/merchantWebhookUrl: must be an https URL/);
    expect(messageOf({ merchantWebhookUrl: 'not a url' })).toMatch(/merchantWebhookUrl: must be an https URL/);
    for (const bad of ['5,,300', '5;300', '1.5', '-5', 'soon', '5,']) {
      expect(messageOf({ webhookRetrySchedule: bad }), `${bad}`).toMatch(/webhookRetrySchedule: must be comma-separated whole seconds, e\.g\. 5,300,1800/);
    }
    expect(messageOf({ webhookRetrySchedule: '0,60' })).toMatch(/webhookRetrySchedule: each delay must be 1 to 604800 seconds/);
    expect(messageOf({ webhookRetrySchedule: '604801' })).toMatch(/webhookRetrySchedule: each delay must be 1 to 604800 seconds/);
    expect(messageOf({ webhookRetrySchedule: Array.from({ length: 31 }, () => 60).join(',') })).toMatch(
      /webhookRetrySchedule: must have at most 30 delays/,
    );
    expect(parseNamed({ webhookRetrySchedule: Array.from({ length: 30 }, () => 604_800).join(',') }).webhookRetrySchedule).toBeDefined();
    expect(messageOf({ webhookUrl: 'https://a.example/h' })).toMatch(/unknown context key\(s\) webhookUrl; known: .*merchantWebhookUrl, webhookRetrySchedule/);
  });

  it('refuses unknown keys in props, and reads only its own keys from context', () => {
    expect(() => parseNamed({ alarmMail: 'ops@example.com' })).toThrow(/unknown context key\(s\) alarmMail/);
    const context: Record<string, unknown> = { stage: 'qa', '@aws-cdk/core:someFlag': true };
    expect(readStackConfig((k) => ({ ...REQUIRED_CONTEXT, ...context })[k]).stage).toBe('qa');
  });
});
