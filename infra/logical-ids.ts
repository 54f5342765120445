/**
 * Logical ids by construct path. CloudFormation knows a resource only by its logical id: a new id
 * creates a new resource and deletes the old one. The stack uses this to keep the ids of resources
 * that were deployed before they moved into the constructs of infra/constructs/.
 */
import { Names } from 'aws-cdk-lib';
import { Construct, RootConstruct } from 'constructs';

/**
 * The logical id CDK gives a resource at `path` below its stack (`['AlarmTopic', 'Resource']`).
 * Names.uniqueId applies CDK's logical id function to the path below the root, so a scratch tree
 * of exactly that path gives it, with no copy of the function here.
 */
export function logicalIdAt(path: readonly string[]): string {
  let scope: Construct = new RootConstruct();
  for (const id of path) scope = new Construct(scope, id);
  return Names.uniqueId(scope);
}
