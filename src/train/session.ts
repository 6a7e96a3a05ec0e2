import { dataOf, gradsOf, Value } from '../engine/value.js';
import { CompiledLoss, type Batch, type SampleTrace } from '../nn/compiled.js';
import { isBinary, isClassification, outputCount, type Dataset } from '../data/dataset.js';
import { MAX_TEST_FRACTION, splitSamples, subset, type Split } from '../data/split.js';
import { UserError, messageOf } from '../errors.js';
import { formatLoss } from '../format.js';
import type { Activation } from '../nn/activation.js';
import { scaleDataset, standardise, unscaleOutput, type Scaling } from '../data/scaling.js';
import { accuracy, batchLoss, classAccuracy, l2Regularization, LOSSES, rSquared, type LossName } from '../nn/loss.js';
import { taskLabel, taskOf } from '../data/task.js';
import { MLP } from '../nn/mlp.js';
import {
  makeOptimizer,
  OPTIMIZERS,
  scheduleFor,
  SCHEDULES,
  type Optimizer,
  type OptimizerName,
  type OptimizerState,
  type ScheduleSpec,
  type UpdatePreview,
} from '../nn/optim.js';
import { epochOrder, gather } from './batches.js';
import { History, type EpochFigures } from './history.js';

export type { EpochFigures } from './history.js';

export interface TrainingConfig {
  dataset: Dataset;
  /** Hidden layer sizes; the output layer has one neuron, or one per class for K classes. */
  layers: number[];
  /** Nonlinearity of the hidden layers. */
  activation: Activation;
  /** Nonlinearity of the output; by default see `defaultOutputActivation`. */
  outputActivation?: Activation;
  /**
   * How the data is standardised for the model (see src/data/scaling.ts); none when absent. The
   * session trains on the scaled data but reports losses and outputs in the data's own units.
   */
  scaling?: Scaling;
  loss: LossName;
  /** Coefficient of the L2 penalty added to the loss (0 for none). */
  l2?: number;
  /** The base learning rate: every epoch's when `schedule` is constant, where the others start. */
  learningRate: number;
  /** How the rate moves over the epochs (see `scheduleFor`); constant when absent. */
  schedule?: ScheduleSpec;
  /** How parameters are updated from their gradients: 'sgd' (the default) or 'adam'. */
  optimizer?: OptimizerName;
  /** SGD's momentum, in [0, 1) (0: plain gradient descent); Adam has its own moment estimates. */
  momentum?: number;
  /** The epoch target: training stops (state `done`) when it is reached. */
  epochs: number;
  /** Samples per update (see `TrainingSession.stepBatch`); the whole training set when absent or larger. */
  batch?: number;
  seed: number;
  /** How a step computes its gradients; by default `defaultBackend(loss)`. */
  engine?: Backend;
  /** Share of the samples held out for testing (see `splitSamples`), 0 (the default) to MAX_TEST_FRACTION. */
  testFraction?: number;
}

/**
 * 'graph' rebuilds the Value graph every step, as the classic loop does; 'tape' records one
 * sample's graph once and replays it column by column over the batch (the same numbers, bit for
 * bit, much faster). Every loss runs on either.
 */
export type Backend = 'graph' | 'tape';

export const BACKENDS: readonly Backend[] = ['graph', 'tape'];

/** The tape, for every loss (the argument stays for callers that choose by loss). */
export function defaultBackend(_loss?: LossName): Backend {
  return 'tape';
}

/**
 * What one epoch did: the figures every output reports for it (status line, chart, history, CSV,
 * --json, summary). `loss`, `accuracy` and `r2` come from the epoch's own forward pass, before its
 * update; the test figures are measured at the end of the epoch, after it.
 */
export interface StepReport {
  epoch: number;
  loss: number;
  /** Fraction of samples classified correctly, or null for regression data. */
  accuracy: number | null;
  /** Coefficient of determination of the outputs, or null for classification data. */
  r2: number | null;
  /** The rate this epoch's updates used. */
  learningRate: number;
  /** The gradient norm of the epoch's last update. */
  gradNorm: number;
  /** Set when the epoch started from weights restored after a divergence: the epoch they were the weights of. */
  restoredFrom: number | null;
  /** True for an epoch that diverged: it is not counted, and the weights of epoch `restoredFrom` are back. */
  diverged: boolean;
  /** The same loss on the held-out samples, or null without a test set. */
  testLoss: number | null;
  testAccuracy: number | null;
  /** R² on the held-out samples, or null without a test set or for classification. */
  testR2: number | null;
}

/**
 * The model on the data at some epoch: the loss, accuracy and one output per training sample,
 * and the same on the held-out samples (null without a test set).
 */
export interface Evaluation {
  epoch: number;
  loss: number;
  accuracy: number | null;
  r2: number | null;
  /** Each sample's outputs (one, or one score per class), in the data's own units. */
  outputs: number[][];
  testLoss: number | null;
  testAccuracy: number | null;
  testR2: number | null;
  testOutputs: number[][] | null;
}

export interface ParameterSnapshot {
  name: string;
  value: number;
  grad: number;
  /** What the last update added to the value (0 before the first). */
  delta: number;
}

export type SessionStatus = 'ready' | 'done' | 'diverged';

/** Everything `restore()` puts back: what a checkpoint saves besides the run's configuration. */
export interface SavedTraining {
  /** In the order of `model.parameters()`. */
  parameters: ArrayLike<number>;
  /** Epochs run so far. */
  epoch: number;
  learningRate: number;
  /** The epoch target. */
  epochs: number;
  /** One entry per epoch run: its loss, accuracy and R² (null where they do not apply; R² absent: all null) and learning rate; test figures where there is a test set. */
  history: {
    loss: ArrayLike<number>;
    accuracy: ArrayLike<number | null>;
    learningRate: ArrayLike<number>;
    testLoss?: ArrayLike<number | null> | undefined;
    testAccuracy?: ArrayLike<number | null> | undefined;
    r2?: ArrayLike<number | null> | undefined;
    testR2?: ArrayLike<number | null> | undefined;
    restoredFrom?: ArrayLike<number | null> | undefined;
  };
  /** What the optimiser carries between updates (momentum's velocity, Adam's moments); fresh when absent. */
  optimizer?: OptimizerState;
  /** The weights of the lowest loss so far, where a divergence goes back to; the saved state's own when absent. */
  lowest?: Lowest;
  /** The epoch whose weights were restored after a divergence, when no epoch has run from them yet. */
  restoredFrom?: number;
  /** The updates of an epoch not finished yet (see `stepBatch`); none when absent. */
  epochInProgress?: EpochInProgress;
}

