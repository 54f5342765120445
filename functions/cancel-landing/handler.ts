/** GET /payments/cancel (public): the buyer's retCancelUrl. PAY_CANCEL only when Toss says so. */
import { appConfig } from '../../shared/config.ts';
import { httpHandler } from '../../shared/http/handler.ts';
import { landing } from '../../shared/http/landing.ts';

appConfig();

export const handler = httpHandler((event, context) => landing('cancel', event, context));
