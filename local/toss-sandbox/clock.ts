/**
 * The sandbox clock and its scheduler.
 *
 * Sandbox time = real time + an offset that tests move forward (`POST /sandbox/clock`). Everything
 * time-based in the sandbox (payment expiry, callback retries, timestamps in replies) reads this
 * clock, so a test can jump 15 minutes ahead instead of waiting. Due tasks run when the clock is
 * advanced and on a real-time tick, so `npm start` users also see real expiry.
 */

const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** `YYYY-MM-DD HH:mm:ss` in Korea local time (UTC+9, no daylight saving). */
export function kst(ms: number): string {
  return new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

const KST_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Parses a Korea local time string; undefined when it is not a real `YYYY-MM-DD HH:mm:ss` time. */
export function parseKst(s: string): number | undefined {
  const m = KST_RE.exec(s);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, se) - KST_OFFSET_MS;
  // Reject rollovers such as 2024-02-31 or 25:00:00.
  return kst(ms) === s ? ms : undefined;
}

interface Task {
  dueAt: number;
  seq: number;
  run: () => void;
}

/** A min-heap of tasks keyed by (dueAt, insertion order): 10,000 pending expiries stay cheap. */
class TaskHeap {
  private readonly items: Task[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Task | undefined {
    return this.items[0];
  }
  push(t: Task): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Task | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
  clear(): void {
    this.items.length = 0;
  }
}

const before = (x: Task, y: Task): boolean => x.dueAt < y.dueAt || (x.dueAt === y.dueAt && x.seq < y.seq);

export class Clock {
  private offsetMs = 0;
  private seq = 0;
  private readonly tasks = new TaskHeap();

  /** Sandbox time in epoch milliseconds. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Runs `run` once sandbox time reaches `dueAt` (on the next tick or clock advance). */
  schedule(dueAt: number, run: () => void): void {
    this.tasks.push({ dueAt, seq: this.seq++, run });
  }

  /** Moves sandbox time forward and runs everything that became due, in due order. */
  advance(ms: number): void {
    this.offsetMs += ms;
    this.runDue();
  }

  /** Runs every task due at the current sandbox time. A failing task never stops the others. */
  runDue(): void {
    for (;;) {
      const top = this.tasks.peek();
      if (top === undefined || top.dueAt > this.now()) return;
      this.tasks.pop();
      try {
        top.run();
      } catch (e) {
        console.error(JSON.stringify({ event: 'sandbox.task_failed', error: String(e) }));
      }
    }
  }

  get pending(): number {
    return this.tasks.size;
  }

  reset(): void {
    this.offsetMs = 0;
    this.tasks.clear();
  }
}
