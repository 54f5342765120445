/**
 * Work queued per endpoint, each endpoint with its own `concurrency` slots: an endpoint that hangs
 * fills only its own slots, so it never holds back another's deliveries. Tasks start in the order
 * they were added to their endpoint, while `canStart()` says there is time; the others stay queued
 * (their deliveries stay due for the retrier).
 */
export interface EndpointPools {
  add(endpointId: string, task: () => Promise<void>): void;
  /** Waits for every task started, those started while waiting included. */
  idle(): Promise<void>;
  /** Tasks never started. */
  queued(): number;
  /** Starts what can start again (after `canStart()` changed). */
  pump(): void;
}

export function endpointPools(o: { concurrency: number; canStart: () => boolean; onError: (e: unknown) => void }): EndpointPools {
  const queues = new Map<string, Array<() => Promise<void>>>();
  const running = new Map<string, number>();
  const started: Promise<void>[] = [];
  const pumpOne = (endpointId: string): void => {
    const queue = queues.get(endpointId) ?? [];
    while ((running.get(endpointId) ?? 0) < o.concurrency && queue.length > 0 && o.canStart()) {
      const task = queue.shift() as () => Promise<void>;
      running.set(endpointId, (running.get(endpointId) ?? 0) + 1);
      started.push(
        task()
          .catch(o.onError)
          .finally(() => {
            running.set(endpointId, (running.get(endpointId) ?? 1) - 1);
            pumpOne(endpointId);
          }),
      );
    }
  };
  return {
    add(endpointId, task) {
      const queue = queues.get(endpointId) ?? [];
      queues.set(endpointId, queue);
      queue.push(task);
      pumpOne(endpointId);
    },
    async idle() {
      // A task that ends starts the next one queued: wait for those too.
      for (let seen = 0; seen < started.length; ) {
        const upTo = started.length;
        await Promise.all(started.slice(seen, upTo));
        seen = upTo;
      }
    },
    queued: () => [...queues.values()].reduce((n, q) => n + q.length, 0),
    pump() {
      for (const id of queues.keys()) pumpOne(id);
    },
  };
}
