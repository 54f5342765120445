/**
 * A function's environment, made from its entry in shared/functions.ts (FUNCTION_ACCESS) and the
 * deployment: the variables its config schema gives every function of that schema, the ARN of
 * each secret it reads, and the optional variables it reads when the deployment configures them.
 */
import { secretArnVariable } from '../shared/functions.ts';
import type { FunctionAccess, OptionalVariable, SecretName } from '../shared/functions.ts';
import { TOSS_CALLBACK_IPS } from './config.ts';
import type { StackConfig } from './config.ts';

/** What the deployment gives the functions' variables. */
export interface DeploymentValues {
  readonly config: StackConfig;
  readonly tableName: string;
  /** The API's URL (PUBLIC_BASE_URL). */
  readonly publicBaseUrl: string;
  /** The event bus's name (EVENT_BUS_NAME). */
  readonly eventBusName: string;
  readonly secretArnOf: (name: SecretName) => string;
  /** The console's user pool: its id, its app client and its API's URL. */
  readonly userPool: { readonly id: string; readonly clientId: string; readonly endpoint: string };
}

type Variables = Record<string, string>;

/**
 * Secrets whose ARN a config schema requires of every function that parses it, whether or not
 * the function reads the secret: appConfigSchema refuses to start without a Toss key reference
 * (TOSS_API_KEY or TOSS_API_KEY_SECRET_ARN), the events functions included, which never call
 * Toss. Such a function is told the ARN and holds no permission on the secret (only the secrets
 * its entry lists are granted). test/infra checks that each schema still requires each of these,
 * so an entry here goes once the schema stops asking for it.
 */
export const SCHEMA_REQUIRED_SECRETS: Readonly<Record<FunctionAccess['config'], readonly SecretName[]>> = {
  app: ['tossApiKey'],
  auth: ['merchantTokens'],
  events: [],
  console: [],
  none: [],
};

/** The variables every function of a schema gets (besides the secrets' ARNs). */
const schemaVariables: Record<FunctionAccess['config'], (v: DeploymentValues) => Variables> = {
  app: ({ config, tableName, publicBaseUrl }) => ({
    STAGE: config.stage,
    TABLE_NAME: tableName,
    TOSS_BASE_URL: config.tossBaseUrl,
    PUBLIC_BASE_URL: publicBaseUrl,
    // Unset: the code's default.
    ...(config.orderRetentionDays !== undefined ? { RETENTION_DAYS: String(config.orderRetentionDays) } : {}),
  }),
  // Console users' tokens are Cognito's own: the authorizer verifies them with the pool's id and client.
  auth: ({ config, userPool }) => ({ STAGE: config.stage, COGNITO_USER_POOL_ID: userPool.id, COGNITO_CLIENT_ID: userPool.clientId }),
  console: ({ config, userPool }) => ({ STAGE: config.stage, COGNITO_ENDPOINT: userPool.endpoint, COGNITO_CLIENT_ID: userPool.clientId }),
  events: ({ config, tableName }) => ({
    STAGE: config.stage,
    TABLE_NAME: tableName,
    ...(config.orderRetentionDays !== undefined ? { RETENTION_DAYS: String(config.orderRetentionDays) } : {}),
  }),
  none: () => ({}),
};

/** Each optional variable's value; undefined when the deployment does not configure it (the code's default applies). */
const optionalValue: Record<OptionalVariable, (v: DeploymentValues) => string | undefined> = {
  MERCHANT_RESULT_URL: ({ config }) => config.merchantResultUrl,
  MERCHANT_SHOP_URL: ({ config }) => config.merchantShopUrl,
  MERCHANT_NAME: ({ config }) => config.merchantName,
  MERCHANT_SUPPORT: ({ config }) => config.merchantSupport,
  MERCHANT_COMPANY: ({ config }) => config.merchantCompany,
  MERCHANT_REPRESENTATIVE: ({ config }) => config.merchantRepresentative,
  MERCHANT_BUSINESS_NUMBER: ({ config }) => config.merchantBusinessNumber,
  MERCHANT_MAIL_ORDER_NUMBER: ({ config }) => config.merchantMailOrderNumber,
  MERCHANT_ADDRESS: ({ config }) => config.merchantAddress,
  CALLBACK_ALLOWED_IPS: ({ config }) => (config.callbackIpAllowlist ? TOSS_CALLBACK_IPS : undefined),
  RECONCILE_CONCURRENCY: ({ config }) => config.reconcileConcurrency?.toString(),
  RECONCILE_FLAG_AFTER_MINUTES: ({ config }) => config.reconcileFlagAfterMinutes?.toString(),
  MERCHANT_WEBHOOK_URL: ({ config }) => config.merchantWebhookUrl,
  WEBHOOK_RETRY_SCHEDULE: ({ config }) => config.webhookRetrySchedule,
  WEBHOOK_SECRET_ROTATION_HOURS: ({ config }) => config.webhookSecretRotationHours?.toString(),
  WEBHOOK_DISABLE_AFTER_DAYS: ({ config }) => config.webhookDisableAfterDays?.toString(),
  // Always: the bus is part of the stack.
  EVENT_BUS_NAME: ({ eventBusName }) => eventBusName,
};

export function functionEnvironment(access: FunctionAccess, values: DeploymentValues): Variables {
  const env = schemaVariables[access.config](values);
  for (const secret of new Set([...SCHEMA_REQUIRED_SECRETS[access.config], ...access.secrets])) {
    env[secretArnVariable[secret]] = values.secretArnOf(secret);
  }
  for (const name of access.optionalEnv) {
    const value = optionalValue[name](values);
    if (value !== undefined) env[name] = value;
  }
  return env;
}
