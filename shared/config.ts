/**
 * Configuration, parsed once per cold start with zod (zod/mini, shared/zod.ts). A missing or invalid variable fails at
 * start with a message naming it. Each concern has its own schema so a function is only asked
 * for what it uses; infra/ sets exactly these variables (test/infra checks it). What each variable
 * is for, as docs/reference/configuration.md tells it, is in shared/config-descriptions.ts: the
 * functions parse the variables and do not carry their documentation.
 */
import * as z from './zod.ts';
import { parseSigningSecrets } from './signing-secrets.ts';

const csv = /* @__PURE__ */ z.pure(() =>
  z.pipe(
    z.string(),
    z.transform((s: string) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0)),
  ),
);

const optionalUrl = /* @__PURE__ */ z.pure(() =>
  z.optional(
    z.pipe(
      z.pipe(
        z.string().check(z.trim()),
        z.transform((s: string) => (s === '' ? undefined : s)),
      ),
      z.optional(z.url()),
    ),
  ),
);

/** A phone number as MERCHANT_SUPPORT may give it: digits, spaces, dashes, an optional leading `+`. */
export const PHONE_RE = /^\+?[0-9][0-9 -]{5,18}[0-9]$/;

/** Optional text shown to buyers: trimmed, empty means unset, at most `max` characters, no control characters. */
const optionalText = (max: number) =>
  z.optional(
    z.pipe(
      z.pipe(
        z.string().check(z.trim()),
        z.transform((s: string) => (s === '' ? undefined : s)),
      ),
      z.optional(z.string().check(z.maxLength(max), z.refine((s) => !/\p{Cc}/u.test(s), 'must not contain control characters'))),
    ),
  );

const intFromEnv = (def: number, min: number, max: number) => z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), def);
/** A number that may have a fraction (tests shorten a span of days or hours to 0). */
const numberFromEnv = (def: number, min: number, max: number) => z._default(z.coerce.number().check(z.gte(min), z.lte(max)), def);

/**
 * The stage `npm start` (and the test stacks) run as. Only there may a webhook endpoint be an
 * `http://` URL (on this machine) and reach a private address; every deployed stage may go LIVE,
 * so there endpoints are `https://` and public (shared/events/webhook-url.ts). The stack refuses
 * to deploy a stage of this name (infra/config.ts).
 */
export const LOCAL_STAGE = 'local';

/**
 * How long a DynamoDB call may wait: for a connection, and for its reply (each attempt; the SDK
 * makes up to 3). Three attempts at the request timeout stay well inside an HTTP function's 28 s
 * beside a Toss call's 15 s, so no call waits without bound and none outlives its invocation.
 */
export const DEFAULT_DYNAMODB_CONNECT_TIMEOUT_MS = 1_000;
export const DEFAULT_DYNAMODB_REQUEST_TIMEOUT_MS = 3_000;

/** A non-empty string. */
const nonEmpty = () => z.string().check(z.minLength(1));

/** What every function that reaches the table reads. */
const tableFields = /* @__PURE__ */ z.pure(() => ({
  STAGE: z._default(nonEmpty(), LOCAL_STAGE),
  AWS_REGION: z._default(nonEmpty(), 'ap-northeast-2'),
  TABLE_NAME: nonEmpty(),
  /** Set locally (DynamoDB Local); unset in AWS. */
  DYNAMODB_ENDPOINT: optionalUrl,
  /** Days a finished order (and its events) is kept before DynamoDB TTL removes it (Korean e-commerce law: 5 years). */
  RETENTION_DAYS: intFromEnv(1830, 1, 36_500),
  DYNAMODB_CONNECT_TIMEOUT_MS: intFromEnv(DEFAULT_DYNAMODB_CONNECT_TIMEOUT_MS, 100, 60_000),
  DYNAMODB_REQUEST_TIMEOUT_MS: intFromEnv(DEFAULT_DYNAMODB_REQUEST_TIMEOUT_MS, 100, 60_000),
}));

