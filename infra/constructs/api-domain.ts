/**
 * The API's optional custom domain (context `domainName` + `certificateArn`): a regional API
 * Gateway domain name with the ACM certificate, the HTTP API's `$default` stage mapped at its
 * root, and, with `hostedZoneId`, the Route 53 alias record. Without hostedZoneId, DNS stays the
 * merchant's: a CNAME (or an alias) from the domain to `regionalDomainName`.
 */
import { ApiMapping, DomainName, EndpointType, SecurityPolicy } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IHttpApi, IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayv2DomainProperties } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface ApiDomainProps {
  readonly api: IHttpApi;
  readonly stage: IHttpStage;
  /** A host name, e.g. `pay.example.com` (validated by infra/config.ts). */
  readonly domainName: string;
  /** An ACM certificate for it, in the stack's region. */
  readonly certificateArn: string;
  /** When set, the alias record `domainName` → the regional endpoint is added to this hosted zone. */
  readonly hostedZoneId?: string | undefined;
}

export class ApiDomain extends Construct {
  readonly domainName: DomainName;
  readonly mapping: ApiMapping;
  readonly record: ARecord | undefined;
  /** `https://<domainName>`: the API's base URL (PUBLIC_BASE_URL). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiDomainProps) {
    super(scope, id);
    this.domainName = new DomainName(this, 'Default', {
      domainName: props.domainName,
      certificate: Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    // At the root: https://<domainName>/payments/... is the API's own path, as on execute-api.
    this.mapping = new ApiMapping(this, 'Mapping', { api: props.api, domainName: this.domainName, stage: props.stage });
    this.url = `https://${props.domainName}`;
    this.record =
      props.hostedZoneId === undefined
        ? undefined
        : new ARecord(this, 'AliasRecord', {
            zone: HostedZone.fromHostedZoneId(this, 'Zone', props.hostedZoneId),
            // Fully qualified (trailing dot): the record is exactly the domain, whatever the zone's name.
            recordName: `${props.domainName}.`,
            target: RecordTarget.fromAlias(
              new ApiGatewayv2DomainProperties(this.domainName.regionalDomainName, this.domainName.regionalHostedZoneId),
            ),
          });
  }
}
