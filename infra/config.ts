/**
 * Stack configuration: CDK context (cdk.json "context", or `-c key=value` on the command line),
 * parsed with zod. Anything invalid stops the synth with a message naming the key.
 *
 * Context given on the command line always arrives as a string, context in cdk.json keeps its
 * JSON type, so numbers and booleans accept both forms.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { LOCAL_STAGE, PHONE_RE } from '../shared/config.ts';
import { cancelUrl, returnUrl } from '../shared/payments/create.ts';
import { tokenOf } from '../shared/payments/landing-token.ts';

/**
 * Toss Pay's published source addresses for resultCallback POSTs (the Toss Pay developer guide,
 * "callback IP"). `a-b` is an inclusive range in the last octet; the callback function parses
 * this list (shared/config.ts CALLBACK_ALLOWED_IPS). Update here if Toss publishes new ranges.
 */
export const TOSS_CALLBACK_IPS =
  '117.52.3.4,117.52.3.11,117.52.3.80-117.52.3.87,211.115.96.4,211.115.96.11,211.115.96.80-211.115.96.87';

/** The context keys this app reads, each documented in docs/reference/configuration.md (generated from the descriptions below). */
export const CONTEXT_KEYS = [
  'stage',
  'tossBaseUrl',
  'reconcileRate',
  'callbackIpAllowlist',
  'merchantResultUrl',
  'merchantShopUrl',
  'merchantName',
  'merchantSupport',
  'merchantCompany',
  'merchantRepresentative',
  'merchantBusinessNumber',
  'merchantMailOrderNumber',
  'merchantAddress',
  'alarmEmail',
  'logRetentionDays',
  'throttleRateLimit',
  'throttleBurstLimit',
  'publicThrottleRateLimit',
  'publicThrottleBurstLimit',
  'orderRetentionDays',
  'reconcileConcurrency',
  'reconcileFlagAfterMinutes',
  'merchantWebhookUrl',
  'webhookRetrySchedule',
  'webhookSecretRotationHours',
  'webhookDisableAfterDays',
  'domainName',
  'certificateArn',
  'hostedZoneId',
  'consoleThreatProtection',
] as const;

const retentionValues = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
);

const bool = z.preprocess(
  (v) => (v === 'true' ? true : v === 'false' ? false : v),
  z.boolean({ error: 'must be true or false' }),
);

const int = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v),
    z
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` }),
  );

/** An empty string means "not configured", so `-c merchantResultUrl=` switches it off. */
const optional = <T extends z.ZodType>(inner: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), inner.optional());

/** The longest delay between two webhook attempts, and the most delays a schedule may have. */
export const MAX_WEBHOOK_RETRY_DELAY_SECONDS = 7 * 86_400;
export const MAX_WEBHOOK_RETRIES = 30;

/**
 * Seconds to wait after each failed webhook attempt: `5,300,1800` (the command line and cdk.json
 * alike), or in cdk.json a list `[5, 300, 1800]` or one number. Given to the functions as
 * WEBHOOK_RETRY_SCHEDULE, normalized to `5,300,1800`.
 */
const retrySchedule = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : Array.isArray(v) ? v.join(',') : v),
  z
    .string({ error: 'must be comma-separated whole seconds, e.g. 5,300,1800' })
    .trim()
    .regex(/^\d+(\s*,\s*\d+)*$/, { error: 'must be comma-separated whole seconds, e.g. 5,300,1800' })
    .transform((s) => s.split(',').map((x) => Number(x.trim())))
    .refine((delays) => delays.length <= MAX_WEBHOOK_RETRIES, { error: `must have at most ${MAX_WEBHOOK_RETRIES} delays` })
    .refine((delays) => delays.every((d) => d >= 1 && d <= MAX_WEBHOOK_RETRY_DELAY_SECONDS), {
      error: `each delay must be 1 to ${MAX_WEBHOOK_RETRY_DELAY_SECONDS} seconds (7 days)`,
    })
    .transform((delays) => delays.join(',')),
);

/** The longest retUrl and retCancelUrl Toss takes (docs/toss-pay.md, create). */
export const TOSS_MAX_RETURN_URL_LENGTH = 255;

/**
 * The longest custom domain name: the retUrl and retCancelUrl built on it
 * (`https://<domain>/payments/return?t=<token>`) stay within Toss's 255 characters for every valid
 * orderNo (50 characters, base64url in the landing token, with its 128-bit mac). 138.
 */
