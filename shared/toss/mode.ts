/** TEST or LIVE: Toss's two modes, one key each. */
export type TossMode = 'TEST' | 'LIVE';

/** The mode a Toss key implies: test keys start with `sk_test_`; anything else is live. */
export const modeOfKey = (apiKey: string): TossMode => (apiKey.startsWith('sk_test_') ? 'TEST' : 'LIVE');
