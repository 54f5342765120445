import { describe, expect, it } from 'vitest';
import { appConfigSchema, authConfigSchema, ConfigError, parseEnv } from '../../shared/config.ts';
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
