import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { DATASET_NAMES } from '../data/datasets.js';
import { datasetDigest } from '../data/digest.js';
import { MAX_TEST_FRACTION } from '../data/split.js';
import { MAX_CLASSES, TASK_MODES, type TaskMode } from '../data/task.js';
import { UserError, messageOf } from '../errors.js';
import { writeFileAtomic, type WriteFs } from '../io/atomic-write.js';
import { oneLine } from '../io/one-line.js';
import { readText, shown, STANDARD_INPUT } from '../io/read.js';
import { samplesOf, STANDARD_INPUT_NAME } from '../data/load.js';
import { showJson } from '../io/show-json.js';
import { ACTIVATIONS, type Activation } from '../nn/activation.js';
import { SCALE_MODES, type ScaleMode, type Scaling } from '../data/scaling.js';
import { LOSSES, type LossName } from '../nn/loss.js';
import { OPTIMIZERS, SCHEDULES, type OptimizerName, type OptimizerState, type ScheduleName } from '../nn/optim.js';
import { MAX_EPOCHS, MAX_LAYERS, MAX_LAYER_SIZE, MAX_NOISE, MAX_SAMPLES, MAX_SEED } from './limits.js';
import { BACKENDS, type Backend, type TrainingSession, type SavedTraining } from './session.js';
import { createSession, type RunOptions } from './setup.js';

export const CHECKPOINT_FORMAT = 'micrograd-tui-checkpoint';
/**
 * Version 2 added the optimiser (its kind and state) and the test split (run.testFraction, and the
 * test loss and accuracy in the history); version 1 files still load, with a fresh optimiser.
 */
export const CHECKPOINT_VERSION = 2;
const READABLE_VERSIONS = [1, 2];
/** Larger checkpoints are neither written nor read: about 2 million epochs of history (30 bytes each). */
export const MAX_CHECKPOINT_BYTES = 64 * 1024 * 1024;

/** A checkpoint read back: the run's options (to rebuild the session) and its saved training. */
export interface Checkpoint {
  path: string;
  /** The digest of the data the run was trained on (see datasetDigest); absent in older checkpoints. */
  dataDigest?: string;
  options: RunOptions;
  training: SavedTraining;
  /** The data file's standardisation the run trained with (absent: none). */
  scaling?: Scaling;
}

/**
 * A file name that says what the run is, for a save prompt's default: `moons-16-16-relu-hinge.ckpt`
 * (`points-4-4-tanh-sse.ckpt` for a data file points.csv). Pass '.csv' for a history export.
 */
export function defaultCheckpointName(options: RunOptions, extension = '.ckpt'): string {
  const data =
    options.dataFile === undefined ? options.dataset : options.dataFile === STANDARD_INPUT ? STANDARD_INPUT_NAME : basename(options.dataFile, extname(options.dataFile));
  const name = [data, ...options.layers, options.activation, options.loss].join('-').replace(/[^\w.-]+/g, '_');
  return name + extension;
}

/**
 * Save the session and the options it was built from as a versioned JSON checkpoint, atomically
 * (the previous file stays whole if anything fails). A data file's path is stored relative to the
 * checkpoint, so the two can move together. Throws a one-line UserError.
 */
export function saveCheckpoint(path: string, options: RunOptions, session: TrainingSession, fs?: WriteFs): void {
  const text = checkpointText(path, options, session);
  if (text.length > MAX_CHECKPOINT_BYTES) {
    throw new UserError(
      `${path}: cannot save: the checkpoint would be ${text.length} bytes, over the limit of ${MAX_CHECKPOINT_BYTES} bytes (${session.epoch} epochs of history)`,
    );
  }
  writeFileAtomic(path, text, fs);
}

