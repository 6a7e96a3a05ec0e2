import { useEffect, useRef, useState } from 'react';
import { GradientChecker, type GradientCheck } from '../learn/gradient-check.js';
import type { TrainingSession } from '../train/session.js';

/** How long one slice of checking may hold the thread before keys and frames get their turn. */
const SLICE_MS = 8;

/**
 * The gradient check of the parameters on screen (`wanted`, model indices), computed in slices
 * between keys and frames while `active` and paused: parameters that change every frame while
 * training plays would throw each result away. Returns the result for a parameter, if ready.
 */
export function useGradientCheck(session: TrainingSession, wanted: readonly number[], active: boolean): (index: number) => GradientCheck | undefined {
  const state = useRef<{ session: TrainingSession; checker: GradientChecker } | null>(null);
  if (state.current?.session !== session) state.current = { session, checker: new GradientChecker(session) };
  const { checker } = state.current;
  checker.want(wanted);
  const timer = useRef<NodeJS.Timeout | null>(null);
  const [, redraw] = useState(0);

  // After every frame: if something on screen is unchecked, check it in the next slices.
  useEffect(() => {
    if (!active || timer.current !== null || !checker.pending) return;
    const slice = (): void => {
      const start = performance.now();
      while (performance.now() - start < SLICE_MS && checker.runOne());
      timer.current = null;
      redraw((n) => n + 1);
    };
    timer.current = setTimeout(slice, 0);
  });
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    },
    [active, checker],
  );
  return (index) => checker.result(index);
}
