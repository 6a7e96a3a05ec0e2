import { BUILT_IN_DATASETS, DATASET_NAMES, DEFAULT_DATA_SEED, MANY_CLASS_DATASETS } from '../data/datasets.js';
import { MAX_CLASSES, TASK_MODES, type TaskMode } from '../data/task.js';
import { MAX_TEST_FRACTION } from '../data/split.js';
import { SCALE_MODES, type ScaleMode } from '../data/scaling.js';
import { UserError } from '../errors.js';
import { parseDecimal } from '../io/number.js';
import { ACTIVATIONS, type Activation } from '../nn/activation.js';
import { LOSSES, type LossName } from '../nn/loss.js';
import { DEFAULT_LR_STEP, OPTIMIZERS, SCHEDULES, type OptimizerName, type ScheduleName } from '../nn/optim.js';
import { MAX_EPOCHS, MAX_LAYERS, MAX_LAYER_SIZE, MAX_NOISE, MAX_SAMPLES, MAX_SEED } from './limits.js';
import { withPreset } from './presets.js';
import { BACKENDS, type Backend } from './session.js';
import type { RunOptions } from './setup.js';

/**
 * One setting of a run, defined once for the command line (its flag, --help, the validation)
 * and the setup menu (its label, its explanation, the same validation and messages).
 */
export interface RunSetting {
  /** The flag without its dashes (`--size`): also the setting's name. */
  flag: string;
  /** The value's placeholder in --help: N, X, NAME. */
  value: string;
  /** The setup menu's name for it. */
  label: string;
  /** One line on what it does, for --help and the menu (both wrap it). */
  help: string;
  /** What is accepted, as the error message says it: "an integer from 1 to 100000". */
  accepted: string;
  /** The accepted values, when they are a list: the menu offers them as one. */
  choices?: (o: RunOptions) => readonly string[];
  /** What one of the choices is, for the menu. */
  describeChoice?: (choice: string) => string | undefined;
  /** For typed values: some the menu offers with ↑↓ (typing anything accepted works too). */
  suggestions?: readonly string[];
  /** Parse and check `text`, and return the options with it (throws UserError naming what is accepted). */
  apply: (o: RunOptions, text: string) => RunOptions;
  /** The value as the flag would give it, or undefined when unset. */
  read: (o: RunOptions) => string | undefined;
  /** What an unset value means, as the menu shows it. */
  unset?: (o: RunOptions) => string;
  /** Why the setting does not apply to these options (the command line's message), or undefined when it does. */
  inapplicable?: (o: RunOptions) => string | undefined;
  /** --load may change it (the checkpoint fixes every other run setting). */
  resumable?: boolean;
  /** It chooses the data, which brings its preset: the command line applies it before the other settings. */
  bringsPreset?: boolean;
}

/** `--flag must be ACCEPTED (got "text")`: the one wording of a refused value, CLI and menu alike. */
export function refused(flag: string, accepted: string, text: string): UserError {
  return new UserError(`--${flag} must be ${accepted} (got "${text}")`);
}

function number(flag: string, text: string, accepted: string, ok: (x: number) => boolean): number {
  const x = parseDecimal(text);
  if (!ok(x)) throw refused(flag, accepted, text);
  return x;
}

function choice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) throw refused(flag, `one of ${choices.join(', ')}`, text);
  return text as T;
}

/** `o` without `key`: an unset optional field, not one set to undefined. */
function without<K extends keyof RunOptions>(o: RunOptions, key: K): RunOptions {
  const { [key]: _dropped, ...rest } = o;
  return rest as RunOptions;
}

const integerAccepted = (lo: number, hi: number): string => `an integer from ${lo} to ${hi}`;
const isInteger = (lo: number, hi: number) => (x: number) => Number.isInteger(x) && x >= lo && x <= hi;
const show = (x: number | undefined): string | undefined => (x === undefined ? undefined : String(x));

const LAYERS_ACCEPTED = `1 to ${MAX_LAYERS} comma-separated integers from 1 to ${MAX_LAYER_SIZE}, like 4,4`;

