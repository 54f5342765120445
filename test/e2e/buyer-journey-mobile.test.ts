/** The buyer's journeys (journeys.ts) on a 390×844 phone. */
import { describeJourneys } from './journeys.ts';

describeJourneys('mobile');
