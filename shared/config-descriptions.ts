/**
 * What each variable of the functions' configuration (shared/config.ts) is for, in English:
 * docs/reference/configuration.md is generated from these (`npm run docs`, tools/reference). Kept
 * out of the schemas, so the deployed functions, which parse the variables, do not carry their
 * documentation; the type makes every variable of every schema have one, and nothing else.
 */
import type { AppConfig, AuthConfig, ConsoleConfig, EventsConfig } from './config.ts';

type Variable = keyof AppConfig | keyof EventsConfig | keyof AuthConfig | keyof ConsoleConfig;

export const VARIABLE_DESCRIPTIONS = {
  // What every function that reaches the table reads.
  STAGE:
    'The stage name (`stage` of the stack); it appears in logs. `local` (npm start, the tests) alone lets webhook endpoints be `http://` URLs on this machine.',
  AWS_REGION: 'Region of the AWS SDK clients. Lambda sets it.',
  TABLE_NAME: 'The DynamoDB payments table.',
  DYNAMODB_ENDPOINT:
    'DynamoDB endpoint: set locally (DynamoDB Local, or any DynamoDB), unset in AWS. Dummy credentials for an endpoint on this machine, the AWS default chain for any other.',
  RETENTION_DAYS: 'Days a finished order (and its events) is kept before DynamoDB TTL removes it. Korean e-commerce law asks for 5 years of payment records.',
  DYNAMODB_CONNECT_TIMEOUT_MS: 'How long a DynamoDB call waits for a connection, per attempt (the SDK makes up to 3).',
  DYNAMODB_REQUEST_TIMEOUT_MS: 'How long a DynamoDB call waits for its reply, per attempt; then it is retried, and a call that keeps failing is a 503.',
  // Toss: every function that calls it.
  TOSS_BASE_URL: 'The Toss Pay API origin (test and live keys use the same host); `npm start` points it at the sandbox.',
  TOSS_API_KEY:
    'The Toss apiKey, for local use (one of it or TOSS_API_KEY_SECRET_ARN is required). A key starting with `sk_test_` is TEST mode, any other LIVE; a deployment never accepts payments of the other mode.',
  TOSS_API_KEY_SECRET_ARN: 'Deployed: the Secrets Manager secret holding the apiKey.',
  TOSS_TIMEOUT_MS: 'Timeout of a Toss call (Toss advises 10 s plus 3–5 s), shortened to the time the invocation has left.',
  // The payment functions and the reconciler.
  PUBLIC_BASE_URL: 'Where buyers and Toss reach this API: retUrl, retCancelUrl and resultCallback are built from it (the stack sets its ApiUrl).',
  MERCHANT_RESULT_URL:
    'When set, the landings answer 303 to this URL with `orderNo` and `result` (and, with a webhook secret, `timestamp` and `signature`) instead of a result page.',
  MERCHANT_SHOP_URL: "The shop's page: the result pages link back to it (쇼핑 계속하기, or 다시 결제하기 when nothing was paid).",
  MERCHANT_NAME: "The shop's name, on every result page (at most 50 characters). The landings do not start without it.",
  MERCHANT_SUPPORT: 'How buyers reach the shop, on every result page: a phone number (`1588-0000`, shown as a `tel:` link) or an http(s) URL.',
  MERCHANT_COMPANY: "상호: the business's registered name, on every result page when set.",
  MERCHANT_REPRESENTATIVE: '대표자, on every result page when set.',
  MERCHANT_BUSINESS_NUMBER: '사업자등록번호: 10 digits, shown `123-45-67890`, on every result page when set.',
  MERCHANT_MAIL_ORDER_NUMBER: '통신판매업 신고번호 (e.g. 제2026-서울강남-01234호), on every result page when set.',
  MERCHANT_ADDRESS: '주소: the business address, on every result page when set.',
  CALLBACK_ALLOWED_IPS:
    "Comma-separated IPv4 addresses, CIDRs or `a.b.c.d-a.b.c.e` ranges allowed to POST callbacks; others get 403. Unset: every address. The stack sets Toss's published sources by default (`TOSS_CALLBACK_IPS` in infra/config.ts, the addresses docs/toss-pay.md lists).",
  RECONCILE_CONCURRENCY: 'Orders the reconciler checks at once.',
  CREATE_LEASE_GRACE_MS: 'How long a create lease outlives its Toss call (Toss may still be working on a request given up on). Tests shorten it.',
  EXECUTE_LOCK_GRACE_MS: "How long an execute lock outlives its Toss call (Toss's bank leg may still be running). Tests shorten it.",
  LANDING_CHECK_INTERVAL_MS: 'At most one Toss status call per order in this window, however many landings arrive; the others answer from the stored order.',
  RECONCILE_FLAG_AFTER_MINUTES: 'An order still unresolved after this many minutes is flagged for a person (the orders-flagged alarm).',
  // The webhook signing secret.
  MERCHANT_WEBHOOK_SECRET:
    'The webhook signing secret, for local use: `whsec_` and the base64 of 24 or more random bytes, or the rotation JSON `{"current","previous","previousUntil"}`. The landings also sign their redirects to MERCHANT_RESULT_URL with it. Never printed.',
  MERCHANT_WEBHOOK_SECRET_ARN: 'Deployed: the Secrets Manager secret holding the signing secret (re-read every minute).',
  // The events functions.
  EVENT_BUS_NAME: 'The EventBridge bus events are put on (`toss-pay-<stage>` deployed).',
  EVENTBRIDGE_ENDPOINT: 'The EventBridge endpoint: set locally (the stand-in of `npm start`), unset in AWS.',
  MERCHANT_WEBHOOK_URL:
    'The configured webhook endpoint (`we_env`): every event is POSTed there, signed (needs MERCHANT_WEBHOOK_SECRET or MERCHANT_WEBHOOK_SECRET_ARN), besides the endpoints made through `POST /webhook-endpoints`; the API lists it but cannot change it. Unset: none; the bus and `GET /events` still have every event.',
  WEBHOOK_FIRST_ATTEMPT_MS:
    'The most a first webhook attempt may take in the events function (the log and the bus never wait on it; an attempt cut or not made is left to the retrier). 0: the retrier makes every attempt.',
  WEBHOOK_CONCURRENCY:
    "Webhook attempts in flight at once to one endpoint, per invocation of the events function or the retrier: each endpoint has its own, so a slow one never takes another's.",
  WEBHOOK_SECRET_ROTATION_HOURS:
    "Hours a webhook endpoint's rotated secret still signs beside the new one (each delivery carries both signatures meanwhile). 0: the old secret stops at once.",
  WEBHOOK_DISABLE_AFTER_DAYS:
    'Days of failing every attempt after which a webhook endpoint is disabled (an `endpoint.disabled` event tells it). 0: at its first failure.',
  WEBHOOK_RETRY_SCHEDULE:
    'Seconds to wait after each failed webhook attempt, comma-separated; after the last the delivery has failed (listed by `GET /events`, redeliverable). Unset: 5,300,1800,7200,18000,36000,36000,86400,86400 (about 3 days).',
  // The authorizer.
  MERCHANT_TOKENS: 'The merchant bearer tokens, comma-separated, for local use (one of it or MERCHANT_TOKENS_SECRET_ARN is required).',
  MERCHANT_TOKENS_SECRET_ARN: 'Deployed: the Secrets Manager secret holding the comma-separated tokens (re-read every minute).',
  COGNITO_USER_POOL_ID: "The console's user pool (`ap-northeast-2_AbC123`). Unset: no console users (merchant tokens only).",
  // The console function reads it too: its page signs people in with that client.
  COGNITO_CLIENT_ID: "The console's app client (no secret): a token must be issued to it.",
  COGNITO_ISSUER: "The tokens' issuer, for a user pool that is not Amazon Cognito's (cognito-local). Unset: Cognito's own, from the pool id.",
  COGNITO_JWKS_URI: "Where that issuer's keys are (default: `<issuer>/.well-known/jwks.json`).",
  // The console function.
  COGNITO_ENDPOINT: "The user pool's API the browser signs in with (`https://cognito-idp.<region>.amazonaws.com/`, or cognito-local's URL).",
} as const satisfies Record<Variable, string>;
