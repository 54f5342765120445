/**
 * Every relative link of README.md, CONTRIBUTING.md and docs/**\/*.md resolves: the file or folder
 * exists, and a `#anchor` is a heading of the target (as GitHub makes anchors: test/support/markdown.ts)
 * or an `<a id>` in it. Links to the web are not fetched (no network in the tests).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorsOf, linksOf } from '../support/markdown.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function markdownUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? markdownUnder(p) : p.endsWith('.md') ? [p] : [];
  });
}

const FILES = [join(ROOT, 'README.md'), join(ROOT, 'CONTRIBUTING.md'), ...markdownUnder(join(ROOT, 'docs'))];

/** What is wrong with one link of `file`, or undefined when it resolves. */
function broken(file: string, link: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return undefined;
  const [path = '', anchor] = link.split('#', 2) as [string, string | undefined];
  const target = path === '' ? file : join(dirname(file), decodeURIComponent(path));
  if (!existsSync(target)) return `${link}: no such file`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!target.endsWith('.md')) return `${link}: an anchor into a file that is not Markdown`;
  return anchorsOf(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor)) ? undefined : `${link}: no heading #${anchor} in ${relative(ROOT, target)}`;
}

describe('the relative links of the documentation', () => {
  it('finds the documents', () => {
    expect(FILES.map((f) => relative(ROOT, f))).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'docs/runbooks.md', 'docs/guides/run-locally.md', 'docs/reference/api.md']));
  });

  for (const file of FILES) {
    it(`${relative(ROOT, file)}: every link resolves`, () => {
      const links = linksOf(readFileSync(file, 'utf8'));
      expect(links.flatMap((l) => broken(file, l) ?? [])).toEqual([]);
    });
  }
});