/**
 * The weights (and optimiser state) with the lowest loss of the run: those epoch `epoch` started
 * from, whose forward pass measured `loss`. A divergence goes back to them.
 */
export interface Lowest {
  epoch: number;
  loss: number;
  parameters: Float64Array;
  optimizer: OptimizerState;
}

/** An epoch that has taken `batches` of its updates (see `stepBatch`). */
export interface EpochInProgress {
  batches: number;
  /** The sum of its batch losses, each times its number of samples. */
  lossSum: number;
  /** Each training sample's outputs from its batch's forward pass, sample by sample (NaN for samples still to come). */
  outputs: Float64Array;
  /** The weights and optimiser state it started from (the lowest, should its loss be). */
  start: { parameters: Float64Array; optimizer: OptimizerState };
}

/** What the last divergence did: the epoch that diverged, why, and the epoch whose weights are back. */
export interface Divergence {
  epoch: number;
  reason: string;
  restoredFrom: number;
  restoredLoss: number;
}

/**
 * A session's training state, with its history from `historyFrom` on: what a copy of the session
 * (say, in a worker thread) needs to catch up with it, or it with the copy.
 */
export interface ProgressUpdate {
  epoch: number;
  historyFrom: number;
  loss: Float64Array;
  /** NaN where accuracy does not apply. */
  accuracy: Float64Array;
  /** NaN where R² does not apply. */
  r2: Float64Array;
  learningRate: Float64Array;
  /** NaN where there is no test set (or accuracy does not apply). */
  testLoss: Float64Array;
  testAccuracy: Float64Array;
  testR2: Float64Array;
  parameters: Float64Array;
  grads: Float64Array;
  deltas: Float64Array;
  /** NaN where an epoch did not start from restored weights. */
  restoredFrom: Float64Array;
  diverged: boolean;
  divergence: Divergence | null;
  pendingRestore: number | null;
  lowest: Lowest;
  epochInProgress: EpochInProgress | null;
  lastStep: Evaluation | null;
  optimizer: OptimizerState;
}

/** A loss above this many times the first epoch's is a divergence, even while finite. */
export const DIVERGENCE_FACTOR = 1e6;

/**
 * tanh for sse/mse on -1/+1 labels (the classic example), linear for hinge, bce and ce (they
 * score a margin, or a class) and for regression targets, which a squashing output could not reach.
 */
export function defaultOutputActivation(loss: LossName, binary: boolean): Activation {
  return binary && (loss === 'sse' || loss === 'mse') ? 'tanh' : 'linear';
}

/**
 * One model, one dataset and its hyperparameters. `step()` runs exactly one epoch: for each batch
 * (the whole training set by default), forward, loss, zero the gradients, backward, update. No UI,
 * no timers, no console: a test, a script, the headless CLI and the terminal UI all drive it the
 * same way.
 */
export class TrainingSession {
  readonly config: Readonly<TrainingConfig>;
  readonly model: MLP;
  readonly names: readonly string[];
  readonly history = new History();
  private readonly params: Value[];
  /** The compiled replay, once something has needed it (see `replay`). */
  private _replay: Replay | null = null;
  /** Which samples train and which are held out, or null when all of them train. */
  readonly split: Split | null;
  /** The samples training uses: the dataset, or its training share. */
  readonly trainData: Dataset;
  /** The held-out samples, or null. */
  readonly testData: Dataset | null;
  private readonly optimizer: Optimizer;
  private readonly classification: boolean;
  /** The training share and the held-out samples as the model sees them (scaled when the config has a scaling). */
  private readonly scaledTrain: Dataset;
  private readonly scaledTest: Dataset | null;
  /** Losses are reported in the targets' own units: the scaled loss times this (std² of sse/mse targets). */
  private readonly lossUnits: number;
  private readonly lastDelta: Float64Array;
  /** Parameters before the last update (scratch for `lastDelta`). */
  private readonly beforeUpdate: Float64Array;
  /** Samples per update: the whole training set unless the config's batch is smaller. */
  readonly batchSize: number;
  /** The shuffled order of the epoch in progress, and which epoch (k epochs before it) it is for. */
  private order: { k: number; indices: Int32Array } | null = null;
  private _learningRate: number;
  private _epochs: number;
  private _epoch = 0;
  private _diverged = false;
  private _divergence: Divergence | null = null;
  /** After a divergence: the epoch whose weights are back, marked on the next epoch's history row. */
  private pendingRestore: number | null = null;
  private lowest: Lowest;
  private inProgress: EpochInProgress | null = null;
  /** The evaluation of the current parameters, computed when first asked for after a change. */
  private _latest: Evaluation | null = null;
  /** What the last step's forward pass saw, before its update: free to read while training runs. */
  private _lastStep: Evaluation | null = null;

