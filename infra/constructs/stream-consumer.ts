/**
 * A function fed by the payments table's change stream: the event source mapping (only the
 * records EVENTS_STREAM_FILTER passes, in order, with batch item failures), what it may read of the
 * stream, and the queue that receives what it could not process in time.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { EventSourceMapping, FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENTS_STREAM_FILTER } from '../../shared/store/stream-filter.ts';
import type { PaymentFunction } from './payment-function.ts';
import type { PaymentsTable } from './payments-table.ts';

/**
 * How the stream is read. A batch is up to 100 records gathered for at most a second. A record
 * that keeps failing is retried (its batch split to find it, everything after it in its shard
 * waiting, so an order's changes are never published out of order) until whichever comes first:
 * MAX_RETRIES attempts or MAX_RECORD_AGE. A long outage of EventBridge or DynamoDB is ridden out
 * (the iterator-age alarm fires after 5 minutes); only then is the batch given up and described on
 * the on-failure queue (alarmed). The stream itself keeps records for 24 hours.
 */
export const STREAM_BATCH_SIZE = 100;
export const STREAM_BATCHING_WINDOW = Duration.seconds(1);
export const STREAM_MAX_RETRIES = 10_000;
export const STREAM_MAX_RECORD_AGE = Duration.hours(6);

export interface StreamConsumerProps {
  readonly table: PaymentsTable;
  readonly consumer: PaymentFunction;
}

export class StreamConsumer extends Construct {
  readonly mapping: EventSourceMapping;
  /** Where Lambda describes a batch it gave up on (shard and sequence numbers, not the records). */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, { table, consumer }: StreamConsumerProps) {
    super(scope, id);
    this.failures = new Queue(this, 'Failures', {
      // The messages hold the stream position of the records given up, no order data; SQS's own
      // key encrypts them, so the consumer needs no KMS grant to send.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: the on-failure destination of the events function's stream event " +
        'source mapping (Lambda, not an SQS redrive policy, sends to it, so cdk-nag cannot see that). Nothing consumes ' +
        'it automatically; an alarm fires while it holds messages and an operator reads them.',
    });

    table.grantStreamRead(consumer.role);
    this.mapping = new EventSourceMapping(this, 'Mapping', {
      target: consumer.function,
      eventSourceArn: table.streamArn,
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: STREAM_BATCH_SIZE,
      maxBatchingWindow: STREAM_BATCHING_WINDOW,
      // One batch per shard at a time: an order's changes are published in the order committed.
      parallelizationFactor: 1,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: STREAM_MAX_RETRIES,
      maxRecordAge: STREAM_MAX_RECORD_AGE,
      onFailure: new SqsDlq(this.failures),
      filters: [FilterCriteria.filter(EVENTS_STREAM_FILTER)],
    });
    // Lambda checks at creation that the role can read the stream and send to the queue: the
    // mapping waits for the role's policy.
    this.mapping.node.addDependency(consumer.role);
  }
}
