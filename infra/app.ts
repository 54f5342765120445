/** The CDK app (cdk.json: `node infra/app.ts`). Configuration: CDK context, see docs/reference/configuration.md and docs/guides/deploy-and-go-live.md. */
import { App } from 'aws-cdk-lib';
import { buildApp } from './build.ts';
import { StackConfigError } from './config.ts';

try {
  buildApp(new App());
} catch (e) {
  if (!(e instanceof StackConfigError)) throw e;
  // A configuration mistake: the message names each bad key, a stack trace would only hide it.
  console.error(e.message);
  process.exitCode = 1;
}
