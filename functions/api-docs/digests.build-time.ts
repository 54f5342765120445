/**
 * What the page needs of the files `GET /docs/{asset}` serves (./assets.build-time.ts): each
 * one's digest, by name. A module of its own, so that what the function loads at a cold start
 * (the page, a 404) holds four digests and not the files: the files are a chunk the first asset
 * request loads (./handler.ts).
 *
 * Run from source, it reads them from ./assets.build-time.ts; the build runs it once and bundles
 * its value (infra/bundle.ts, `.build-time.ts` modules), so the function never imports the files
 * for it.
 */
import assets, { type DocsAssetName } from './assets.build-time.ts';

const digests = Object.fromEntries(Object.entries(assets).map(([name, a]) => [name, a.digest])) as Record<DocsAssetName, string>;

export default digests;