/** The checkpoint's JSON: small fields one per line, each number array on one line. */
export function checkpointText(path: string, options: RunOptions, session: TrainingSession): string {
  const { learningRate: _lr, epochs: _epochs, dataFile, data: _data, ...rest } = options;
  // Standard input cannot be read again: its samples go into the checkpoint ("data").
  const embedded = dataFile === STANDARD_INPUT;
  const run = dataFile === undefined ? rest : { ...rest, dataFile: embedded ? dataFile : relative(dirname(resolve(path)), resolve(dataFile)) };
  const { x, y } = session.config.dataset;
  const h = session.history;
  const j = JSON.stringify;
  const list = (a: ArrayLike<number>): string => j(Array.from(a)); // NaN becomes null
  const state = (o: OptimizerState): string =>
    `{"steps": ${o.steps}, "buffers": {${Object.entries(o.buffers).map(([name, b]) => `${j(name)}: ${list(b)}`).join(', ')}}}`;
  const lowest = session.lowestLoss();
  const part = session.epochInProgress();
  const restores = h.restorations();
  return [
    '{',
    `  "format": ${j(CHECKPOINT_FORMAT)},`,
    `  "version": ${CHECKPOINT_VERSION},`,
    `  "savedAt": ${j(new Date().toISOString())},`,
    `  "run": ${j(run)},`,
    `  "dataDigest": ${j(datasetDigest(session.config.dataset))},`,
    ...(embedded ? [`  "data": {"x": ${j(x)}, "y": ${j(y)}},`] : []),
    `  "epoch": ${session.epoch},`,
    `  "epochs": ${session.epochs},`,
    `  "learningRate": ${j(session.learningRate)},`,
    `  "parameters": ${list(session.snapshot().map((p) => p.value))},`,
    '  "history": {',
    `    "loss": ${list(h.losses())},`,
    `    "accuracy": ${list(h.accuracies())},`,
    `    "learningRate": ${list(h.learningRates())},`,
    // The held-out samples follow from the run's testFraction and seed; their figures per epoch:
    ...(session.testData === null
      ? []
      : [`    "testLoss": ${list(h.testLosses())},`, `    "testAccuracy": ${list(h.testAccuracies())},`, `    "testR2": ${list(h.testR2s())},`]),
    ...(restores.some((r) => !Number.isNaN(r)) ? [`    "restoredFrom": ${list(restores)},`] : []),
    `    "r2": ${list(h.r2s())}`,
    '  },',
    ...(session.config.scaling === undefined ? [] : [`  "scaling": ${j(session.config.scaling)},`]),
    // Where a divergence goes back to, and what is pending: the resumed run does what this one would have.
    `  "lowest": {"epoch": ${lowest.epoch}, "loss": ${Number.isFinite(lowest.loss) ? j(lowest.loss) : 'null'}, "parameters": ${list(lowest.parameters)}, "optimizerState": ${state(lowest.optimizer)}},`,
    ...(session.restoredFrom === null ? [] : [`  "restoredFrom": ${session.restoredFrom},`]),
    ...(part === null
      ? []
      : [
          `  "epochInProgress": {"batches": ${part.batches}, "lossSum": ${j(part.lossSum)}, "outputs": ${list(part.outputs)}, "parameters": ${list(part.start.parameters)}, "optimizerState": ${state(part.start.optimizer)}},`,
        ]),
    `  "optimizerState": ${state(session.optimizerState())}`,
    '}',
    '',
  ].join('\n');
}

const finite = z
  .number({ invalid_type_error: 'is not a number', required_error: 'is missing' })
  .finite('is not a finite number');
const positive = finite.gt(0, 'must be > 0');
const integer = (lo: number, hi: number): z.ZodNumber =>
  z
    .number({ invalid_type_error: 'is not a number', required_error: 'is missing' })
    .int(`must be an integer from ${lo} to ${hi}`)
    .min(lo, `must be an integer from ${lo} to ${hi}`)
    .max(hi, `must be an integer from ${lo} to ${hi}`);
const choice = <T extends string>(values: readonly T[]): z.ZodType<T, z.ZodTypeDef, string> => {
  const allowed: readonly string[] = values;
  return z
    .string({ invalid_type_error: 'is not a string', required_error: 'is missing' })
    .refine((s): s is T => allowed.includes(s), { message: `must be one of ${values.join(', ')}` });
};
const array = <T extends z.ZodTypeAny>(item: T) =>
  z.array(item, { invalid_type_error: 'is not an array', required_error: 'is missing' });

