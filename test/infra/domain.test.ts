/**
 * The optional custom domain (`domainName` + `certificateArn`, optionally `hostedZoneId`): without
 * it nothing changes; with it the API Gateway domain name, its mapping to the `$default` stage,
 * the functions' PUBLIC_BASE_URL and the outputs follow the domain; bad or partial context stops
 * the synth with a message naming the key. Every synth here runs the strict cdk-nag checks.
 * Nothing is bundled.
 */
import { App } from 'aws-cdk-lib';
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_DOMAIN_NAME_LENGTH, StackConfigError, TOSS_MAX_RETURN_URL_LENGTH, parseStackConfig } from '../../infra/config.ts';
import { TossPayStack } from '../../infra/stack.ts';
import { ORDER_NO_RE } from '../../shared/domain/order-no.ts';
import { callbackUrl, cancelUrl, returnUrl } from '../../shared/payments/create.ts';
import { tokenOf } from '../../shared/payments/landing-token.ts';
import { functionAccess } from '../../shared/functions.ts';
import { allFunctions } from '../../shared/routes.ts';
import type { Synth } from './support.ts';
import { lambdaOf, ofType, REQUIRED_CONTEXT, synth } from './support.ts';

/** The context as a deployment gives it: the merchant's name, and `raw`. */
const parseNamed = (raw: Record<string, unknown>) => parseStackConfig({ ...REQUIRED_CONTEXT, ...raw });

const CERT = 'arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const DOMAIN = { domainName: 'Pay.Example.com', certificateArn: CERT };

const synths: Synth[] = [];
const unbundled = (context: Record<string, unknown>, validate = false): Synth => {
  const s = synth(context, { bundle: false, validate });
  synths.push(s);
  return s;
};
let plain: Synth;
let withDomain: Synth;
let withZone: Synth;

beforeAll(() => {
  plain = unbundled({});
  withDomain = unbundled(DOMAIN);
  // The domain's every resource, through CloudFormation's validation (support.ts, SynthOptions.validate).
  withZone = unbundled({ ...DOMAIN, hostedZoneId: 'Z0123456789ABCDEFGHIJ' }, true);
}, 120_000);

