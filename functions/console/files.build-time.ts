/**
 * The console's files under /console/, by name (console/build.ts): bundled as their value by the
 * build (infra/bundle.ts, `.build-time.ts` modules), in a chunk of their own, imported by the first
 * request for a file (./handler.ts): the page needs only their names (./names.build-time.ts).
 */
import { consoleBuild } from '../../console/build.ts';

export default (await consoleBuild()).files;
