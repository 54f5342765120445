/** GET /payments/return (public): the buyer's retUrl. Never trusts its query: Toss status decides. */
import { appConfig } from '../../shared/config.ts';
import { httpHandler } from '../../shared/http/handler.ts';
import { landing } from '../../shared/http/landing.ts';

appConfig();

export const handler = httpHandler((event, context) => landing('return', event, context));
