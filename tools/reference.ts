/**
 * The reference in docs/reference/, made from the code (as tools/openapi.ts makes docs/openapi.json):
 *
 *   api.md            every route, its parameters, body, replies and error codes; every schema
 *   errors.md         every error code: status, meaning, what to do, which routes answer it
 *   events.md         the event types, the envelope and its data, webhook delivery
 *   configuration.md  every variable of the functions, every CDK context key, npm start, the sandbox
 *   sandbox.md        the Toss sandbox's control API and faults
 *
 *   npm run docs             writes them (and docs/openapi.json, through npm run openapi)
 *   npm run docs -- --check  fails when a file is not what the code makes
 *
 * test/unit/reference.test.ts fails while a file is stale, or when docs/reference holds a file
 * this tool does not make.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { apiReference } from './reference/api.ts';
import { configurationReference } from './reference/configuration.ts';
import { errorsReference } from './reference/errors.ts';
import { eventsReference } from './reference/events.ts';
import { generatedNote, table } from './reference/markdown.ts';
import { sandboxReference } from './reference/sandbox.ts';

export const REFERENCE_DIR = 'docs/reference';
const ROOT = join(import.meta.dirname, '..');

const FILES = {
  'api.md': { about: 'Every route: parameters, body, replies, error codes; every schema.', make: apiReference },
  'errors.md': { about: 'Every error code: what it means, what to do, which routes answer it.', make: errorsReference },
  'events.md': { about: 'The event types, their payload, webhook delivery and the bus.', make: eventsReference },
  'configuration.md': { about: 'Every variable of the functions, every CDK context key, `npm start` and the sandbox.', make: configurationReference },
  'sandbox.md': { about: "The Toss sandbox's control API and faults.", make: sandboxReference },
} as const;

function index(): string {
  return `${[
    generatedNote('the list in tools/reference.ts'),
    '',
    '# Reference',
    '',
    'Made from the code by `npm run docs`, so it says what the code does. The task guides are in [../guides](../guides/run-locally.md); the alarms\' runbooks in [../runbooks.md](../runbooks.md).',
    '',
    table(['file', 'what it holds'], Object.entries(FILES).map(([name, f]) => [`[${name}](${name})`, f.about])),
  ].join('\n')}\n`;
}

/** Every file of docs/reference, by name, as the code makes it now. */
export function referenceFiles(): Record<string, string> {
  return { 'README.md': index(), ...Object.fromEntries(Object.entries(FILES).map(([name, f]) => [name, f.make()])) };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const dir = join(ROOT, REFERENCE_DIR);
  const files = referenceFiles();
  if (values.check) {
    const stale = Object.entries(files).filter(([name, text]) => {
      try {
        return readFileSync(join(dir, name), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    const extra = readdirSync(dir).filter((name) => !(name in files));
    for (const [name] of stale) console.error(`${REFERENCE_DIR}/${name} is stale: run npm run docs`);
    for (const name of extra) console.error(`${REFERENCE_DIR}/${name} is not made by tools/reference.ts: remove it`);
    if (stale.length > 0 || extra.length > 0) process.exit(1);
    console.log(`${REFERENCE_DIR} is up to date`);
  } else {
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    console.log(`wrote ${Object.keys(files).map((n) => `${REFERENCE_DIR}/${n}`).join(', ')}`);
  }
}
