/** What runs inside one benchmark process: time one engine on one workload, or watch its heap. */
import { performance } from 'node:perf_hooks';
import { WORKLOADS, type EngineName, type Runner, type Workload } from './workloads.js';

export interface Measurement {
  workload: string;
  engine: EngineName;
  /** Building the runner (CPU ms): the model and, for the tape, recording it and laying out the data. */
  setupMs: number;
  /** The median step in CPU ms (see `cpuMs`). */
  medianMs: number;
  /** Total CPU time over the timed steps: unlike the median, it includes every garbage collection. */
  meanMs: number;
  /** The median step in wall-clock ms, which a busy machine lengthens by the time other processes run. */
  wallMedianMs: number;
  timedSteps: number;
  stepsPerSecond: number;
  /** Largest heap in use at a step's high point. */
  peakHeapMB: number;
  /**
   * Heap a step adds at its high point over the heap before it (after a full collection); the
   * median of a few steps, since V8's bookkeeping now and then adds megabytes to one of them.
   */
  stepHeapMB: number;
  /** The checked results: the first `checkSteps` steps from the initial state. */
  results: number[];
}

export interface SteadyHeap {
  workload: string;
  engine: EngineName;
  steps: number;
  every: number;
  /** Heap in use after a full collection, every `every` steps, from the first sample on. */
  samples: number[];
  /**
   * Lowest of the last five samples minus the lowest of the first five: a leak raises every
   * reading, while single readings jump by a few hundred KiB either way with V8's bookkeeping.
   */
  growthBytes: number;
  passed: boolean;
}

const MIN_TIMED_MS = 1500;
const MAX_TIMED_STEPS = 20_000;
const MEMORY_STEPS = 5;
/** Allowed heap growth over the steady run: about 7 bytes a step, far less than one Value. */
const STEADY_SLACK_BYTES = 64 * 1024;

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  gc();
}

/**
 * CPU time this process has used, in ms: every thread of it (the garbage collector's helpers and
 * the compiler's included), but not the time other processes hold the cores. On a machine shared
 * with other people's builds a step's wall-clock time grows with their load; its CPU time barely
 * does, so ratios measured in it hold from one run to the next.
 */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

function load(name: string): Workload {
  const make = WORKLOADS[name];
  if (make === undefined) throw new Error(`unknown workload ${name}`);
  return make();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The first `checkSteps` results from the initial state; this run doubles as the warm-up. */
function check(workload: Workload, runner: Runner): number[] {
  runner.reset();
  const results: number[] = [];
  for (let k = 0; k < workload.checkSteps; k++) results.push(runner.step(k % workload.period));
  return results;
}

export function measure(name: string, engine: EngineName): Measurement {
  const workload = load(name);
  const t0 = cpuMs();
  const runner = workload.make(engine);
  const setupMs = cpuMs() - t0;
  const results = check(workload, runner);

  runner.reset();
  const times: number[] = [];
  const walls: number[] = [];
  let k = 0;
  const start = performance.now();
  while (times.length < MAX_TIMED_STEPS && (times.length < workload.minTimedSteps || performance.now() - start < MIN_TIMED_MS)) {
    if (k === workload.period) {
      runner.reset();
      k = 0;
    }
    const w = performance.now();
    const c = cpuMs();
    runner.step(k++);
    times.push(cpuMs() - c);
    walls.push(performance.now() - w);
  }
  const medianMs = median(times);
  const meanMs = times.reduce((a, b) => a + b, 0) / times.length;

  let peak = 0;
  const added: number[] = [];
  for (let i = 0; i < MEMORY_STEPS; i++) {
    if (k === workload.period) {
      runner.reset();
      k = 0;
    }
    collect();
    const before = heapUsed();
    runner.step(k++, () => {
      const now = heapUsed();
      peak = Math.max(peak, now);
      added.push(now - before);
    });
  }

  return {
    workload: name,
    engine,
    setupMs,
    medianMs,
    meanMs,
    wallMedianMs: median(walls),
    timedSteps: times.length,
    stepsPerSecond: 1000 / medianMs,
    peakHeapMB: peak / 1048576,
    stepHeapMB: median(added) / 1048576,
    results,
  };
}

/** Heap after a full collection every `steps / 10` steps of the classic workload. */
export function steadyHeap(engine: EngineName, steps: number): SteadyHeap {
  const workload = load('classic');
  const runner = workload.make(engine);
  const every = steps / 10;
  const samples: number[] = [];
  for (let i = 1; i <= steps; i++) {
    runner.step((i - 1) % workload.period);
    if (i % every === 0) {
      collect();
      samples.push(heapUsed());
    }
  }
  const half = samples.length / 2;
  const growthBytes = Math.min(...samples.slice(half)) - Math.min(...samples.slice(0, half));
  return { workload: 'classic', engine, steps, every, samples, growthBytes, passed: growthBytes <= STEADY_SLACK_BYTES };
}
