/**
 * The secrets (stateful: their values are put in place after deploy, see docs/guides/deploy-and-go-live.md,
 * step 3): the Toss apiKey, the merchant bearer tokens and the webhook signing secret, and the one
 * way the functions are given access to them.
 */
import { Validations } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SecretName } from '../../shared/functions.ts';

export interface PaymentSecretsProps {
  readonly stage: string;
}

const rotationReason = (what: string) =>
  `${what} Automatic rotation would need a rotation Lambda that can mint a new credential, and there is none: ` +
  'rotation is an operator procedure (docs/guides/operate.md, Rotate secrets). The secret is read only by the function roles that need it ' +
  '(secretsmanager:GetSecretValue on this ARN alone) and is encrypted with the Secrets Manager KMS key.';

export class PaymentSecrets extends Construct {
  readonly tossApiKey: Secret;
  readonly merchantTokens: Secret;
  readonly webhookSecret: Secret;
  private readonly byName: Readonly<Record<SecretName, Secret>>;

  constructor(scope: Construct, id: string, { stage }: PaymentSecretsProps) {
    super(scope, id);
    // The generated value is only a placeholder, so that no secret value is ever in the template.
    this.tossApiKey = new Secret(this, 'TossApiKey', {
      description: `Toss Pay apiKey (${stage}); the secret string is the raw key, e.g. sk_test_...`,
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
    });
    Validations.of(this.tossApiKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: rotationReason(
        'The value is an API key issued by Toss in its merchant console; Toss offers no API to issue or revoke keys.',
      ),
    });
    this.merchantTokens = new Secret(this, 'MerchantTokens', {
      description: `Merchant bearer tokens for POST /payments and GET /payments/{orderNo} (${stage}); comma-separated`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.merchantTokens).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: rotationReason(
        "The value is the list of bearer tokens the merchant's own servers present; a new token must be handed to " +
          'those servers before the old one is removed, which the comma-separated list allows without downtime.',
      ),
    });
    // The placeholder is not a valid signing secret (`whsec_…`): until the real one is put, a
    // webhook attempt fails and is retried on the schedule, and nothing is signed with a value
    // nobody was given.
    this.webhookSecret = new Secret(this, 'WebhookSecret', {
      description:
        `Webhook signing secret (${stage}): whsec_ + base64 of 24+ random bytes, or during a rotation ` +
        'JSON {"current","previous","previousUntil"}',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.webhookSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: rotationReason(
        "The value is shared with the merchant's webhook receiver, which must learn a new secret before it is the only " +
          'one used: the secret names the previous one and until when both sign (every delivery carries both signatures ' +
          'until then), a procedure that needs the merchant, not a Lambda.',
      ),
    });
    this.byName = { tossApiKey: this.tossApiKey, merchantTokens: this.merchantTokens, webhookSecret: this.webhookSecret };
  }

  secret(name: SecretName): Secret {
    return this.byName[name];
  }

  /** Grants reading the value of `name` and nothing else (Secret.grantRead() adds DescribeSecret). */
  grantRead(grantee: IGrantable, name: SecretName): void {
    Grant.addToPrincipal({ grantee, actions: ['secretsmanager:GetSecretValue'], resourceArns: [this.secret(name).secretArn] });
  }
}
