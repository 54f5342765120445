/**
 * e. Warm cost: CPU time per warm callback invocation, the deployed callback (functions/callback,
 * built by infra/bundle.ts exactly as a synth builds it) beside a minimal hand-written handler
 * doing the same Toss v2/status call and ONE conditional UpdateItem (bench/functions/
 * callback-minimal, built the same way): the floor. Both run in this (fresh) process against
 * DynamoDB Local and the Toss sandbox (other processes), invoked directly (`handler(event,
 * context)`, no gateway), one invocation at a time, each on its own fresh paid order (a first
 * delivery), the two alternating. Per invocation: process.cpuUsage() (user + system, all of this
 * process's threads) across the awaited call, and its wall time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { bundleFunction } from '../../infra/bundle.ts';
import { ensureTable } from '../../local/dynamodb.ts';
import { lambdaContext } from '../../local/gateway/lambda.ts';
import { approve, callbackBody, clearFaults, resetSandbox, setFault } from '../../local/toss-sandbox/control.ts';
import { DEFAULT_API_KEY } from '../../local/toss-sandbox/server.ts';
import { mapPool, progress } from '../lib/pool.ts';
import type { WarmSizes } from '../lib/sizes.ts';
import { orderNos } from '../lib/stack.ts';
import { summarize, type Summary } from '../lib/stats.ts';

/** Issue 13's goal: ours ≤ 1.5 × the floor's CPU time per invocation. */
export const WARM_GOAL = 1.5;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface WarmVariant {
  variant: 'ours' | 'minimal';
  /** What was invoked. */
  entry: string;
  invocations: number;
  /** CPU time per invocation (user + system), µs. */
  cpuUs: Summary;
  cpuMeanUs: number;
  userMeanUs: number;
  systemMeanUs: number;
  /** Wall time per invocation (waiting for Toss and DynamoDB included), ms. */
  wallMs: Summary;
  /** HTTP status → how many. */
  replies: Record<string, number>;
}

export interface WarmResult {
  sizes: WarmSizes;
  variants: WarmVariant[];
  /** ours ÷ minimal: of the medians and of the means of CPU time per invocation. */
  ratio: { median: number; mean: number };
}

interface Sample {
  cpuUs: number;
  userUs: number;
  systemUs: number;
  wallMs: number;
  status: number;
}

const ROUTE = 'POST /payments/callback';

function callbackEvent(body: Record<string, unknown>): APIGatewayProxyEventV2 {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: ROUTE,
    rawPath: '/payments/callback',
    rawQueryString: '',
    headers: { 'content-type': 'application/json;charset=UTF-8', 'user-agent': 'toss-bench' },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method: 'POST', path: '/payments/callback', protocol: 'HTTP/1.1', sourceIp: '117.52.3.4', userAgent: 'toss-bench' },
      requestId: `bench-${now}`,
      routeKey: ROUTE,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
  };
}

/** One invocation, timed: CPU of this process and wall time across the awaited call. */
async function invoke(handler: Handler, event: APIGatewayProxyEventV2): Promise<Sample> {
  const context = lambdaContext('callback', 28);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await handler(event, context);
  const c = process.cpuUsage(c0);
  const wallMs = performance.now() - t0;
  return { cpuUs: c.user + c.system, userUs: c.user, systemUs: c.system, wallMs, status: r.statusCode ?? 0 };
}

function figures(variant: WarmVariant['variant'], entry: string, samples: Sample[]): WarmVariant {
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const replies: Record<string, number> = {};
  for (const s of samples) replies[String(s.status)] = (replies[String(s.status)] ?? 0) + 1;
  return {
    variant,
    entry,
    invocations: samples.length,
    cpuUs: summarize(samples.map((s) => s.cpuUs)),
    cpuMeanUs: mean(samples.map((s) => s.cpuUs)),
    userMeanUs: mean(samples.map((s) => s.userUs)),
    systemMeanUs: mean(samples.map((s) => s.systemUs)),
    wallMs: summarize(samples.map((s) => s.wallMs)),
    replies,
  };
}

