/** The CDK app (cdk.json: `node infra/app.ts`). Configuration: CDK context, see infra/README.md. */
import { App } from 'aws-cdk-lib';
import { buildApp } from './build.ts';

buildApp(new App());
