import type { Scheduler } from '../../src/tui/controller.js';

/**
 * A Scheduler whose queue runs only when a test says so. Its clock moves 1 ms each time it is
 * read, so a slice of training ends after a few steps.
 */
export class ManualScheduler implements Scheduler {
  private queue: { fn: () => void; at: number }[] = [];
  private time = 0;

  get pending(): number {
    return this.queue.length;
  }

  /** The clock, without moving it. */
  get clock(): number {
    return this.time;
  }

  schedule(fn: () => void): () => void {
    return this.delay(fn, 0);
  }

  /** Queued to run once the clock reaches now + `ms`; running it moves the clock there. */
  delay(fn: () => void, ms: number): () => void {
    const entry = { fn, at: this.time + ms };
    this.queue.push(entry);
    return () => {
      this.queue = this.queue.filter((e) => e !== entry);
    };
  }

  now(): number {
    return ++this.time;
  }

  /** Run up to `max` queued callbacks, earliest first (and those they queue); returns how many ran. */
  run(max = Number.POSITIVE_INFINITY): number {
    let ran = 0;
    while (ran < max && this.queue.length > 0) {
      let first = 0;
      this.queue.forEach((e, i) => {
        if (e.at < (this.queue[first] as { at: number }).at) first = i;
      });
      const [entry] = this.queue.splice(first, 1) as [{ fn: () => void; at: number }];
      this.time = Math.max(this.time, entry.at);
      entry.fn();
      ran++;
    }
    return ran;
  }

  /** Run what is due until the clock reaches `time`. */
  runUntil(time: number): void {
    while (this.queue.length > 0 && Math.min(...this.queue.map((e) => e.at)) <= time) this.run(1);
    this.time = Math.max(this.time, time);
  }
}
