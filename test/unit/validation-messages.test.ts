/**
 * What clients and operators read when validation fails stays exactly as it was: every 400 body
 * (the issues' path, message and code), the callback's CALLBACK_MALFORMED issues, every
 * configuration error message, and what the Toss reply schemas keep or refuse. The expected
 * values (validation-messages.expected.json) were recorded once, with full zod, before the
 * deployed code moved to `zod/mini`; they are not re-recorded to make a change pass. A deliberate
 * change of the API is edited in by hand, entry by entry (the `limit` taking digits only, a bad
 * GET /events cursor answering INVALID_CURSOR, `type` taking endpoint.disabled).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCases, type Outcomes } from './validation-messages.cases.ts';

const expected = JSON.parse(readFileSync(join(import.meta.dirname, 'validation-messages.expected.json'), 'utf8')) as Outcomes;

describe('validation messages', () => {
  it('answers every bad request, environment and Toss reply exactly as recorded with full zod', async () => {
    const actual = await runCases();
    // Every request is refused before any I/O, with a 400.
    expect(Object.entries(actual.requests).filter(([, r]) => r.status !== 400)).toEqual([]);
    expect(actual.requests).toEqual(expected.requests);
    expect(actual.config).toEqual(expected.config);
    expect(actual.replies).toEqual(expected.replies);
  });
});
