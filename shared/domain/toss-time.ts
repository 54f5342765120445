/** Toss times are Korea local time strings `YYYY-MM-DD HH:mm:ss` (KST = UTC+9, no DST). Pure: the store, the ledger and the use cases all read them. */
const KST_OFFSET_MS = 9 * 3_600_000;

/** A day in milliseconds (Korea time has no DST: every day is this long), for the listings' ranges and the days between times. */
export const DAY_MS = 86_400_000;

export function toKst(ms: number): string {
  return new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The Korea-time day of a time (`YYYY-MM-DD`): the day an order was created on, the overview's days. */
export const kstDayOf = (ms: number): string => toKst(ms).slice(0, 10);

/** Epoch ms of a Toss time string, or undefined when it is not one. */
export function fromKst(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s);
  if (m === null) return undefined;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isFinite(ms) ? ms - KST_OFFSET_MS : undefined;
}

/** Already ISO 8601 with an offset (`Z` or `±hh:mm`). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of a time Toss sent: its Korea-time string, or ISO 8601 with an offset; undefined otherwise. */
export function tossTimeMs(s: string): number | undefined {
  const ms = fromKst(s) ?? (ISO_WITH_OFFSET.test(s) ? Date.parse(s) : undefined);
  return ms !== undefined && Number.isFinite(ms) ? ms : undefined;
}

/** A time Toss sent as ISO 8601 UTC; undefined when absent or unreadable (replies have one format). */
export function tossTimeIso(s: string | null | undefined): string | undefined {
  const ms = s == null ? undefined : tossTimeMs(s);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
