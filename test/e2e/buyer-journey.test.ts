/** The buyer's journeys (journeys.ts): driven on a 1280×800 desktop window, every page also checked on a 390×844 phone. */
import { describeJourneys } from './journeys.ts';

describeJourneys();