/** The webhook signing secret: the landings sign their redirects with it, the events functions their deliveries. */
const signingFields = /* @__PURE__ */ z.pure(() => ({
  /** Locally: the webhook signing secret (`whsec_…`, or the rotation JSON). Deployed: MERCHANT_WEBHOOK_SECRET_ARN instead. */
  MERCHANT_WEBHOOK_SECRET: z.optional(z.string()).check(
    z.superRefine((v, ctx) => {
      if (v === undefined || v === '') return;
      try {
        parseSigningSecrets(v);
      } catch (e) {
        // The message names the problem, never the value.
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    }),
  ),
  MERCHANT_WEBHOOK_SECRET_ARN: z.optional(nonEmpty()),
}));

/** Where Toss is and the key to it: every function that calls Toss, and `npm run toss-contract`. */
const tossFields = /* @__PURE__ */ z.pure(() => ({
  TOSS_BASE_URL: z._default(z.url(), 'https://pay.toss.im'),
  /** Local development: the key itself. Deployed: TOSS_API_KEY_SECRET_ARN instead. */
  TOSS_API_KEY: z.optional(nonEmpty()),
  TOSS_API_KEY_SECRET_ARN: z.optional(nonEmpty()),
  TOSS_TIMEOUT_MS: intFromEnv(15_000, 100, 60_000),
}));
const tossKeyRequired = /* @__PURE__ */ z.pure(() =>
  z.refine<{ TOSS_API_KEY?: string | undefined; TOSS_API_KEY_SECRET_ARN?: string | undefined }>((c) => c.TOSS_API_KEY !== undefined || c.TOSS_API_KEY_SECRET_ARN !== undefined, {
    message: 'one of TOSS_API_KEY or TOSS_API_KEY_SECRET_ARN must be set',
    path: ['TOSS_API_KEY'],
  }),
);

/** Toss alone, read as the functions read it (tools/toss-contract.ts). */
export const tossConfigSchema = /* @__PURE__ */ z.pure(() => z.object(tossFields).check(tossKeyRequired));
export type TossConfig = z.infer<typeof tossConfigSchema>;

/** Used by every payment function and the reconciler. */
export const appConfigSchema = /* @__PURE__ */ z.pure(() =>
  z
    .object({
      ...tableFields,
      ...tossFields,
      /** Where buyers and Toss reach this API, e.g. https://pay.example.com (no trailing slash). */
      PUBLIC_BASE_URL: z.pipe(
        z.url(),
        z.transform((u: string) => u.replace(/\/+$/, '')),
      ),
      /** When set, landings 303 here with orderNo and result instead of rendering a page. */
      MERCHANT_RESULT_URL: optionalUrl,
      /** The shop's own page: the result pages link back to it ("쇼핑 계속하기", "다시 결제하기"). */
      MERCHANT_SHOP_URL: optionalUrl,
      // The shop as the result pages present it (shared/merchant.ts): the landings require the name.
      /** The shop's name, on every result page. */
      MERCHANT_NAME: optionalText(50),
      /** How a buyer reaches the shop: a phone number (1588-0000) or an http(s) URL. */
      MERCHANT_SUPPORT: z.optional(
        z.pipe(
          z.string().check(z.trim()),
          z.transform((s: string) => (s === '' ? undefined : s)),
        ),
      ).check(
        z.refine((v) => v === undefined || PHONE_RE.test(v) || /^https?:\/\/[^\s]+$/.test(v), 'a phone number (digits, spaces, dashes, a leading +) or an http(s) URL'),
      ),
      /** 상호: the business's registered name, when it differs from MERCHANT_NAME or in any case. */
      MERCHANT_COMPANY: optionalText(100),
      /** 대표자 */
      MERCHANT_REPRESENTATIVE: optionalText(50),
      /** 사업자등록번호: 10 digits, shown as 123-45-67890. */
      MERCHANT_BUSINESS_NUMBER: z.optional(
        z.pipe(
          z.pipe(
            z.string().check(z.trim()),
            z.transform((s: string) => (s === '' ? undefined : s)),
          ),
          z.optional(
            z.pipe(
              z.string().check(z.regex(/^\d{3}-?\d{2}-?\d{5}$/, '10 digits, e.g. 123-45-67890')),
              z.transform((s: string) => s.replace(/-/g, '').replace(/^(\d{3})(\d{2})(\d{5})$/, '$1-$2-$3')),
            ),
          ),
        ),
      ),
      /** 통신판매업 신고번호, e.g. 제2026-서울강남-01234호. */
      MERCHANT_MAIL_ORDER_NUMBER: optionalText(60),
      /** 주소 */
      MERCHANT_ADDRESS: optionalText(200),
      /** Comma-separated IPv4 addresses, CIDRs or a-b ranges allowed to POST callbacks. */
      CALLBACK_ALLOWED_IPS: z.optional(csv),
      RECONCILE_CONCURRENCY: intFromEnv(16, 1, 256),
      /**
       * How long a create lease outlives its Toss call: Toss may still be working on a request we gave
       * up on. A retry (or the reconciler) waits this long past the call's timeout. Tests shorten it.
       */
      CREATE_LEASE_GRACE_MS: intFromEnv(5_000, 0, 300_000),
      /** How long an execute lock outlives its Toss call: Toss's bank leg may still be running. Tests shorten it. */
      EXECUTE_LOCK_GRACE_MS: intFromEnv(15_000, 0, 300_000),
      /** At most one Toss status call per order in this window, however many landings arrive. Tests shorten it. */
      LANDING_CHECK_INTERVAL_MS: intFromEnv(2_000, 100, 60_000),
      /** An order still unresolved after this many minutes is flagged for attention. */
      RECONCILE_FLAG_AFTER_MINUTES: intFromEnv(120, 1, 100_000),
      ...signingFields,
    })
    .check(tossKeyRequired),
);

/** Used by the events functions (the stream consumer, the webhook retrier, the event log API): no Toss. */
export const eventsConfigSchema = /* @__PURE__ */ z.pure(() =>
  z
    .object({
      ...tableFields,
      /** The EventBridge bus events are put on (`toss-pay-<stage>`). */
      EVENT_BUS_NAME: z._default(nonEmpty(), 'toss-pay-local'),
      /** Locally: the EventBridge stand-in (npm start). Unset in AWS. */
      EVENTBRIDGE_ENDPOINT: optionalUrl,
      /** The merchant's webhook receiver; unset: no webhooks (the bus and the event log still have every event). */
      MERCHANT_WEBHOOK_URL: optionalUrl,
      ...signingFields,
      /**
       * The events function's budget per invocation for first webhook attempts (ms): they end by
       * then, and the log and the bus never wait on them; the rest goes to the retrier. 0: none.
       */
      WEBHOOK_FIRST_ATTEMPT_MS: intFromEnv(2_000, 0, 15_000),
      /**
       * Webhook attempts in flight at once to one endpoint, per invocation (the events function, the
       * retrier): each endpoint has its own, so a slow one never takes another's.
       */
      WEBHOOK_CONCURRENCY: intFromEnv(8, 1, 64),
      WEBHOOK_SECRET_ROTATION_HOURS: numberFromEnv(24, 0, 720),
      WEBHOOK_DISABLE_AFTER_DAYS: numberFromEnv(5, 0, 365),
      /** Seconds to wait after each failed webhook attempt, comma-separated; the default spans about 3 days. */
      WEBHOOK_RETRY_SCHEDULE: z.optional(
        z.pipe(
          z.string().check(z.trim(), z.regex(/^\d+(\s*,\s*\d+)*$/, 'comma-separated whole seconds, e.g. 5,300,1800')),
          z.transform((s: string) => s.split(',').map((x) => Number(x.trim()))),
        ),
      ),
    })
    .check(
      z.refine(
        (c) => c.MERCHANT_WEBHOOK_URL === undefined || (c.MERCHANT_WEBHOOK_SECRET ?? '') !== '' || c.MERCHANT_WEBHOOK_SECRET_ARN !== undefined,
        { message: 'MERCHANT_WEBHOOK_URL needs MERCHANT_WEBHOOK_SECRET (or MERCHANT_WEBHOOK_SECRET_ARN) to sign with', path: ['MERCHANT_WEBHOOK_SECRET'] },
      ),
    ),
);

/**
 * The console's user pool, as the authorizer verifies its tokens: the pool and its app client, and
 * (for a pool that is not Amazon Cognito's, e.g. cognito-local) the tokens' issuer and its JWKS.
 */
const userPoolFields = /* @__PURE__ */ z.pure(() => ({
  COGNITO_USER_POOL_ID: z.optional(nonEmpty()),
  COGNITO_CLIENT_ID: z.optional(nonEmpty()),
  /**
   * The tokens' `iss`, for a user pool that is not Amazon Cognito's (cognito-local issues
   * `http://<host>:<port>/<pool id>`). Unset: Cognito's own, from the pool id.
   */
  COGNITO_ISSUER: optionalUrl,
  COGNITO_JWKS_URI: optionalUrl,
}));

/** Used by the authorizer only. */
export const authConfigSchema = /* @__PURE__ */ z.pure(() =>
  z
    .object({
      STAGE: tableFields.STAGE,
      /** Local: comma-separated bearer tokens. Deployed: MERCHANT_TOKENS_SECRET_ARN instead. */
      MERCHANT_TOKENS: z.optional(csv),
      MERCHANT_TOKENS_SECRET_ARN: z.optional(nonEmpty()),
      ...userPoolFields,
    })
    .check(
      z.refine((c) => (c.MERCHANT_TOKENS?.length ?? 0) > 0 || c.MERCHANT_TOKENS_SECRET_ARN !== undefined, {
        message: 'one of MERCHANT_TOKENS or MERCHANT_TOKENS_SECRET_ARN must be set',
        path: ['MERCHANT_TOKENS'],
      }),
      z.refine((c) => (c.COGNITO_USER_POOL_ID === undefined) === (c.COGNITO_CLIENT_ID === undefined), {
        message: 'COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID go together',
        path: ['COGNITO_CLIENT_ID'],
      }),
    ),
);

/** Used by the console function: what its page tells the browser about the user pool. */
export const consoleConfigSchema = /* @__PURE__ */ z.pure(() =>
  z.object({
    STAGE: tableFields.STAGE,
    COGNITO_ENDPOINT: z.url(),
    COGNITO_CLIENT_ID: nonEmpty(),
  }),
);

export type AppConfig = z.infer<typeof appConfigSchema>;
export type EventsConfig = z.infer<typeof eventsConfigSchema>;
export type AuthConfig = z.infer<typeof authConfigSchema>;
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses `env` against `schema`; throws a ConfigError naming every bad variable. */
export function parseEnv<S extends z.core.$ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const r = z.safeParse(schema, env);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

/**
 * Variables the platform or the CDK constructs set on every function that the code does not read
 * through these schemas. (No NODE_OPTIONS: the functions run without --enable-source-maps; their
 * source maps stay with the build, see `npm run stacktrace`.) test/infra checks that the stack
 * sets nothing else.
 */
export const platformVariables = ['AWS_NODEJS_CONNECTION_REUSE_ENABLED'] as const;
