/**
 * The Lambda timeouts that deployed code itself reckons with, by name. shared/functions.ts's
 * settings table (read by infra/ and the local gateway, never deployed) takes them from here, so a
 * function's bundle holds the number it reads, not the table.
 */

/** create-payment's timeout: its call to Toss cannot reach Toss later than this after it started. */
export const CREATE_PAYMENT_TIMEOUT_SECONDS = 28;
