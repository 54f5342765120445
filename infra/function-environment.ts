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
  readonly secretArnOf: (name: SecretName) => string;
}

type Variables = Record<string, string>;

/** The variables every function of a schema gets (besides its secrets' ARNs). */
const schemaVariables: Record<FunctionAccess['config'], (v: DeploymentValues) => Variables> = {
  app: ({ config, tableName, publicBaseUrl }) => ({
    STAGE: config.stage,
    TABLE_NAME: tableName,
    TOSS_BASE_URL: config.tossBaseUrl,
    PUBLIC_BASE_URL: publicBaseUrl,
    // Unset: the code's default.
    ...(config.orderRetentionDays !== undefined ? { RETENTION_DAYS: String(config.orderRetentionDays) } : {}),
  }),
  auth: ({ config }) => ({ STAGE: config.stage }),
};

/** Each optional variable's value; undefined when the deployment does not configure it (the code's default applies). */
const optionalValue: Record<OptionalVariable, (c: StackConfig) => string | undefined> = {
  MERCHANT_RESULT_URL: (c) => c.merchantResultUrl,
  CALLBACK_ALLOWED_IPS: (c) => (c.callbackIpAllowlist ? TOSS_CALLBACK_IPS : undefined),
  RECONCILE_CONCURRENCY: (c) => c.reconcileConcurrency?.toString(),
  RECONCILE_FLAG_AFTER_MINUTES: (c) => c.reconcileFlagAfterMinutes?.toString(),
};

export function functionEnvironment(access: FunctionAccess, values: DeploymentValues): Variables {
  const env = schemaVariables[access.config](values);
  for (const secret of access.secrets) env[secretArnVariable[secret]] = values.secretArnOf(secret);
  for (const name of access.optionalEnv) {
    const value = optionalValue[name](values.config);
    if (value !== undefined) env[name] = value;
  }
  return env;
}
