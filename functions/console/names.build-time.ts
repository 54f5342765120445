/**
 * The names the console's page gives its script and style sheet (console/build.ts). Run from
 * source (npm start, the tests) it builds the console when imported; the build runs it once and
 * bundles its value (infra/bundle.ts, `.build-time.ts` modules), so the deployed function holds
 * two names and no builder. The files are ./files.build-time.ts, a chunk the first request for one loads.
 */
import { consoleBuild } from '../../console/build.ts';

const { script, style } = await consoleBuild();

export default { script, style };
