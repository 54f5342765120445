/**
 * The console's user pool on this machine: cognito-local (npm), run inside this process on a port
 * of its own, with the pool, its app client (no secret), the groups viewer/operator/admin and the
 * users of CONSOLE_USERS made through its API as an admin would make them in Cognito
 * (shared/user-pool.ts holds the settings both use).
 *
 * What differs from Amazon Cognito, and how the stack is told: cognito-local signs its tokens
 * with a key it ships in its npm package (anyone can make tokens it would accept: it is for a
 * laptop only), and its issuer is `http://127.0.0.1:<port>/<pool id>` with the keys at
 * `<issuer>/.well-known/jwks.json`. The authorizer is given that issuer and JWKS URI
 * (COGNITO_ISSUER, COGNITO_JWKS_URI) and verifies with the same checks as in AWS. It has no
 * GlobalSignOut: the console signs out with RevokeToken, which both have.
 *
 * For tests: `clock` sets the time tokens are issued at (an expired token is a real one, issued
 * long enough ago), and `issuedTokens()` lists every token issued, for the log-leak check.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES, type Role } from '../shared/roles.ts';
import { passwordProblems, PASSWORD_POLICY, TOKEN_VALIDITY, USER_POOL_GROUPS } from '../shared/user-pool.ts';

const require = createRequire(import.meta.url);

export const POOL_NAME = 'toss-pay-console-local';
export const CLIENT_NAME = 'console';

/** A console user: `role:email:password` in CONSOLE_USERS. */
export interface ConsoleUser {
  role: Role;
  email: string;
  password: string;
}

export class ConsoleUsersError extends Error {
  override name = 'ConsoleUsersError';
}

/**
 * CONSOLE_USERS: `role:email:password`, comma-separated (a password may hold `:`, not `,`). Each
 * password must meet the pool's policy, as Cognito would ask. The message names the entry by its
 * role and email, never its password.
 */
export function parseConsoleUsers(value: string): ConsoleUser[] {
  const users = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry, i): ConsoleUser => {
      const [role, email, ...rest] = entry.split(':');
      const password = rest.join(':');
      const where = `CONSOLE_USERS entry ${i + 1}${email !== undefined ? ` (${email})` : ''}`;
      if (role === undefined || !(ROLES as readonly string[]).includes(role)) throw new ConsoleUsersError(`${where}: the role must be one of ${ROLES.join(', ')}`);
      if (email === undefined || !/^[^@\s:]+@[^@\s:]+$/.test(email)) throw new ConsoleUsersError(`${where}: not role:email:password`);
      const problems = passwordProblems(password);
      if (problems.length > 0) throw new ConsoleUsersError(`${where}: the password needs ${problems.join(', ')} (the pool's password policy)`);
      return { role: role as Role, email, password };
    });
  const emails = users.map((u) => u.email.toLowerCase());
  const twice = emails.find((e, i) => emails.indexOf(e) !== i);
  if (twice !== undefined) throw new ConsoleUsersError(`CONSOLE_USERS names ${twice} twice`);
  return users;
}

/** A password the pool's policy accepts, for the user made when CONSOLE_USERS is unset. */
export const generatedPassword = (): string => `Tp-${randomBytes(12).toString('base64url')}-9a`;

export interface LocalUserPool {
  /** The user-pool API the browser and the tests call (`http://127.0.0.1:<port>/`). */
  endpoint: string;
  userPoolId: string;
  clientId: string;
  /** The tokens' `iss`, and where its keys are. */
  issuer: string;
  jwksUri: string;
  users: readonly ConsoleUser[];
  /** Every token issued so far (ID, access, refresh): what the log-leak check looks for. */
  issuedTokens(): string[];
  close(): Promise<void>;
}

export interface LocalUserPoolOptions {
  port?: number;
  /** Where cognito-local keeps its data; unset: a temporary folder, removed at close. */
  dataDir?: string;
  users: readonly ConsoleUser[];
  /** The time tokens are issued at (epoch ms); default Date.now. */
  clock?: () => number;
}

/** One call of the user-pool API (`AWSCognitoIdentityProviderService.<target>`), as the console makes it. */
export async function cognitoCall<T = Record<string, unknown>>(endpoint: string, target: string, body: Record<string, unknown>): Promise<T> {
  const r = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  const json = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
  if (!r.ok) throw new CognitoCallError(target, r.status, String(json.__type ?? json.code ?? 'Unknown'), String(json.message ?? ''));
  return json as T;
}