export const MAX_DOMAIN_NAME_LENGTH =
  TOSS_MAX_RETURN_URL_LENGTH -
  Math.max(...[returnUrl, cancelUrl].map((url) => url('https://', tokenOf(':'.repeat(50), Buffer.alloc(16))).length));

const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A host name such as `pay.example.com`, lower-cased: the API's custom domain. */
const domainName = z
  .string({ error: 'must be a host name such as pay.example.com' })
  .trim()
  .toLowerCase()
  .refine((d) => !d.includes('/') && !d.includes(':'), { error: 'must be a host name such as pay.example.com, without https:// or a path', abort: true })
  .refine((d) => HOST_NAME.test(d), {
    error: 'must be a host name such as pay.example.com: dot-separated labels of letters, digits and dashes, no wildcard, no trailing dot',
    abort: true,
  })
  .refine((d) => d.length <= MAX_DOMAIN_NAME_LENGTH, {
    error: `must be at most ${MAX_DOMAIN_NAME_LENGTH} characters, so that the retUrl and retCancelUrl sent to Toss stay within its ${TOSS_MAX_RETURN_URL_LENGTH}`,
  });

/** An ACM certificate ARN: `arn:<partition>:acm:<region>:<account>:certificate/<id>`. */
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:certificate\/[A-Za-z0-9-]+$/;

/** The region of an ACM certificate ARN (its fourth field). */
export const certificateRegionOf = (arn: string): string => arn.split(':')[3] ?? '';

