export { Value, Op, topologicalOrder } from './engine/value.js';
export type { Operand, OpCode } from './engine/value.js';
export { OPS, PRIMITIVES, ruleOf, ruleNamed } from './engine/ops.js';
export type { OpRule, PrimitiveOp } from './engine/ops.js';
export { trace, toDot, toTextTree } from './engine/graph.js';
export type { Trace } from './engine/graph.js';
export { Module, Neuron, Layer, MLP } from './nn/mlp.js';
export type { MLPOptions } from './nn/mlp.js';
export { ACTIVATIONS } from './nn/activation.js';
export type { Activation } from './nn/activation.js';
export {
  sumSquaredError,
  meanSquaredError,
  hingeLoss,
  binaryCrossEntropy,
  crossEntropy,
  softmaxCrossEntropy,
  softmax,
  oneHot,
  l2Regularization,
  lossFunction,
  batchLoss,
  reduceTerms,
  softplus,
  accuracy,
  classAccuracy,
  argmax,
  LOSSES,
} from './nn/loss.js';
export type { LossName, LossDefinition } from './nn/loss.js';
export { CompiledLoss, columnsOf } from './nn/compiled.js';
export type { Batch } from './nn/compiled.js';
export { ColumnTape } from './engine/column-tape.js';
export type { ColumnTapeSpec } from './engine/column-tape.js';
export { SGD, Adam, makeOptimizer, OPTIMIZERS, constantLr, linearDecay } from './nn/optim.js';
export type { SGDOptions, AdamOptions, Optimizer, OptimizerName, OptimizerState, Schedule } from './nn/optim.js';
export { Rng } from './rng.js';
export { isClassification, isBinary, outputCount } from './data/dataset.js';
export { detectTask, withTask, taskOf, taskLabel, TASK_MODES, MAX_CLASSES } from './data/task.js';
export type { Task, TaskMode } from './data/task.js';
export type { Dataset } from './data/dataset.js';
export { makeDataset, BUILT_IN_DATASETS, DATASET_NAMES } from './data/datasets.js';
export type { GenerateOptions } from './data/datasets.js';
export { loadDataset } from './data/load.js';
export { TrainingSession, defaultOutputActivation, defaultBackend, BACKENDS } from './train/session.js';
export type { TrainingConfig, StepReport, Evaluation, ParameterSnapshot, SessionStatus } from './train/session.js';
export { History } from './train/history.js';
export { UserError } from './errors.js';
export type { SavedTraining, Backend } from './train/session.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  restoreCheckpoint,
  openCheckpoint,
  defaultCheckpointName,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  MAX_CHECKPOINT_BYTES,
} from './train/checkpoint.js';
export type { Checkpoint } from './train/checkpoint.js';
export { historyCsv, exportHistory } from './train/export.js';
export { writeFileAtomic } from './io/atomic-write.js';
