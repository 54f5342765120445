/**
 * `npm start`'s configuration: what it reads itself (ports, the table, the key, the intervals of
 * its periodic jobs), checked with zod, and the functions' environment it makes from it (the same
 * variables infra/ sets in AWS, checked by the functions' own schemas before anything starts).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { appConfigSchema, authConfigSchema, ConfigError, consoleConfigSchema, eventsConfigSchema, parseEnv } from '../../shared/config.ts';
import { isLoopbackEndpoint } from '../../shared/aws-endpoint.ts';
import { PAGE_VARIABLES } from '../../shared/functions.ts';
import { ConsoleUsersError, generatedPassword, parseConsoleUsers, type ConsoleUser, type LocalUserPool } from '../cognito.ts';

/** The Toss docs' public test key; the sandbox accepts it. */
export const DOCS_TEST_KEY = 'sk_test_w5lNQylNqa5lNQe013Nq';
export const LOCAL_REGION = 'ap-northeast-2';

export const emptyAsUnset = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const portVar = (def: number) =>
  z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(65_535).default(def));
const optionalString = z.preprocess(emptyAsUnset, z.string().optional());
const optionalEndpoint = z.preprocess(
  emptyAsUnset,
  z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:8000 or https://dynamodb.ap-northeast-2.amazonaws.com' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
);

const optionalHttpUrl = z.preprocess(
  emptyAsUnset,
  z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
);

/** What `npm start` itself reads. Variables the functions read are checked by shared/config.ts. */
export const localStartSchema = z.object({
  /** An existing DynamoDB to use instead of starting DynamoDB Local. */
  DYNAMODB_ENDPOINT: optionalEndpoint.describe('An existing DynamoDB to use instead of starting DynamoDB Local (an http:// or https:// URL): no Java needed, the table is created there if missing. Not with DYNAMODB_PORT or DATA_DIR.'),
  DYNAMODB_PORT: portVar(8000).describe('Port of DynamoDB Local.'),
  TOSS_SANDBOX_PORT: portVar(4010).describe('Port of the Toss sandbox.'),
  API_PORT: portVar(3000).describe('Port of the local API gateway and the demo shop.'),
  /** The EventBridge stand-in. */
  EVENTBRIDGE_PORT: portVar(4020).describe("Port of the EventBridge stand-in (the functions' EVENTBRIDGE_ENDPOINT)."),
  COGNITO_PORT: portVar(9229).describe("Port of the console's user pool (cognito-local)."),
  CONSOLE_USERS: optionalString.describe('The console users, `role:email:password` comma-separated (roles viewer, operator, admin); unset: one operator (`operator@example.com`) whose generated password the banner prints. Passwords follow the pool\'s policy: 12 characters with upper and lower case, a digit and a symbol.'),
  DATA_DIR: optionalString.describe('When set, DynamoDB Local keeps its data in this folder across restarts; unset: in memory.'),
  TABLE_NAME: z.preprocess(emptyAsUnset, z.string().min(1).default('toss-payments-local')).describe('The table the local stack uses (created if missing).'),
  TOSS_API_KEY: z.preprocess(emptyAsUnset, z.string().min(1).default(DOCS_TEST_KEY)).describe("The Toss key the functions use and the sandbox accepts (default: Toss's documented public test key)."),
  MERCHANT_TOKENS: z.preprocess(emptyAsUnset, z.string().min(1).default('local-merchant-token')).describe('The merchant bearer tokens the local authorizer accepts, comma-separated.'),
  MERCHANT_RESULT_URL: optionalString.describe("Passed to the landings (the functions' MERCHANT_RESULT_URL)."),
  CALLBACK_ALLOWED_IPS: optionalString.describe("Passed to the callback (the functions' CALLBACK_ALLOWED_IPS); unset locally: every address."),
  AWS_REGION: z.preprocess(emptyAsUnset, z.string().min(1).default(LOCAL_REGION)).describe('The region the local functions and DynamoDB clients use (must match a real DYNAMODB_ENDPOINT).'),
  /** Seconds between reconciler passes inside `npm start`; 0 disables them. */
  RECONCILE_INTERVAL_SECONDS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(86_400).default(60)).describe('Seconds between reconciler passes inside `npm start`; 0 turns them off.'),
  /** Seconds between webhook retrier runs inside `npm start`; 0 disables them. */
  WEBHOOK_RETRY_INTERVAL_SECONDS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(86_400).default(10)).describe('Seconds between webhook retrier runs inside `npm start` (deployed: every minute); 0 turns them off.'),
  /** Unset: the demo shop registers its receiver as an endpoint. The functions' schema checks it again (and that a secret goes with it). */
  MERCHANT_WEBHOOK_URL: optionalHttpUrl.describe(
    "A webhook receiver set in the configuration (http:// or https://; the API lists it as `we_env` but cannot change it). Unset: the demo shop registers its own receiver as an endpoint through POST /webhook-endpoints.",
  ),
});
export type LocalStartConfig = z.infer<typeof localStartSchema>;

