/**
 * The local HTTP API gateway: a real HTTP server that behaves like the deployed API Gateway HTTP
 * API in front of the same functions. Each request becomes a payload-2.0 event (./event.ts) for
 * the function the route table names; merchant routes first go through the same Lambda
 * authorizer the stack deploys (functions/authorizer, simple responses); the function's result
 * is mapped back to HTTP as API Gateway maps it (./response.ts).
 *
 * As API Gateway does: unknown route → 404 `{"message":"Not Found"}`; body over 1 MB → 413
 * `{"message":"Request Entity Too Large"}`; merchant route without an Authorization header →
 * 401 `{"message":"Unauthorized"}` (the authorizer is not invoked); authorizer says no → 403
 * `{"message":"Forbidden"}`; function error, timeout or unmappable result → 500
 * `{"message":"Internal Server Error"}`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizerFunction, routeKey, routes as defaultRoutes, type Route } from '../../shared/routes.ts';
import { createDemoShop, type DemoShop, type DemoShopOptions } from './demo-shop.ts';
import { authorizerEvent, integrationEvent, requestParts, type RequestParts } from './event.ts';
import { createFunctionLoader, defaultTimeoutSeconds, invoke, type LambdaHandler } from './lambda.ts';
import { internalError, mapResult, messageResponse, type HttpResponse } from './response.ts';
import { createRouter } from './routing.ts';
import { readBody } from '../http-io.ts';

export type { LambdaHandler } from './lambda.ts';

/** API Gateway HTTP APIs' payload limit. */
export const MAX_BODY_BYTES = 1_048_576;
/** Past this much discarded upload the connection is cut instead of drained. */
const MAX_DRAIN_BYTES = 64 * MAX_BODY_BYTES;

export interface GatewayOptions {
  port?: number;
  host?: string;
  routes?: readonly Route[];
  loadFunction?: (fn: string) => Promise<LambdaHandler>;
  timeoutSeconds?: (fn: string) => number;
  /**
   * Serve the demo shop (`GET /`, `POST /demo/checkout`, `GET /demo/orders/{orderNo}`) using this
   * merchant token; with `webhookSecret`, also its webhook receiver `POST /demo/webhooks`.
   */
  demoShop?: DemoShopOptions | false;
  /** No access log lines (errors are still logged). */
  quiet?: boolean;
}