  constructor(config: TrainingConfig) {
    validateConfig(config);
    this.config = { ...config, layers: [...config.layers] };
    this.model = initialModel(this.config);
    this.params = this.model.parameters();
    this.names = this.model.parameterNames();
    this.optimizer = makeOptimizer(config.optimizer ?? 'sgd', this.params, config.momentum ?? 0);
    this.classification = isClassification(config.dataset);
    // The data as the model sees it: `config.dataset` after `config.scaling`.
    const data = config.scaling === undefined ? config.dataset : scaleDataset(config.dataset, config.scaling);
    const target = config.scaling?.target ?? null;
    this.lossUnits = target !== null && (config.loss === 'sse' || config.loss === 'mse') ? target.std * target.std : 1;
    const fraction = config.testFraction ?? 0;
    this.split = fraction > 0 ? splitSamples(config.dataset.y, fraction, config.seed, this.classification) : null;
    this.trainData = this.split === null ? config.dataset : subset(config.dataset, this.split.train, 'train');
    this.testData = this.split === null || this.split.test.length === 0 ? null : subset(config.dataset, this.split.test, 'test');
    this.scaledTrain = this.split === null ? data : subset(data, this.split.train, 'train');
    this.scaledTest = this.testData === null || this.split === null ? null : subset(data, this.split.test, 'test');
    this.lastDelta = new Float64Array(this.params.length);
    this.beforeUpdate = new Float64Array(this.params.length);
    this._learningRate = config.learningRate;
    this._epochs = config.epochs;
    const n = this.scaledTrain.x.length;
    this.batchSize = Math.min(config.batch ?? n, n);
    this.lowest = this.startingPoint();
  }

  /**
   * The model and its loss compiled for replay, with the samples laid out for it: built at its
   * first use, so that a big setup's first frame can be drawn from the model and the data alone
   * (docs/performance.md, issue 9). Compiling reads the model's structure and the data, never
   * the parameters' values or grads, so when it happens changes no number.
   */
  private get replay(): Replay {
    return (this._replay ??= this.compileReplay());
  }

  private compileReplay(): Replay {
    const compiled = new CompiledLoss(this.model, this.config.loss, this.config.l2 ?? 0);
    const batch = compiled.batch(this.scaledTrain.x, this.scaledTrain.y);
    return {
      compiled,
      batch,
      testBatch: this.scaledTest === null ? null : compiled.batch(this.scaledTest.x, this.scaledTest.y),
      batchBuffers: this.batchSize < batch.n ? batch.columns.map(() => new Float64Array(this.batchSize)) : [],
    };
  }

  /** Compile the replay now if nothing has yet (see `replay`): the trainer does it in a slice of its own. */
  compile(): void {
    void this.replay;
  }

  /** Which engine computes the steps. */
  get engine(): Backend {
    return this.config.engine ?? defaultBackend(this.config.loss);
  }

  /** The output layer's nonlinearity: the config's, or the default for its loss and data. */
  get outputActivation(): Activation {
    return outputActivationOf(this.config);
  }

  get epoch(): number {
    return this._epoch;
  }

  get epochs(): number {
    return this._epochs;
  }

  /** The base learning rate: what `+`, `-`, L and --lr set, and where the schedule starts. */
  get learningRate(): number {
    return this._learningRate;
  }

  /** The rate of the next epoch (of the last one at the target): the schedule at this point of the run. */
  get currentLearningRate(): number {
    return this.rateOf(Math.min(this._epoch, this._epochs - 1));
  }

  /** The rate of epoch k + 1 (k epochs run before it) under the schedule, over the current target. */
  private rateOf(k: number): number {
    return scheduleFor(this.config.schedule ?? { kind: 'constant' }, this._learningRate, this._epochs)(k);
  }

  /**
   * The figures of epoch `epoch` as every output reports them: its row of the history; at epoch 0
   * (or a restored run not yet stepped), the loss of the current parameters.
   */
  get reported(): EpochFigures {
    if (this._epoch === 0) {
      const { epoch, loss, accuracy: acc, r2, testLoss, testAccuracy, testR2 } = this.latest;
      return { epoch, loss, accuracy: acc, r2, testLoss, testAccuracy, testR2, learningRate: this.currentLearningRate, restoredFrom: null };
    }
    return this.history.row(this._epoch - 1);
  }

  get status(): SessionStatus {
    if (this._diverged) return 'diverged';
    return this._epoch >= this._epochs ? 'done' : 'ready';
  }

  get parameterCount(): number {
    return this.params.length;
  }

  /**
   * The loss, accuracy and outputs of the current parameters (the initial weights at epoch 0).
   * A step's report holds the loss before its update; this is the model after it.
   */
  get latest(): Evaluation {
    return (this._latest ??= this.evaluate());
  }

  /** True when `latest` is known without running the model: computed since the parameters last changed. */
  get evaluated(): boolean {
    return this._latest !== null;
  }

  /**
   * The last epoch's figures with the outputs of its forward pass (before its update) and the
   * held-out outputs after it, or null before the first step. Unlike `latest` it costs no forward pass.
   */
  get lastStep(): Evaluation | null {
    return this._lastStep;
  }

  /** True when accuracy applies: two classes (-1/+1) or K classes. */
  get isClassification(): boolean {
    return this.classification;
  }

  /** The number of outputs: one, or one per class for K classes. */
  get outputCount(): number {
    return outputCount(this.config.dataset);
  }

  /** Change the learning rate for the following steps; the parameters are kept. */
  setLearningRate(lr: number): void {
    if (!(Number.isFinite(lr) && lr > 0)) throw new UserError(`learning rate must be a finite number > 0, got ${lr}`);
    this._learningRate = lr;
  }

  /** Change the epoch target: an integer >= 1 and not below the epochs already run. */
  setEpochs(epochs: number): void {
    const floor = Math.max(1, this._epoch);
    if (!Number.isInteger(epochs) || epochs < floor) {
      throw new UserError(`epoch target must be an integer >= ${floor}, got ${epochs}`);
    }
    this._epochs = epochs;
  }

  /** What the last divergence did, or null when the run has not diverged. */
  get divergence(): Divergence | null {
    return this._divergence;
  }

  /** How many updates an epoch takes: one per batch. */
  get batchesPerEpoch(): number {
    return Math.ceil(this.scaledTrain.x.length / this.batchSize);
  }

  /** Updates already taken in the epoch in progress (0 between epochs). */
  get batchesDone(): number {
    return this.inProgress?.batches ?? 0;
  }

