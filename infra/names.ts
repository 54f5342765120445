/** Construct ids made from function names. */

/** `create-payment` → `CreatePayment`: the ids the stack was first deployed with are built this way. */
export const pascal = (s: string): string =>
  s
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
