import { useEffect, useRef, useState } from 'react';
import type { Controller } from './controller.js';

/** Drawing should take at most this share of the time while training runs... */
const RENDER_SHARE = 0.1;
/** ...but the chart keeps moving: at least 15 frames a second. */
const MAX_INTERVAL_MS = 1000 / 15;
/** Frame costs remembered: their median decides the pace, so one slow frame does not. */
const COST_WINDOW = 9;

export interface FrameClock {
  /** Report how long the last frame took to render, in ms. */
  record(ms: number): void;
}

/**
 * Re-render when the controller changes. Answers to commands are drawn at once; training progress
 * at most `maxFps` times a second. When training shares this thread, frames come less often if
 * they are slow, so that drawing takes about a tenth of the time (never fewer than 15 a second).
 */
export function useController(controller: Controller, maxFps = 30): FrameClock {
  const [, setVersion] = useState(0);
  const costs = useRef<number[]>([]);
  useEffect(() => {
    let last = 0;
    let timer: NodeJS.Timeout | null = null;
    // `at` is when the frame was due: a timer that fires late (after a slice of training) does not
    // push the frames after it back, so the pace holds on average.
    const draw = (at = performance.now()): void => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      last = at;
      setVersion((v) => v + 1);
    };
    const unsubscribe = controller.subscribe((urgent) => {
      if (urgent) return draw();
      if (timer !== null) return;
      const fastest = 1000 / maxFps;
      // Only training on this thread competes with drawing; a worker trains on another core.
      const interval = controller.trainsInBackground ? fastest : Math.min(MAX_INTERVAL_MS, Math.max(fastest, median(costs.current) / RENDER_SHARE));
      const due = last + interval;
      const now = performance.now();
      if (due > now) timer = setTimeout(() => draw(due), due - now);
      else draw(now - due < interval ? due : now);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [controller, maxFps]);
  return {
    record: (ms) => {
      costs.current.push(ms);
      if (costs.current.length > COST_WINDOW) costs.current.shift();
    },
  };
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
