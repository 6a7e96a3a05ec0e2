import type { Scheduler } from '../../src/tui/controller.js';

/**
 * A Scheduler whose queue runs only when a test says so. Its clock moves 1 ms each time it is
 * read, so a slice of training ends after a few steps.
 */
export class ManualScheduler implements Scheduler {
  private queue: (() => void)[] = [];
  private time = 0;

  get pending(): number {
    return this.queue.length;
  }

  schedule(fn: () => void): () => void {
    this.queue.push(fn);
    return () => {
      this.queue = this.queue.filter((f) => f !== fn);
    };
  }

  now(): number {
    return ++this.time;
  }

  /** Run up to `max` queued callbacks (and those they queue); returns how many ran. */
  run(max = Number.POSITIVE_INFINITY): number {
    let ran = 0;
    while (ran < max && this.queue.length > 0) {
      const fn = this.queue.shift() as () => void;
      fn();
      ran++;
    }
    return ran;
  }
}
