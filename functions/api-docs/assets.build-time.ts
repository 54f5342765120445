/**
 * The files `GET /docs/{asset}` serves: Swagger UI from npm (swagger-ui-dist) and this page's own
 * style and start-up script (./static), each gzipped once, with its content type and a digest.
 *
 * Run from source (npm start, the tests) this module reads them from disk when it is imported. The
 * build (infra/bundle.ts, `.build-time.ts` modules) runs it once and puts its value into the bundle
 * instead, so the deployed function holds the files themselves and reads nothing at run time.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

export interface DocsAsset {
  contentType: string;
  /** The file, gzipped, in base64 (as a Lambda reply carries a binary body). */
  gzipBase64: string;
  /** A digest of the file: its ETag and the `?v=` of its URL on the page. */
  digest: string;
}

const require = createRequire(import.meta.url);
const SOURCES = {
  'swagger-ui-bundle.js': require.resolve('swagger-ui-dist/swagger-ui-bundle.js'),
  'swagger-ui.css': require.resolve('swagger-ui-dist/swagger-ui.css'),
  'docs.css': new URL('./static/docs.css', import.meta.url).pathname,
  'docs.js': new URL('./static/docs.js', import.meta.url).pathname,
} as const;

export type DocsAssetName = keyof typeof SOURCES;

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

function asset(path: string): DocsAsset {
  const bytes = readFileSync(path);
  const contentType = TYPES[path.slice(path.lastIndexOf('.') + 1)];
  if (contentType === undefined) throw new Error(`no content type for ${path}`);
  return {
    contentType,
    gzipBase64: gzipSync(bytes, { level: 9 }).toString('base64'),
    digest: createHash('sha256').update(bytes).digest('base64url').slice(0, 16),
  };
}

const assets: Record<DocsAssetName, DocsAsset> = Object.fromEntries(Object.entries(SOURCES).map(([name, path]) => [name, asset(path)])) as Record<DocsAssetName, DocsAsset>;

export default assets;
