/**
 * THE deadline rule: what an invocation starts must be over `marginMs` before the end of the time
 * Lambda gives it (its context's remaining time), so that what must follow still fits: the writes
 * after a Toss call (DEADLINE_MARGIN_MS), recording the webhook attempts a cut ended, the reply.
 * Every function takes its deadlines from here; the local gateway's context honours each
 * function's timeout the same way.
 */
import type { Context } from 'aws-lambda';

/** Kept from the end of an invocation for the writes after its last Toss call. */
export const DEADLINE_MARGIN_MS = 2_000;

/** The epoch ms `marginMs` before a run that is at `now` with `remainingMs` left must be over. Pure. */
export const deadlineAt = (now: number, remainingMs: number, marginMs: number = DEADLINE_MARGIN_MS): number => now + remainingMs - marginMs;

/** The deadline of this invocation: `marginMs` before its time is up. */
export const deadlineOf = (context: Pick<Context, 'getRemainingTimeInMillis'>, marginMs: number = DEADLINE_MARGIN_MS): number =>
  deadlineAt(Date.now(), context.getRemainingTimeInMillis(), marginMs);
