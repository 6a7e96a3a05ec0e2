import type { StepReport, TrainingSession } from '../train/session.js';
import { trainSlice } from '../train/slice.js';
import { formatLoss, formatPercent, formatR2, plural } from '../format.js';

export interface HeadlessOptions {
  json: boolean;
  /** A progress line every this many epochs; 0 chooses about 20 lines over the run. */
  printEvery: number;
  /** Called after every step (the CLI autosaves from here); saving at the end is the caller's job. */
  afterStep?: () => void;
  /** Checked between steps: when aborted, training stops and the outcome is 'stopped'. */
  stop?: AbortSignal;
  /** Milliseconds of steps between yields to the event loop (so signal handlers run); default 25. */
  sliceMs?: number;
}

/** How a headless run ended: the epoch target reached, a divergence, or a stop request. */
export type HeadlessOutcome = 'done' | 'diverged' | 'stopped';

function progressLine(r: StepReport, target: number): string {
  const width = String(target).length;
  const acc = r.accuracy === null ? '' : `  acc ${formatPercent(r.accuracy, 1).padStart(6)}`;
  const r2 = r.r2 === null ? '' : `  R² ${formatR2(r.r2)}`;
  const testAcc = r.testAccuracy === null ? '' : `  test acc ${formatPercent(r.testAccuracy, 1).padStart(6)}`;
  const testR2 = r.testR2 === null ? '' : `  test R² ${formatR2(r.testR2)}`;
  const test = r.testLoss === null ? '' : `  test loss ${formatLoss(r.testLoss, 6)}${testAcc}${testR2}`;
  const restored = r.restoredFrom === null || r.diverged ? '' : `  (from the weights of epoch ${r.restoredFrom})`;
  return `epoch ${String(r.epoch).padStart(width)}/${target}  loss ${formatLoss(r.loss, 6)}${acc}${r2}${test}  lr ${String(Number(r.learningRate.toPrecision(6)))}  |grad| ${r.gradNorm.toPrecision(4)}${restored}`;
}

/**
 * Train until the epoch target, a divergence or a stop request, writing progress to `out`. Steps
 * run synchronously in slices of about `sliceMs`; between slices the event loop runs, so a signal
 * handler can abort `stop`.
 */
export async function runHeadless(session: TrainingSession, options: HeadlessOptions, out: (line: string) => void): Promise<HeadlessOutcome> {
  const target = session.epochs;
  const every = options.printEvery > 0 ? options.printEvery : Math.max(1, Math.round((target - session.epoch) / 20));
  const sliceMs = options.sliceMs ?? 25;
  const started = performance.now();
  const first = session.epoch;
  const diverged = (): boolean => session.status === 'diverged';
  const stopped = (): boolean => options.stop?.aborted === true;
  const onStep = (r: StepReport): void => {
    if (options.json) out(JSON.stringify(r));
    else if (diverged() || r.restoredFrom !== null || r.epoch % every === 0 || r.epoch === target) out(progressLine(r, target));
    options.afterStep?.();
  };
  while (session.status === 'ready' && !stopped()) {
    trainSlice(session, sliceMs, { onStep });
    await new Promise((resolve) => setImmediate(resolve));
  }
  const outcome: HeadlessOutcome = diverged() ? 'diverged' : stopped() ? 'stopped' : 'done';
  if (options.json) return outcome;

  const seconds = (performance.now() - started) / 1000;
  const steps = session.epoch - first;
  const speed = seconds > 0 ? Math.round(steps / seconds) : steps;
  // The last epoch's own figures, as its progress line, JSON record and history row give them.
  const last = session.reported;
  if (outcome === 'diverged') {
    const d = session.divergence;
    const back = d === null ? '' : `; back to the weights of epoch ${d.restoredFrom}${Number.isFinite(d.restoredLoss) ? ` (loss ${formatLoss(d.restoredLoss, 6)}, the lowest)` : ''}`;
    out(`diverged at epoch ${d?.epoch ?? 0}: ${d?.reason ?? 'the loss became non-finite'}${back}. Try a smaller learning rate (--lr).`);
    return outcome;
  }
  if (outcome === 'stopped') {
    out(`stopped at epoch ${session.epoch}/${target} (${String(options.stop?.reason ?? 'stop requested')})`);
    return outcome;
  }
  if (steps === 0) {
    out(`already at the epoch target (${target}); raise it with --epochs to train further`);
    return outcome;
  }
  const acc = last.accuracy === null ? '' : `, accuracy ${formatPercent(last.accuracy, 1)}`;
  const r2 = last.r2 === null ? '' : `, R² ${formatR2(last.r2)}`;
  const testAcc = last.testAccuracy === null ? '' : `, test accuracy ${formatPercent(last.testAccuracy, 1)}`;
  const testR2 = last.testR2 === null ? '' : `, test R² ${formatR2(last.testR2)}`;
  const test = last.testLoss === null ? '' : `; test loss ${formatLoss(last.testLoss, 6)}${testAcc}${testR2}`;
  out(`done: ${plural(steps, 'epoch')} in ${seconds.toFixed(2)} s (${speed} steps/s), final loss ${formatLoss(last.loss, 6)}${acc}${r2}${test}`);
  return outcome;
}
