import type { Value } from '../engine/value.js';
import { CompiledLoss, type Batch } from '../nn/compiled.js';
import { isBinary, isClassification, outputCount, type Dataset } from '../data/dataset.js';
import { MAX_TEST_FRACTION, splitSamples, subset, type Split } from '../data/split.js';
import { UserError, messageOf } from '../errors.js';
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
  /** The rate this epoch's update used. */
  learningRate: number;
  gradNorm: number;
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
  };
  /** What the optimiser carries between updates (momentum's velocity, Adam's moments); fresh when absent. */
  optimizer?: OptimizerState;
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
  beforeUpdate: Float64Array;
  restoredEpoch: number;
  diverged: boolean;
  lastStep: Evaluation | null;
  optimizer: OptimizerState;
}

/**
 * tanh for sse/mse on -1/+1 labels (the classic example), linear for hinge, bce and ce (they
 * score a margin, or a class) and for regression targets, which a squashing output could not reach.
 */
export function defaultOutputActivation(loss: LossName, binary: boolean): Activation {
  return binary && (loss === 'sse' || loss === 'mse') ? 'tanh' : 'linear';
}

/**
 * One model, one dataset and its hyperparameters. `step()` runs exactly one epoch of full-batch
 * gradient descent: forward, loss, zero the gradients, backward, update. No UI, no timers, no
 * console: a test, a script, the headless CLI and the terminal UI all drive it the same way.
 */
export class TrainingSession {
  readonly config: Readonly<TrainingConfig>;
  readonly model: MLP;
  readonly names: readonly string[];
  readonly history = new History();
  private readonly params: Value[];
  /** The model and loss compiled for replay: training steps on 'tape', and every `evaluatePoints`. */
  private readonly compiled: CompiledLoss;
  /** The dataset laid out in columns for the replay. */
  private readonly batch: Batch;
  /** The held-out samples laid out in columns for the replay, or null without a test set. */
  private readonly testBatch: Batch | null;
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
  /** Parameters before the last update: where a divergence rolls back to. */
  private readonly beforeUpdate: Float64Array;
  private _learningRate: number;
  private _epochs: number;
  private _epoch = 0;
  private _diverged = false;
  /** The epoch a checkpoint was restored at: the update that led there cannot be undone. */
  private restoredEpoch = -1;
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
    this.compiled = new CompiledLoss(this.model, config.loss, config.l2 ?? 0);
    this.batch = this.compiled.batch(this.scaledTrain.x, this.scaledTrain.y);
    this.testBatch = this.scaledTest === null ? null : this.compiled.batch(this.scaledTest.x, this.scaledTest.y);
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
      return { epoch, loss, accuracy: acc, r2, testLoss, testAccuracy, testR2, learningRate: this.currentLearningRate };
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

  /**
   * One epoch: forward, loss, zero the gradients, backward, update at the schedule's rate; then the
   * held-out samples are measured with the updated parameters.
   */
  step(): StepReport {
    const learningRate = this.rateOf(this._epoch);
    const { loss, outputs: scores } = this.compute(true);
    const { accuracy: acc, r2 } = this.metrics(scores, this.trainData.y);
    const gradNorm = Math.sqrt(this.params.reduce((s, p) => s + p.grad * p.grad, 0));
    const report: StepReport = { epoch: this._epoch + 1, loss, accuracy: acc, r2, learningRate, gradNorm, testLoss: null, testAccuracy: null, testR2: null };

    if (!Number.isFinite(loss)) return this.diverge(report, true);
    this.params.forEach((p, i) => (this.beforeUpdate[i] = p.data));
    this.optimizer.step(learningRate);
    if (!this.params.every((p) => Number.isFinite(p.data))) return this.diverge(report, false);

    this.params.forEach((p, i) => (this.lastDelta[i] = p.data - this.beforeUpdate[i]));
    const test = this.computeTest();
    report.testLoss = test?.loss ?? null;
    report.testAccuracy = test?.accuracy ?? null;
    report.testR2 = test?.r2 ?? null;
    this._diverged = false;
    this._epoch++;
    this.history.push(report.loss, report.accuracy, report.learningRate, report.testLoss, report.testAccuracy, report.r2, report.testR2);
    this._latest = null;
    this._lastStep = { epoch: this._epoch, loss, accuracy: acc, r2, outputs: scores, ...testFigures(test) };
    return report;
  }

  /**
   * A step went non-finite: put back the last parameters whose loss was finite and stop.
   * A non-finite loss means the previous update already went too far, so that one is undone too.
   */
  private diverge(report: StepReport, undoPreviousUpdate: boolean): StepReport {
    this._diverged = true;
    if (undoPreviousUpdate && this._epoch > 0 && this._epoch !== this.restoredEpoch) {
      this._epoch--;
      this.history.pop();
    } else if (undoPreviousUpdate) {
      return report; // the initial (or restored) weights give a non-finite loss: nothing to undo
    }
    this.params.forEach((p, i) => (p.data = this.beforeUpdate[i]));
    this.optimizer.reset(); // velocity or moments that ran away would throw the next step off again
    this.lastDelta.fill(0);
    this._latest = null;
    this._lastStep = null;
    return report;
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
    if (scaling === undefined) return this.compiled.evaluate(inputs, n);
    const scaled = inputs.map((column, j) => column.map((v) => standardise(v, scaling.inputs[j])));
    return this.compiled.evaluate(scaled, n).map((column) => column.map((o) => unscaleOutput(o, scaling)));
  }