  /**
   * The indices (into `trainData` and `trainingData`) of the samples the next update trains on:
   * every sample in order with whole-set batches, else the next slice of the epoch's shuffle.
   */
  nextBatch(): number[] {
    const n = this.scaledTrain.x.length;
    if (this.batchSize >= n) return Array.from({ length: n }, (_, i) => i);
    const k = this._epoch;
    if (this.order?.k !== k) this.order = { k, indices: epochOrder(this.config.seed, k, n) };
    const from = this.batchesDone * this.batchSize;
    return Array.from(this.order.indices.subarray(from, from + this.batchSize));
  }

  /** One epoch: every batch's update at the schedule's rate (see `stepBatch`). */
  step(): StepReport {
    for (;;) {
      const report = this.stepBatch();
      if (report !== null) return report;
    }
  }

  /**
   * Exactly one update: the next batch's forward pass, loss, zeroed gradients, backward, and the
   * update at the schedule's rate. Returns the epoch's report when the batch ends the epoch, and
   * null while the epoch goes on. The epoch's loss is the mean of its batch losses (weighted by
   * their samples), its accuracy or R² from the same passes; the test figures are measured after
   * its last update. A divergence (a loss or parameter that is not finite, or a loss over
   * DIVERGENCE_FACTOR times the first epoch's) puts back the weights of the lowest loss so far
   * and is reported with `diverged`; the epoch is not counted.
   */
  stepBatch(): StepReport | null {
    const learningRate = this.rateOf(this._epoch);
    const whole = this.batchSize >= this.scaledTrain.x.length;
    const indices = whole ? null : this.nextBatch();
    const { loss, outputs } = this.compute(true, 'train', indices);
    const gradNorm = Math.sqrt(this.params.reduce((sum, p) => sum + p.grad * p.grad, 0));
    const epoch = this._epoch + 1;
    const report = (figures: Pick<StepReport, 'loss' | 'accuracy' | 'r2'>): StepReport => ({
      epoch,
      ...figures,
      learningRate,
      gradNorm,
      testLoss: null,
      testAccuracy: null,
      testR2: null,
      restoredFrom: this.pendingRestore,
      diverged: false,
    });

    if (!Number.isFinite(loss)) return this.diverge(report({ loss, accuracy: null, r2: null }), `the loss became ${loss}`);
    if (whole && this.exploded(loss)) return this.diverge(report({ loss, accuracy: null, r2: null }), this.explosion(loss));
    if (whole && loss < this.lowest.loss) {
      this.keepAsLowest(epoch, loss);
    } else if (!whole && this.inProgress === null) {
      this.inProgress = { batches: 0, lossSum: 0, outputs: new Float64Array(this.scaledTrain.x.length * this.outputCount).fill(Number.NaN), start: this.here() };
    }
    this.params.forEach((p, i) => (this.beforeUpdate[i] = p.data));
    this.optimizer.step(learningRate);
    if (!this.params.every((p) => Number.isFinite(p.data))) {
      return this.diverge(report({ loss, accuracy: null, r2: null }), 'an update made a parameter overflow');
    }
    this.params.forEach((p, i) => (this.lastDelta[i] = p.data - this.beforeUpdate[i]));
    this._latest = null;

    let epochLoss = loss;
    let epochOutputs = outputs;
    const part = this.inProgress;
    if (part !== null && indices !== null) {
      part.batches++;
      part.lossSum += loss * indices.length;
      const k = this.outputCount;
      indices.forEach((sample, j) => part.outputs.set(outputs[j], sample * k));
      if (part.batches < this.batchesPerEpoch) return null;
      epochLoss = part.lossSum / this.scaledTrain.x.length;
      epochOutputs = Array.from({ length: this.scaledTrain.x.length }, (_, s) => Array.from(part.outputs.subarray(s * k, s * k + k)));
      this.inProgress = null;
      if (!Number.isFinite(epochLoss) || this.exploded(epochLoss)) return this.diverge(report({ loss: epochLoss, accuracy: null, r2: null }), this.explosion(epochLoss));
      if (epochLoss < this.lowest.loss) this.lowest = { epoch, loss: epochLoss, ...part.start };
    }

    const done = report({ loss: epochLoss, ...this.metrics(epochOutputs, this.trainData.y) });
    const test = this.computeTest();
    done.testLoss = test?.loss ?? null;
    done.testAccuracy = test?.accuracy ?? null;
    done.testR2 = test?.r2 ?? null;
    this._diverged = false;
    this.pendingRestore = null;
    this._epoch++;
    this.history.push(done.loss, done.accuracy, learningRate, done.testLoss, done.testAccuracy, done.r2, done.testR2, done.restoredFrom);
    this._lastStep = { epoch, loss: epochLoss, accuracy: done.accuracy, r2: done.r2, outputs: epochOutputs, ...testFigures(test) };
    return done;
  }

  /** A finite loss that is still a divergence: over DIVERGENCE_FACTOR times the first epoch's. */
  private exploded(loss: number): boolean {
    const first = this.history.length > 0 ? this.history.losses()[0] : 0;
    return first > 0 && loss > DIVERGENCE_FACTOR * first;
  }

  private explosion(loss: number): string {
    return Number.isFinite(loss) ? `the loss reached ${formatLoss(loss)}, over ${DIVERGENCE_FACTOR} times epoch 1's` : `the loss became ${loss}`;
  }

  /**
   * The weights and optimiser state as they are now become the lowest, of `epoch` with `loss`:
   * copied into the lowest's own arrays, as full-batch runs do it nearly every epoch.
   */
  private keepAsLowest(epoch: number, loss: number): void {
    const { lowest, params } = this;
    lowest.epoch = epoch;
    lowest.loss = loss;
    for (let i = 0; i < params.length; i++) lowest.parameters[i] = params[i].data;
    this.optimizer.copyStateInto(lowest.optimizer);
  }

  /** The parameters and optimiser state as they are now (copies). */
  private here(): { parameters: Float64Array; optimizer: OptimizerState } {
    return { parameters: this.parameters(), optimizer: this.optimizer.state() };
  }

  /** Where a divergence goes back to before any epoch ran from here: here, with no loss measured yet. */
  private startingPoint(): Lowest {
    return { epoch: this._epoch + 1, loss: Infinity, ...this.here() };
  }

