/** The operator console (console.ts) on a 1280×800 desktop window, with the sign-in steps. */
import { describeConsole } from './console.ts';

describeConsole(['desktop'], true);
