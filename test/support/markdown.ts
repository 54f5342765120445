/**
 * What the documentation tests read of a Markdown file: its headings' anchors (as GitHub makes
 * them: tools/reference/markdown.ts `slug`, with `-1`, `-2` for repeats), the `<a id>` anchors, its
 * links, and its fenced code blocks with their language.
 */
import { slug } from '../../tools/reference/markdown.ts';

/** The text outside fenced code blocks (headings and links inside a block are not headings or links). */
const prose = (text: string): string => text.replace(/^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm, '');

export function anchorsOf(text: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug((m[1] ?? '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1] ?? '');
  return out;
}

/** Every inline link target `[text](target)` outside code blocks and code spans. */
export function linksOf(text: string): string[] {
  const noSpans = prose(text).replace(/`[^`\n]*`/g, '');
  return [...noSpans.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? '');
}

export interface CodeBlock {
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export function codeBlocksOf(text: string): CodeBlock[] {
  const out: CodeBlock[] = [];
  for (const m of text.matchAll(/^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm)) {
    out.push({ lang: (m[1] ?? '').trim(), code: m[2] ?? '', line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}
