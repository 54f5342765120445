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
import { writeOrCheck } from './generated-file.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

if (import.meta.main) writeOrCheck(ROOT, CLIENT_TYPES_PATH, await clientTypesText(), 'npm run openapi');