  /**
   * A step diverged: put back the weights and optimiser state of the lowest loss so far, drop the
   * epoch in progress, and stop. The epoch counter and history stay; the next epoch is marked.
   */
  private diverge(report: StepReport, reason: string): StepReport {
    const { lowest } = this;
    this.model.setParameters(lowest.parameters);
    this.model.zeroGrad();
    this.optimizer.setState(lowest.optimizer);
    this.inProgress = null;
    this.pendingRestore = lowest.epoch;
    this._divergence = { epoch: report.epoch, reason, restoredFrom: lowest.epoch, restoredLoss: lowest.loss };
    this._diverged = true;
    this.lastDelta.fill(0);
    this._latest = null;
    this._lastStep = null;
    return { ...report, restoredFrom: lowest.epoch, diverged: true };
  }

  /** The current model on the data, without touching gradients or the epoch. */
  evaluate(): Evaluation {
    const { loss, outputs } = this.compute(false);
    return { epoch: this._epoch, loss, ...this.metrics(outputs, this.trainData.y), outputs, ...testFigures(this.computeTest()) };
  }

  /** Accuracy for classes (by sign, or by the largest score), R² for regression targets, from outputs and targets in the data's units. */
  private metrics(outputs: number[][], y: readonly number[]): { accuracy: number | null; r2: number | null } {
    if (this.config.dataset.classes !== undefined) return { accuracy: classAccuracy(outputs, y), r2: null };
    const first = outputs.map((o) => o[0]);
    return this.classification ? { accuracy: accuracy(first, y), r2: null } : { accuracy: null, r2: rSquared(first, y) };
  }

  /**
   * The model's outputs at many points, through the same compiled replay as training: `inputs`
   * holds one column per input feature (all of one length n); returns one column of n numbers per
   * output. Reads the current parameters; touches nothing. Inputs and outputs are in the data's
   * own units (standardised on the way in and back on the way out when the config has a scaling).
   */
  evaluatePoints(inputs: readonly Float64Array[]): Float64Array[] {
    const width = this.model.sizes[0];
    if (inputs.length !== width) throw new RangeError(`expected ${width} input columns, got ${inputs.length}`);
    const n = inputs[0]?.length ?? 0;
    if (!inputs.every((c) => c.length === n)) throw new RangeError('every input column needs the same length');
    const { scaling } = this.config;
    const { compiled } = this.replay;
    if (scaling === undefined) return compiled.evaluate(inputs, n);
    const scaled = inputs.map((column, j) => column.map((v) => standardise(v, scaling.inputs[j])));
    return compiled.evaluate(scaled, n).map((column) => column.map((o) => unscaleOutput(o, scaling)));
  }

  /**
   * What each hidden unit outputs for each training sample, `[layer][neuron][sample]`, for the
   * current parameters, through the same compiled replay as training (on the data as the model
   * sees it). Touches nothing.
   */
  hiddenOutputs(): Float64Array[][] {
    const { compiled, batch } = this.replay;
    return compiled.hidden(batch);
  }

  /** Back to the initial weights of the seed: epoch 0, empty history, same learning rate and target. */
  reset(): void {
    this.model.setParameters(initialModel(this.config).parameters().map((p) => p.data));
    this.model.zeroGrad();
    this.optimizer.reset();
    this.lastDelta.fill(0);
    this.history.clear();
    this._epoch = 0;
    this.afterJump();
    this.lowest = this.startingPoint();
  }

  /** After the state was set from outside (reset, restore): nothing pending, nothing cached. */
  private afterJump(): void {
    this.inProgress = null;
    this.pendingRestore = null;
    this._divergence = null;
    this._diverged = false;
    this._latest = null;
    this._lastStep = null;
  }

  /**
   * Continue from a saved state (a checkpoint of a session with the same config): the next steps
   * give exactly the losses the saved run would have given. Throws a UserError when it does not fit.
   */
  restore(state: SavedTraining): void {
    const { parameters, epoch, history } = state;
    if (parameters.length !== this.params.length) {
      throw new UserError(`the model has ${this.params.length} parameters, the saved state has ${parameters.length}`);
    }
    if (!Array.from(parameters).every(Number.isFinite)) throw new UserError('the saved parameters are not all finite numbers');
    if (!Number.isInteger(epoch) || epoch < 0) throw new UserError(`the saved epoch must be an integer >= 0, got ${epoch}`);
    if (![history.loss, history.accuracy, history.learningRate].every((h) => h.length === epoch)) {
      throw new UserError(`the saved history must have one entry per epoch (${epoch})`);
    }
    const floor = Math.max(1, epoch);
    if (!Number.isInteger(state.epochs) || state.epochs < floor) {
      throw new UserError(`epoch target must be an integer >= ${floor}, got ${state.epochs}`);
    }
    const { lowest, epochInProgress: part } = state;
    const fits = (saved: ArrayLike<number>): boolean => saved.length === this.params.length && Array.from(saved).every(Number.isFinite);
    if (lowest !== undefined && !(fits(lowest.parameters) && Number.isInteger(lowest.epoch) && lowest.epoch >= 1 && lowest.epoch <= epoch + 1)) {
      throw new UserError(`the saved lowest-loss weights must be ${this.params.length} finite numbers of an epoch from 1 to ${epoch + 1}`);
    }
    if (part !== undefined && !(fits(part.start.parameters) && Number.isInteger(part.batches) && part.batches >= 1 && part.batches < this.batchesPerEpoch && part.outputs.length === this.scaledTrain.x.length * this.outputCount)) {
      throw new UserError(`the saved epoch in progress does not fit: ${this.batchesPerEpoch} batches of ${this.batchSize} of ${this.scaledTrain.x.length} samples`);
    }
    const learningRate = this._learningRate;
    this.setLearningRate(state.learningRate);
    try {
      // The last checks: nothing else changes before they pass (the saved states are tried on the optimiser, the run's own last).
      if (lowest !== undefined) this.optimizer.setState(lowest.optimizer);
      if (part !== undefined) this.optimizer.setState(part.start.optimizer);
      if (state.optimizer === undefined) this.optimizer.reset();
      else this.optimizer.setState(state.optimizer);
    } catch (err) {
      this._learningRate = learningRate;
      throw new UserError(`the saved optimiser state does not fit: ${messageOf(err)}`);
    }
    this.model.setParameters(parameters);
    this.model.zeroGrad();
    this.lastDelta.fill(0);
    this.history.clear();
    for (let i = 0; i < epoch; i++) {
      this.history.push(
        history.loss[i],
        history.accuracy[i] ?? null,
        history.learningRate[i],
        history.testLoss?.[i] ?? null,
        history.testAccuracy?.[i] ?? null,
        history.r2?.[i] ?? null,
        history.testR2?.[i] ?? null,
        history.restoredFrom?.[i] ?? null,
      );
    }
    this._epochs = state.epochs;
    this._epoch = epoch;
    this.afterJump();
    this.lowest = lowest === undefined ? this.startingPoint() : copyLowest(lowest);
    this.inProgress = part === undefined ? null : copyPart(part); // a copy: the steps that follow change it
    this.pendingRestore = state.restoredFrom ?? null;
  }

