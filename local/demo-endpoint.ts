/**
 * The demo shop's webhook endpoint, registered by `npm start` through the API as a merchant would
 * (`POST /webhook-endpoints`), instead of MERCHANT_WEBHOOK_URL. The shop verifies its webhooks with
 * the secret the API hands out. A table kept in DATA_DIR still holds the endpoint of an earlier run:
 * it is found by its description and given a new secret (`rotate-secret`: the API shows a secret
 * only at creation and rotation), enabled if it was disabled, and the demo's endpoints of other
 * addresses (another API_PORT) are deleted, so runs never pile up endpoints towards the limit.
 */
export const DEMO_ENDPOINT_DESCRIPTION = 'The demo shop of npm start (local/demo-endpoint.ts)';

interface Listed {
  id: string;
  url: string;
  description?: string;
  enabled: boolean;
}

export async function registerDemoEndpoint(apiUrl: string, merchantToken: string, url: string): Promise<{ id: string; secret: string }> {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers = { authorization: `Bearer ${merchantToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
    const res = await fetch(`${apiUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`the demo shop's webhook endpoint: ${method} ${path} answered ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  const { endpoints } = await call<{ endpoints: Listed[] }>('GET', '/webhook-endpoints');
  const demo = endpoints.filter((e) => e.description === DEMO_ENDPOINT_DESCRIPTION);
  for (const stale of demo.filter((e) => e.url !== url)) await call('DELETE', `/webhook-endpoints/${stale.id}`);
  const same = demo.find((e) => e.url === url);
  if (same === undefined) return call<{ id: string; secret: string }>('POST', '/webhook-endpoints', { url, description: DEMO_ENDPOINT_DESCRIPTION });
  if (!same.enabled) await call('PATCH', `/webhook-endpoints/${same.id}`, { enabled: true });
  return call<{ id: string; secret: string }>('POST', `/webhook-endpoints/${same.id}/rotate-secret`);
}