  /**
   * What each hidden unit outputs for each training sample, `[layer][neuron][sample]`, for the
   * current parameters, through the same compiled replay as training (on the data as the model
   * sees it). Touches nothing.
   */
  hiddenOutputs(): Float64Array[][] {
    return this.compiled.hidden(this.batch);
  }

  /** Back to the initial weights of the seed: epoch 0, empty history, same learning rate and target. */
  reset(): void {
    this.model.setParameters(initialModel(this.config).parameters().map((p) => p.data));
    this.model.zeroGrad();
    this.optimizer.reset();
    this.lastDelta.fill(0);
    this.history.clear();
    this._epoch = 0;
    this.restoredEpoch = -1;
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
    const learningRate = this._learningRate;
    this.setLearningRate(state.learningRate);
    try {
      // The last check: nothing else changes before it passes.
      if (state.optimizer === undefined) this.optimizer.reset();
      else this.optimizer.setState(state.optimizer);
    } catch (err) {
      this._learningRate = learningRate;
      throw new UserError(`the saved optimiser state does not fit: ${messageOf(err)}`);
    }
    this.model.setParameters(parameters);
    this.model.zeroGrad();
    this.lastDelta.fill(0);
    this.params.forEach((p, i) => (this.beforeUpdate[i] = p.data));
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
      );
    }
    this._epochs = state.epochs;
    this._epoch = epoch;
    this.restoredEpoch = epoch;
    this._diverged = false;
    this._latest = null;
    this._lastStep = null;
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
      parameters: Float64Array.from(this.params, (p) => p.data),
      grads: Float64Array.from(this.params, (p) => p.grad),
      deltas: this.lastDelta.slice(),
      beforeUpdate: this.beforeUpdate.slice(),
      restoredEpoch: this.restoredEpoch,
      diverged: this._diverged,
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
    this.beforeUpdate.set(p.beforeUpdate);
    this.history.truncate(p.historyFrom);
    this.history.append(p.loss, p.accuracy, p.learningRate, p.testLoss, p.testAccuracy, p.r2, p.testR2);
    this._epoch = p.epoch;
    this.restoredEpoch = p.restoredEpoch;
    this._diverged = p.diverged;
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
    return Float64Array.from(this.params, (p) => p.data);
  }

  /** A copy of the model with the current parameters: views run the engine on it without touching the run. */
  copyModel(): MLP {
    const copy = initialModel(this.config);
    copy.setParameters(this.params.map((p) => p.data));
    return copy;
  }

  /**
   * The step's loss from each sample's outputs, with the L2 penalty on `params`: the one place it
   * is composed. With `params` null, the data's part alone (no penalty). On scaled data (see
   * `trainingData`) it is the scaled loss.
   */
  lossOf(outputs: readonly (readonly Value[])[], params: readonly Value[] | null, targets: readonly number[] = this.scaledTrain.y): Value {
    const { loss: lossName, l2 = 0 } = this.config;
    const loss = batchLoss(lossName, outputs, targets);
    return l2 > 0 && params !== null ? loss.add(l2Regularization(params, l2)) : loss;
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
   * The gradient of the current parameters from a fresh forward and backward on the session's
   * engine, without an update; the grads the parameters show (the last step's) stay as they are.
   */
  freshGradients(): Float64Array {
    return this.freshStep().gradients;
  }

  /**
   * `freshGradients`, with the training samples' outputs of the same forward pass as the model
   * computes them (standardised when the config has a scaling, unlike `latest.outputs`).
   */
  freshStep(): { gradients: Float64Array; outputs: number[][] } {
    const shown = this.params.map((p) => p.grad);
    const { outputs } = this.computeScaled(true);
    const gradients = Float64Array.from(this.params, (p) => p.grad);
    this.params.forEach((p, i) => (p.grad = shown[i]));
    return { gradients, outputs };
  }

  /** What the next update would do to each parameter with gradient `grads`, in the optimiser's own rule. */
  previewUpdate(grads: ArrayLike<number>): UpdatePreview[] {
    return this.optimizer.preview(grads, this.currentLearningRate);
  }

  /** Every parameter with its readable name, value, gradient and last change. */
  snapshot(): ParameterSnapshot[] {
    return this.params.map((p, i) => ({
      name: this.names[i],
      value: p.data,
      grad: p.grad,
      delta: this.lastDelta[i],
    }));
  }

  /**
   * The loss and one output per sample for the current parameter values; with `gradients`, also
   * every parameter's grad (zeroed first). Both engines read and write the same parameter Values.
   */
  private compute(gradients: boolean, data: 'train' | 'test' = 'train'): { loss: number; outputs: number[][] } {
    const { loss, outputs } = this.computeScaled(gradients, data);
    return this.inOwnUnits(loss, outputs);
  }

  /** `compute` in the model's own units: standardised when the config has a scaling. */
  private computeScaled(gradients: boolean, data: 'train' | 'test' = 'train'): { loss: number; outputs: number[][] } {
    const { params } = this;
    const dataset = data === 'train' ? this.scaledTrain : (this.scaledTest as Dataset);
    if (this.engine === 'tape') {
      if (gradients) for (const p of params) p.grad = 0;
      const batch = data === 'train' ? this.batch : (this.testBatch as Batch);
      const loss = this.compiled.run(batch, gradients);
      const columns = Array.from({ length: this.outputCount }, (_, k) => this.compiled.output(k));
      return { loss, outputs: Array.from({ length: batch.n }, (_, s) => columns.map((c) => c[s])) };
    }
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

/** What `computeTest` finds on the held-out samples. */
interface TestFigures {
  loss: number;
  accuracy: number | null;
  r2: number | null;
  outputs: number[][];
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
