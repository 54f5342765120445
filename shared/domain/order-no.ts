/**
 * The orderNo: Toss's rule for one (the merchant's own, or one we generate), and the form of the
 * ones we generate. Pure, but for generateOrderNo's random characters.
 */
import { randomInt } from 'node:crypto';

/** Toss's rule: 1-50 of 0-9 A-Z a-z _ - : . ^ @. A path's orderNo that breaks it names no order. */
export const ORDER_NO_RE = /^[0-9A-Za-z_\-:.^@]{1,50}$/;

/**
 * The characters of a generated orderNo: digits and capitals without those a buyer reading it out
 * on the phone (or a person typing it from a screen) could take for another: 0 O, 1 I L, 2 Z, 5 S,
 * 8 B. 25 characters.
 */
export const ORDER_NO_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';

/**
 * `YYMMDD-XXXX-XXXX`: the Korea-time day it was made, then 8 random characters of
 * ORDER_NO_ALPHABET in two groups of four (25^8, about 1.5 * 10^11 a day). Short enough to read
 * out, grouped so it is read and shown in pieces. Unique enough that a clash is rare, and a clash is
 * caught: create makes another one when the first is taken (shared/payments/create.ts).
 */
export function generateOrderNo(now: number): string {
  const chars = Array.from({ length: 8 }, () => ORDER_NO_ALPHABET[randomInt(ORDER_NO_ALPHABET.length)] as string).join('');
  const day = new Date(now + 9 * 3_600_000).toISOString().slice(2, 10).replaceAll('-', '');
  return `${day}-${chars.slice(0, 4)}-${chars.slice(4)}`;
}