export async function runWarm(args: { dynamoEndpoint: string; sandboxUrl: string; tableName: string } & WarmSizes): Promise<WarmResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-warm-'));
  try {
    await ensureTable(args.dynamoEndpoint, args.tableName);
    await resetSandbox(args.sandboxUrl);
    await clearFaults(args.sandboxUrl);
    // The sandbox must not deliver the callbacks itself: the bench does, to the handlers.
    await setFault(args.sandboxUrl, { target: 'callback', kind: 'drop' });

    const builds = { ours: 'functions/callback/handler.ts', minimal: 'bench/functions/callback-minimal/handler.ts', create: 'functions/create-payment/handler.ts' };
    for (const [name, entry] of Object.entries(builds)) await bundleFunction({ entry, outdir: join(dir, name) });
    // The functions read their configuration when imported, as in a Lambda container.
    Object.assign(process.env, {
      AWS_REGION: 'ap-northeast-2',
      STAGE: 'bench',
      TABLE_NAME: args.tableName,
      DYNAMODB_ENDPOINT: args.dynamoEndpoint,
      TOSS_BASE_URL: args.sandboxUrl,
      TOSS_API_KEY: DEFAULT_API_KEY,
      PUBLIC_BASE_URL: 'https://pay.example.com',
    });
    const load = async (name: string): Promise<Handler> =>
      ((await import(pathToFileURL(join(dir, name, 'index.mjs')).href)) as { handler: Handler }).handler;
    const handlers = { ours: await load('ours'), minimal: await load('minimal') };
    const create = await load('create');

    // Paid orders: created by the create-payment function, paid at the sandbox (its callback
    // dropped), so each is PAY_STANDBY here and PAY_COMPLETE at Toss.
    const perVariant = args.warmup + args.invocations;
    progress(`warm: creating ${2 * perVariant} paid orders`);
    const bodies = await mapPool(orderNos('warm', 2 * perVariant), 16, async (orderNo) => {
      const created = await create(
        {
          ...callbackEvent({}),
          routeKey: 'POST /payments',
          rawPath: '/payments',
          // What the authorizer gives a merchant token (the route check in the HTTP chain reads it).
          requestContext: {
            ...callbackEvent({}).requestContext,
            routeKey: 'POST /payments',
            authorizer: { lambda: { principal: 'merchant:bench000', merchantTokenId: 'bench000' } },
          } as APIGatewayProxyEventV2['requestContext'],
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ orderNo, amount: 15_000, amountTaxFree: 0, productDesc: 'bench order', expiresInMinutes: 60 }),
        },
        lambdaContext('create-payment', 28),
      );
      const { payToken } = JSON.parse(String(created.body)) as { payToken?: string };
      if (created.statusCode !== 201 || payToken === undefined) throw new Error(`create ${orderNo}: HTTP ${created.statusCode} ${String(created.body)}`);
      await approve(args.sandboxUrl, payToken, 'CARD');
      return callbackBody(args.sandboxUrl, payToken);
    });
    const queue = { ours: bodies.slice(0, perVariant), minimal: bodies.slice(perVariant) };

    const samples: Record<'ours' | 'minimal', Sample[]> = { ours: [], minimal: [] };
    for (let i = 0; i < perVariant; i++) {
      // Alternate which goes first, so neither always runs right after the other.
      const order = i % 2 === 0 ? (['ours', 'minimal'] as const) : (['minimal', 'ours'] as const);
      for (const v of order) {
        const s = await invoke(handlers[v], callbackEvent(queue[v][i]!));
        if (i >= args.warmup) samples[v].push(s);
      }
      if ((i + 1) % 250 === 0) progress(`warm: ${i + 1}/${perVariant} invocations of each`);
    }
    const ours = figures('ours', builds.ours, samples.ours);
    const minimal = figures('minimal', builds.minimal, samples.minimal);
    return {
      sizes: { invocations: args.invocations, warmup: args.warmup },
      variants: [ours, minimal],
      ratio: { median: ours.cpuUs.median / minimal.cpuUs.median, mean: ours.cpuMeanUs / minimal.cpuMeanUs },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