export const stackConfigSchema = z.strictObject({
  /** Names the stack (`TossPay-<stage>`) and is passed to the functions as STAGE. */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,19}$/, 'lower-case letters, digits and dashes, starting with a letter, at most 20')
    // The functions take `local` for npm start's stage, where webhooks may go to this machine.
    .refine((s) => s !== LOCAL_STAGE, { error: `"${LOCAL_STAGE}" is npm start's stage (webhooks to http:// on the machine itself); name a deployed stage otherwise` })
    .default('dev')
    .describe("Names the stack (`TossPay-<stage>`), its bus, alarms and dashboard (`toss-pay-<stage>`); the functions' STAGE. Lower-case letters, digits and dashes; not `local` (npm start's stage, whose webhook endpoints may be on the machine itself)."),
  /** Toss Pay API origin. The same host serves test and live keys. */
  tossBaseUrl: z
    .url({ protocol: /^https$/, error: 'must be an https URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .default('https://pay.toss.im').describe('The Toss Pay API origin (TOSS_BASE_URL); test and live keys use the same host.'),
  /** Minutes between reconciler passes. */
  reconcileRate: int(1, 1440).default(5).describe('Minutes between reconciler passes (its EventBridge schedule).'),
  /** Accept resultCallback POSTs only from Toss's published addresses (TOSS_CALLBACK_IPS). */
  callbackIpAllowlist: bool.default(true).describe("Accept callbacks only from Toss's published addresses (the callback function's CALLBACK_ALLOWED_IPS). Switch off only behind a proxy that hides the caller's address."),
  /** When set, landings 303 the buyer here with orderNo and result instead of rendering a page. */
  merchantResultUrl: optional(z.url({ protocol: /^https$/, error: 'must be an https URL' })).describe('When set (https), the landings send the buyer there with `orderNo` and the result, signed, instead of a result page (MERCHANT_RESULT_URL of the landings).'),
  /** When set, the result pages link back to the shop here ("쇼핑 계속하기"). */
  merchantShopUrl: optional(z.url({ protocol: /^https$/, error: 'must be an https URL' })).describe('When set (https), the result pages link back to the shop there (MERCHANT_SHOP_URL of the landings).'),
  /**
   * The shop's name (MERCHANT_NAME), on every buyer result page: required, so that no page a
   * buyer trusts money to shows a placeholder instead of the shop.
   */
  merchantName: z
    .string({ error: "required: the shop's name, shown on every buyer result page (-c merchantName=…)" })
    .trim()
    .min(1, { error: "required: the shop's name, shown on every buyer result page (-c merchantName=…)" })
    .max(50, { error: 'must be at most 50 characters' }).describe("Required: the shop's name, on every buyer result page (MERCHANT_NAME of the landings). A synth without it stops, naming it."),
  /** How buyers reach the shop (MERCHANT_SUPPORT): a phone number or an https URL. */
  merchantSupport: optional(
    z
      .string()
      .trim()
      .refine((v) => PHONE_RE.test(v) || /^https:\/\/[^\s]+$/.test(v), { error: 'must be a phone number (e.g. 1588-0000) or an https URL' }),
  ).describe('How buyers reach the shop, on every result page: a phone number (`1588-0000`) or an https URL (MERCHANT_SUPPORT).'),
  /** The business details Korean e-commerce pages show: 상호, 대표자, 사업자등록번호, 통신판매업 신고번호, 주소. */
  merchantCompany: optional(z.string().trim().max(100)).describe('상호, on every result page when set (MERCHANT_COMPANY).'),
  merchantRepresentative: optional(z.string().trim().max(50)).describe('대표자, on every result page when set (MERCHANT_REPRESENTATIVE).'),
  merchantBusinessNumber: optional(z.string().trim().regex(/^\d{3}-?\d{2}-?\d{5}$/, { error: 'must be the 10 digits of a 사업자등록번호, e.g. 123-45-67890' })).describe('사업자등록번호 (10 digits), on every result page when set (MERCHANT_BUSINESS_NUMBER).'),
  merchantMailOrderNumber: optional(z.string().trim().max(60)).describe('통신판매업 신고번호, on every result page when set (MERCHANT_MAIL_ORDER_NUMBER).'),
  merchantAddress: optional(z.string().trim().max(200)).describe('주소, on every result page when set (MERCHANT_ADDRESS).'),
  /** When set, the alarm topic gets an e-mail subscription (confirm it from the mail). */
  alarmEmail: optional(z.email()).describe('Subscribes this address to the alarm topic (AWS mails a confirmation link first).'),
  /** CloudWatch Logs retention for function and access logs; one of the values CloudWatch allows. */
  logRetentionDays: int(1, 9999)
    .refine((d) => retentionValues.has(d), {
      message: `must be one of ${[...retentionValues].sort((a, b) => a - b).join(', ')}`,
    })
    .default(365).describe(`CloudWatch Logs retention of the function and access logs, in days (a value CloudWatch allows: ${[...retentionValues].sort((a, b) => a - b).join(', ')}; 9999: never expire).`),
  /** Steady-state requests per second the HTTP API accepts on each route (the stage default). */
  throttleRateLimit: int(1, 10_000).default(50).describe('Requests per second the API accepts on each route: the stage default, which the merchant routes use.'),
  /** Burst the HTTP API accepts above the steady rate (the stage default). */
  throttleBurstLimit: int(1, 5_000).default(100).describe('Burst above the steady rate: the stage default, which the merchant routes use.'),
  /**
   * Requests per second each public route (`auth: 'public'` in shared/routes.ts: the buyer's
   * landings and Toss's callback) accepts, instead of the stage default: a flood of them is
   * throttled on its own limits.
   */
  publicThrottleRateLimit: int(1, 10_000).default(25).describe('Requests per second each public route (the landings, the callback, /openapi.json, /docs) accepts, instead of the stage default; over it, API Gateway answers 429 before any function runs. Toss retries a throttled callback like any failed one, and the reconciler settles the order in any case.'),
  /** Burst each public route accepts above its steady rate. */
  publicThrottleBurstLimit: int(1, 5_000).default(50).describe('Burst each public route accepts above its steady rate.'),
  /** Days a finished order is kept (RETENTION_DAYS). Unset: the functions' default (1830). */
  orderRetentionDays: optional(int(1, 36_500)).describe("Days a finished order (and its events) is kept before TTL removes it (RETENTION_DAYS). Unset: the functions' default, 1830."),
  /** Orders the reconciler checks concurrently (RECONCILE_CONCURRENCY). Unset: the code's default. */
  reconcileConcurrency: optional(int(1, 256)).describe("Orders the reconciler settles at once (RECONCILE_CONCURRENCY). Unset: the functions' default, 16."),
  /** Flag an order unresolved after this many minutes (RECONCILE_FLAG_AFTER_MINUTES). */
  reconcileFlagAfterMinutes: optional(int(1, 100_000)).describe("Flag an order unresolved after this many minutes (RECONCILE_FLAG_AFTER_MINUTES). Unset: the functions' default, 120."),
  /**
   * The merchant's webhook receiver (MERCHANT_WEBHOOK_URL): every event is POSTed there, signed
   * with the webhook secret. Unset: no webhooks (the event bus and GET /events still have every event).
   */
  merchantWebhookUrl: optional(z.url({ protocol: /^https$/, error: 'must be an https URL' })).describe('A webhook receiver (https) set in the configuration: every event is POSTed there, signed with the webhook secret (MERCHANT_WEBHOOK_URL of the events functions and the APIs), besides the endpoints made through POST /webhook-endpoints. Unset: only those.'),
  /** Seconds between webhook attempts (WEBHOOK_RETRY_SCHEDULE). Unset: the code's default (about 3 days in all). */
  webhookRetrySchedule: optional(retrySchedule).describe("Seconds to wait after each failed webhook attempt, comma-separated (in cdk.json also a list of numbers); each 1–604,800, at most 30 (WEBHOOK_RETRY_SCHEDULE). Unset: the functions' default, about 3 days in all. The retrier runs every minute, so delays under a minute are rounded up to its next run."),
  /** Hours a rotated endpoint secret still signs beside the new one (WEBHOOK_SECRET_ROTATION_HOURS). Unset: 24. */
  webhookSecretRotationHours: optional(int(1, 720)).describe("Hours a webhook endpoint's rotated secret still signs beside the new one (WEBHOOK_SECRET_ROTATION_HOURS of the endpoints API), 1–720. Unset: the functions' default, 24."),
  /** Days of failing every attempt after which an endpoint is disabled (WEBHOOK_DISABLE_AFTER_DAYS). Unset: 5. */
  webhookDisableAfterDays: optional(int(1, 365)).describe("Days of failing every attempt after which a webhook endpoint is disabled, 1–365 (WEBHOOK_DISABLE_AFTER_DAYS of the events functions). Unset: the functions' default, 5."),
  /**
   * The API's custom domain (`pay.example.com`), with certificateArn. Set: buyers and Toss are sent
   * to `https://<domainName>` (PUBLIC_BASE_URL), and the stack creates a regional API Gateway
   * domain name mapped to the API; DNS stays the merchant's (or hostedZoneId). Unset: the
   * execute-api URL.
   */
  domainName: optional(domainName).describe("The API's custom domain (`pay.example.com`, at most 138 characters), with certificateArn: buyers and Toss are sent there (PUBLIC_BASE_URL). Unset: the execute-api URL."),
  /**
   * The ACM certificate for domainName (covering it, by name or wildcard), in the stack's own
   * region: API Gateway's regional custom domains take no certificate from another region.
   */
  certificateArn: optional(
    z
      .string({ error: 'must be an ACM certificate ARN' })
      .trim()
      .regex(CERTIFICATE_ARN, { error: 'must be an ACM certificate ARN: arn:aws:acm:<region>:<account>:certificate/<id>' }),
  ).describe('The ACM certificate of domainName, in the region the stack deploys to. Both or neither.'),
  /** With domainName: the Route 53 hosted zone (its id, `Z…`) the stack adds the domain's alias record to. */
  hostedZoneId: optional(
    z
      .string({ error: 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ' })
      .trim()
      .regex(/^[A-Z0-9]{1,32}$/, { error: 'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ' }),
  ).describe("With domainName: the Route 53 hosted zone that holds the name; the stack adds the domain's alias record to it. Unset: DNS is yours."),
  /**
   * The console's user pool has Cognito threat protection (the Plus feature plan: risky sign-ins
   * blocked, compromised passwords refused), at its per-user price. false: the Essentials plan,
   * for a region that does not offer it.
   */
  consoleThreatProtection: bool.default(true).describe('The console user pool has Cognito threat protection (Plus plan); false: the Essentials plan, for a region without it.'),
}).superRefine((c, ctx) => {
  // Both or neither: a domain without a certificate cannot serve https, a certificate alone has no use.
  if (c.domainName !== undefined && c.certificateArn === undefined) {
    ctx.addIssue({ code: 'custom', path: ['certificateArn'], message: 'must be set with domainName (both or neither): the ACM certificate for the domain' });
  }
  if (c.certificateArn !== undefined && c.domainName === undefined) {
    ctx.addIssue({ code: 'custom', path: ['domainName'], message: 'must be set with certificateArn (both or neither): the host name the certificate is for' });
  }
  if (c.hostedZoneId !== undefined && c.domainName === undefined) {
    ctx.addIssue({ code: 'custom', path: ['hostedZoneId'], message: 'needs domainName and certificateArn: it is where the custom domain\'s record goes' });
  }
});

export type StackConfig = z.infer<typeof stackConfigSchema>;

export class StackConfigError extends Error {
  override name = 'StackConfigError';
}

/**
 * Parses the stack configuration from context values. Unknown keys are refused (a typo such as
 * `-c alarmMail=...` would otherwise be silently ignored).
 */
export function parseStackConfig(raw: Record<string, unknown>): StackConfig {
  const r = stackConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) =>
    i.code === 'unrecognized_keys'
      ? `  unknown context key(s) ${i.keys.join(', ')}; known: ${CONTEXT_KEYS.join(', ')}`
      : `  ${i.path.join('.') || '(context)'}: ${i.message}`,
  );
  throw new StackConfigError(`invalid stack configuration (CDK context):\n${lines.join('\n')}`);
}

/**
 * API Gateway's regional custom domain takes an ACM certificate of the stack's own region only.
 * When the region the stack deploys to is known (`where` says how), a certificate of another
 * region stops the synth; when it is not (an environment-agnostic synth without CDK_DEFAULT_REGION),
 * the deploy fails instead.
 */
export function checkCertificateRegion(config: Pick<StackConfig, 'certificateArn'>, region: string | undefined, where: string): void {
  if (config.certificateArn === undefined || region === undefined || region === '') return;
  const certificateRegion = certificateRegionOf(config.certificateArn);
  if (certificateRegion === region) return;
  throw new StackConfigError(
    'invalid stack configuration (CDK context):\n' +
      `  certificateArn: the certificate is in ${certificateRegion}, but the stack deploys to ${region} (${where}); ` +
      `an API Gateway regional custom domain needs an ACM certificate in the stack's own region: request or import one in ${region}`,
  );
}

/** Reads CONTEXT_KEYS from a construct's context (cdk.json + `-c`) and parses them. */
export function readStackConfig(tryGetContext: (key: string) => unknown): StackConfig {
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const v = tryGetContext(key);
    if (v !== undefined) raw[key] = v;
  }
  return parseStackConfig(raw);
}
