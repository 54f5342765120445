/**
 * The payments table (stateful): shared/store/table.ts as a DynamoDB table with its indexes and its
 * change stream, and the one way the functions are given access to it.
 */
import { Fn, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IAM_ACTIONS, type IndexName, type TableOperation } from '../../shared/functions.ts';
import { tableDefinition } from '../../shared/store/table.ts';

/** The shape of shared/store/table.ts's index entries, as read here. */
interface GsiDefinition {
  readonly indexName: string;
  readonly partitionKey: { readonly name: string; readonly type: 'S' | 'N' | 'B' };
  readonly sortKey?: { readonly name: string; readonly type: 'S' | 'N' | 'B' };
  readonly projection: 'KEYS_ONLY' | 'INCLUDE' | 'ALL';
  readonly nonKeyAttributes?: readonly string[];
}

const attributeType = (t: 'S' | 'N' | 'B'): AttributeType =>
  t === 'S' ? AttributeType.STRING : t === 'N' ? AttributeType.NUMBER : AttributeType.BINARY;

export class PaymentsTable extends Construct {
  readonly table: Table;
  /** The table's change stream (NEW_AND_OLD_IMAGES): the events function reads it. */
  readonly streamArn: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // `Default`: the table's logical id does not name this construct, so it stays the id the table
    // was deployed with (a new id would create an empty table beside the retained one).
    //
    // Encryption: AWS_MANAGED (the aws/dynamodb KMS key): every use is logged in CloudTrail and no
    // key policy has to be kept in step with the functions' roles. A customer-managed key would add
    // cost and kms:Decrypt grants without narrowing who can read the data: access is already
    // limited by the table actions each role holds.
    this.table = new Table(this, 'Default', {
      partitionKey: { name: tableDefinition.partitionKey.name, type: attributeType(tableDefinition.partitionKey.type) },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      // Adding a stream to the deployed table is an update in place (no replacement, no data moved).
      stream: StreamViewType[tableDefinition.stream],
    });
    const gsis: readonly GsiDefinition[] = tableDefinition.globalSecondaryIndexes;
    for (const gsi of gsis) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey.name, type: attributeType(gsi.partitionKey.type) },
        ...(gsi.sortKey !== undefined ? { sortKey: { name: gsi.sortKey.name, type: attributeType(gsi.sortKey.type) } } : {}),
        projectionType: ProjectionType[gsi.projection],
        ...(gsi.projection === 'INCLUDE' ? { nonKeyAttributes: [...(gsi.nonKeyAttributes ?? [])] } : {}),
      });
    }
    const streamArn = this.table.tableStreamArn;
    if (streamArn === undefined) throw new Error('the payments table has no stream');
    this.streamArn = streamArn;
  }

  /** The ARN of index `name`. */
  indexArn(name: IndexName): string {
    return Fn.join('/', [this.table.tableArn, 'index', name]);
  }

  /**
   * Grants exactly `operations`: Query on each of `indexes` (the indexes the function queries),
   * every other operation on the table itself. Table.grant() would add every index (`index/*`)
   * to each action.
   */
  grant(grantee: IGrantable, operations: readonly TableOperation[], indexes: readonly IndexName[]): void {
    const queries = operations.includes('Query');
    if (queries !== indexes.length > 0) {
      throw new Error(`Query needs the indexes it is made on, and indexes need Query (operations ${operations.join(', ')}; indexes ${indexes.join(', ')})`);
    }
    const onTable = [...new Set(operations.filter((op) => op !== 'Query').flatMap((op) => IAM_ACTIONS[op]))];
    if (onTable.length > 0) Grant.addToPrincipal({ grantee, actions: onTable, resourceArns: [this.table.tableArn] });
    if (queries) {
      Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: indexes.map((i) => this.indexArn(i)) });
    }
  }

  /**
   * What a Lambda event source mapping needs to read the change stream for `grantee`'s function:
   * DescribeStream, GetShardIterator and GetRecords on this table's stream, nothing else.
   * Table.grantStreamRead() would add dynamodb:ListStreams on `*` (ListStreams takes no resource
   * ARN); the mapping is given the stream's ARN and does not list streams.
   */
  grantStreamRead(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:DescribeStream', 'dynamodb:GetShardIterator', 'dynamodb:GetRecords'],
      resourceArns: [this.streamArn],
    });
  }
}
