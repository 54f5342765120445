/**
 * GET /docs and GET /docs/{asset} (public): the OpenAPI document rendered by Swagger UI, every
 * file of it bundled into this function (./assets.build-time.ts): nothing is fetched from the
 * internet, and the page's Content-Security-Policy allows nothing else (./page.ts). The document
 * itself is `GET /openapi.json` (functions/openapi), which the page reads.
 *
 * Swagger UI (swagger-ui-dist) rather than Redoc or Scalar: it runs under `style-src 'self'`
 * (Redoc's styled-components inject inline styles, which that policy blocks), its bundle is a
 * third of Scalar's standalone one, and it has "Try it out" against this very API. Its few
 * accessibility gaps are mended by ./static (test/e2e/api-docs.ts runs axe on it).
 *
 * Assets are sent gzipped (base64, as a Lambda reply carries bytes) to clients that accept it,
 * and cached for good: the page names each by its digest (`?v=`, ./digests.build-time.ts). An
 * unknown asset is a 404. The files are loaded by the first asset request, not at a cold start.
 */
import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { staticFunction } from '../../shared/lambda-chain.ts';
import type { DocsAsset, DocsAssetName } from './assets.build-time.ts';
import digests from './digests.build-time.ts';
import { DOCS_CSP, docsPage } from './page.ts';

const page = docsPage(digests);
/**
 * The files themselves (~600 KiB of text): a chunk of their own, loaded by the first asset
 * request; the page and a 404 need only their names and digests.
 */
const files = async (): Promise<Record<DocsAssetName, DocsAsset>> => (await import('./assets.build-time.ts')).default;
const SECURITY_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };
/** Each asset as plain text, made on the first request of a client that takes no gzip. */
const plain = new Map<DocsAssetName, string>();

const isAsset = (name: string): name is DocsAssetName => Object.hasOwn(digests, name);
const acceptsGzip = (event: APIGatewayProxyEventV2): boolean => /\bgzip\b/i.test(event.headers?.['accept-encoding'] ?? '');

export const handler = staticFunction(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const name = event.pathParameters?.asset;
  if (name === undefined) {
    return {
      statusCode: 200,
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'public, max-age=300',
        'Content-Security-Policy': DOCS_CSP,
        'X-Frame-Options': 'DENY',
        ...SECURITY_HEADERS,
      },
      body: page,
    };
  }
  if (!isAsset(name)) {
    return { statusCode: 404, headers: { 'Content-Type': 'application/json; charset=utf-8', ...SECURITY_HEADERS }, body: JSON.stringify({ message: 'Not Found' }) };
  }
  const a = (await files())[name];
  const headers = { 'Content-Type': a.contentType, 'Cache-Control': 'public, max-age=31536000, immutable', ETag: `"${a.digest}"`, Vary: 'Accept-Encoding', ...SECURITY_HEADERS };
  if (acceptsGzip(event)) return { statusCode: 200, headers: { ...headers, 'Content-Encoding': 'gzip' }, body: a.gzipBase64, isBase64Encoded: true };
  let text = plain.get(name);
  if (text === undefined) {
    text = gunzipSync(Buffer.from(a.gzipBase64, 'base64')).toString('utf8');
    plain.set(name, text);
  }
  return { statusCode: 200, headers, body: text };
});