export class CognitoCallError extends Error {
  override name = 'CognitoCallError';
  readonly target: string;
  readonly status: number;
  /** The user-pool API's error type (`NotAuthorizedException`, ...). */
  readonly type: string;
  constructor(target: string, status: number, type: string, message: string) {
    super(`${target}: ${type} ${message}`);
    this.target = target;
    this.status = status;
    this.type = type;
  }
}

/** A silent cognito-local logger (pino's interface, as its services call it). */
const quietLogger = (): Record<string, unknown> => {
  const noop = (): void => undefined;
  const l: Record<string, unknown> = { level: 'silent', trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop, silent: noop };
  l.child = () => l;
  return l;
};

/** cognito-local's server, built as its own `createDefaultServer` builds it, with our clock, data folder and logger. */
async function buildServer(dataDir: string, clock: () => number, issued: Set<string>) {
  const services = require('cognito-local/lib/services') as {
    TriggersService: new (...a: unknown[]) => unknown;
    LambdaService: new (...a: unknown[]) => unknown;
    MessagesService: new (...a: unknown[]) => unknown;
  };
  const { Router } = require('cognito-local/lib/server/Router') as { Router: (s: unknown) => unknown };
  const { createServer: createApp } = require('cognito-local/lib/server/server') as {
    createServer: (router: unknown, logger: unknown, options: unknown, services: unknown) => { application: (req: unknown, res: unknown) => void };
  };
  const { CognitoServiceFactoryImpl } = require('cognito-local/lib/services/cognitoService') as { CognitoServiceFactoryImpl: new (...a: unknown[]) => { create(ctx: unknown, d: unknown): Promise<unknown> } };
  const { StormDBDataStoreFactory } = require('cognito-local/lib/services/dataStore/stormDb') as { StormDBDataStoreFactory: new (dir: string) => unknown };
  const { UserPoolServiceFactoryImpl } = require('cognito-local/lib/services/userPoolService') as { UserPoolServiceFactoryImpl: new (...a: unknown[]) => unknown };
  const { JwtTokenGenerator } = require('cognito-local/lib/services/tokenGenerator') as {
    JwtTokenGenerator: new (...a: unknown[]) => { generate: (...a: unknown[]) => Promise<Record<string, string>> };
  };
  const { otp } = require('cognito-local/lib/services/otp') as { otp: unknown };
  const logger = quietLogger();
  const ctx = { logger };
  const dateClock = { get: () => new Date(clock()) };
  const stores = new StormDBDataStoreFactory(dataDir);
  const cognito = await new CognitoServiceFactoryImpl(dataDir, stores, new UserPoolServiceFactoryImpl(dateClock, stores)).create(ctx, {});
  // No triggers are configured: the Lambda and KMS clients they would use are never made.
  const triggers = new services.TriggersService(dateClock, cognito, new services.LambdaService({}, {}), {});
  // Messages (codes, temporary passwords) go nowhere: users are made with MessageAction SUPPRESS.
  const silentSender = { sendEmail: async () => undefined, sendSms: async () => undefined };
  const tokenConfig = { IssuerDomain: 'http://127.0.0.1' };
  const tokenGenerator = new JwtTokenGenerator(dateClock, triggers, tokenConfig);
  const generate = tokenGenerator.generate.bind(tokenGenerator);
  tokenGenerator.generate = async (...a: unknown[]) => {
    const tokens = await generate(...a);
    for (const t of Object.values(tokens)) if (typeof t === 'string') issued.add(t);
    return tokens;
  };
  const { MessageDeliveryService } = require('cognito-local/lib/services/messageDelivery/messageDelivery') as { MessageDeliveryService: new (s: unknown) => unknown };
  const all = {
    clock: dateClock,
    cognito,
    config: { TokenConfig: tokenConfig },
    messages: new services.MessagesService(triggers, new MessageDeliveryService(silentSender)),
    otp,
    tokenGenerator,
    triggers,
  };
  const app = createApp(Router(all), logger, { development: false }, all);
  return { app: app.application, tokenConfig };
}

