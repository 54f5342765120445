/** GET /payments/cancel (public): the buyer's retCancelUrl. PAY_CANCEL only when Toss says so. */
import { paymentContainer } from '../../shared/deps.ts';
import { landingFunction } from '../../shared/http/landing.ts';

export const handler = landingFunction(paymentContainer('cancel-landing'), 'cancel');
