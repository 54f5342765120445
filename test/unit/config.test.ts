import { describe, expect, it } from 'vitest';
import { appConfigSchema, authConfigSchema, ConfigError, parseEnv } from '../../shared/config.ts';
import { merchantOf } from '../../shared/merchant.ts';
import { modeOfKey } from '../../shared/toss/mode.ts';

const base = { TABLE_NAME: 't', PUBLIC_BASE_URL: 'https://pay.example.com/', TOSS_API_KEY: 'sk_test_x' };

describe('configuration', () => {
  it('parses a minimal environment with defaults', () => {
    const c = parseEnv(appConfigSchema, base);
    expect(c.PUBLIC_BASE_URL).toBe('https://pay.example.com');
    expect(c.TOSS_BASE_URL).toBe('https://pay.toss.im');
    expect(c.TOSS_TIMEOUT_MS).toBe(15_000);
    expect(c.MERCHANT_RESULT_URL).toBeUndefined();
  });

  it('names the missing variable', () => {
    expect(() => parseEnv(appConfigSchema, { ...base, TABLE_NAME: undefined })).toThrow(/TABLE_NAME/);
    expect(() => parseEnv(appConfigSchema, { ...base, TOSS_API_KEY: undefined })).toThrow(ConfigError);
    expect(() => parseEnv(appConfigSchema, { ...base, TOSS_API_KEY: undefined })).toThrow(/TOSS_API_KEY/);
  });

  it('names an invalid variable', () => {
    expect(() => parseEnv(appConfigSchema, { ...base, PUBLIC_BASE_URL: 'not a url' })).toThrow(/PUBLIC_BASE_URL/);
    expect(() => parseEnv(appConfigSchema, { ...base, TOSS_TIMEOUT_MS: 'soon' })).toThrow(/TOSS_TIMEOUT_MS/);
  });

  it('splits comma-separated lists', () => {
    const c = parseEnv(authConfigSchema, { MERCHANT_TOKENS: ' a, b ,,' });
    expect(c.MERCHANT_TOKENS).toEqual(['a', 'b']);
    expect(() => parseEnv(authConfigSchema, { MERCHANT_TOKENS: ' , ' })).toThrow(/MERCHANT_TOKENS/);
  });

  it("reads the shop as the pages show it: the name (required by the landings), a phone or URL to reach it, the business details", () => {
    const c = parseEnv(appConfigSchema, {
      ...base,
      MERCHANT_NAME: ' 토스 상점 ',
      MERCHANT_SUPPORT: '02-123-4567',
      MERCHANT_BUSINESS_NUMBER: '1234567890',
      MERCHANT_ADDRESS: '',
    });
    expect(merchantOf(c)).toEqual({
      name: '토스 상점',
      support: { kind: 'phone', value: '02-123-4567' },
      business: { company: undefined, representative: undefined, registrationNumber: '123-45-67890', mailOrderNumber: undefined, address: undefined },
      shopUrl: undefined,
    });
    expect(merchantOf(parseEnv(appConfigSchema, { ...base, MERCHANT_NAME: 'x', MERCHANT_SUPPORT: 'https://help.example.com/' })).support).toEqual({ kind: 'url', value: 'https://help.example.com/' });
    for (const [k, v] of [
      ['MERCHANT_SUPPORT', 'call us'],
      ['MERCHANT_SUPPORT', 'javascript:alert(1)'],
      ['MERCHANT_BUSINESS_NUMBER', '12-345'],
      ['MERCHANT_NAME', 'x'.repeat(51)],
      ['MERCHANT_ADDRESS', 'line\nbreak'],
    ] as const)
      expect(() => parseEnv(appConfigSchema, { ...base, [k]: v })).toThrow(new RegExp(k));
    // The landings' cold start without a name.
    expect(() => merchantOf(parseEnv(appConfigSchema, base))).toThrow(/MERCHANT_NAME: required/);
  });

  it('derives the mode from the key', () => {
    expect(modeOfKey('sk_test_w5lNQylNqa5lNQe013Nq')).toBe('TEST');
    expect(modeOfKey('sk_live_abc')).toBe('LIVE');
  });
});

describe('function settings', () => {
  it('has settings for every function the route table and schedule name', async () => {
    const { allFunctions } = await import('../../shared/routes.ts');
    const { functionSettings } = await import('../../shared/functions.ts');
    expect(Object.keys(functionSettings).sort()).toEqual(allFunctions().sort());
    for (const s of Object.values(functionSettings)) expect(s.timeoutSeconds).toBeGreaterThan(0);
  });
});
