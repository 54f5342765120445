/** The buyer's journeys (journeys.ts) on a 1280×800 desktop window. */
import { describeJourneys } from './journeys.ts';

describeJourneys('desktop');
