/** Toss times are Korea local time strings `YYYY-MM-DD HH:mm:ss` (KST = UTC+9, no DST). */
const KST_OFFSET_MS = 9 * 3_600_000;

export function toKst(ms: number): string {
  return new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Epoch ms of a Toss time string, or undefined when it is not one. */
export function fromKst(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s);
  if (m === null) return undefined;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isFinite(ms) ? ms - KST_OFFSET_MS : undefined;
}