export function parseLayers(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length > MAX_LAYERS || !parts.every((p) => /^\d+$/.test(p) && +p >= 1 && +p <= MAX_LAYER_SIZE)) {
    throw refused('layers', LAYERS_ACCEPTED, text);
  }
  return parts.map(Number);
}

/** Size and noise shape a generated dataset: not a data file, not the classic example's fixed 4 samples. */
const generatedOnly = (flag: string) => (o: RunOptions) => {
  if (o.dataFile !== undefined) return `--${flag} applies to generated datasets, not to a data file`;
  if (o.dataset === 'classic') return `--${flag} does not apply to the classic dataset: its 4 samples are fixed (try --dataset moons --${flag} ...)`;
  return undefined;
};

const generated = (o: RunOptions) => BUILT_IN_DATASETS[o.dataset]?.defaults;

/**
 * The settings of a run, in the order --help and the menu list them. To add one: one entry here
 * (its field in RunOptions, parse and check in `apply`, `read` back as the flag's text); the
 * command line, --help, the menu and the `i` command line all follow.
 */
export const RUN_SETTINGS: readonly RunSetting[] = [
  {
    flag: 'dataset',
    value: 'NAME',
    label: 'dataset',
    help: `built-in dataset: ${DATASET_NAMES.join(', ')} (default classic); each brings its preset (see README), which the other settings then change`,
    accepted: `one of ${DATASET_NAMES.join(', ')}`,
    choices: () => DATASET_NAMES,
    describeChoice: (name) => BUILT_IN_DATASETS[name]?.description,
    // A built-in dataset comes with its preset; size and noise go back to its own, and so do the classes where it has only two.
    apply: (o, v) => {
      const dataset = choice('dataset', v, DATASET_NAMES);
      const rest = without(without(without(without(o, 'dataFile'), 'data'), 'size'), 'noise');
      return withPreset({ ...(MANY_CLASS_DATASETS.includes(dataset) ? rest : without(rest, 'classes')), dataset });
    },
    read: (o) => (o.dataFile === undefined ? o.dataset : undefined),
    bringsPreset: true,
  },
  {
    flag: 'data',
    value: 'FILE',
    label: 'data file',
    help: 'CSV (last column is the target) or JSON {"x": [[...]], "y": [...]}; - reads standard input (with --headless)',
    accepted: 'a file name',
    // Samples kept with the options (standard input's) belong to the file they came from.
    apply: (o, v) => withPreset({ ...without(without(without(without(v === o.dataFile ? o : without(o, 'data'), 'size'), 'noise'), 'dataSeed'), 'classes'), dataFile: v }),
    read: (o) => o.dataFile,
    unset: () => 'none',
    bringsPreset: true,
  },
  {
    flag: 'size',
    value: 'N',
    label: 'samples',
    help: 'number of samples of a generated dataset (default 100)',
    accepted: integerAccepted(1, MAX_SAMPLES),
    suggestions: ['50', '100', '200', '500', '1000'],
    apply: (o, v) => ({ ...o, size: number('size', v, integerAccepted(1, MAX_SAMPLES), isInteger(1, MAX_SAMPLES)) }),
    read: (o) => show(o.size),
    unset: (o) => String(generated(o)?.size ?? ''),
    inapplicable: generatedOnly('size'),
  },
  {
    flag: 'noise',
    value: 'X',
    label: 'noise',
    help: 'noise of a generated dataset: the standard deviation added to each coordinate, >= 0',
    accepted: `a number from 0 to ${MAX_NOISE}`,
    suggestions: ['0', '0.05', '0.1', '0.2', '0.5'],
    apply: (o, v) => ({ ...o, noise: number('noise', v, `a number from 0 to ${MAX_NOISE}`, (x) => x >= 0 && x <= MAX_NOISE) }),
    read: (o) => show(o.noise),
    unset: (o) => String(generated(o)?.noise ?? ''),
    inapplicable: generatedOnly('noise'),
  },
  {
    flag: 'data-seed',
    value: 'N',
    label: 'data seed',
    help: `seed of a generated dataset's points, apart from the weights' --seed (default ${DEFAULT_DATA_SEED})`,
    accepted: integerAccepted(0, MAX_SEED),
    apply: (o, v) => ({ ...o, dataSeed: number('data-seed', v, integerAccepted(0, MAX_SEED), isInteger(0, MAX_SEED)) }),
    read: (o) => show(o.dataSeed),
    unset: () => String(DEFAULT_DATA_SEED),
    inapplicable: generatedOnly('data-seed'),
  },
  {
    flag: 'classes',
    value: 'K',
    label: 'classes',
    help: `number of classes of a generated ${MANY_CLASS_DATASETS.join(' or ')}, 2 to ${MAX_CLASSES} (default 2); with 3 or more the network has K outputs, trained with --loss ce`,
    accepted: integerAccepted(2, MAX_CLASSES),
    suggestions: ['2', '3', '4', '5'],
    // The number of classes chooses the preset (softmax cross-entropy from 3 on).
    apply: (o, v) => withPreset({ ...o, classes: number('classes', v, integerAccepted(2, MAX_CLASSES), isInteger(2, MAX_CLASSES)) }),
    read: (o) => show(o.classes),
    unset: () => '2',
    inapplicable: (o) => {
      if (o.dataFile !== undefined) return '--classes applies to generated datasets, not to a data file (its targets say how many classes there are; see --task)';
      if (!MANY_CLASS_DATASETS.includes(o.dataset)) return `--classes applies to ${MANY_CLASS_DATASETS.join(' and ')}; ${o.dataset} has two classes`;
      return undefined;
    },
  },
  {
    flag: 'task',
    value: 'MODE',
    label: 'task',
    help: `what the targets mean: auto (the default: all -1/+1 or all 0/1 is two classes, all of 0..K-1 with 3 <= K <= ${MAX_CLASSES} is K classes, anything else regression), regression or classification`,
    accepted: `one of ${TASK_MODES.join(', ')}`,
    choices: () => TASK_MODES,
    apply: (o, v) => {
      const task = choice<TaskMode>('task', v, TASK_MODES);
      // A regression learns numbers: a classification loss (the preset's, say) gives way to mse.
      return task === 'regression' && LOSSES[o.loss].targets !== 'any' ? { ...o, task, loss: 'mse' } : { ...o, task };
    },
    read: (o) => o.task,
    unset: () => 'auto',
  },
  {
    flag: 'test-fraction',
    value: 'F',
    label: 'held out',
    help: `share of the samples held out for testing, 0 to ${MAX_TEST_FRACTION} (default 0); seeded by --seed, the same share of each class`,
    accepted: `a number from 0 to ${MAX_TEST_FRACTION}`,
    suggestions: ['0', '0.1', '0.2', '0.3', '0.5'],
    apply: (o, v) => {
      const fraction = number('test-fraction', v, `a number from 0 to ${MAX_TEST_FRACTION}`, (x) => x >= 0 && x <= MAX_TEST_FRACTION);
      return fraction > 0 ? { ...o, testFraction: fraction } : without(o, 'testFraction');
    },
    read: (o) => show(o.testFraction),
    unset: () => '0',
  },
  {
    flag: 'scale',
    value: 'MODE',
    label: 'scaling',
    help: 'auto (standardise a data file per input column, and regression targets; the default) or none',
    accepted: `one of ${SCALE_MODES.join(', ')}`,
    choices: () => SCALE_MODES,
    apply: (o, v) => ({ ...o, scale: choice<ScaleMode>('scale', v, SCALE_MODES) }),
    read: (o) => o.scale,
    unset: () => 'auto',
    inapplicable: (o) => (o.dataFile === undefined ? '--scale applies to a data file: built-in datasets are used as generated' : undefined),
  },
  {
    flag: 'layers',
    value: 'N,N',
    label: 'hidden layers',
    help: "hidden layer sizes, like 8,8,4; the output layer follows from the data (default: the dataset's preset)",
    accepted: LAYERS_ACCEPTED,
    suggestions: ['2', '4', '4,4', '8,8', '16,16', '32,32', '8,8,8'],
    apply: (o, v) => ({ ...o, layers: parseLayers(v) }),
    read: (o) => o.layers.join(','),
  },
  {
    flag: 'activation',
    value: 'NAME',
    label: 'activation',
    help: `hidden activation: ${ACTIVATIONS.join(', ')} (default: the preset's)`,
    accepted: `one of ${ACTIVATIONS.join(', ')}`,
    choices: () => ACTIVATIONS,
    apply: (o, v) => ({ ...o, activation: choice<Activation>('activation', v, ACTIVATIONS) }),
    read: (o) => o.activation,
  },
  {
    flag: 'output-activation',
    value: 'NAME',
    label: 'output activation',
    help: `output activation: ${ACTIVATIONS.join(', ')} (default linear; tanh for sse/mse on -1/+1 labels, as in the classic example)`,
    accepted: `one of ${ACTIVATIONS.join(', ')}`,
    choices: () => ACTIVATIONS,
    apply: (o, v) => ({ ...o, outputActivation: choice<Activation>('output-activation', v, ACTIVATIONS) }),
    read: (o) => o.outputActivation,
    unset: () => 'auto',
  },
  {
    flag: 'loss',
    value: 'NAME',
    label: 'loss',
    help: `the quantity training lowers: ${Object.keys(LOSSES).join(', ')} (default: the preset's)`,
    accepted: `one of ${Object.keys(LOSSES).join(', ')}`,
    choices: () => Object.keys(LOSSES),
    describeChoice: (name) => LOSSES[name as LossName]?.description,
    apply: (o, v) => ({ ...o, loss: choice('loss', v, Object.keys(LOSSES) as LossName[]) }),
    read: (o) => o.loss,
  },
  {
    flag: 'l2',
    value: 'X',
    label: 'L2',
    help: "L2 regularisation coefficient, >= 0: pulls every weight towards 0 (default: the preset's)",
    accepted: 'a finite number >= 0',
    suggestions: ['0', '1e-4', '1e-3', '1e-2'],
    apply: (o, v) => ({ ...o, l2: number('l2', v, 'a finite number >= 0', (x) => Number.isFinite(x) && x >= 0) }),
    read: (o) => String(o.l2),
  },
  {
    flag: 'lr',
    value: 'X',
    label: 'learning rate',
    help: "learning rate, > 0: the size of each step against the gradient (default: the preset's); with --lr-schedule, the rate it starts from",
    accepted: 'a finite number > 0',
    suggestions: ['0.001', '0.01', '0.05', '0.1', '0.3', '1'],
    apply: (o, v) => ({ ...o, learningRate: number('lr', v, 'a finite number > 0', (x) => Number.isFinite(x) && x > 0) }),
    read: (o) => String(o.learningRate),
    resumable: true,
  },
  {
    flag: 'lr-schedule',
    value: 'NAME',
    label: 'lr schedule',
    help: 'how the rate moves over the epoch target: constant (the default), linear or cosine (from --lr to --lr-final), step (halve every --lr-step epochs)',
    accepted: `one of ${SCHEDULES.join(', ')}`,
    choices: () => SCHEDULES,
    apply: (o, v) => ({ ...o, lrSchedule: choice<ScheduleName>('lr-schedule', v, SCHEDULES) }),
    read: (o) => o.lrSchedule,
    unset: () => 'constant',
  },
  {
    flag: 'lr-final',
    value: 'X',
    label: 'final lr',
    help: 'with --lr-schedule linear or cosine: the rate it heads for, >= 0 (default 0); epoch k+1 of a target T takes the schedule at k/T, so the last epoch stops one step short of it',
    accepted: 'a finite number >= 0',
    suggestions: ['0', '0.001', '0.01', '0.1'],
    apply: (o, v) => ({ ...o, lrFinal: number('lr-final', v, 'a finite number >= 0', (x) => Number.isFinite(x) && x >= 0) }),
    read: (o) => show(o.lrFinal),
    unset: () => '0',
    inapplicable: (o) =>
      o.lrSchedule === 'linear' || o.lrSchedule === 'cosine' ? undefined : `--lr-final is for --lr-schedule linear or cosine (the schedule is ${o.lrSchedule ?? 'constant'})`,
  },
  {
    flag: 'lr-step',
    value: 'N',
    label: 'lr halving',
    help: `with --lr-schedule step: epochs between halvings of the rate (default ${DEFAULT_LR_STEP})`,
    accepted: integerAccepted(1, MAX_EPOCHS),
    suggestions: ['10', '50', '100', '500'],
    apply: (o, v) => ({ ...o, lrStep: number('lr-step', v, integerAccepted(1, MAX_EPOCHS), isInteger(1, MAX_EPOCHS)) }),
    read: (o) => show(o.lrStep),
    unset: () => String(DEFAULT_LR_STEP),
    inapplicable: (o) => (o.lrSchedule === 'step' ? undefined : `--lr-step is for --lr-schedule step (the schedule is ${o.lrSchedule ?? 'constant'})`),
  },
  {
    flag: 'optimizer',
    value: 'NAME',
    label: 'optimiser',
    help: 'sgd (gradient descent, the default) or adam (with beta1 0.9, beta2 0.999, eps 1e-8)',
    accepted: `one of ${OPTIMIZERS.join(', ')}`,
    choices: () => OPTIMIZERS,
    apply: (o, v) => ({ ...o, optimizer: choice<OptimizerName>('optimizer', v, OPTIMIZERS) }),
    read: (o) => o.optimizer,
    unset: () => 'sgd',
  },
  {
    flag: 'momentum',
    value: 'M',
    label: 'momentum',
    help: 'with sgd: the fraction of the last update carried into the next, 0 to below 1 (default 0)',
    accepted: 'a number from 0 to below 1',
    suggestions: ['0', '0.5', '0.9', '0.99'],
    apply: (o, v) => ({ ...o, momentum: number('momentum', v, 'a number from 0 to below 1', (x) => x >= 0 && x < 1) }),
    read: (o) => show(o.momentum),
    unset: () => '0',
    inapplicable: (o) => (o.optimizer === 'adam' ? '--momentum is for --optimizer sgd; adam keeps its own moment estimates' : undefined),
  },
  {
    flag: 'epochs',
    value: 'N',
    label: 'epoch target',
    help: "epoch target: training pauses there (default: the preset's)",
    accepted: integerAccepted(1, MAX_EPOCHS),
    suggestions: ['100', '200', '500', '1000', '5000'],
    apply: (o, v) => ({ ...o, epochs: number('epochs', v, integerAccepted(1, MAX_EPOCHS), isInteger(1, MAX_EPOCHS)) }),
    read: (o) => String(o.epochs),
    resumable: true,
  },
  {
    flag: 'batch',
    value: 'N',
    label: 'batch size',
    help: 'samples per update (default: all of the training samples); each epoch shuffles them, seeded by --seed, and takes one update per batch',
    accepted: integerAccepted(1, MAX_SAMPLES),
    suggestions: ['1', '8', '16', '32', '64'],
    apply: (o, v) => ({ ...o, batch: number('batch', v, integerAccepted(1, MAX_SAMPLES), isInteger(1, MAX_SAMPLES)) }),
    read: (o) => show(o.batch),
    unset: () => 'all',
  },
  {
    flag: 'seed',
    value: 'N',
    label: 'seed',
    help: 'seed of the initial weights (default 42): the same seed gives the same run',
    accepted: integerAccepted(0, MAX_SEED),
    apply: (o, v) => ({ ...o, seed: number('seed', v, integerAccepted(0, MAX_SEED), isInteger(0, MAX_SEED)) }),
    read: (o) => String(o.seed),
  },
  {
    flag: 'engine',
    value: 'NAME',
    label: 'engine',
    help: 'tape (record one sample once, replay it over the batch: the default) or graph (rebuild the Value graph every step)',
    accepted: `one of ${BACKENDS.join(', ')}`,
    choices: () => BACKENDS,
    apply: (o, v) => ({ ...o, engine: choice<Backend>('engine', v, BACKENDS) }),
    read: (o) => o.engine,
    unset: () => 'tape',
    resumable: true,
  },
];

/** The setting of a flag, if it is one. */
export function runSetting(flag: string): RunSetting | undefined {
  return RUN_SETTINGS.find((s) => s.flag === flag);
}

/** The value a setting shows: as set, or what its being unset means. */
export function shownValue(setting: RunSetting, o: RunOptions): string {
  return setting.read(o) ?? setting.unset?.(o) ?? '';
}
