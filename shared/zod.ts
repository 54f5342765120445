/**
 * zod for the deployed code: `zod/mini` (functions, tree-shaken to the schemas and checks in use)
 * with zod's English messages, the same ones `import { z } from 'zod'` configures. Every schema
 * in shared/ and functions/ imports zod through this module (`import * as z from '../zod.ts'`),
 * so the messages are configured before anything is parsed. The full `zod` package (whose
 * `import { z }` bundles every locale) is for code that is never deployed: infra/, local/, tests.
 * test/unit/validation-messages.test.ts holds the replies and messages recorded with full zod.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
