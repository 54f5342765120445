/** A bounded pool of concurrent tasks, for the reconciler's checks. */

/** At most `size` tasks at once. `slot()` resolves when one more may start. */
export function createWorkerPool(size: number): {
  slot(): Promise<void>;
  run(task: () => Promise<void>): void;
  drain(): Promise<void>;
  readonly active: number;
} {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('pool size must be a positive integer');
  const running = new Set<Promise<void>>();
  return {
    async slot() {
      while (running.size >= size) await Promise.race(running);
    },
    run(task) {
      const p: Promise<void> = task()
        .catch(() => undefined)
        .finally(() => running.delete(p));
      running.add(p);
    },
    async drain() {
      while (running.size > 0) await Promise.all([...running]);
    },
    get active() {
      return running.size;
    },
  };
}
