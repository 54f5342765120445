/**
 * The authorizer's composition root, on its own: its configuration, a logger and the tracer, nothing else.
 * The authorizer neither reaches the table nor calls Toss, so it must not import shared/deps.ts
 * (the DynamoDB client, the stores, the Toss client): its bundle holds only what it runs.
 * shared/deps.ts re-exports it, and its resetContainers() forgets this one too.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { authConfigSchema, parseEnv, type AuthConfig } from './config.ts';
import { newLogger } from './logger.ts';
import { processTracing, type Tracing } from './tracer.ts';

export interface AuthorizerContainer {
  readonly config: AuthConfig;
  readonly logger: Logger;
  readonly tracer: Tracing;
}

let authorizer: AuthorizerContainer | undefined;

/** The authorizer's container (built on first use, once). */
export function authorizerContainer(env: NodeJS.ProcessEnv = process.env): AuthorizerContainer {
  authorizer ??= { config: parseEnv(authConfigSchema, env), logger: newLogger(), tracer: processTracing() };
  return authorizer;
}

/** Forgets the authorizer's container (shared/deps.ts resetContainers). */
export function resetAuthorizerContainer(): void {
  authorizer = undefined;
}
