import { isClassification, type Dataset } from '../data/dataset.js';
import { UserError } from '../errors.js';
import { loadDataset } from '../data/load.js';
import { fitScaling, type ScaleMode, type Scaling } from '../data/scaling.js';
import { makeDataset } from '../data/datasets.js';
import { withTask, type TaskMode } from '../data/task.js';
import type { Activation } from '../nn/activation.js';
import type { LossName } from '../nn/loss.js';
import type { OptimizerName, ScheduleName } from '../nn/optim.js';
import { checkMemory, shapeOf } from './memory.js';
import { presetFor } from './presets.js';
import { TrainingSession, type Backend, type TrainingConfig } from './session.js';

/**
 * Everything needed to start a run, in the terms a user chooses it: a built-in dataset by name
 * (or a data file), hidden layer sizes, activation, loss and hyperparameters. The CLI parses
 * flags into it and the UI's setup menu edits it.
 */
export interface RunOptions {
  dataset: string;
  /** A CSV or JSON file; when set it is used instead of `dataset`. `-` is standard input. */
  dataFile?: string;
  /**
   * The data file's samples, for data that cannot be read again: standard input (a checkpoint
   * embeds them). When set, `dataFile` names them and is not read.
   */
  data?: Dataset;
  /** Size and noise of a generated dataset (each built-in has its defaults). */
  size?: number;
  noise?: number;
  /** Seed of a generated dataset's points (DEFAULT_DATA_SEED when unset), apart from the weights' `seed`. */
  dataSeed?: number;
  /** How many classes a generated spiral or blobs has (2 when unset). */
  classes?: number;
  /** What the targets mean (see `withTask`); 'auto' when unset. */
  task?: TaskMode;
  layers: number[];
  activation: Activation;
  /** The output layer's nonlinearity; by default linear, or tanh for sse/mse on -1/+1 labels. */
  outputActivation?: Activation;
  loss: LossName;
  l2: number;
  /** The base learning rate (where a schedule starts). */
  learningRate: number;
  /** How the rate moves over the epoch target: 'constant' (the default), 'linear', 'cosine' or 'step'. */
  lrSchedule?: ScheduleName;
  /** linear and cosine: the rate they reach at the epoch target (default 0). */
  lrFinal?: number;
  /** step: halve the rate every this many epochs (default 100). */
  lrStep?: number;
  /** 'sgd' (the default) or 'adam'. */
  optimizer?: OptimizerName;
  /** SGD's momentum in [0, 1); 0 or unset for plain gradient descent. */
  momentum?: number;
  epochs: number;
  /** Samples per update; the whole training set when unset. */
  batch?: number;
  /** Seed of the initial weights (a generated dataset's points have their own, `dataSeed`). */
  seed: number;
  /** How steps are computed (see `Backend`); the session's default when unset. */
  engine?: Backend;
  /** Share of the samples held out for testing (0 or unset: none). */
  testFraction?: number;
  /** A data file's standardisation: 'auto' (the default) or 'none'; built-in datasets are used as generated. */
  scale?: ScaleMode;
}

/** The classic example, as `npm start` opens it. */
export const DEFAULT_RUN_OPTIONS: Readonly<RunOptions> = { dataset: 'classic', ...presetFor('classic'), seed: 42 };

/**
 * Load or generate the data and turn the options into a session config (throws UserError). A
 * data file is standardised unless `scale` is 'none': each input column, and the targets of a
 * regression; `scaling` (a checkpoint's) is used instead of fitting one to the data.
 */
export function buildConfig(options: RunOptions, scaling?: Scaling): TrainingConfig {
  const data =
    options.dataFile !== undefined
      ? (options.data ?? loadDataset(options.dataFile))
      : makeDataset(options.dataset, {
          ...(options.size !== undefined && { size: options.size }),
          ...(options.noise !== undefined && { noise: options.noise }),
          ...(options.dataSeed !== undefined && { seed: options.dataSeed }),
          ...(options.classes !== undefined && { classes: options.classes }),
        });
  const dataset = withTask(data, options.task ?? 'auto');
  const scaled = options.dataFile !== undefined && options.scale !== 'none';
  const width = dataset.x[0]?.length ?? 0;
  if (scaled && scaling !== undefined && scaling.inputs.length !== width) {
    throw new UserError(`the saved scaling has ${scaling.inputs.length} input columns, the data has ${width}`);
  }
  return {
    dataset,
    ...(scaled && { scaling: scaling ?? fitScaling(dataset, !isClassification(dataset)) }),
    layers: options.layers,
    activation: options.activation,
    ...(options.outputActivation !== undefined && { outputActivation: options.outputActivation }),
    loss: options.loss,
    l2: options.l2,
    learningRate: options.learningRate,
    ...(options.lrSchedule !== undefined &&
      options.lrSchedule !== 'constant' && {
        schedule: {
          kind: options.lrSchedule,
          ...(options.lrFinal !== undefined && { final: options.lrFinal }),
          ...(options.lrStep !== undefined && { every: options.lrStep }),
        },
      }),
    ...(options.optimizer !== undefined && { optimizer: options.optimizer }),
    ...(options.momentum !== undefined && { momentum: options.momentum }),
    epochs: options.epochs,
    ...(options.batch !== undefined && { batch: options.batch }),
    seed: options.seed,
    ...(options.engine !== undefined && { engine: options.engine }),
    ...(options.testFraction !== undefined && options.testFraction > 0 && { testFraction: options.testFraction }),
  };
}

/**
 * A new session for the options (throws UserError), refused before it is built when `copies` of
 * it would not fit in memory (see checkMemory; the trainer keeps two).
 */
export function createSession(options: RunOptions, scaling?: Scaling, copies = 1): TrainingSession {
  return new TrainingSession(checkedConfig(options, scaling, copies));
}

/** `buildConfig`, refused (UserError) when `copies` sessions of it would not fit in memory (see checkMemory). */
export function checkedConfig(options: RunOptions, scaling?: Scaling, copies = 1): TrainingConfig {
  const config = buildConfig(options, scaling);
  checkMemory(shapeOf(config), copies);
  return config;
}
