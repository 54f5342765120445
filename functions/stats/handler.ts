/**
 * GET /stats?from=&to= (merchant; console viewers and up): the overview, per Korea-time day of
 * creation, from the indexes and bounded in what it reads (shared/payments/stats.ts).
 */
import { statsContainer } from '../../shared/deps.ts';
import { httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';
import { stats, statsQuerySchema } from '../../shared/payments/stats.ts';

const c = statsContainer('stats');

export const handler = httpFunction(c, async (event) => jsonResponse(200, await stats(parseRequest(statsQuerySchema, event.queryStringParameters ?? {}), c.deps)));