export interface Gateway {
  url: string;
  port: number;
  /** The demo shop, when it is served (its orders as its webhooks made them). */
  demoShop: DemoShop | undefined;
  close(): Promise<void>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export async function startGateway(opts: GatewayOptions = {}): Promise<Gateway> {
  const host = opts.host ?? '127.0.0.1';
  const match = createRouter(opts.routes ?? defaultRoutes);
  const loadFunction = opts.loadFunction ?? createFunctionLoader();
  const timeoutOf = opts.timeoutSeconds ?? defaultTimeoutSeconds;
  const demoShop = opts.demoShop === undefined || opts.demoShop === false ? undefined : createDemoShop(opts.demoShop);
  let selfUrl = '';

  /** Invokes `fn`; undefined (after logging why) when the invocation failed as AWS reports a 500. */
  async function run(fn: string, event: unknown): Promise<{ value: unknown } | undefined> {
    let handler: LambdaHandler;
    try {
      handler = await loadFunction(fn);
    } catch (e) {
      console.error(`[gateway] ${fn}: cannot load the function:`, e);
      return undefined;
    }
    const seconds = timeoutOf(fn);
    const r = await invoke(handler, fn, event, seconds);
    if (r.ok) return { value: r.value };
    if (r.reason === 'timeout') console.error(`[gateway] ${fn}: Task timed out after ${seconds.toFixed(2)} seconds`);
    else console.error(`[gateway] ${fn}: the handler failed:`, r.error);
    return undefined;
  }

  /** Runs the Lambda authorizer; the response to send instead of the integration, or its context. */
  async function authorize(
    parts: RequestParts,
    key: string,
    pathParameters: Record<string, string> | undefined,
  ): Promise<{ deny: HttpResponse } | { context: Record<string, unknown> }> {
    const authorization = parts.headers.authorization;
    // Identity source `$request.header.Authorization`: missing or empty → 401 without invoking.
    if (authorization === undefined || authorization.trim() === '') {
      return { deny: messageResponse(401, 'Unauthorized') };
    }
    const r = await run(authorizerFunction, authorizerEvent(parts, key, pathParameters, authorization));
    if (r === undefined) return { deny: internalError() };
    const v = r.value;
    if (!isRecord(v) || typeof v.isAuthorized !== 'boolean') {
      console.error('[gateway] authorizer: not a simple response ({ isAuthorized: boolean, context? })');
      return { deny: internalError() };
    }
    if (!v.isAuthorized) return { deny: messageResponse(403, 'Forbidden') };
    return { context: isRecord(v.context) ? v.context : {} };
  }

  async function respond(req: IncomingMessage): Promise<{ response: HttpResponse; parts?: RequestParts; fn?: string }> {
    const startedAt = new Date();
    const bytes = await readBody(req, MAX_BODY_BYTES, MAX_DRAIN_BYTES);
    const parts = requestParts(req, startedAt);
    if (bytes === undefined) return { response: messageResponse(413, 'Request Entity Too Large'), parts };

    if (demoShop !== undefined) {
      const shop = await demoShop.handle({ method: parts.method, rawPath: parts.rawPath, headers: parts.headers, body: bytes }, selfUrl);
      if (shop !== undefined) return { response: shop, parts, fn: 'demo-shop' };
    }

    const m = match(parts.method, parts.rawPath);
    if (m === undefined) return { response: messageResponse(404, 'Not Found'), parts };
    const key = routeKey(m.route);
    const fn = m.route.fn;

    let authorizerContext: Record<string, unknown> | undefined;
    if (m.route.auth === 'merchant') {
      const a = await authorize(parts, key, m.pathParameters);
      if ('deny' in a) return { response: a.deny, parts, fn: authorizerFunction };
      authorizerContext = a.context;
    }

    const event = integrationEvent(parts, key, m.pathParameters, bytes, authorizerContext);
    const r = await run(fn, event);
    if (r === undefined) return { response: internalError(), parts, fn };
    try {
      return { response: mapResult(r.value), parts, fn };
    } catch (e) {
      console.error(`[gateway] ${fn}: cannot map the result to HTTP:`, e instanceof Error ? e.message : e);
      return { response: internalError(), parts, fn };
    }
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = Date.now();
    let out: Awaited<ReturnType<typeof respond>>;
    try {
      out = await respond(req);
    } catch (e) {
      console.error('[gateway] request failed:', e);
      out = { response: internalError() };
    }
    const { response } = out;
    if (res.destroyed) return;
    try {
      const requestId = out.parts?.requestContext.requestId;
      res.writeHead(response.status, {
        ...response.headers,
        ...(requestId !== undefined ? { 'apigw-requestid': requestId } : {}),
      });
      res.end(response.body);
    } catch (e) {
      console.error('[gateway] cannot write the response:', e);
      if (!res.headersSent) {
        const fallback = internalError();
        res.writeHead(fallback.status, fallback.headers);
        res.end(fallback.body);
      } else res.destroy();
    }
    if (opts.quiet !== true) {
      const path = out.parts?.rawPath ?? req.url ?? '';
      console.log(`[gateway] ${req.method ?? '?'} ${path} → ${response.status}${out.fn ? ` ${out.fn}` : ''} ${Date.now() - t0} ms`);
    }
  }

  const server = createServer((req, res) => void onRequest(req, res));
  // Lambda-length requests must not be cut by Node's defaults.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port ?? 0, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  selfUrl = url;

  return {
    url,
    port,
    demoShop,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
