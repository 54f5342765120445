import { describe, expect, it } from 'vitest';
import { localStartSchema, periodicJobs } from '../../local/start.ts';
import { ConfigError, parseEnv } from '../../shared/config.ts';

const jobs = (env: NodeJS.ProcessEnv) => periodicJobs(parseEnv(localStartSchema, env), env).map((j) => [j.name, j.intervalSeconds]);
const only = (name: string, env: NodeJS.ProcessEnv) => jobs(env).filter(([n]) => n === name);

describe('npm start: the periodic reconciler', () => {
  it('runs every 60 seconds by default, every RECONCILE_INTERVAL_SECONDS when set, never when 0', () => {
    expect(only('reconciler', {})).toEqual([['reconciler', 60]]);
    expect(only('reconciler', { RECONCILE_INTERVAL_SECONDS: '' })).toEqual([['reconciler', 60]]);
    expect(only('reconciler', { RECONCILE_INTERVAL_SECONDS: '15' })).toEqual([['reconciler', 15]]);
    expect(only('reconciler', { RECONCILE_INTERVAL_SECONDS: '0' })).toEqual([]);
  });
  it('runs the webhook retrier every 10 seconds by default, every WEBHOOK_RETRY_INTERVAL_SECONDS when set, never when 0', () => {
    expect(jobs({})).toEqual([
      ['reconciler', 60],
      ['webhook-retrier', 10],
    ]);
    expect(only('webhook-retrier', { WEBHOOK_RETRY_INTERVAL_SECONDS: '2' })).toEqual([['webhook-retrier', 2]]);
    expect(jobs({ WEBHOOK_RETRY_INTERVAL_SECONDS: '0', RECONCILE_INTERVAL_SECONDS: '0' })).toEqual([]);
    expect(() => parseEnv(localStartSchema, { WEBHOOK_RETRY_INTERVAL_SECONDS: 'often' })).toThrow(/WEBHOOK_RETRY_INTERVAL_SECONDS/);
  });
  it('names a bad RECONCILE_INTERVAL_SECONDS', () => {
    for (const v of ['-1', '1.5', 'soon']) {
      expect(() => parseEnv(localStartSchema, { RECONCILE_INTERVAL_SECONDS: v })).toThrow(ConfigError);
      expect(() => parseEnv(localStartSchema, { RECONCILE_INTERVAL_SECONDS: v })).toThrow(/RECONCILE_INTERVAL_SECONDS/);
    }
  });
});
