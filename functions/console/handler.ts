/**
 * GET /console and GET /console/{asset+} (public): the operator console. Its page, script and
 * style sheet are built into the function (./names.build-time.ts, ./files.build-time.ts): no
 * CDN, no bucket, no web font. The page is not secret; everything it shows comes from the API,
 * which asks for a signed-in user's token on every call. The files are named by their content's
 * hash and cached for a year; the page is never cached (a deployment changes the names).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { consoleConfigSchema, parseEnv } from '../../shared/config.ts';
import { staticFunction } from '../../shared/lambda-chain.ts';
import names from './names.build-time.ts';
import { consolePage, securityHeaders } from './page.ts';

const config = parseEnv(consoleConfigSchema);
const headers = securityHeaders(config.COGNITO_ENDPOINT);
const page = consolePage(names, { cognitoEndpoint: config.COGNITO_ENDPOINT, clientId: config.COGNITO_CLIENT_ID });

const notFound: APIGatewayProxyStructuredResultV2 = {
  statusCode: 404,
  headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  body: 'Not Found',
};

export const handler = staticFunction(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  if (event.routeKey === 'GET /console')
    return { statusCode: 200, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, body: page };
  const name = event.pathParameters?.asset ?? '';
  // The files themselves are loaded by the first request for one (the page needs only their names).
  const files = (await import('./files.build-time.ts')).default;
  const file = Object.hasOwn(files, name) ? files[name] : undefined;
  if (file === undefined) return notFound;
  return { statusCode: 200, headers: { ...headers, 'Content-Type': file.contentType, 'Cache-Control': 'public, max-age=31536000, immutable' }, body: file.body };
});