/** Function settings a user may tune locally; copied to the functions' environment when set. */
const PASS_THROUGH = [
  'MERCHANT_RESULT_URL',
  ...PAGE_VARIABLES,
  'LOG_FORMAT',
  'CALLBACK_ALLOWED_IPS',
  'TOSS_TIMEOUT_MS',
  'RETENTION_DAYS',
  'RECONCILE_CONCURRENCY',
  'RECONCILE_FLAG_AFTER_MINUTES',
  'EVENT_BUS_NAME',
  'MERCHANT_WEBHOOK_URL',
  'MERCHANT_WEBHOOK_SECRET',
  'WEBHOOK_RETRY_SCHEDULE',
] as const;

/** The demo shop's business, shown on the result pages when MERCHANT_NAME is not given (none of it is real). */
export const DEMO_MERCHANT = {
  MERCHANT_NAME: '토스 데모 상점',
  MERCHANT_COMPANY: '(주)토스 데모 상점',
  MERCHANT_REPRESENTATIVE: '홍길동',
  MERCHANT_BUSINESS_NUMBER: '000-00-00000',
  MERCHANT_MAIL_ORDER_NUMBER: '제0000-서울강남-00000호',
  MERCHANT_ADDRESS: '서울특별시 강남구 테헤란로 000 (데모)',
} as const;
/** The business details a user may give besides the name (theirs win over the demo's). */
const MERCHANT_DETAILS = ['MERCHANT_COMPANY', 'MERCHANT_REPRESENTATIVE', 'MERCHANT_BUSINESS_NUMBER', 'MERCHANT_MAIL_ORDER_NUMBER', 'MERCHANT_ADDRESS'] as const;
const pick = (o: Record<string, string | undefined>, keys: readonly string[]): Record<string, string> =>
  Object.fromEntries(keys.flatMap((k) => (o[k] === undefined ? [] : [[k, o[k] as string]])));

/** Deployed-only variables that must not leak into the local functions. */
const DEPLOYED_ONLY = ['TOSS_API_KEY_SECRET_ARN', 'MERCHANT_TOKENS_SECRET_ARN', 'MERCHANT_WEBHOOK_SECRET_ARN'] as const;

/** The demo shop's webhook receiver on the local gateway. */
export const demoWebhookUrl = (c: LocalStartConfig): string => `http://127.0.0.1:${c.API_PORT}/demo/webhooks`;

/** A signing secret for this run of npm start, made once per process (never printed): the landings sign their redirects with it. */
let runSecret: string | undefined;
const localWebhookSecret = (): string => (runSecret ??= `whsec_${randomBytes(24).toString('base64')}`);

/** The DynamoDB the local stack uses: DYNAMODB_ENDPOINT, or the DynamoDB Local it starts. */
export const dynamoEndpointOf = (c: LocalStartConfig): string => c.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${c.DYNAMODB_PORT}`;

/** How the banner and `npm run reconcile` name the DynamoDB in use. */
export function describeDynamo(c: LocalStartConfig): string {
  if (c.DYNAMODB_ENDPOINT === undefined) return `DynamoDB Local ${dynamoEndpointOf(c)} (DYNAMODB_PORT)`;
  const where = isLoopbackEndpoint(c.DYNAMODB_ENDPOINT) ? 'on this machine' : 'credentials from the AWS default chain';
  return `DynamoDB ${c.DYNAMODB_ENDPOINT} (DYNAMODB_ENDPOINT, ${where})`;
}

/**
 * The functions' environment for this local stack (the same variables infra/ sets in AWS).
 * Undefined values are removed from process.env when applied.
 */
export function functionEnvironment(c: LocalStartConfig, env: NodeJS.ProcessEnv, opts: { tty?: boolean } = {}): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const k of PASS_THROUGH) {
    const v = emptyAsUnset(env[k]);
    if (typeof v === 'string') out[k] = v;
  }
  for (const k of DEPLOYED_ONLY) out[k] = undefined;
  // No webhook receiver configured: the demo shop registers its own through the API once the
  // gateway runs; the landings still sign their redirects (MERCHANT_RESULT_URL) with a secret.
  if (out.MERCHANT_WEBHOOK_URL === undefined) out.MERCHANT_WEBHOOK_SECRET ??= localWebhookSecret();
  // The demo shop, as the result pages present it (a made-up business: every detail a page can show).
  out.MERCHANT_SHOP_URL ??= `http://127.0.0.1:${c.API_PORT}/`;
  if (out.MERCHANT_NAME === undefined) Object.assign(out, { ...DEMO_MERCHANT, MERCHANT_SUPPORT: out.MERCHANT_SUPPORT ?? `http://127.0.0.1:${c.API_PORT}/` }, pick(out, MERCHANT_DETAILS));
  // Readable lines in a terminal; the JSON CloudWatch gets when the output goes to a file or a pipe.
  out.LOG_FORMAT ??= opts.tty ? 'pretty' : 'json';
  return {
    ...out,
    EVENTBRIDGE_ENDPOINT: `http://127.0.0.1:${c.EVENTBRIDGE_PORT}`,
    STAGE: 'local',
    AWS_REGION: c.AWS_REGION,
    TABLE_NAME: c.TABLE_NAME,
    DYNAMODB_ENDPOINT: dynamoEndpointOf(c),
    TOSS_BASE_URL: `http://127.0.0.1:${c.TOSS_SANDBOX_PORT}`,
    TOSS_API_KEY: c.TOSS_API_KEY,
    PUBLIC_BASE_URL: `http://127.0.0.1:${c.API_PORT}`,
    MERCHANT_TOKENS: c.MERCHANT_TOKENS,
    // The console's page names the user pool's API; the pool's ids and issuer are set once it runs (userPoolEnvironment).
    COGNITO_ENDPOINT: `http://127.0.0.1:${c.COGNITO_PORT}/`,
  };
}

