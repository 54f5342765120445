/**
 * docs/reference is what the code makes (tools/reference.ts, `npm run docs`), as docs/openapi.json
 * is (test/unit/openapi.test.ts): a file that differs, is missing, or is not made by the tool
 * fails here. And what it is made from is complete: every error code and event type has its
 * guide, every variable and context key its description, every sandbox control route its handler.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z as zod } from 'zod';
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEYS, stackConfigSchema } from '../../infra/config.ts';
import { localStartSchema } from '../../local/start.ts';
import { CONTROL_ROUTES, matchControlRoute } from '../../local/toss-sandbox/control-routes.ts';
import { appConfigSchema, authConfigSchema, consoleConfigSchema, eventsConfigSchema } from '../../shared/config.ts';
import { VARIABLE_DESCRIPTIONS } from '../../shared/config-descriptions.ts';
import { EVENT_GUIDE } from '../../shared/events/event-guide.ts';
import { EVENT_TYPES, TEST_EVENT_TYPE } from '../../shared/events/event-shape.ts';
import { ERROR_CODES } from '../../shared/http/error-codes.ts';
import { ERROR_GUIDE } from '../../shared/http/error-guide.ts';
import * as z from '../../shared/zod.ts';
import { REFERENCE_DIR, referenceFiles } from '../../tools/reference.ts';

const DIR = join(import.meta.dirname, '..', '..', REFERENCE_DIR);
const made = referenceFiles();

describe('docs/reference', () => {
  for (const [name, text] of Object.entries(made)) {
    it(`${name} is what npm run docs makes now`, () => {
      expect(readFileSync(join(DIR, name), 'utf8'), `${REFERENCE_DIR}/${name} is stale: run npm run docs`).toBe(text);
    });
  }

  it('holds only the files the tool makes', () => {
    expect(readdirSync(DIR).sort()).toEqual(Object.keys(made).sort());
  });
});

describe('what the reference is made from', () => {
  it('has a meaning and an action for every error code, and a guide for every event type (the test event too)', () => {
    expect(Object.keys(ERROR_GUIDE).sort()).toEqual([...ERROR_CODES].sort());
    expect(Object.entries(ERROR_GUIDE).filter(([, g]: [string, { meaning: string; action: string }]) => g.meaning === '' || g.action === '').map(([c]) => c)).toEqual([]);
    expect(Object.keys(EVENT_GUIDE).sort()).toEqual([...EVENT_TYPES, TEST_EVENT_TYPE].sort());
  });

  it("describes every variable of the functions' schemas, every CDK context key and every npm start variable", () => {
    const undescribed = (properties: Record<string, { description?: string }>) => Object.entries(properties).filter(([, p]) => (p.description ?? '') === '').map(([k]) => k);
    // The functions' variables: described apart from their schemas (shared/config-descriptions.ts), each of them and nothing else.
    const variables = [appConfigSchema, eventsConfigSchema, authConfigSchema, consoleConfigSchema].flatMap((schema) => Object.keys(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }).properties ?? {}));
    expect(Object.keys(VARIABLE_DESCRIPTIONS).sort()).toEqual([...new Set(variables)].sort());
    expect(Object.entries(VARIABLE_DESCRIPTIONS).filter(([, d]) => d.trim() === '').map(([k]) => k)).toEqual([]);
    const stack = zod.toJSONSchema(stackConfigSchema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { description?: string }> };
    expect(Object.keys(stack.properties).sort()).toEqual([...CONTEXT_KEYS].sort());
    expect(undescribed(stack.properties)).toEqual([]);
    const local = zod.toJSONSchema(localStartSchema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { description?: string }> };
    expect(undescribed(local.properties)).toEqual([]);
  });

  it('routes every sandbox control route of the table to itself', () => {
    for (const [id, r] of Object.entries(CONTROL_ROUTES)) expect(matchControlRoute(r.method, r.path.replace(/\{\w+\}/g, 'x1'))?.id, `${r.method} ${r.path}`).toBe(id);
    expect(matchControlRoute('GET', '/sandbox/nope')).toBeUndefined();
  });
});
