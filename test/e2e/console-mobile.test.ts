/** The operator console (console.ts) on a 390×844 phone. */
import { describeConsole } from './console.ts';

describeConsole(['mobile'], false);
