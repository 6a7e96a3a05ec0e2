/**
 * The backprop walk (`b`) on the largest network the trainer accepts: moons, 8 hidden layers of
 * 256 relu. Every key of a walk through a step, with the frame it leads to (the walk's view
 * rendered at 80x24), is timed against one training step (`s`) of the same session, measured in
 * the same process: the walk builds only the followed neuron and the loss and runs the tape on
 * one sample at most, so a key must cost a small fraction of a step. Prints JSON with `--json`,
 * else a table; run by `npm run bench` (bench/run.ts), or on its own: `node dist/bench/walk.js`.
 */
import { performance } from 'node:perf_hooks';
import { renderToString } from 'ink';
import { createElement } from 'react';
import { StepWalk } from '../src/learn/walk.js';
import { MAX_LAYER_SIZE, MAX_LAYERS } from '../src/train/limits.js';
import { withPreset } from '../src/train/presets.js';
import { createSession, DEFAULT_RUN_OPTIONS } from '../src/train/setup.js';
import { WalkView } from '../src/tui/WalkView.js';

export interface WalkFigures {
  network: string;
  /** Median ms of a training step. */
  stepMs: number;
  /** Slowest ms of each key (best of the repeats), and as a multiple of a step. */
  keys: { key: string; ms: number; steps: number }[];
  targets: { name: string; value: string; passed: boolean }[];
}

/**
 * Opening computes the step's gradient as `s` does (one step's forward and backward), the L2
 * penalty's share and the loss over every output: within 2.5 steps.
 */
const OPEN_STEPS = 2.5;
/**
 * Any other key builds one neuron, runs the tape on one sample at most (of 100) and draws a
 * frame; shift-tab around to the last sample also takes the L2 penalty's share (once a walk):
 * a frame within 100 ms of the key, issue 13's words. (Until session 4 this was 0.15 of a step,
 * about 100 ms when a step of this network took 0.6 to 1.5 s; steps now take 0.2 to 0.3 s, and
 * a one-sample replay reads all 461k parameters, so the keys cannot shrink with the step.)
 */
const KEY_MS = 100;
const REPEATS = 3;

const KEYS: [string, (walk: StepWalk) => void][] = [
  ['tab', (w) => w.changeSample(1)],
  ['enter', (w) => w.endPhase()],
  ['s (into loss)', (w) => w.next()],
  ['enter', (w) => w.endPhase()],
  ['s (into zero grad)', (w) => w.next()],
  ['enter', (w) => w.endPhase()],
  ['s (into backward)', (w) => w.next()],
  ['enter (end of backward)', (w) => w.endPhase()],
  ['↓ (another neuron)', (w) => w.changeNeuron(1)],
  ['tab (in backward)', (w) => w.changeSample(1)],
  ['shift-tab (in backward)', (w) => w.changeSample(-1)],
  ['shift-tab (in backward, to sample 1)', (w) => w.changeSample(-1)],
  ['shift-tab (around to the last sample)', (w) => w.changeSample(-1)],
  ['s (into update)', (w) => (w.endPhase(), w.next())],
];

/** The frame a key leads to: the walk's view at 80x24, as the trainer draws it. */
function frame(walk: StepWalk): string {
  return renderToString(createElement(WalkView, { walk, lossName: 'hinge', width: 80, height: 21 }), { columns: 80 });
}

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function measureWalk(): WalkFigures {
  const layers = Array.from({ length: MAX_LAYERS }, () => MAX_LAYER_SIZE);
  const session = createSession({ ...withPreset({ ...DEFAULT_RUN_OPTIONS, dataset: 'moons' }), layers });
  session.step(); // warm up the tape
  const stepMs = median(Array.from({ length: 5 }, () => time(() => session.step())));
  const best = new Map<string, number>();
  const keep = (key: string, ms: number): void => void best.set(key, Math.min(best.get(key) ?? Number.POSITIVE_INFINITY, ms));
  for (let r = 0; r < REPEATS; r++) {
    let walk: StepWalk | null = null;
    keep('b (open)', time(() => frame((walk = new StepWalk(session, { parameter: 2 * MAX_LAYER_SIZE + 300 })))));
    for (const [key, press] of KEYS) {
      const w = walk as unknown as StepWalk;
      keep(key, time(() => (press(w), frame(w))));
    }
  }
  const keys = [...best].map(([key, ms]) => ({ key, ms, steps: ms / stepMs }));
  const open = keys[0] as { ms: number; steps: number };
  const others = keys.slice(1);
  const worst = others.reduce((a, b) => (b.ms > a.ms ? b : a));
  return {
    network: `moons, MLP 2-${layers.join('-')}-1 relu`,
    stepMs,
    keys,
    targets: [
      { name: `walk: b opens within ${OPEN_STEPS} steps`, value: `${open.steps.toFixed(2)} steps (${open.ms.toFixed(0)} ms)`, passed: open.steps <= OPEN_STEPS },
      { name: `walk: every other key and its frame within ${KEY_MS} ms`, value: `${worst.key} ${worst.ms.toFixed(1)} ms (${worst.steps.toFixed(3)} steps)`, passed: worst.ms <= KEY_MS },
    ],
  };
}

if (process.argv[1]?.endsWith('walk.js')) {
  const figures = measureWalk();
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(figures));
  else {
    console.log(`${figures.network}: one step ${figures.stepMs.toFixed(0)} ms`);
    for (const k of figures.keys) console.log(`  ${k.key.padEnd(40)} ${k.ms.toFixed(1).padStart(8)} ms  ${k.steps.toFixed(3)} steps`);
    for (const t of figures.targets) console.log(`${t.passed ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value}`);
  }
}