const standardisation = z.object(
  { mean: finite, std: positive },
  { invalid_type_error: 'is not an object', required_error: 'is missing' },
);

const optimizerState = z.object(
  {
    steps: integer(0, Number.MAX_SAFE_INTEGER),
    buffers: z.record(array(finite), { invalid_type_error: 'is not an object', required_error: 'is missing' }),
  },
  { invalid_type_error: 'is not an object', required_error: 'is missing' },
);

/** An optimiser state as the checkpoint holds it, as the session takes it. */
function optimizerOf(o: z.infer<typeof optimizerState>): OptimizerState {
  return { steps: o.steps, buffers: Object.fromEntries(Object.entries(o.buffers).map(([n, b]) => [n, Float64Array.from(b)])) };
}

const runSchema = z.object(
  {
    dataset: choice(DATASET_NAMES),
    dataFile: z.string({ invalid_type_error: 'is not a string' }).min(1, 'is empty').optional(),
    size: integer(1, MAX_SAMPLES).optional(),
    noise: finite.min(0, `must be from 0 to ${MAX_NOISE}`).max(MAX_NOISE, `must be from 0 to ${MAX_NOISE}`).optional(),
    dataSeed: integer(0, MAX_SEED).optional(),
    classes: integer(2, MAX_CLASSES).optional(),
    task: choice<TaskMode>(TASK_MODES).optional(),
    layers: array(integer(1, MAX_LAYER_SIZE))
      .min(1, `must have 1 to ${MAX_LAYERS} sizes`)
      .max(MAX_LAYERS, `must have 1 to ${MAX_LAYERS} sizes`),
    activation: choice<Activation>(ACTIVATIONS),
    loss: choice(Object.keys(LOSSES) as LossName[]),
    l2: finite.min(0, 'must be >= 0'),
    seed: integer(0, MAX_SEED),
    engine: choice<Backend>(BACKENDS).optional(),
    outputActivation: choice<Activation>(ACTIVATIONS).optional(),
    scale: choice<ScaleMode>(SCALE_MODES).optional(),
    optimizer: choice<OptimizerName>(OPTIMIZERS).optional(),
    momentum: finite.min(0, 'must be from 0 to below 1').lt(1, 'must be from 0 to below 1').optional(),
    testFraction: finite.min(0, `must be from 0 to ${MAX_TEST_FRACTION}`).max(MAX_TEST_FRACTION, `must be from 0 to ${MAX_TEST_FRACTION}`).optional(),
    lrSchedule: choice<ScheduleName>(SCHEDULES).optional(),
    lrFinal: finite.min(0, 'must be >= 0').optional(),
    lrStep: integer(1, MAX_EPOCHS).optional(),
    batch: integer(1, MAX_SAMPLES).optional(),
  },
  { invalid_type_error: 'is not an object', required_error: 'is missing' },
);