  /** The weights of the lowest loss so far (a copy), as a checkpoint saves them. */
  lowestLoss(): Lowest {
    return copyLowest(this.lowest);
  }

  /** The updates of the epoch in progress, or null between epochs (a copy). */
  epochInProgress(): EpochInProgress | null {
    return this.inProgress === null ? null : copyPart(this.inProgress);
  }

  /** The epoch whose weights were restored after a divergence, when no epoch has run from them yet. */
  get restoredFrom(): number | null {
    return this.pendingRestore;
  }

  /** The state of this session, with the history from epoch `historyFrom` on. */
  progress(historyFrom = 0): ProgressUpdate {
    const from = Math.max(0, Math.min(historyFrom, this.history.length));
    const h = this.history;
    return {
      epoch: this._epoch,
      historyFrom: from,
      loss: h.losses().slice(from),
      accuracy: h.accuracies().slice(from),
      r2: h.r2s().slice(from),
      learningRate: h.learningRates().slice(from),
      testLoss: h.testLosses().slice(from),
      testAccuracy: h.testAccuracies().slice(from),
      testR2: h.testR2s().slice(from),
      parameters: dataOf(this.params),
      grads: gradsOf(this.params),
      deltas: this.lastDelta.slice(),
      restoredFrom: h.restorations().slice(from),
      diverged: this._diverged,
      divergence: this._divergence,
      pendingRestore: this.pendingRestore,
      lowest: copyLowest(this.lowest),
      epochInProgress: this.epochInProgress(),
      lastStep: this._lastStep,
      optimizer: this.optimizer.state(),
    };
  }

  /**
   * Take on the state of a copy of this session (same config) that trained on: parameters,
   * gradients, history, epoch. The learning rate and the epoch target stay this session's.
   */
  applyProgress(p: ProgressUpdate): void {
    if (p.parameters.length !== this.params.length) {
      throw new RangeError(`progress has ${p.parameters.length} parameters, the model ${this.params.length}`);
    }
    this.params.forEach((q, i) => {
      q.data = p.parameters[i];
      q.grad = p.grads[i];
    });
    this.optimizer.setState(p.optimizer);
    this.lastDelta.set(p.deltas);
    this.history.truncate(p.historyFrom);
    this.history.append(p.loss, p.accuracy, p.learningRate, p.testLoss, p.testAccuracy, p.r2, p.testR2, p.restoredFrom);
    this._epoch = p.epoch;
    this._diverged = p.diverged;
    this._divergence = p.divergence;
    this.pendingRestore = p.pendingRestore;
    this.lowest = copyLowest(p.lowest);
    this.inProgress = p.epochInProgress === null ? null : copyPart(p.epochInProgress);
    this._latest = null;
    this._lastStep = p.lastStep;
  }

  /** What the optimiser carries between updates (a copy), as a checkpoint saves it. */
  optimizerState(): OptimizerState {
    return this.optimizer.state();
  }

  /** The samples the model trains on: `trainData`, standardised when the config has a scaling. */
  get trainingData(): Dataset {
    return this.scaledTrain;
  }

  /** The current parameter values, in the order of `model.parameters()`. */
  parameters(): Float64Array {
    return dataOf(this.params);
  }

  /** A copy of the model with the current parameters: views run the engine on it without touching the run. */
  copyModel(): MLP {
    const copy = initialModel(this.config);
    copy.setParameters(this.params.map((p) => p.data));
    return copy;
  }

  /**
   * The step's loss from each sample's outputs, with the L2 penalty on `params`: the one place it
   * is composed. `penalty` may instead be the penalty itself, a Value already computed (a view of
   * a network too large to build it again), or null for the data's part alone (no penalty). On
   * scaled data (see `trainingData`) it is the scaled loss.
   */
  lossOf(outputs: readonly (readonly Value[])[], penalty: readonly Value[] | Value | null, targets: readonly number[] = this.scaledTrain.y): Value {
    const { loss: lossName, l2 = 0 } = this.config;
    const loss = batchLoss(lossName, outputs, targets);
    if (l2 === 0 || penalty === null) return loss;
    return loss.add(penalty instanceof Value ? penalty : l2Regularization(penalty, l2));
  }

  /**
   * Training sample `s` alone as an update over `batchSize` samples (all of them by default)
   * computes it on the tape: every layer's outputs and gradients, its share of each parameter's grad.
   */
  traceSample(s: number, batchSize: number = this.scaledTrain.x.length): SampleTrace {
    const { compiled, batch } = this.replay;
    return compiled.trace(batch, s, batchSize);
  }

