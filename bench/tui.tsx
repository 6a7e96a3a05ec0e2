/**
 * `npm run bench:tui`: the terminal trainer in play mode on moons-1000 with MLP(2,[32,32,1]),
 * against the headless step rate measured in the same process, in alternating windows (see
 * uiRate). The real App is rendered by Ink into an 80x24 fake terminal. Training and drawing
 * are timed alone, then keys are written to its stdin every 120 ms and timed until the frame
 * that shows their effect; then moons-10000, and the first frames of the big setup and of the
 * classic example. Prints the figures and the targets of issues 4 and 9 (`--json` for a JSON
 * document); exits 1 when a target is missed.
 */
import { render } from 'ink';
import { createSession, type RunOptions } from '../src/train/setup.js';
import type { TrainingSession } from '../src/train/session.js';
import { App } from '../src/tui/App.js';
import { BackgroundTrainer } from '../src/train/background.js';
import { Controller } from '../src/tui/controller.js';
import { fakeTerminal } from './fake-terminal.js';
import { latency, type TerminalUiFigures, type UiFigures } from './tui-figures.js';

const OPTIONS: RunOptions = {
  dataset: 'moons',
  size: 1000,
  layers: [32, 32],
  activation: 'relu',
  loss: 'hinge',
  l2: 1e-4,
  learningRate: 0.1,
  epochs: 10_000_000,
  seed: 42,
};
const WARMUP_MS = 1500;
const MEASURE_MS = 5000;
const KEY_EVERY_MS = 120;
/** First frames of each setup measured (see firstFrames). */
const FIRST_FRAMES = 5;
/** Windows of play and of the headless loop, alternating, over MEASURE_MS each (see uiRate). */
const WINDOWS = 5;
/** The chart's top border as `o` leaves it: the title says the scale drawn. */
const LOG_TITLE = '─ loss (log) ─';
const LINEAR_TITLE = '─ loss ─';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
}

/** Steps of `session` alone in this thread for about `ms`: the headless loop. */
function stepFor(session: TrainingSession, ms: number): { steps: number; ms: number } {
  const start = performance.now();
  let steps = 0;
  while (performance.now() - start < ms) {
    session.step();
    steps++;
  }
  return { steps, ms: performance.now() - start };
}

const until = async (done: () => boolean): Promise<void> => {
  while (!done()) await sleep(1);
};

/**
 * The trainer playing `options`, then keys pressed meanwhile when `keys`. With a `headless`
 * session, play alternates with the headless loop on it, WINDOWS times each, so that a change
 * in the machine's load (other processes come and go on a shared machine) weighs on both rates
 * alike; each rate is the sum of its windows' steps over the sum of their times. The trainer's
 * steps are counted between the first and the last progress report of a window: its rate while
 * playing, without the moment that space takes to start the worker again.
 */