/** Starts cognito-local and makes the pool, its client, the groups and `users` in it (again in a kept `dataDir`). */
export async function startLocalUserPool(o: LocalUserPoolOptions): Promise<LocalUserPool> {
  const temporary = o.dataDir === undefined;
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'toss-pay-cognito-'));
  const issued = new Set<string>();
  const { app, tokenConfig } = await buildServer(dataDir, o.clock ?? Date.now, issued);
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: o.port ?? 0, host: '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  tokenConfig.IssuerDomain = origin;
  const endpoint = `${origin}/`;
  const close = async (): Promise<void> => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const call = <T = Record<string, unknown>>(target: string, body: Record<string, unknown>) => cognitoCall<T>(endpoint, target, body);
    const { UserPools } = await call<{ UserPools?: Array<{ Id: string; Name: string }> }>('ListUserPools', { MaxResults: 60 });
    let userPoolId = UserPools?.find((p) => p.Name === POOL_NAME)?.Id;
    if (userPoolId === undefined) {
      const created = await call<{ UserPool: { Id: string } }>('CreateUserPool', {
        PoolName: POOL_NAME,
        MfaConfiguration: 'OPTIONAL',
        Policies: {
          PasswordPolicy: {
            MinimumLength: PASSWORD_POLICY.minLength,
            RequireLowercase: PASSWORD_POLICY.requireLowercase,
            RequireUppercase: PASSWORD_POLICY.requireUppercase,
            RequireNumbers: PASSWORD_POLICY.requireDigits,
            RequireSymbols: PASSWORD_POLICY.requireSymbols,
            TemporaryPasswordValidityDays: PASSWORD_POLICY.tempPasswordValidityDays,
          },
        },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      });
      userPoolId = created.UserPool.Id;
    }
    const { UserPoolClients } = await call<{ UserPoolClients?: Array<{ ClientId: string; ClientName: string }> }>('ListUserPoolClients', { UserPoolId: userPoolId, MaxResults: 60 });
    let clientId = UserPoolClients?.find((c) => c.ClientName === CLIENT_NAME)?.ClientId;
    if (clientId === undefined) {
      const created = await call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
        UserPoolId: userPoolId,
        ClientName: CLIENT_NAME,
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: TOKEN_VALIDITY.accessMinutes,
        IdTokenValidity: TOKEN_VALIDITY.idMinutes,
        RefreshTokenValidity: TOKEN_VALIDITY.refreshHours,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'hours' },
        EnableTokenRevocation: true,
        PreventUserExistenceErrors: 'ENABLED',
      });
      clientId = created.UserPoolClient.ClientId;
    }
    for (const group of USER_POOL_GROUPS) {
      try {
        await call('CreateGroup', { UserPoolId: userPoolId, GroupName: group, Description: `console ${group}s` });
      } catch (e) {
        if (!(e instanceof CognitoCallError && /Exists/.test(e.type))) throw e;
      }
    }
    for (const u of o.users) await ensureUser(call, userPoolId, u);
    const issuer = `${origin}/${userPoolId}`;
    return {
      endpoint,
      userPoolId,
      clientId,
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      users: o.users,
      issuedTokens: () => [...issued],
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The user as an admin makes one (no invitation sent), with its password set and in its role's group only. */
async function ensureUser(call: <T>(target: string, body: Record<string, unknown>) => Promise<T>, userPoolId: string, u: ConsoleUser): Promise<void> {
  try {
    await call('AdminCreateUser', {
      UserPoolId: userPoolId,
      Username: u.email,
      UserAttributes: [
        { Name: 'email', Value: u.email },
        { Name: 'email_verified', Value: 'true' },
      ],
      MessageAction: 'SUPPRESS',
    });
  } catch (e) {
    if (!(e instanceof CognitoCallError && /UsernameExists/.test(e.type))) throw e;
  }
  await call('AdminSetUserPassword', { UserPoolId: userPoolId, Username: u.email, Password: u.password, Permanent: true });
  for (const g of USER_POOL_GROUPS) {
    if (g === u.role) await call('AdminAddUserToGroup', { UserPoolId: userPoolId, Username: u.email, GroupName: g });
    else await call('AdminRemoveUserFromGroup', { UserPoolId: userPoolId, Username: u.email, GroupName: g }).catch(() => undefined);
  }
}
