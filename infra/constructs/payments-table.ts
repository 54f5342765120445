/**
 * The payments table (stateful): shared/store/table.ts as a DynamoDB table, and the one way the
 * functions are given access to it.
 */
import { Fn, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { TableOperation } from '../../shared/functions.ts';
import { DUE_INDEX, tableDefinition } from '../../shared/store/table.ts';

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
  /** The `due` index: the only place a Query is granted. */
  readonly dueIndexArn: string;

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
    this.dueIndexArn = Fn.join('/', [this.table.tableArn, 'index', DUE_INDEX]);
  }

  /**
   * Grants exactly `operations`: Query on the `due` index, every other operation on the table
   * itself. Table.grant() would add every index (`index/*`) to each action.
   */
  grant(grantee: IGrantable, operations: readonly TableOperation[]): void {
    const onTable = operations.filter((op) => op !== 'Query').map((op) => `dynamodb:${op}`);
    if (onTable.length > 0) Grant.addToPrincipal({ grantee, actions: onTable, resourceArns: [this.table.tableArn] });
    if (operations.includes('Query')) {
      Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: [this.dueIndexArn] });
    }
  }
}
