/**
 * clients/typescript/schema.ts: the API's types, made from docs/openapi.json by openapi-typescript,
 * for the typed client (clients/typescript/client.ts, on openapi-fetch). `npm run openapi` runs it
 * after writing the document, so the types change with the document.
 *
 *   node tools/client-types.ts           writes clients/typescript/schema.ts
 *   node tools/client-types.ts --check   fails when it is not what the document makes
 *
 * test/unit/client-types.test.ts fails while it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { DOCUMENT_PATH } from './openapi.ts';

export const CLIENT_TYPES_PATH = 'clients/typescript/schema.ts';
const ROOT = join(import.meta.dirname, '..');

const HEADER = `/**
 * The API's types, generated from docs/openapi.json by openapi-typescript (tools/client-types.ts,
 * run by \`npm run openapi\`). Do not edit: change the code, then run \`npm run openapi\`.
 */
`;

/** The file, as the document on disk makes it. */
export async function clientTypesText(): Promise<string> {
  const doc = JSON.parse(readFileSync(join(ROOT, DOCUMENT_PATH), 'utf8')) as OpenAPI3;
  // A field with a default is optional to send (defaultNonNullable would make it required in request bodies too).
  const ast = await openapiTS(doc, { silent: true, alphabetize: false, defaultNonNullable: false });
  return `${HEADER}\n${astToString(ast)}`;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const file = join(ROOT, CLIENT_TYPES_PATH);
  const text = await clientTypesText();
  if (values.check) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // missing: stale
    }
    if (current !== text) {
      console.error(`${CLIENT_TYPES_PATH} is stale: run npm run openapi`);
      process.exit(1);
    }
    console.log(`${CLIENT_TYPES_PATH} is up to date`);
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${CLIENT_TYPES_PATH}`);
  }
}
