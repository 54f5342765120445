/**
 * The size of an item as DynamoDB counts it against its 400 KB limit (its documentation, "Item
 * sizes and formats"): every attribute's name (UTF-8) plus its value; a string its UTF-8 bytes; a
 * number 1 byte per two significant digits plus 1; a boolean or null 1 byte; a list or map 3
 * bytes plus, per element, its value (and a map element its name) plus 1 byte.
 * test/integration/payments/refund-limits.test.ts checks it against DynamoDB Local.
 */

/** DynamoDB's item size limit, in bytes. */
export const ITEM_LIMIT_BYTES = 400 * 1024;

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

function numberSize(n: number): number {
  const digits = Math.abs(n)
    .toString()
    .replace(/e.*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** The size of one value (undefined: absent, as the document client leaves it out). */
export function valueSize(v: unknown): number {
  if (v === undefined) return 0;
  if (v === null || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return utf8(v);
  if (typeof v === 'number') return numberSize(v);
  if (v instanceof Uint8Array) return v.length;
  if (Array.isArray(v)) return 3 + v.reduce<number>((s, x) => s + valueSize(x) + 1, 0);
  if (typeof v === 'object')
    return 3 + Object.entries(v as Record<string, unknown>).reduce((s, [k, x]) => (x === undefined ? s : s + utf8(k) + valueSize(x) + 1), 0);
  throw new Error(`no DynamoDB size for a ${typeof v}`);
}

/** The size of an item (its top-level attributes: name + value). */
export function itemSize(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((s, [k, v]) => (v === undefined ? s : s + utf8(k) + valueSize(v)), 0);
}
