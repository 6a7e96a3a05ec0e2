import { freemem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { UserError } from '../errors.js';
import { defaultBackend, type TrainingConfig } from './session.js';

/*
 * V8 aborts the whole process when its heap runs out ("heap out of memory", exit 134), and no
 * handler can save anything or restore the terminal then; a typed array too large for the free
 * memory fails the same way or swaps the machine to a crawl. So a setup is sized before it is
 * built, and one that will not fit is refused in one line. The figures below were measured on
 * Node 20 (x64): `new Value(...).add(...)` chains of a million nodes, and the heap and
 * arrayBuffers of moons sessions of 5000 samples after a step on each engine.
 */

/**
 * A node of a step's Value graph while the step runs: the object (80 bytes), a 16-byte box for
 * each of its two numbers (Node 20 keeps no double inside an object), and room to spare.
 * Measured: the moons-100 step's graph, 68,814 nodes, holds 108 bytes a node after backward
 * (%DebugPrint: instance size 80, data and grad HeapNumbers).
 */
const GRAPH_BYTES_PER_NODE = 128;
/** A sample's row of numbers in the heap: the array and its elements' store, kept raw, scaled and split (3 copies). */
const ROW_BYTES = 48;
const ROW_COPIES = 3;
/** A sample's outputs, loss terms and evaluations in the heap, besides its rows. */
const SAMPLE_BYTES = 256;
/** The tape keeps a value and a gradient (8 bytes each) per column per sample. */
const TAPE_BYTES_PER_COLUMN = 16;
/** Only this share of what is free is planned for: the rest is the program itself and what the estimate misses. */
const USABLE = 0.8;

const GB = 1024 ** 3;
const MB = 1024 ** 2;

/** What a setup needs in each kind of memory, for one copy of its session. */
export interface MemoryNeed {
  /** JavaScript heap: the rows, the model's graph, and with the graph engine a step's whole graph. */
  heap: number;
  /** Typed arrays, outside the heap: the tape's columns. */
  arrays: number;
}

/** What the process may use: the room left in its heap, and the machine's (or container's) available memory. */
export interface MemoryBudget {
  heap: number;
  free: number;
}

/** The shape of a setup, all the estimate needs. */
export interface SetupShape {
  samples: number;
  inputs: number;
  layers: readonly number[];
  graph: boolean;
}

/** Nodes of one sample's graph: per neuron, a product and a sum per input and its activation; then the loss term. */
function nodesPerSample({ inputs, layers }: SetupShape): number {
  let fanIn = inputs;
  let nodes = 8;
  for (const size of [...layers, 1]) {
    nodes += size * (2 * fanIn + 1);
    fanIn = size;
  }
  return nodes;
}

/** Tape columns a sample takes: its inputs and target numbers, then per neuron its weighted sum and its activation. */
function columnsPerSample({ inputs, layers }: SetupShape): number {
  return inputs + 8 + 2 * [...layers, 1].reduce((a, b) => a + b, 0);
}

/** Bytes a sample costs, per kind of memory. */
function perSample(shape: SetupShape): MemoryNeed {
  const rows = ROW_COPIES * (ROW_BYTES + 8 * (shape.inputs + 1)) + SAMPLE_BYTES;
  return {
    heap: rows + (shape.graph ? GRAPH_BYTES_PER_NODE * nodesPerSample(shape) : 0),
    arrays: TAPE_BYTES_PER_COLUMN * columnsPerSample(shape),
  };
}

/** The memory one copy of a session of this shape needs. */
export function memoryNeed(shape: SetupShape): MemoryNeed {
  const each = perSample(shape);
  // The model's own one-sample graph, recorded once for the tape.
  const model = GRAPH_BYTES_PER_NODE * nodesPerSample(shape);
  return { heap: model + each.heap * shape.samples, arrays: each.arrays * shape.samples };
}

/** The room this process has now. */
export function memoryBudget(): MemoryBudget {
  const heap = getHeapStatistics();
  const limit = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  const inContainer = limit > 0 && limit < Number.MAX_SAFE_INTEGER ? limit - process.memoryUsage().rss : Infinity;
  return { heap: heap.heap_size_limit - heap.used_heap_size, free: Math.min(freemem(), inContainer) };
}

/** `3.2 GB`, `640 MB`. */
export function formatBytes(bytes: number): string {
  return bytes >= GB ? `${(bytes / GB).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / MB))} MB`;
}

/** The shape of a session config: every sample is in the tape's columns or a step's graph at once. */
export function shapeOf(config: Readonly<TrainingConfig>): SetupShape {
  return {
    samples: config.dataset.y.length,
    inputs: config.dataset.x[0]?.length ?? 0,
    layers: config.layers,
    graph: (config.engine ?? defaultBackend(config.loss)) === 'graph',
  };
}

/**
 * Refuse, with a UserError that says how big the setup is and what fits, a session that would
 * not fit in memory: one copy against the room left in the heap (each copy has a heap of its
 * own), and `copies` of it (the trainer keeps two: the screen's and the worker's) against the
 * free memory.
 */
export function checkMemory(shape: SetupShape, copies = 1, budget: MemoryBudget = memoryBudget()): void {
  const need = memoryNeed(shape);
  const each = perSample(shape);
  const heapRoom = USABLE * budget.heap;
  const freeRoom = USABLE * budget.free;
  const total = copies * (need.heap + need.arrays);
  const heapShort = need.heap > heapRoom;
  if (!heapShort && total <= freeRoom) return;
  const model = need.heap - each.heap * shape.samples;
  const fits = Math.floor(Math.min((heapRoom - model) / each.heap, (freeRoom / copies - model) / (each.heap + each.arrays)));
  const setup = `${shape.samples} samples of ${shape.inputs} inputs on layers ${shape.layers.join(',')}${shape.graph ? ' with --engine graph' : ''}`;
  const copied = copies > 1 ? ` in ${copies} copies (the screen's and the training's)` : '';
  const size = heapShort
    ? `needs about ${formatBytes(need.heap)} of JavaScript heap${shape.graph ? ' a step' : ''}, more than fits in its ${formatBytes(budget.heap)}`
    : `needs about ${formatBytes(total)} of memory${copied}, more than fits in the ${formatBytes(budget.free)} free`;
  const fit = fits < 1 ? 'not even one sample fits with these layers: choose smaller layers' : `about ${fits} samples fit with these layers, or choose smaller layers`;
  const tape = heapShort && shape.graph ? ' (or --engine tape, which needs far less)' : '';
  throw new UserError(`too big for memory: ${setup} ${size}; ${fit}${tape}`);
}