  /**
   * The loss of the next update (in the model's units: on `nextBatch()`'s samples, the loss whose
   * gradient `freshGradients` gives) with parameter `index` moved by `delta`, which is then put
   * back; and which side of its corner each ReLU and, for a loss with corners (hinge), each loss
   * term is on: a gradient check's probe, on the tape.
   */
  nudgedLoss(index: number, delta: number): { loss: number; corners: Uint8Array } {
    const p = this.params[index];
    const value = p.data;
    p.data = value + delta;
    try {
      const { compiled, batch, batchBuffers } = this.replay;
      const batched = this.batchSize < this.scaledTrain.x.length;
      const loss = compiled.run(batched ? gather(batch, this.nextBatch(), batchBuffers) : batch, false);
      return { loss, corners: compiled.corners(LOSSES[this.config.loss].kinked) };
    } finally {
      p.data = value;
    }
  }

  /** The L2 penalty of the current parameters and its share of each one's grad (0 and zeros without one), from the tape. */
  penalty(): { value: number; gradients: Float64Array } {
    return this.replay.compiled.l2Penalty();
  }

  /**
   * The step's Value graph on `model` (the session's own, or a copy): every training sample's
   * forward pass and the loss, on the data as the model sees it (`trainingData`); on another
   * dataset (the scaled held-out samples), the same for those.
   */
  stepGraph(model: MLP, dataset: Dataset = this.scaledTrain): { loss: Value; outputs: Value[][] } {
    const outputs = dataset.x.map((row) => model.forward(row));
    return { loss: this.lossOf(outputs, model.parameters(), dataset.y), outputs };
  }

  /**
   * The gradient of the next update (on `nextBatch()`'s samples) from a fresh forward and backward
   * on the session's engine, without the update; the grads the parameters show (the last step's)
   * stay as they are.
   */
  freshGradients(): Float64Array {
    return this.freshStep().gradients;
  }

  /**
   * `freshGradients`, with the outputs of the same forward pass for `nextBatch()`'s samples, in
   * its order, as the model computes them (standardised when the config has a scaling, unlike
   * `latest.outputs`).
   */
  freshStep(): { gradients: Float64Array; outputs: number[][] } {
    const shown = this.params.map((p) => p.grad);
    const { outputs } = this.computeScaled(true, 'train', this.batchSize < this.scaledTrain.x.length ? this.nextBatch() : null);
    const gradients = gradsOf(this.params);
    this.params.forEach((p, i) => (p.grad = shown[i]));
    return { gradients, outputs };
  }

  /** What the next update would do to each parameter (or those of `indices`) with gradient `grads`, in the optimiser's own rule. */
  previewUpdate(grads: ArrayLike<number>, indices?: readonly number[]): UpdatePreview[] {
    return this.optimizer.preview(grads, this.currentLearningRate, indices);
  }

  /** The current grads of the parameters (the last step's), in the order of `model.parameters()`. */
  gradients(): Float64Array {
    return gradsOf(this.params);
  }

  /** Every parameter with its readable name, value, gradient and last change. */
  snapshot(): ParameterSnapshot[] {
    return this.snapshotAt(this.params.map((_, i) => i));
  }

  /** `snapshot()` of the parameters at `indices` alone (a table's rows on a network of hundreds of thousands). */
  snapshotAt(indices: readonly number[]): ParameterSnapshot[] {
    return indices.map((i) => ({
      name: this.names[i],
      value: this.params[i].data,
      grad: this.params[i].grad,
      delta: this.lastDelta[i],
    }));
  }

  /**
   * The loss and one output per sample for the current parameter values; with `gradients`, also
   * every parameter's grad (zeroed first). Both engines read and write the same parameter Values.
   */
  private compute(gradients: boolean, data: 'train' | 'test' = 'train', indices: readonly number[] | null = null): { loss: number; outputs: number[][] } {
    const { loss, outputs } = this.computeScaled(gradients, data, indices);
    return this.inOwnUnits(loss, outputs);
  }

  /** `compute` in the model's own units (standardised when the config has a scaling); on the training samples at `indices` when given. */
  private computeScaled(gradients: boolean, data: 'train' | 'test' = 'train', indices: readonly number[] | null = null): { loss: number; outputs: number[][] } {
    const { params } = this;
    const whole = data === 'train' ? this.scaledTrain : (this.scaledTest as Dataset);
    if (this.engine === 'tape') {
      if (gradients) for (const p of params) p.grad = 0;
      const { compiled, batch: train, testBatch, batchBuffers } = this.replay;
      const all = data === 'train' ? train : (testBatch as Batch);
      const batch = indices === null ? all : gather(all, indices, batchBuffers);
      const loss = compiled.run(batch, gradients);
      const columns = Array.from({ length: this.outputCount }, (_, k) => compiled.output(k));
      return { loss, outputs: Array.from({ length: batch.n }, (_, s) => columns.map((c) => c[s])) };
    }
    const dataset = indices === null ? whole : subset(whole, indices, 'batch');
    const { loss, outputs } = this.stepGraph(this.model, dataset);
    if (gradients) {
      for (const p of params) p.grad = 0;
      loss.backward();
    }
    return { loss: loss.data, outputs: outputs.map((o) => o.map((v) => v.data)) };
  }

  /** The loss and outputs of the scaled data, in the data's own units (unchanged without scaling). */
  private inOwnUnits(loss: number, outputs: number[][]): { loss: number; outputs: number[][] } {
    const { scaling } = this.config;
    if (scaling === undefined) return { loss, outputs };
    return { loss: loss * this.lossUnits, outputs: outputs.map((o) => o.map((v) => unscaleOutput(v, scaling))) };
  }

  /**
   * The loss, accuracy and outputs on the held-out samples (no gradients), or null without any.
   * The same loss as training's, L2 term included, so the two curves differ only by the data.
   */
  private computeTest(): TestFigures | null {
    if (this.testData === null) return null;
    const { loss, outputs } = this.compute(false, 'test');
    return { loss, ...this.metrics(outputs, this.testData.y), outputs };
  }
}

/** The compiled replay of a session's model and loss, with its samples laid out for it. */
interface Replay {
  /** Training steps on 'tape', and every evaluation of the model (`evaluatePoints`, hidden units, traces). */
  compiled: CompiledLoss;
  /** The training samples in columns. */
  batch: Batch;
  /** The held-out samples in columns, or null without a test set. */
  testBatch: Batch | null;
  /** One buffer per column for a mini-batch's samples (none when batches are the whole set). */
  batchBuffers: Float64Array[];
}

