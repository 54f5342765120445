/** GET /payments/return (public): the buyer's retUrl. Never trusts its query: Toss status decides. */
import { paymentContainer } from '../../shared/deps.ts';
import { landingFunction } from '../../shared/http/landing.ts';

export const handler = landingFunction(paymentContainer('return-landing'), 'return');
