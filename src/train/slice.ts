import type { StepReport, TrainingSession } from './session.js';

/**
 * Train for one slice of about `ms` milliseconds: at least one step, then more while the session
 * is ready and time is left. Front ends call it between turns of the event loop, so keys, drawing
 * and signals are answered between slices; `onStep` sees every step's report.
 */
export function trainSlice(
  session: TrainingSession,
  ms: number,
  { now = () => performance.now(), onStep }: { now?: () => number; onStep?: (report: StepReport) => void } = {},
): void {
  const start = now();
  do {
    const report = session.step();
    onStep?.(report);
  } while (session.status === 'ready' && now() - start < ms);
}