async function uiRate(options: RunOptions, { keys, headless }: { keys: boolean; headless?: TrainingSession }): Promise<UiFigures & { headless: number | null }> {
  const controller = new Controller({ run: options, background: (config, events) => new BackgroundTrainer(config, events) }); // as src/tui/start.tsx does
  const { stdout, stdin } = fakeTerminal();
  let frames = 0;
  let bytes = 0;
  let mapFrames = 0;
  let pending: { marker: string; sent: number } | null = null;
  const latencies: number[] = [];
  let pressed = 0;
  stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (chunk.toString('utf8').includes('─ boundary ─')) mapFrames++; // the learned-function panel is on screen
    if (pending !== null && chunk.toString('utf8').includes(pending.marker)) {
      latencies.push(performance.now() - pending.sent);
      pending = null;
    }
  });
  // Every change of epoch the screen takes on: the worker's progress reports.
  let reports: { time: number; epoch: number }[] = [];
  controller.subscribe(() => {
    const epoch = controller.session.epoch;
    if (epoch !== reports.at(-1)?.epoch) reports.push({ time: performance.now(), epoch });
  });
  const instance = render(<App controller={controller} />, {
    stdout,
    stdin,
    maxFps: 1000, // as in src/tui/start.tsx: the App paces itself
    patchConsole: false,
    exitOnCtrlC: false,
    onRender: () => frames++,
  });
  if (headless !== undefined) stepFor(headless, WARMUP_MS);
  await sleep(100);
  const space = async (playing: boolean): Promise<void> => {
    stdin.write(' '); // play or pause, as a user would
    await until(() => controller.playing === playing);
  };
  await space(true);
  await sleep(WARMUP_MS);

  // First the pace of training and drawing alone, then the answer to keys pressed meanwhile.
  const windows = headless === undefined ? 1 : WINDOWS;
  const ui = { steps: 0, ms: 0, frames: 0, bytes: 0, playMs: 0 };
  const alone = { steps: 0, ms: 0 };
  for (let w = 0; w < windows; w++) {
    if (w > 0) await space(true);
    reports = [];
    const start = { time: performance.now(), frames, bytes };
    await sleep(MEASURE_MS / windows);
    const [first, last] = [reports[0], reports.at(-1)];
    if (first !== undefined && last !== undefined) {
      ui.steps += last.epoch - first.epoch;
      ui.ms += last.time - first.time;
    }
    ui.frames += frames - start.frames;
    ui.bytes += bytes - start.bytes;
    ui.playMs += performance.now() - start.time;
    if (headless === undefined) continue;
    await space(false);
    const run = stepFor(headless, MEASURE_MS / windows);
    alone.steps += run.steps;
    alone.ms += run.ms;
  }
  if (headless !== undefined) await space(true);

  const start = performance.now();
  let logScale = false;
  while (keys && performance.now() - start < MEASURE_MS) {
    // `o` toggles the chart's log scale; the chart's title shows the answer (LossChart's chartTitle).
    logScale = !logScale;
    pending = { marker: logScale ? LOG_TITLE : LINEAR_TITLE, sent: performance.now() };
    pressed++;
    stdin.write('o');
    await sleep(KEY_EVERY_MS);
    pending = null; // not answered in time: counted as pressed, not answered
  }
  const figures = {
    stepsPerSecond: (1000 * ui.steps) / ui.ms,
    headless: headless === undefined ? null : (1000 * alone.steps) / alone.ms,
    framesPerSecond: (1000 * ui.frames) / ui.playMs,
    bytesPerSecond: (1000 * ui.bytes) / ui.playMs,
    keyLatencyP50Ms: latencies.length === 0 ? null : percentile(latencies, 0.5),
    keyLatencyP99Ms: latencies.length === 0 ? null : percentile(latencies, 0.99),
    keys: pressed,
    keysAnswered: latencies.length,
    mapFrames,
  };
  controller.dispose();
  instance.unmount();
  return figures;
}

/** Milliseconds from building the session to the App's first frame, as `npm start` opens. */
async function firstFrameMs(options: RunOptions): Promise<number> {
  const { stdout, stdin } = fakeTerminal();
  const start = performance.now();
  let shown = 0;
  const controller = new Controller({ run: options, background: (config, events) => new BackgroundTrainer(config, events) });
  const instance = render(<App controller={controller} />, {
    stdout,
    stdin,
    maxFps: 1000,
    patchConsole: false,
    exitOnCtrlC: false,
    onRender: () => (shown ||= performance.now() - start),
  });
  while (shown === 0) await sleep(1);
  controller.dispose();
  instance.unmount();
  return shown;
}

/**
 * The median of FIRST_FRAMES first frames of each setup, alternating (the first of all warms the
 * code up): on a shared machine one frame in three or four lands on a burst of other work.
 */
async function firstFrames(): Promise<{ classic: number; big: number }> {
  const classic: number[] = [];
  const big: number[] = [];
  await firstFrameMs({ ...OPTIONS, dataset: 'classic', layers: [4, 4], activation: 'tanh', loss: 'sse', l2: 0 });
  for (let i = 0; i < FIRST_FRAMES; i++) {
    classic.push(await firstFrameMs({ ...OPTIONS, dataset: 'classic', layers: [4, 4], activation: 'tanh', loss: 'sse', l2: 0 }));
    big.push(await firstFrameMs(OPTIONS));
  }
  return { classic: percentile(classic, 0.5), big: percentile(big, 0.5) };
}