const checkpointSchema = z
  .object({
    run: runSchema,
    epoch: integer(0, MAX_EPOCHS),
    epochs: integer(1, MAX_EPOCHS),
    learningRate: positive,
    parameters: array(finite).min(1, 'is empty'),
    history: z.object(
      {
        loss: array(finite),
        accuracy: array(finite.min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').nullable()),
        learningRate: array(positive),
        testLoss: array(finite.nullable()).optional(),
        testAccuracy: array(finite.min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').nullable()).optional(),
        r2: array(finite.max(1, 'must be at most 1').nullable()).optional(),
        testR2: array(finite.max(1, 'must be at most 1').nullable()).optional(),
        restoredFrom: array(integer(1, MAX_EPOCHS + 1).nullable()).optional(),
      },
      { invalid_type_error: 'is not an object', required_error: 'is missing' },
    ),
    data: z.unknown().optional(), // checked by samplesOf when run.dataFile is standard input
    dataDigest: z.string({ invalid_type_error: 'is not a string' }).regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" and 64 hex digits').optional(),
    scaling: z
      .object({ inputs: array(standardisation), target: standardisation.nullable() }, { invalid_type_error: 'is not an object' })
      .optional(),
    optimizerState: optimizerState.optional(),
    lowest: z
      .object(
        { epoch: integer(1, MAX_EPOCHS + 1), loss: finite.nullable(), parameters: array(finite), optimizerState },
        { invalid_type_error: 'is not an object' },
      )
      .optional(),
    restoredFrom: integer(1, MAX_EPOCHS + 1).optional(),
    epochInProgress: z
      .object(
        { batches: integer(1, MAX_SAMPLES), lossSum: finite, outputs: array(finite.nullable()), parameters: array(finite), optimizerState },
        { invalid_type_error: 'is not an object' },
      )
      .optional(),
  })
  .superRefine((c, ctx) => {
    if (c.epochs < c.epoch) ctx.addIssue({ code: 'custom', path: ['epochs'], message: `must be >= epoch (${c.epoch})` });
    for (const key of ['loss', 'accuracy', 'learningRate', 'testLoss', 'testAccuracy', 'r2', 'testR2', 'restoredFrom'] as const) {
      const n = c.history[key]?.length ?? c.epoch;
      if (n !== c.epoch) {
        ctx.addIssue({ code: 'custom', path: ['history', key], message: `has ${n} entries, expected one per epoch (${c.epoch})` });
      }
    }
  });

/**
 * Read and validate a checkpoint. Unknown keys are ignored; every problem is a one-line UserError
 * naming the file and the field, like `run.ckpt: parameters[12] is not a finite number`.
 */
export function loadCheckpoint(path: string): Checkpoint {
  const text = readText(path, MAX_CHECKPOINT_BYTES);
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UserError(`${path}: not valid JSON (${oneLine(messageOf(err))})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || (doc as { format?: unknown }).format !== CHECKPOINT_FORMAT) {
    throw new UserError(`${path}: not a micrograd-tui checkpoint (expected "format": "${CHECKPOINT_FORMAT}")`);
  }
  const version = (doc as { version?: unknown }).version;
  if (typeof version === 'number' && Number.isInteger(version) && version > CHECKPOINT_VERSION) {
    throw new UserError(`${path}: checkpoint version ${version} is newer than this program reads (${CHECKPOINT_VERSION}); upgrade micrograd-tui`);
  }
  if (!READABLE_VERSIONS.includes(version as number)) {
    throw new UserError(`${path}: version must be ${READABLE_VERSIONS.join(' or ')}, got ${showJson(version)}`);
  }

  const result = checkpointSchema.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UserError(`${path}: ${fieldName(issue.path)} ${issue.message}`);
  }
  const c = result.data;
  const { dataFile, ...run } = c.run;
  if (dataFile === STANDARD_INPUT && c.data === undefined) {
    throw new UserError(`${path}: its run read standard input (run.dataFile "-"), but it has no "data" field with those samples`);
  }
  const data = dataFile === STANDARD_INPUT ? { name: STANDARD_INPUT_NAME, source: STANDARD_INPUT, ...samplesOf(c.data, `${path}: data`) } : undefined;
  const options: RunOptions = {
    ...withoutUndefined(run),
    dataset: run.dataset,
    layers: run.layers,
    activation: run.activation,
    loss: run.loss,
    l2: run.l2,
    seed: run.seed,
    ...(dataFile !== undefined && { dataFile: data !== undefined || isAbsolute(dataFile) ? dataFile : resolve(dirname(resolve(path)), dataFile) }),
    ...(data !== undefined && { data }),
    learningRate: c.learningRate,
    epochs: c.epochs,
  };
  const training: SavedTraining = {
    parameters: c.parameters,
    epoch: c.epoch,
    learningRate: c.learningRate,
    epochs: c.epochs,
    history: withoutUndefined(c.history) as SavedTraining['history'],
    ...(c.optimizerState !== undefined && { optimizer: optimizerOf(c.optimizerState) }),
    ...(c.lowest !== undefined && {
      lowest: { epoch: c.lowest.epoch, loss: c.lowest.loss ?? Infinity, parameters: Float64Array.from(c.lowest.parameters), optimizer: optimizerOf(c.lowest.optimizerState) },
    }),
    ...(c.restoredFrom !== undefined && { restoredFrom: c.restoredFrom }),
    ...(c.epochInProgress !== undefined && {
      epochInProgress: {
        batches: c.epochInProgress.batches,
        lossSum: c.epochInProgress.lossSum,
        outputs: Float64Array.from(c.epochInProgress.outputs, (x) => x ?? Number.NaN),
        start: { parameters: Float64Array.from(c.epochInProgress.parameters), optimizer: optimizerOf(c.epochInProgress.optimizerState) },
      },
    }),
  };
  return {
    path,
    options,
    training,
    ...(c.dataDigest !== undefined && { dataDigest: c.dataDigest }),
    ...(c.scaling !== undefined && { scaling: c.scaling }),
  };
}

/**
 * Put a checkpoint's saved training into a session built from its options, checking the architecture:
 * the session's parameter count must match the saved parameters.
 */
export function restoreCheckpoint(checkpoint: Checkpoint, session: TrainingSession): void {
  const { path, options, training } = checkpoint;
  if (session.parameterCount !== training.parameters.length) {
    const inputs = session.model.sizes[0];
    throw new UserError(
      `${path}: parameters has ${training.parameters.length} numbers, but layers ${options.layers.join(',')} on ${inputs} inputs need ${session.parameterCount}`,
    );
  }
  try {
    session.restore(training);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${path}: ${err.message}`);
    throw err;
  }
}

/** Load a checkpoint and build the session it describes, ready to continue where it stopped. */
export function openCheckpoint(path: string): { options: RunOptions; session: TrainingSession } {
  const checkpoint = loadCheckpoint(path);
  const opened = sessionFor(checkpoint);
  restoreCheckpoint(checkpoint, opened.session);
  return opened;
}

/**
 * A new session for the checkpoint's run (`copies` as for createSession), and the run options that
 * describe it; a data file that cannot be read is named with the checkpoint. Checkpoints saved
 * before `--task` existed trained 0/1 and 0..K-1 targets as numbers (one output): when only that
 * reading fits the saved data and parameters, the run goes on as the regression it was, and its
 * options say so.
 */
export function sessionFor(checkpoint: Checkpoint, copies = 1): { options: RunOptions; session: TrainingSession } {
  const { path, options, dataDigest, training } = checkpoint;
  const session = rebuild(checkpoint, options, copies);
  const sameData = (s: TrainingSession) => dataDigest === undefined || datasetDigest(s.config.dataset) === dataDigest;
  if (options.task === undefined && !(sameData(session) && session.parameterCount === training.parameters.length)) {
    const asNumbers: RunOptions = { ...options, task: 'regression' };
    const before = rebuild(checkpoint, asNumbers, copies);
    if (sameData(before) && before.parameterCount === training.parameters.length) return { options: asNumbers, session: before };
  }
  if (sameData(session)) return { options, session };
  throw new UserError(
    options.dataFile !== undefined
      ? `${path}: its data file ${shown(options.dataFile)} has changed since the checkpoint was saved (the numbers differ); restore that file, or start a new run on it`
      : `${path}: the ${options.dataset} data this program makes differs from the data the checkpoint was saved with; start a new run`,
  );
}

function rebuild(checkpoint: Checkpoint, options: RunOptions, copies: number): TrainingSession {
  try {
    return createSession(options, checkpoint.scaling, copies);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${checkpoint.path}: cannot rebuild its run: ${err.message}`);
    throw err;
  }
}

/** The object without its undefined fields: optional run options are absent, never undefined. */
function withoutUndefined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** `['history', 'loss', 3]` becomes `history.loss[3]`. */
function fieldName(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the checkpoint';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