afterAll(() => {
  for (const s of synths) rmSync(s.outdir, { recursive: true, force: true });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

const only = (s: Synth, type: string) => {
  const found = ofType(s, type);
  expect(found, `${type}`).toHaveLength(1);
  return found[0]!;
};
const appFunctions = allFunctions().filter((fn) => functionAccess(fn).config === 'app');
const publicBaseUrlOf = (s: Synth, fn: string): unknown => lambdaOf(s, fn)[1].Properties!.Environment.Variables.PUBLIC_BASE_URL;

/** The StackConfigError message a synth with `context` stops with. */
const synthError = (context: Record<string, unknown>): string => {
  try {
    unbundled(context);
  } catch (e) {
    if (!(e instanceof StackConfigError)) throw e;
    return e.message;
  }
  throw new Error('expected the synth to stop with a StackConfigError');
};

describe('without a custom domain', () => {
  it('creates no domain, mapping or record, and everything uses the execute-api URL', () => {
    for (const type of ['AWS::ApiGatewayV2::DomainName', 'AWS::ApiGatewayV2::ApiMapping', 'AWS::Route53::RecordSet']) {
      expect(ofType(plain, type), `${type}`).toEqual([]);
    }
    const apiId = only(plain, 'AWS::ApiGatewayV2::Api')[0];
    const endpoint = { 'Fn::GetAtt': [apiId, 'ApiEndpoint'] };
    for (const fn of appFunctions) expect(publicBaseUrlOf(plain, fn), `${fn}`).toEqual(endpoint);
    expect(plain.outputs.ApiUrl!.Value).toEqual(endpoint);
    expect(plain.outputs.CallbackUrl!.Value).toEqual({ 'Fn::Join': ['', [endpoint, '/payments/callback']] });
    for (const o of ['ExecuteApiUrl', 'CustomDomainTarget', 'CustomDomainHostedZoneId']) expect(plain.outputs[o], `${o}`).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    expect(parseNamed({ domainName: '', certificateArn: '', hostedZoneId: '' })).toEqual(parseNamed({}));
  });
});

describe('with domainName and certificateArn', () => {
  it('creates a regional TLS 1.2 domain name with the certificate, the host name lower-cased', () => {
    const [, d] = only(withDomain, 'AWS::ApiGatewayV2::DomainName');
    expect(d.Properties).toEqual({
      DomainName: 'pay.example.com',
      DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
  });

  it("maps the API's $default stage at the domain's root, after the stage exists", () => {
    const [domainId] = only(withDomain, 'AWS::ApiGatewayV2::DomainName');
    const [apiId] = only(withDomain, 'AWS::ApiGatewayV2::Api');
    const [stageId, stage] = only(withDomain, 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties!.StageName).toBe('$default');
    const [, mapping] = only(withDomain, 'AWS::ApiGatewayV2::ApiMapping');
    expect(mapping.Properties).toEqual({ ApiId: { Ref: apiId }, DomainName: { Ref: domainId }, Stage: '$default' });
    expect((mapping as unknown as { DependsOn: string[] }).DependsOn).toContain(stageId);
  });

  it('gives every payment function https://<domainName> as PUBLIC_BASE_URL: retUrl, retCancelUrl and resultCallback are built on it', () => {
    expect(appFunctions).toEqual(expect.arrayContaining(['create-payment', 'return-landing', 'cancel-landing', 'callback']));
    for (const fn of appFunctions) expect(publicBaseUrlOf(withDomain, fn), `${fn}`).toBe('https://pay.example.com');
    // What the create function sends to Toss with that base.
    const base = String(publicBaseUrlOf(withDomain, 'create-payment'));
    const token = tokenOf('A-17', Buffer.alloc(16));
    expect(returnUrl(base, token)).toBe(`https://pay.example.com/payments/return?t=${token}`);
    expect(cancelUrl(base, token)).toBe(`https://pay.example.com/payments/cancel?t=${token}`);
    expect(callbackUrl(base)).toBe('https://pay.example.com/payments/callback');
  });

  it('outputs the domain URLs, the execute-api URL and the DNS target', () => {
    const [domainId] = only(withDomain, 'AWS::ApiGatewayV2::DomainName');
    const [apiId] = only(withDomain, 'AWS::ApiGatewayV2::Api');
    const o = withDomain.outputs;
    expect(o.ApiUrl!.Value).toBe('https://pay.example.com');
    expect(o.CallbackUrl!.Value).toBe('https://pay.example.com/payments/callback');
    expect(o.ReturnUrl!.Value).toBe('https://pay.example.com/payments/return');
    expect(o.CancelUrl!.Value).toBe('https://pay.example.com/payments/cancel');
    expect(o.ExecuteApiUrl!.Value).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
    expect(o.CustomDomainTarget!.Value).toEqual({ 'Fn::GetAtt': [domainId, 'RegionalDomainName'] });
    expect(o.CustomDomainTarget!.Description).toContain('pay.example.com');
    expect(o.CustomDomainHostedZoneId!.Value).toEqual({ 'Fn::GetAtt': [domainId, 'RegionalHostedZoneId'] });
    expect(Object.keys(o).sort()).toEqual([...Object.keys(plain.outputs), 'ExecuteApiUrl', 'CustomDomainTarget', 'CustomDomainHostedZoneId'].sort());
  });

  it('leaves DNS to the merchant unless hostedZoneId is given', () => {
    expect(ofType(withDomain, 'AWS::Route53::RecordSet')).toEqual([]);
  });

  it('changes nothing else: the same resources plus the domain name and its mapping', () => {
    const count = (s: Synth) => Object.keys(s.resources).length;
    expect(count(withDomain)).toBe(count(plain) + 2);
    const ids = (s: Synth) => Object.keys(s.resources).filter((id) => !['AWS::ApiGatewayV2::DomainName', 'AWS::ApiGatewayV2::ApiMapping'].includes(s.resources[id]!.Type));
    expect(ids(withDomain)).toEqual(ids(plain));
  });
});

describe('with hostedZoneId', () => {
  it('adds the alias A record of the domain, to the regional endpoint, in that zone', () => {
    const [domainId] = only(withZone, 'AWS::ApiGatewayV2::DomainName');
    const [, record] = only(withZone, 'AWS::Route53::RecordSet');
    expect(record.Properties).toEqual({
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      Name: 'pay.example.com.',
      Type: 'A',
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': [domainId, 'RegionalDomainName'] },
        HostedZoneId: { 'Fn::GetAtt': [domainId, 'RegionalHostedZoneId'] },
      },
    });
    expect(withZone.outputs.ApiUrl!.Value).toBe('https://pay.example.com');
  });
});

describe('invalid or partial context stops the synth, naming the key', () => {
  it('needs both domainName and certificateArn, or neither', () => {
    expect(synthError({ domainName: 'pay.example.com' })).toBe(
      'invalid stack configuration (CDK context):\n  certificateArn: must be set with domainName (both or neither): the ACM certificate for the domain',
    );
    expect(synthError({ certificateArn: CERT })).toBe(
      'invalid stack configuration (CDK context):\n  domainName: must be set with certificateArn (both or neither): the host name the certificate is for',
    );
    expect(synthError({ hostedZoneId: 'Z0123456789ABCDEFGHIJ' })).toMatch(/^ {2}hostedZoneId: needs domainName and certificateArn/m);
  });

  it('takes a host name, not a URL, a wildcard or an IP address', () => {
    for (const bad of ['https://pay.example.com', 'pay.example.com/pay', 'pay.example.com:443']) {
      expect(synthError({ domainName: bad, certificateArn: CERT }), `${bad}`).toMatch(/^ {2}domainName: must be a host name such as pay\.example\.com, without https:\/\/ or a path$/m);
    }
    for (const bad of ['*.example.com', 'pay.example.com.', 'localhost', '10.0.0.1', 'pay_1.example.com', '-pay.example.com', 'pay..example.com', `${'a'.repeat(64)}.com`]) {
      expect(synthError({ domainName: bad, certificateArn: CERT }), `${bad}`).toMatch(/^ {2}domainName: must be a host name such as pay\.example\.com: /m);
    }
    expect(synthError({ domainName: 42, certificateArn: CERT })).toMatch(/^ {2}domainName: must be a host name/m);
  });

  it(`keeps retUrl and retCancelUrl within Toss's ${TOSS_MAX_RETURN_URL_LENGTH} characters for every orderNo: at most ${MAX_DOMAIN_NAME_LENGTH} characters`, () => {
    const longestOrderNo = ':'.repeat(50);
    expect(ORDER_NO_RE.test(longestOrderNo)).toBe(true);
    // Labels of at most 63 characters, as DNS has them.
    const longest = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(MAX_DOMAIN_NAME_LENGTH - 126)}.com`;
    expect(longest).toHaveLength(MAX_DOMAIN_NAME_LENGTH);
    expect(parseNamed({ domainName: longest, certificateArn: CERT }).domainName).toBe(longest);
    // The landing token of the longest orderNo (its mac is always 128 bits).
    for (const url of [returnUrl, cancelUrl]) expect(url(`https://${longest}`, tokenOf(longestOrderNo, Buffer.alloc(16))).length).toBe(TOSS_MAX_RETURN_URL_LENGTH);
    expect(synthError({ domainName: `a${longest}`, certificateArn: CERT })).toBe(
      `invalid stack configuration (CDK context):\n  domainName: must be at most ${MAX_DOMAIN_NAME_LENGTH} characters, so that the retUrl and retCancelUrl sent to Toss stay within its 255`,
    );
  });

  it('takes an ACM certificate ARN only', () => {
    for (const bad of [
      'arn:aws:iam::111122223333:server-certificate/pay',
      'arn:aws:acm:ap-northeast-2:1111:certificate/0a1b2c3d',
      '0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      'arn:aws:acm:ap-northeast-2:111122223333:certificate/',
    ]) {
      expect(synthError({ domainName: 'pay.example.com', certificateArn: bad }), `${bad}`).toBe(
        'invalid stack configuration (CDK context):\n  certificateArn: must be an ACM certificate ARN: arn:aws:acm:<region>:<account>:certificate/<id>',
      );
    }
    expect(parseNamed({ domainName: 'pay.example.com', certificateArn: CERT.replace('arn:aws:', 'arn:aws-cn:').replace('ap-northeast-2', 'cn-north-1') }).certificateArn).toMatch(/^arn:aws-cn:acm:cn-north-1:/);
  });

  it('takes a Route 53 hosted zone id', () => {
    for (const bad of ['/hostedzone/Z0123456789', 'z0123', 'example.com']) {
      expect(synthError({ ...DOMAIN, hostedZoneId: bad }), `${bad}`).toMatch(/^ {2}hostedZoneId: must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ$/m);
    }
  });
});

describe("the certificate's region", () => {
  const mismatch =
    'invalid stack configuration (CDK context):\n' +
    '  certificateArn: the certificate is in ap-northeast-2, but the stack deploys to us-east-1 (CDK_DEFAULT_REGION, the region cdk deploy uses); ' +
    "an API Gateway regional custom domain needs an ACM certificate in the stack's own region: request or import one in us-east-1";

  it('must be the region cdk deploy uses, when the CLI tells the app (CDK_DEFAULT_REGION)', () => {
    vi.stubEnv('CDK_DEFAULT_REGION', 'us-east-1');
    expect(synthError(DOMAIN)).toBe(mismatch);
    vi.stubEnv('CDK_DEFAULT_REGION', 'ap-northeast-2');
    expect(only(unbundled(DOMAIN), 'AWS::ApiGatewayV2::DomainName')[1].Properties!.DomainName).toBe('pay.example.com');
  });

  it("must be the stack's own region when it has one", () => {
    const stackIn = (region: string) => {
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
      return new TossPayStack(app, 'TossPay-dev', { config: parseNamed(DOMAIN), env: { region } });
    };
    expect(() => stackIn('eu-west-1')).toThrow(StackConfigError);
    expect(() => stackIn('eu-west-1')).toThrow(
      /certificateArn: the certificate is in ap-northeast-2, but the stack deploys to eu-west-1 \(the stack's env\); .*request or import one in eu-west-1$/,
    );
    expect(stackIn('ap-northeast-2').api.domain).toBeDefined();
  });

  it('is not checked when the region is unknown (an environment-agnostic synth without CDK_DEFAULT_REGION)', () => {
    vi.stubEnv('CDK_DEFAULT_REGION', '');
    expect(ofType(unbundled(DOMAIN), 'AWS::ApiGatewayV2::DomainName')).toHaveLength(1);
  });
});
