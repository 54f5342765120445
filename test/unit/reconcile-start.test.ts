import { describe, expect, it } from 'vitest';
import { localStartSchema, periodicJobs } from '../../local/start.ts';
import { ConfigError, parseEnv } from '../../shared/config.ts';

describe('npm start: the periodic reconciler', () => {
  it('runs every 60 seconds by default, every RECONCILE_INTERVAL_SECONDS when set, never when 0', () => {
    const jobs = (env: NodeJS.ProcessEnv) => periodicJobs(parseEnv(localStartSchema, env), env).map((j) => [j.name, j.intervalSeconds]);
    expect(jobs({})).toEqual([['reconciler', 60]]);
    expect(jobs({ RECONCILE_INTERVAL_SECONDS: '' })).toEqual([['reconciler', 60]]);
    expect(jobs({ RECONCILE_INTERVAL_SECONDS: '15' })).toEqual([['reconciler', 15]]);
    expect(jobs({ RECONCILE_INTERVAL_SECONDS: '0' })).toEqual([]);
  });
  it('names a bad RECONCILE_INTERVAL_SECONDS', () => {
    for (const v of ['-1', '1.5', 'soon']) {
      expect(() => parseEnv(localStartSchema, { RECONCILE_INTERVAL_SECONDS: v })).toThrow(ConfigError);
      expect(() => parseEnv(localStartSchema, { RECONCILE_INTERVAL_SECONDS: v })).toThrow(/RECONCILE_INTERVAL_SECONDS/);
    }
  });
});
