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

/**
 * A schema a module builds when it is loaded, in a call marked `@__PURE__` where it is made:
 * `export const s = <the mark> z.pure(() => z.strictObject({…}).check(…));`. Building a schema
 * makes it and nothing else (the descriptions it registers are read by the tools alone, which run
 * from source), so a function that never uses it leaves it out of its bundle, with whatever only
 * it reaches (other schemas, zod's code for them): a top-level `.check(…)` is a method call, which
 * the bundler must otherwise keep. The mark is on each call: esbuild honours a function's own
 * `@__NO_SIDE_EFFECTS__` within its file only. (test/infra/bundle.test.ts checks every call has it.)
 */
export function pure<S>(build: () => S): S {
  return build();
}