/** The authorizer's and the console's variables for a running local user pool: cognito-local's issuer and keys. */
export const userPoolEnvironment = (p: Pick<LocalUserPool, 'endpoint' | 'userPoolId' | 'clientId' | 'issuer' | 'jwksUri'>): Record<string, string> => ({
  COGNITO_ENDPOINT: p.endpoint,
  COGNITO_USER_POOL_ID: p.userPoolId,
  COGNITO_CLIENT_ID: p.clientId,
  COGNITO_ISSUER: p.issuer,
  COGNITO_JWKS_URI: p.jwksUri,
});

/** The console's users: CONSOLE_USERS, or one operator with a password made for this run. */
export function consoleUsersOf(c: LocalStartConfig): { users: ConsoleUser[]; generated: boolean } {
  if (c.CONSOLE_USERS !== undefined) {
    try {
      return { users: parseConsoleUsers(c.CONSOLE_USERS), generated: false };
    } catch (e) {
      if (e instanceof ConsoleUsersError) throw new ConfigError(`invalid configuration:\n  ${e.message}`);
      throw e;
    }
  }
  return { users: [{ role: 'operator', email: 'operator@example.com', password: generatedPassword() }], generated: true };
}

/** Parses the local configuration; a ConfigError names every bad variable. */
export function localConfig(env: NodeJS.ProcessEnv, opts: { tty?: boolean } = {}): { config: LocalStartConfig; functionEnv: Record<string, string | undefined> } {
  const config = parseEnv(localStartSchema, env);
  const functionEnv = functionEnvironment(config, env, opts);
  const merged = { ...env, ...functionEnv };
  // The functions' own schemas, so a bad variable fails here, at start, naming it.
  parseEnv(appConfigSchema, merged);
  parseEnv(eventsConfigSchema, merged);
  parseEnv(authConfigSchema, merged);
  parseEnv(consoleConfigSchema, { ...merged, COGNITO_CLIENT_ID: 'known-once-the-pool-runs' });
  consoleUsersOf(config);
  if (config.DYNAMODB_ENDPOINT !== undefined) {
    // Both configure the DynamoDB Local that is then not started: refused rather than ignored.
    const moot = (['DYNAMODB_PORT', 'DATA_DIR'] as const).filter((k) => emptyAsUnset(env[k]) !== undefined);
    if (moot.length > 0)
      throw new ConfigError(
        `invalid configuration:\n${moot.map((k) => `  ${k}: applies to the DynamoDB Local that npm start starts; with DYNAMODB_ENDPOINT set none is started (unset one of them)`).join('\n')}`,
      );
  }
  const ports = [
    ...(config.DYNAMODB_ENDPOINT === undefined ? [['DYNAMODB_PORT', config.DYNAMODB_PORT] as const] : []),
    ['TOSS_SANDBOX_PORT', config.TOSS_SANDBOX_PORT] as const,
    ['EVENTBRIDGE_PORT', config.EVENTBRIDGE_PORT] as const,
    ['COGNITO_PORT', config.COGNITO_PORT] as const,
    ['API_PORT', config.API_PORT] as const,
  ];
  for (const [i, [name, port]] of ports.entries()) {
    const clash = ports.slice(0, i).find(([, p]) => p === port);
    if (clash !== undefined) throw new ConfigError(`invalid configuration:\n  ${name}: port ${port} is also ${clash[0]}`);
  }
  return { config, functionEnv };
}
