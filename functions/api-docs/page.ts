/**
 * The page `GET /docs` answers: Swagger UI's shell, loading its script and styles from `/docs/…`
 * (this function) and the document from `/openapi.json`, all by relative URLs (so it works at a
 * custom domain, the execute-api URL or under a stage's path alike). Its Content-Security-Policy
 * lets it load nothing but from its own origin: no inline script or style, no font, CDN or
 * validator from the internet, and no framing.
 */
import type { DocsAssetName } from './assets.build-time.ts';

/** The files the page loads (functions/api-docs/assets.build-time.ts has each). */
export const DOCS_ASSET_NAMES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'docs.css', 'docs.js'] as const satisfies readonly DocsAssetName[];

export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // Swagger UI's icons are data: URIs in its stylesheet.
  "img-src 'self' data:",
  // "Try it out" calls this API; the document comes from it.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page, its assets' URLs carrying their digests (so they may be cached for good). */
export function docsPage(digests: Record<DocsAssetName, string>): string {
  const url = (name: DocsAssetName): string => `docs/${name}?v=${digests[name]}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Toss Pay for AWS: API reference</title>
<link rel="stylesheet" href="${url('swagger-ui.css')}">
<link rel="stylesheet" href="${url('docs.css')}">
</head>
<body>
<div id="swagger-ui"><noscript>This reference needs JavaScript. The document itself is <a href="openapi.json">openapi.json</a>.</noscript></div>
<script src="${url('swagger-ui-bundle.js')}"></script>
<script src="${url('docs.js')}"></script>
</body>
</html>
`;
}
