/** Reading values of unknown shape (Toss replies, DynamoDB items) without trusting their types. Pure. */
export const stringOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const numberOf = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
