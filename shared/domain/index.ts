export * from './states.ts';
export * from './order.ts';
export * from './decide.ts';
export * from './schedule.ts';
