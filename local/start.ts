/**
 * `npm start`: the whole stack on this machine.
 *
 *   DynamoDB Local   http://127.0.0.1:8000   (DYNAMODB_PORT; DATA_DIR keeps data, unset = in memory)
 *   Toss sandbox     http://127.0.0.1:4010   (TOSS_SANDBOX_PORT)
 *   EventBridge      http://127.0.0.1:4020   (EVENTBRIDGE_PORT): the stand-in for the event bus
 *   API gateway      http://127.0.0.1:3000   (API_PORT), with the demo shop at / and the console at /console
 *   User pool        http://127.0.0.1:9229   (COGNITO_PORT): cognito-local, the console's users (CONSOLE_USERS)
 *
 * The events run as in AWS: the table's stream feeds the events function (local/dynamodb-streams.ts,
 * the event source mapping's stand-in), which puts each event on the bus (local/eventbridge.ts) and
 * sends it to the webhook endpoints: unless MERCHANT_WEBHOOK_URL is set, the demo shop registers its
 * own receiver through the API at start (local/demo-endpoint.ts). The webhook retrier runs every
 * WEBHOOK_RETRY_INTERVAL_SECONDS.
 *
 * With DYNAMODB_ENDPOINT set, no DynamoDB Local is started (and Java is not needed): the stack
 * uses that endpoint (a shared DynamoDB Local, a proxy, a real table), creating the table there
 * if it is missing.
 *
 * The functions run inside the gateway, in this process, configured through process.env exactly
 * as the stack configures them in AWS. Configuration is checked (zod) and Java and the ports are
 * checked before anything starts; Ctrl-C or SIGTERM stops every child.
 *
 * `startLocalStack(env)` does the work and is exported for tests and other tools. The pieces:
 * local/start/config.ts (the configuration and the functions' environment), stack.ts (what it
 * starts), jobs.ts (the periodic jobs), banner.ts (what it prints).
 */
import { banner } from './start/banner.ts';
import { startLocalStack, type LocalStack } from './start/stack.ts';

export { banner, sameStackPrefix } from './start/banner.ts';
export {
  DEMO_MERCHANT,
  demoWebhookUrl,
  describeDynamo,
  dynamoEndpointOf,
  functionEnvironment,
  localConfig,
  localStartSchema,
  consoleUsersOf,
  userPoolEnvironment,
  type LocalStartConfig,
} from './start/config.ts';
export { invokeScheduled, lambdaJob, periodicJobs, runPeriodicJobs, type PeriodicJob } from './start/jobs.ts';
export { startLocalStack, type LocalStack } from './start/stack.ts';

async function main(): Promise<void> {
  let stack: LocalStack;
  try {
    stack = await startLocalStack(process.env, { tty: process.stdout.isTTY === true });
  } catch (e) {
    console.error(`npm start failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  // Last resort: never leave DynamoDB Local's JVM behind.
  process.on('exit', () => {
    if (stack.dynamoDbProcess !== undefined && stack.dynamoDbProcess.exitCode === null) stack.dynamoDbProcess.kill('SIGKILL');
  });
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.error(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    const what =
      stack.dynamoDbProcess === undefined
        ? 'the gateway, the stream consumer, the user pool, the EventBridge stand-in and the Toss sandbox'
        : 'the gateway, the stream consumer, the user pool, the EventBridge stand-in, the Toss sandbox and DynamoDB Local';
    console.log(`\n${signal}: stopping ${what}…`);
    stack.stop().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (e: unknown) => {
        console.error('Stopping failed:', e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // Ready only once a signal stops it cleanly: a supervisor may send one the moment it reads this.
  console.log(banner(stack));
}

if (import.meta.main) await main();
