/**
 * The console's page and the headers of every reply of the console function. Pure.
 *
 * Content-Security-Policy: scripts and styles from this origin only (no inline script or style
 * attribute anywhere: nothing needs 'unsafe-inline'), calls to this API (same origin) and to the
 * user pool's API only, no frames of this page anywhere, no form posting anywhere, no plugins.
 * The page names the user pool's API and app client in a <meta> element the script reads.
 */
import type { ConsoleBuild } from '../../console/build.ts';

export interface PageConfig {
  /** The user pool's API (`https://cognito-idp.<region>.amazonaws.com/`). */
  cognitoEndpoint: string;
  clientId: string;
}

export function contentSecurityPolicy(cognitoEndpoint: string): string {
  const pool = new URL(cognitoEndpoint).origin;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${pool}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Headers of every console reply. */
export function securityHeaders(cognitoEndpoint: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(cognitoEndpoint),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Strict-Transport-Security': 'max-age=31536000',
  };
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The page: the app's script and style sheet, the configuration, and what shows without JavaScript. */
export function consolePage(b: Pick<ConsoleBuild, 'script' | 'style'>, c: PageConfig): string {
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="console-config" content="${escapeAttr(JSON.stringify(c))}">
<title>토스페이 운영 콘솔</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/${b.style}">
<script type="module" src="/console/${b.script}"></script>
</head>
<body>
<div id="app"><main class="boot"><h1>토스페이 운영 콘솔</h1><noscript><p>이 콘솔은 JavaScript가 필요합니다.</p></noscript></main></div>
</body>
</html>
`;
}
