/**
 * npm start's demo shop registers its receiver through the API (local/demo-endpoint.ts): once,
 * then, on every later start over the same table (DATA_DIR), the same endpoint with a new secret
 * (enabled again if it was disabled); an earlier run's on another address is deleted; the
 * merchant's own endpoints are left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENDPOINT_DESCRIPTION, registerDemoEndpoint } from '../../../local/demo-endpoint.ts';
import { startStack, TEST_TOKEN, type Stack } from '../../support/stack.ts';
import { createEndpoint, listEndpoints } from './support.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.stop());

describe("the demo shop's endpoint", () => {
  it('is registered once, reused with a new secret, enabled again, and replaced when its address changes', async () => {
    const mine = await createEndpoint(s, { url: 'http://127.0.0.1:9/merchant', description: 'the merchant\'s own' });
    const a = `${s.api}/demo/webhooks`;
    const first = await registerDemoEndpoint(s.api, TEST_TOKEN, a);
    expect(first.secret).toMatch(/^whsec_/);
    const again = await registerDemoEndpoint(s.api, TEST_TOKEN, a);
    expect(again.id).toBe(first.id);
    expect(again.secret).not.toBe(first.secret);

    await s.merchantRequest(`/webhook-endpoints/${first.id}`, { method: 'PATCH', json: { enabled: false } });
    expect((await registerDemoEndpoint(s.api, TEST_TOKEN, a)).id).toBe(first.id);
    expect((await listEndpoints(s)).find((e) => e.id === first.id)?.enabled).toBe(true);

    const moved = await registerDemoEndpoint(s.api, TEST_TOKEN, `${s.api}/demo/webhooks?port=2`);
    expect(moved.id).not.toBe(first.id);
    const listed = await listEndpoints(s);
    expect(listed.filter((e) => e.description === DEMO_ENDPOINT_DESCRIPTION).map((e) => e.id)).toEqual([moved.id]);
    expect(listed.map((e) => e.id)).toContain(mine.id);
  });
});
