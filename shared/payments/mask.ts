/**
 * payTokens in logs: a full payToken is enough to ask Toss about (or cancel) a payment with a
 * leaked key, and it lets anyone match log lines to buyers. Logs keep only enough to correlate.
 */

/** `abcd…wxyz`: the first and last 4 characters; short values are fully masked. */
export function maskPayToken(payToken: string | undefined): string | undefined {
  if (payToken === undefined) return undefined;
  return payToken.length <= 12 ? '…' : `${payToken.slice(0, 4)}…${payToken.slice(-4)}`;
}
