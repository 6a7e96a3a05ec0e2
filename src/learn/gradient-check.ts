/** The nudge of the central difference: small enough for its O(h^2) error, large enough for rounding. */
export const NUDGE = 1e-5;
/** Gradients both smaller than this agree, whatever their ratio. */
export const NEGLIGIBLE = 1e-10;
/** Relative errors below GOOD are agreement; below FAIR, close (rounding, a large nudge); above, a wrong gradient. */
export const GOOD = 1e-6;
export const FAIR = 1e-3;

export type Verdict = 'good' | 'fair' | 'bad' | 'kink';

/** One parameter's autograd gradient next to the slope measured by nudging it. */
export interface GradientCheck {
  index: number;
  autograd: number;
  numeric: number;
  relativeError: number;
  /** The nudge moved a ReLU neuron's input across 0 (or the hinge's margin across 1): the loss has a corner there. */
  kink: boolean;
  verdict: Verdict;
}

/** |a - n| / max(|a|, |n|), and 0 when both are negligible. */
export function relativeError(autograd: number, numeric: number): number {
  const scale = Math.max(Math.abs(autograd), Math.abs(numeric));
  if (scale < NEGLIGIBLE) return 0;
  return Math.abs(autograd - numeric) / scale;
}

export function verdictOf(relError: number, kink: boolean): Verdict {
  if (relError < GOOD) return 'good';
  if (kink) return 'kink';
  return relError < FAIR ? 'fair' : 'bad';
}

/** The step's loss with one parameter moved, and which side of its corner each ReLU (and the hinge's margin) is on. */
export interface Probe {
  loss: number;
  corners: ArrayLike<number>;
}

/**
 * Check parameter `index`: the loss at its value plus and minus NUDGE (through `nudged`, the
 * step's own loss with the parameter moved and put back), their slope, and whether a corner lies
 * between the two (a ReLU's input, or the hinge's margin, changed side): then the slope straddles
 * a corner and disagreement means nothing. A smooth loss built with relu (bce's softplus) reports
 * no corners of its own.
 */
export function checkParameter(index: number, autograd: number, nudged: (index: number, delta: number) => Probe): GradientCheck {
  const up = nudged(index, NUDGE);
  const down = nudged(index, -NUDGE);
  const numeric = (up.loss - down.loss) / (2 * NUDGE);
  const kink = crossesKink(up.corners, down.corners);
  const relError = relativeError(autograd, numeric);
  return { index, autograd, numeric, relativeError: relError, kink, verdict: verdictOf(relError, kink) };
}

/** True when some corner is on another side in the two probes. */
function crossesKink(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return true;
  return false;
}

/** Where the checker gets its autograd gradients and nudged losses: a session, or a test double. */
export interface CheckSource {
  readonly names: readonly string[];
  /** The current parameters, in model order. */
  parameters(): Float64Array;
  /** The autograd gradient of the current parameters (a fresh forward and backward). */
  freshGradients(): Float64Array;
  /** The step's loss with parameter `index` moved by `delta` (and put back), with its corners. */
  nudgedLoss(index: number, delta: number): Probe;
}

/**
 * Checks the parameters on screen one at a time, so a front end can run it in slices between
 * keys. Results belong to the parameters they were computed for; when those change (a step, a
 * reset), everything is computed again.
 */
export class GradientChecker {
  private results = new Map<number, GradientCheck>();
  private wanted: number[] = [];
  private values: Float64Array | null = null;
  private autograd: Float64Array | null = null;

  constructor(private readonly source: CheckSource) {}

  /** Which parameters to check (the rows on screen), in the order to check them. */
  want(indices: readonly number[]): void {
    this.wanted = [...indices];
  }

  /** The result for parameter `index`, if computed for the current parameters. */
  result(index: number): GradientCheck | undefined {
    return this.results.get(index);
  }

  /** True when a wanted parameter has no result for the current parameters yet. */
  get pending(): boolean {
    this.refresh();
    return this.wanted.some((i) => !this.results.has(i));
  }

  /** Check the next wanted parameter; false when there was nothing to do. */
  runOne(): boolean {
    this.refresh();
    const index = this.wanted.find((i) => !this.results.has(i));
    if (index === undefined) return false;
    this.autograd ??= this.source.freshGradients();
    const result = checkParameter(index, this.autograd[index], (i, d) => this.source.nudgedLoss(i, d));
    this.results.set(index, result);
    return true;
  }

  /** Forget results that belong to other parameter values than the current ones. */
  private refresh(): void {
    const now = this.source.parameters();
    const same = this.values !== null && this.values.length === now.length && this.values.every((x, i) => x === now[i]);
    if (same) return;
    this.values = now;
    this.results = new Map();
    this.autograd = null;
  }
}
