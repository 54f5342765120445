/** What `npm start` prints once everything runs, and the prefix that makes a command beside it find the same stack. */
import { parseEnv } from '../../shared/config.ts';
import { DOCS_TEST_KEY, localStartSchema, type LocalStartConfig } from './config.ts';
import type { LocalStack } from './stack.ts';

/** Variables of npm start that `npm run reconcile` needs to find the same stack, as this run has them when not the defaults. */
const SAME_STACK = ['DYNAMODB_ENDPOINT', 'DYNAMODB_PORT', 'TOSS_SANDBOX_PORT', 'API_PORT', 'EVENTBRIDGE_PORT', 'TABLE_NAME', 'AWS_REGION'] as const;

/**
 * `VAR=value …` for a command run beside this stack (npm run reconcile): every setting that is not
 * its default, so that the command finds what this run started (its ports, its table). Never a
 * secret: a TOSS_API_KEY of one's own is only named.
 */
export function sameStackPrefix(config: LocalStartConfig): string {
  const defaults = parseEnv(localStartSchema, {});
  const vars = SAME_STACK.flatMap((k) => {
    const v = config[k];
    if (v === undefined || v === defaults[k] || (k === 'DYNAMODB_PORT' && config.DYNAMODB_ENDPOINT !== undefined)) return [];
    const text = String(v);
    return [`${k}=${/^[A-Za-z0-9_./:@-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`}`];
  });
  return vars.map((v) => `${v} `).join('');
}

/** What npm start prints once everything runs. Never a secret: the webhook secret is only named. */
export function banner(s: LocalStack): string {
  const config = s.config;
  const tokens = config.MERCHANT_TOKENS.split(',').filter((t) => t.trim() !== '').length;
  const auth = `-H 'Authorization: Bearer ${s.merchantToken}'`;
  const every = (seconds: number, what: string): string => (seconds > 0 ? `every ${seconds} s` : `off (${what}=0)`);
  return [
    '',
    'Toss Pay local stack is running',
    `  Demo shop       ${s.shopUrl}`,
    `  API gateway     ${s.apiUrl}`,
    `  Toss sandbox    ${s.sandboxUrl}`,
    config.DYNAMODB_ENDPOINT === undefined
      ? `  DynamoDB Local  ${s.dynamoEndpoint}  (started by npm start; table ${s.tableName}, ${config.DATA_DIR ? `data in ${config.DATA_DIR}` : 'in memory'})`
      : `  DynamoDB        ${s.dynamoEndpoint}  (DYNAMODB_ENDPOINT, not started by npm start; table ${s.tableName})`,
    `  EventBridge     ${s.eventBridgeUrl}  (stand-in for the event bus; the table's stream feeds the events function)`,
    s.webhookToDemoShop
      ? `  Webhooks        ${s.webhookUrl}  (the demo shop's receiver: endpoint ${s.demoEndpointId ?? '?'}, registered through POST /webhook-endpoints)`
      : `  Webhooks        ${s.webhookUrl}  (MERCHANT_WEBHOOK_URL, signed with MERCHANT_WEBHOOK_SECRET)`,
    `  Merchant token  ${s.merchantToken}${tokens > 1 ? `  (+${tokens - 1} more in MERCHANT_TOKENS)` : ''}`,
    `  Console         ${s.consoleUrl}  (sign in as a user of the pool below)`,
    `  User pool       ${s.userPool.endpoint}  (cognito-local, pool ${s.userPool.userPoolId}, client ${s.userPool.clientId})`,
    ...s.userPool.users.map((u) =>
      s.consolePasswordGenerated
        ? `    ${u.role.padEnd(9)} ${u.email}  password ${u.password}  (made for this run; set CONSOLE_USERS=role:email:password,...)`
        : `    ${u.role.padEnd(9)} ${u.email}  (CONSOLE_USERS)`,
    ),
    '',
    `  Pay:          curl -X POST ${s.apiUrl}/payments ${auth} \\`,
    `                  -H 'Content-Type: application/json' -d '{"amount":35000,"amountTaxFree":0,"productDesc":"토스 티셔츠"}'`,
    `  Event log:    curl -s ${s.apiUrl}/events ${auth}`,
    `  Endpoints:    curl -s ${s.apiUrl}/webhook-endpoints ${auth}   (add yours: -X POST -H 'Content-Type: application/json' -d '{"url":"http://127.0.0.1:<port>/…"}')`,
    `  The API:      ${s.apiUrl}/docs   (rendered, with "Try it out"; the document: ${s.apiUrl}/openapi.json)`,
    `  On the bus:   curl -s ${s.eventBridgeUrl}/events   (clear: curl -X DELETE ${s.eventBridgeUrl}/events)`,
    `  Reconciler:   ${every(config.RECONCILE_INTERVAL_SECONDS, 'RECONCILE_INTERVAL_SECONDS')}; one pass now: ${sameStackPrefix(config)}npm run reconcile${config.TOSS_API_KEY !== DOCS_TEST_KEY ? '   (with the same TOSS_API_KEY)' : ''}`,
    `  Webhook retries: ${every(config.WEBHOOK_RETRY_INTERVAL_SECONDS, 'WEBHOOK_RETRY_INTERVAL_SECONDS')}`,
    `  Sandbox:      payments ${s.sandboxUrl}/sandbox/payments; expire open ones: curl -X POST ${s.sandboxUrl}/sandbox/clock -d '{"advanceSeconds":900}'`,
    `                faults: ${s.sandboxUrl}/sandbox/faults (local/toss-sandbox/README.md)`,
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}