const json = process.argv.includes('--json');
const firstFrame = await firstFrames();
const { headless: measuredHeadless, ...ui } = await uiRate(OPTIONS, { keys: true, headless: createSession(OPTIONS) });
const headless = measuredHeadless as number;
const share = ui.stepsPerSecond / headless;
const { headless: _, ...tenThousand } = await uiRate({ ...OPTIONS, size: 10_000 }, { keys: false });
const targets = [
  { name: 'UI step rate >= 90% of headless', value: `${(100 * share).toFixed(1)}%`, passed: share >= 0.9 },
  {
    name: 'the trainer on moons-10000 MLP(2,[32,32,1]) plays >= 10 steps/s',
    value: `${tenThousand.stepsPerSecond.toFixed(1)} steps/s (${tenThousand.framesPerSecond.toFixed(1)} frames/s, map ${tenThousand.mapFrames} frames)`,
    passed: tenThousand.stepsPerSecond >= 10 && tenThousand.mapFrames > 0,
  },
  { name: 'the boundary map is on screen while measured', value: `${ui.mapFrames} frames`, passed: ui.mapFrames > 0 },
  { name: 'frames per second >= 15', value: ui.framesPerSecond.toFixed(1), passed: ui.framesPerSecond >= 15 },
  {
    name: 'every key answered, <= 50 ms at p99',
    value: `p99 ${latency(ui.keyLatencyP99Ms)}, ${ui.keysAnswered} of ${ui.keys} keys answered`,
    passed: ui.keys > 0 && ui.keysAnswered === ui.keys && ui.keyLatencyP99Ms !== null && ui.keyLatencyP99Ms <= 50,
  },
  { name: 'bytes to the terminal while playing <= 200 KB/s', value: `${(ui.bytesPerSecond / 1000).toFixed(1)} KB/s`, passed: ui.bytesPerSecond <= 200_000 },
  {
    name: 'first frame on moons-1000 MLP(2,[32,32,1]) <= 1.5x the classic example\'s',
    value: `${firstFrame.big.toFixed(0)} ms against ${firstFrame.classic.toFixed(0)} ms (${(firstFrame.big / firstFrame.classic).toFixed(2)}x)`,
    passed: firstFrame.big <= 1.5 * firstFrame.classic,
  },
];

if (json) {
  const figures: TerminalUiFigures = { workload: 'moons-1000 MLP(2,[32,32,1]) tape, 80x24', headless, ui, tenThousand, firstFrame, targets };
  console.log(JSON.stringify(figures, null, 2));
} else {
  console.log('terminal trainer, play mode: moons-1000, MLP(2,[32,32,1]), tape engine, 80x24');
  console.log(`  headless           ${headless.toFixed(1)} steps/s`);
  console.log(`  UI                 ${ui.stepsPerSecond.toFixed(1)} steps/s (${(100 * share).toFixed(1)}% of headless)`);
  console.log(`  frames             ${ui.framesPerSecond.toFixed(1)} per second, ${(ui.bytesPerSecond / 1000).toFixed(1)} KB/s to the terminal`);
  console.log(`  first frame        ${firstFrame.big.toFixed(0)} ms on this setup, ${firstFrame.classic.toFixed(0)} ms on the classic example`);
  console.log(`  moons-10000        ${tenThousand.stepsPerSecond.toFixed(1)} steps/s in the trainer`);
  console.log(`  key to frame       p50 ${latency(ui.keyLatencyP50Ms)}, p99 ${latency(ui.keyLatencyP99Ms)}, ${ui.keysAnswered} of ${ui.keys} keys answered`);
  for (const t of targets) console.log(`  ${t.passed ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value}`);
}
process.exitCode = targets.every((t) => t.passed) ? 0 : 1;
