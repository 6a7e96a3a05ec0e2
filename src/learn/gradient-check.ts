import { topologicalOrder, type Value } from '../engine/value.js';
import { LOSSES, type LossName } from '../nn/loss.js';
import type { MLP } from '../nn/mlp.js';

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

/** The step's loss graph on a model, with the model's outputs in it (where its own corners end). */
export type StepGraph = (model: MLP) => { loss: Value; outputs: readonly (readonly Value[])[] };

/**
 * Check parameter `index` of `model`: the loss at its value plus and minus NUDGE (through
 * `graph`, the step's own loss graph on `model`), their slope, and whether a corner lies between
 * the two: a ReLU neuron's input, or (with `lossKinked`, the hinge) a ReLU of the loss, changed
 * sign (then the slope straddles a corner and disagreement means nothing). A ReLU of a smooth
 * loss (bce's softplus) is no corner. The parameter's value is put back.
 */
export function checkParameter(model: MLP, index: number, autograd: number, graph: StepGraph, lossKinked: boolean): GradientCheck {
  const p = model.parameters()[index];
  const value = p.data;
  p.data = value + NUDGE;
  const up = graph(model);
  p.data = value - NUDGE;
  const down = graph(model);
  p.data = value;
  const numeric = (up.loss.data - down.loss.data) / (2 * NUDGE);
  const corners = (g: { loss: Value; outputs: readonly (readonly Value[])[] }): number[] => reluInputs(lossKinked ? [g.loss] : g.outputs.flat());
  const kink = crossesKink(corners(up), corners(down));
  const relError = relativeError(autograd, numeric);
  return { index, autograd, numeric, relativeError: relError, kink, verdict: verdictOf(relError, kink) };
}

/** The inputs of the ReLU nodes of the graph of `roots`, in topological order. */
function reluInputs(roots: readonly Value[]): number[] {
  const inputs: number[] = [];
  for (const root of roots) for (const v of topologicalOrder(root)) if (v.op === 'relu') inputs.push((v._a as Value).data);
  return inputs;
}

/** True when some ReLU's input has a different sign in the two graphs of the same shape. */
function crossesKink(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  return a.some((x, i) => x > 0 !== b[i] > 0);
}

/** Where the checker gets its autograd gradients and loss graphs: a session, or a test double. */
export interface CheckSource {
  readonly names: readonly string[];
  /** The current parameters, in model order. */
  parameters(): Float64Array;
  /** The autograd gradient of the current parameters (a fresh forward and backward). */
  freshGradients(): Float64Array;
  /** A copy of the model with the current parameters. */
  copyModel(): MLP;
  /** The step's loss graph on a model. */
  stepGraph(model: MLP): { loss: Value; outputs: readonly (readonly Value[])[] };
  /** Which loss the step uses: whether its own ReLUs are corners. */
  readonly config: Readonly<{ loss: LossName }>;
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
  private model: MLP | null = null;

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
    this.model ??= this.source.copyModel();
    this.autograd ??= this.source.freshGradients();
    const kinked = LOSSES[this.source.config.loss].kinked;
    const result = checkParameter(this.model, index, this.autograd[index], (m) => this.source.stepGraph(m), kinked);
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
    this.model = null;
  }
}
