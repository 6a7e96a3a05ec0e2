import type { StepReport, TrainingSession } from '../train/session.js';

export interface HeadlessOptions {
  json: boolean;
  /** A progress line every this many epochs; 0 chooses about 20 lines over the run. */
  printEvery: number;
}

/** Format a loss so that small values keep their digits: 0.000123 becomes 1.230e-4. */
export function formatLoss(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(3) : x.toFixed(6);
}

export function formatPercent(x: number | null): string {
  return x === null ? '-' : `${(100 * x).toFixed(1)}%`;
}

function progressLine(r: StepReport, target: number): string {
  const width = String(target).length;
  const acc = r.accuracy === null ? '' : `  acc ${formatPercent(r.accuracy).padStart(6)}`;
  return `epoch ${String(r.epoch).padStart(width)}/${target}  loss ${formatLoss(r.loss)}${acc}  lr ${r.learningRate}  |grad| ${r.gradNorm.toPrecision(4)}`;
}

/**
 * Train until the epoch target (or divergence), writing progress to `out`. Returns the exit
 * code: 0 when the target was reached, 1 when training diverged.
 */
export function runHeadless(session: TrainingSession, options: HeadlessOptions, out: (line: string) => void): number {
  const target = session.epochs;
  const every = options.printEvery > 0 ? options.printEvery : Math.max(1, Math.round((target - session.epoch) / 20));
  const started = performance.now();
  const first = session.epoch;
  const diverged = (): boolean => session.state === 'diverged';
  let report: StepReport | undefined;
  while (session.state === 'ready') {
    report = session.step();
    if (options.json) out(JSON.stringify(report));
    else if (diverged() || report.epoch % every === 0 || report.epoch === target) out(progressLine(report, target));
  }
  if (options.json) return diverged() ? 1 : 0;

  const seconds = (performance.now() - started) / 1000;
  const steps = session.epoch - first;
  const speed = seconds > 0 ? Math.round(steps / seconds) : steps;
  const latest = session.latest;
  if (diverged()) {
    out(`diverged at epoch ${(report?.epoch ?? 0)}: the loss became ${report?.loss}; kept the parameters of epoch ${session.epoch}. Try a smaller learning rate (--lr).`);
    return 1;
  }
  const acc = latest.accuracy === null ? '' : `, accuracy ${formatPercent(latest.accuracy)}`;
  out(`done: ${steps} epochs in ${seconds.toFixed(2)} s (${speed} steps/s), final loss ${formatLoss(latest.loss)}${acc}`);
  return 0;
}