/** What `computeTest` finds on the held-out samples. */
interface TestFigures {
  loss: number;
  accuracy: number | null;
  r2: number | null;
  outputs: number[][];
}

function copyLowest(l: Lowest): Lowest {
  return { ...l, parameters: l.parameters.slice(), optimizer: copyState(l.optimizer) };
}

function copyPart(p: EpochInProgress): EpochInProgress {
  return { ...p, outputs: p.outputs.slice(), start: { parameters: p.start.parameters.slice(), optimizer: copyState(p.start.optimizer) } };
}

function copyState(s: OptimizerState): OptimizerState {
  return { steps: s.steps, buffers: Object.fromEntries(Object.entries(s.buffers).map(([n, b]) => [n, b.slice()])) };
}

/** The test figures of an evaluation, from `computeTest`'s result. */
function testFigures(test: TestFigures | null): Pick<Evaluation, 'testLoss' | 'testAccuracy' | 'testR2' | 'testOutputs'> {
  return { testLoss: test?.loss ?? null, testAccuracy: test?.accuracy ?? null, testR2: test?.r2 ?? null, testOutputs: test?.outputs ?? null };
}

/** The network a config describes, with the initial weights of its seed; one output, or one per class. */
function initialModel(config: Readonly<TrainingConfig>): MLP {
  return new MLP(config.dataset.x[0]?.length ?? 0, [...config.layers, outputCount(config.dataset)], {
    activation: config.activation,
    outputActivation: outputActivationOf(config),
    seed: config.seed,
  });
}

function outputActivationOf(config: Readonly<TrainingConfig>): Activation {
  return config.outputActivation ?? defaultOutputActivation(config.loss, isBinary(config.dataset));
}

function validateConfig(config: TrainingConfig): void {
  const { dataset, layers, learningRate, epochs, seed, l2 = 0, momentum = 0 } = config;
  if (dataset.x.length === 0) throw new UserError(`dataset ${dataset.name} has no samples`);
  if (dataset.x.length !== dataset.y.length) {
    throw new UserError(`dataset ${dataset.name} has ${dataset.x.length} inputs but ${dataset.y.length} targets`);
  }
  const width = dataset.x[0]?.length ?? 0;
  dataset.x.forEach((row, i) => {
    if (row.length !== width || width === 0) {
      throw new UserError(`dataset ${dataset.name}: sample ${i + 1} has ${row.length} inputs, expected ${width || 'at least 1'}`);
    }
    if (!row.every(Number.isFinite) || !Number.isFinite(dataset.y[i])) {
      throw new UserError(`dataset ${dataset.name}: sample ${i + 1} has a value that is not a finite number`);
    }
  });
  if (!layers.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new UserError(`hidden layer sizes must be integers >= 1, got ${layers.join(',')}`);
  }
  if (!(Number.isFinite(learningRate) && learningRate > 0)) {
    throw new UserError(`learning rate must be a finite number > 0, got ${learningRate}`);
  }
  if (!Number.isInteger(epochs) || epochs < 1) throw new UserError(`epochs must be an integer >= 1, got ${epochs}`);
  if (config.batch !== undefined && !(Number.isInteger(config.batch) && config.batch >= 1)) throw new UserError(`batch size must be an integer >= 1, got ${config.batch}`);
  if (!Number.isInteger(seed) || seed < 0) throw new UserError(`seed must be an integer >= 0, got ${seed}`);
  if (!(Number.isFinite(l2) && l2 >= 0)) throw new UserError(`l2 must be a finite number >= 0, got ${l2}`);
  if (!(momentum >= 0 && momentum < 1)) throw new UserError(`momentum must be in [0, 1), got ${momentum}`);
  const testFraction = config.testFraction ?? 0;
  if (!(testFraction >= 0 && testFraction <= MAX_TEST_FRACTION)) {
    throw new UserError(`test fraction must be from 0 to ${MAX_TEST_FRACTION}, got ${testFraction}`);
  }
  if (config.optimizer !== undefined && !OPTIMIZERS.includes(config.optimizer)) {
    throw new UserError(`optimizer must be ${OPTIMIZERS.join(' or ')}, got ${String(config.optimizer)}`);
  }
  if (config.optimizer === 'adam' && momentum !== 0) throw new UserError('momentum is for sgd; adam keeps its own moment estimates (leave --momentum out)');
  validateSchedule(config.schedule);
  if (config.engine !== undefined && !BACKENDS.includes(config.engine)) {
    throw new UserError(`engine must be graph or tape, got ${String(config.engine)}`);
  }
  const fits = LOSSES[config.loss].targets;
  const task = taskLabel(taskOf(dataset));
  if (fits === 'binary' && !isBinary(dataset)) {
    const instead = dataset.classes === undefined ? 'use sse or mse' : 'use ce, softmax cross-entropy';
    throw new UserError(`${config.loss} loss needs two classes labelled -1/+1 (or 0/1); ${dataset.name} is ${task} (${instead})`);
  }
  if (fits === 'classes' && dataset.classes === undefined) {
    const instead = isBinary(dataset) ? 'for two classes use bce, the same loss on one score' : 'use sse or mse';
    throw new UserError(`ce loss needs 3 or more classes numbered 0..K-1; ${dataset.name} is ${task} (${instead})`);
  }
}

function validateSchedule(schedule: ScheduleSpec | undefined): void {
  if (schedule === undefined) return;
  const { kind, final = 0, every = 1 } = schedule;
  if (!SCHEDULES.includes(kind)) throw new UserError(`learning-rate schedule must be one of ${SCHEDULES.join(', ')}, got ${String(kind)}`);
  if (!(Number.isFinite(final) && final >= 0)) throw new UserError(`final learning rate must be a finite number >= 0, got ${final}`);
  if (!(Number.isInteger(every) && every >= 1)) throw new UserError(`learning-rate step must be an integer >= 1 (epochs between halvings), got ${every}`);
}
