/**
 * The console's user pool (Amazon Cognito): people, not merchant servers, sign in here. Made from
 * shared/user-pool.ts, as local/cognito.ts makes cognito-local's for `npm start`:
 * - no self-sign-up: an admin adds users (`aws cognito-idp admin-create-user`, then
 *   `admin-add-user-to-group` viewer, operator or admin: the README's "Console users");
 * - email as the sign-in name, a password policy, MFA available (an authenticator app, TOTP);
 * - threat protection (the Plus feature plan, full function) unless `consoleThreatProtection` is
 *   false (a region without it, or to save its per-user cost);
 * - one app client without a secret for the console's browser code: the user-password flow over
 *   HTTPS and refresh tokens, 15-minute ID and access tokens, an 8-hour refresh token, token
 *   revocation, no OAuth (the console calls the pool's API itself), no user-existence errors.
 * The pool is retained with the stack's data: its users outlive a stack update gone wrong.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { PASSWORD_POLICY, TOKEN_VALIDITY, USER_POOL_GROUPS } from '../../shared/user-pool.ts';

export interface ConsoleUsersProps {
  readonly stage: string;
  readonly threatProtection: boolean;
}

export class ConsoleUsers extends Construct {
  readonly pool: UserPool;
  readonly client: UserPoolClient;
  /** The user-pool API the console's browser code calls (COGNITO_ENDPOINT). */
  readonly endpoint: string;

  constructor(scope: Construct, id: string, props: ConsoleUsersProps) {
    super(scope, id);
    this.pool = new UserPool(this, 'Default', {
      userPoolName: `toss-pay-console-${props.stage}`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: PASSWORD_POLICY.minLength,
        requireLowercase: PASSWORD_POLICY.requireLowercase,
        requireUppercase: PASSWORD_POLICY.requireUppercase,
        requireDigits: PASSWORD_POLICY.requireDigits,
        requireSymbols: PASSWORD_POLICY.requireSymbols,
        tempPasswordValidity: Duration.days(PASSWORD_POLICY.tempPasswordValidityDays),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: '토스페이 운영 콘솔 계정',
        emailBody: '토스페이 운영 콘솔 계정이 만들어졌습니다. 아이디: {username} 임시 비밀번호: {####} (처음 로그인할 때 새 비밀번호를 정합니다)',
      },
      ...(props.threatProtection
        ? { featurePlan: FeaturePlan.PLUS, standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION }
        : { featurePlan: FeaturePlan.ESSENTIALS }),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.pool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is available to every console user (an authenticator app, TOTP: the console\'s 보안 page turns it on), not required: the pool is ' +
        "the merchant's staff, made by an admin; requiring it would lock out a user until an admin resets them. The role of each user " +
        'limits what a stolen password can do (a viewer cannot refund), and threat protection (consoleThreatProtection) blocks risky sign-ins.',
    });
    if (!props.threatProtection)
      Validations.of(this.pool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: 'consoleThreatProtection is false in this deployment (a region without Cognito threat protection, or its per-user cost declined).',
      });
    for (const group of USER_POOL_GROUPS) {
      new CfnUserPoolGroup(this, `Group${group[0]?.toUpperCase()}${group.slice(1)}`, {
        userPoolId: this.pool.userPoolId,
        groupName: group,
        description: `Console ${group}s (shared/roles.ts)`,
      });
    }
    this.client = this.pool.addClient('ConsoleClient', {
      userPoolClientName: 'console',
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      disableOAuth: true,
      accessTokenValidity: Duration.minutes(TOKEN_VALIDITY.accessMinutes),
      idTokenValidity: Duration.minutes(TOKEN_VALIDITY.idMinutes),
      refreshTokenValidity: Duration.hours(TOKEN_VALIDITY.refreshHours),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
    this.endpoint = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/`;
  }
}
