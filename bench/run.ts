/**
 * `npm run bench`: every workload on every engine, each in a fresh Node process (so one engine's
 * garbage and JIT state cannot slow another), then the table, the correctness checks and the
 * targets of issues 4 and 9. `--json` prints the same as one JSON document; `--workload NAME` runs one;
 * `--repeat N` (default 2) measures everything N times and keeps each engine's fastest run (other
 * processes on a shared machine only ever slow a run down). Exits 1 when a check or a target fails.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measure, steadyHeap, type Measurement, type SteadyHeap } from './measure.js';
import { latency, type Target, type TerminalUiFigures } from './tui-figures.js';
import type { WalkFigures } from './walk.js';
import { ENGINES, WORKLOADS, type EngineName } from './workloads.js';

interface Row extends Measurement {
  /** median ms of this engine / median ms of the baseline on the same workload. */
  ratio: number;
  /** Largest relative difference from the outside reference losses (null: none known). */
  referenceError: number | null;
  /** Largest relative difference from the baseline's results over the checked steps. */
  baselineError: number;
  /** True when every checked result equals the graph's bit for bit. */
  identicalToGraph: boolean;
  checkPassed: boolean;
}

const STEADY_STEPS = 10_000;
const SCRIPT = fileURLToPath(import.meta.url);

/** Run one measurement in a child process with the garbage collector exposed. */
function child<T>(args: string[]): T {
  const out = spawnSync(process.execPath, ['--expose-gc', SCRIPT, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`bench ${args.join(' ')} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout) as T;
}

function relativeError(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

function maxRelativeError(a: readonly number[], b: readonly number[]): number {
  let worst = a.length === b.length ? 0 : Number.POSITIVE_INFINITY;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const e = relativeError(a[i], b[i]);
    worst = Number.isNaN(e) ? Number.POSITIVE_INFINITY : Math.max(worst, e);
  }
  return worst;
}

function rowsFor(name: string, repeat: number): Row[] {
  const workload = (WORKLOADS[name] as () => ReturnType<(typeof WORKLOADS)[string]>)();
  const engines = workload.engines ?? ENGINES;
  const runs: Measurement[][] = [];
  for (let r = 0; r < repeat; r++) runs.push(engines.map((engine) => child<Measurement>(['--worker', name, engine])));
  const measured = engines.map((_, e) => runs.map((run) => run[e]).reduce((a, b) => (b.medianMs < a.medianMs ? b : a)));
  const baseline = measured.find((m) => m.engine === 'baseline');
  const graph = measured.find((m) => m.engine === 'graph');
  return measured.map((m) => {
    const referenceError =
      workload.reference.length === 0
        ? null
        : maxRelativeError(
            workload.reference.map(([k]) => m.results[k]),
            workload.reference.map(([, loss]) => loss),
          );
    const baselineError = baseline === undefined ? 0 : maxRelativeError(m.results, baseline.results);
    const identicalToGraph = graph !== undefined && m.results.every((r, i) => Object.is(r, graph.results[i]));
    return {
      ...m,
      ratio: baseline === undefined ? Number.NaN : m.medianMs / baseline.medianMs,
      referenceError,
      baselineError,
      identicalToGraph,
      checkPassed: (referenceError ?? 0) <= workload.tolerance && baselineError <= workload.tolerance,
    };
  });
}

function targetsFor(rows: readonly Row[], steady: readonly SteadyHeap[]): Target[] {
  const targets: Target[] = [];
  const find = (w: string, e: EngineName): Row | undefined => rows.find((r) => r.workload === w && r.engine === e);
  const graph = find('moons-100', 'graph');
  if (graph !== undefined) {
    targets.push({ name: 'moons-100 graph <= 8 ms/step', value: `${graph.medianMs.toFixed(2)} ms`, passed: graph.medianMs <= 8 });
    targets.push({ name: 'moons-100 graph <= 25x baseline', value: `${graph.ratio.toFixed(1)}x`, passed: graph.ratio <= 25 });
  }
  const tape100 = find('moons-100', 'tape');
  if (tape100 !== undefined) targets.push({ name: 'moons-100 tape <= 2x baseline', value: `${tape100.ratio.toFixed(2)}x`, passed: tape100.ratio <= 2 });
  const tape = find('moons-1000', 'tape');
  const loop = find('moons-1000', 'baseline');
  if (tape !== undefined && loop !== undefined) {
    targets.push({ name: 'moons-1000 tape step <= 1.0x the hand-written loop', value: `${tape.ratio.toFixed(2)}x`, passed: tape.ratio <= 1 });
    const build = tape.setupMs / loop.medianMs;
    targets.push({ name: 'moons-1000 building the model and its tape <= 5 loop steps', value: `${build.toFixed(1)} steps (${tape.setupMs.toFixed(0)} ms)`, passed: build <= 5 });
  }
  const bce = find('moons-1000-bce', 'tape');
  if (tape !== undefined && bce !== undefined) {
    const ratio = bce.medianMs / tape.medianMs;
    targets.push({ name: 'moons-1000 bce <= 1.5x hinge (tape)', value: `${ratio.toFixed(2)}x`, passed: ratio <= 1.5 });
  }
  const ce = find('spiral-1000-ce', 'tape');
  if (tape !== undefined && ce !== undefined) {
    const ratio = ce.medianMs / tape.medianMs;
    targets.push({ name: 'ce (3 classes) <= 1.5x hinge with the same hidden layers (tape)', value: `${ratio.toFixed(2)}x`, passed: ratio <= 1.5 });
  }
  const big = find('moons-10000', 'tape');
  if (big !== undefined) {
    targets.push({ name: 'moons-10000 tape >= 10 steps/s headless', value: `${big.stepsPerSecond.toFixed(1)} steps/s`, passed: big.stepsPerSecond >= 10 });
  }
  for (const s of steady) {
    targets.push({
      name: `steady heap over ${s.steps} ${s.workload} steps (${s.engine})`,
      value: `${(s.growthBytes / 1024).toFixed(1)} KiB growth`,
      passed: s.passed,
    });
  }
  for (const r of rows) {
    targets.push({ name: `${r.workload} ${r.engine} results match`, value: describeCheck(r), passed: r.checkPassed });
  }
  return targets;
}

function describeCheck(r: Row): string {
  const parts: string[] = [];
  if (r.referenceError !== null) parts.push(`ref ${r.referenceError.toExponential(1)}`);
  if (r.engine !== 'baseline') parts.push(`base ${r.baselineError.toExponential(1)}`);
  if (r.engine === 'tape') parts.push(r.identicalToGraph ? '= graph' : '!= graph');
  return parts.length === 0 ? 'the others are checked against it' : parts.join(', ');
}

function machine(): Record<string, string | number> {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version, platform: process.platform };
}

function table(rows: readonly Row[]): string {
  const header = ['workload', 'engine', 'ms/step', 'mean ms', 'wall ms', 'steps/s', 'x baseline', 'heap MB', 'step MB', 'setup ms', 'check'];
  const body = rows.map((r) => [
    r.workload,
    r.engine,
    r.medianMs.toPrecision(3),
    r.meanMs.toPrecision(3),
    r.wallMedianMs.toPrecision(3),
    r.stepsPerSecond >= 100 ? r.stepsPerSecond.toFixed(0) : r.stepsPerSecond.toPrecision(3),
    r.ratio.toFixed(2),
    r.peakHeapMB.toFixed(1),
    r.stepHeapMB.toFixed(2),
    r.setupMs.toFixed(0),
    describeCheck(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 || i === 10 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

/** The terminal trainer's benchmark (bench/tui.tsx), in its own process with React's production build. */
function terminalUi(): TerminalUiFigures {
  const script = fileURLToPath(new URL('./tui.js', import.meta.url));
  const out = spawnSync(process.execPath, [script, '--json'], { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (out.stdout.trim() === '') throw new Error(`bench/tui failed:\n${out.stderr}`);
  return JSON.parse(out.stdout) as TerminalUiFigures;
}

/** The backprop walk's keys against a training step (bench/walk.ts), in its own process. */
function walk(): WalkFigures {
  const script = fileURLToPath(new URL('./walk.js', import.meta.url));
  const out = spawnSync(process.execPath, [script, '--json'], { encoding: 'utf8' });
  if (out.stdout.trim() === '') throw new Error(`bench/walk failed:\n${out.stderr}`);
  return JSON.parse(out.stdout) as WalkFigures;
}

function main(argv: string[]): number {
  if (argv[0] === '--worker') {
    process.stdout.write(JSON.stringify(measure(argv[1], argv[2] as EngineName)));
    return 0;
  }
  if (argv[0] === '--steady') {
    process.stdout.write(JSON.stringify(steadyHeap(argv[1] as EngineName, STEADY_STEPS)));
    return 0;
  }
  const json = argv.includes('--json');
  const only = argv.includes('--workload') ? argv[argv.indexOf('--workload') + 1] : undefined;
  const repeat = argv.includes('--repeat') ? Number(argv[argv.indexOf('--repeat') + 1]) : 2;
  if (!(Number.isInteger(repeat) && repeat >= 1)) throw new Error('--repeat needs an integer >= 1');
  const names = Object.keys(WORKLOADS).filter((n) => only === undefined || n === only);
  if (names.length === 0) throw new Error(`unknown workload ${only}; choose one of ${Object.keys(WORKLOADS).join(', ')}`);

  const rows: Row[] = [];
  for (const name of names) {
    rows.push(...rowsFor(name, repeat));
    if (!json) process.stderr.write(`  measured ${name}\n`);
  }
  const steady = only === undefined || only === 'classic' ? ENGINES.filter((e) => e !== 'baseline').map((e) => child<SteadyHeap>(['--steady', e])) : [];
  const ui = only === undefined ? terminalUi() : undefined;
  const walked = only === undefined ? walk() : undefined;
  const targets = [...targetsFor(rows, steady), ...(ui?.targets.map((t) => ({ ...t, name: `terminal UI: ${t.name}` })) ?? []), ...(walked?.targets ?? [])];
  const passed = targets.every((t) => t.passed);

  if (json) {
    process.stdout.write(JSON.stringify({ machine: machine(), repeat, rows, steady, ui, walk: walked, targets, passed }, null, 2) + '\n');
  } else {
    const m = machine();
    console.log(`\n${m.cpu}, ${m.cores} cores, Node ${m.node} (${m.platform})\n`);
    console.log(table(rows));
    console.log(`\nms/step is the median CPU time of the timed steps after a warm-up${repeat > 1 ? `, best of ${repeat} runs` : ''} (all the process's threads; other processes do not count);`);
    console.log('mean includes garbage collection; wall ms is the median wall-clock step, which other processes lengthen; setup ms is CPU time too.');
    console.log('heap MB: largest heap in use during a step; step MB: what a step adds to it (median of 5, after a full GC).\n');
    for (const s of steady) {
      console.log(`steady heap, ${s.engine}: ${s.samples.map((b) => (b / 1048576).toFixed(2)).join(' ')} MB every ${s.every} steps`);
    }
    if (ui !== undefined) {
      console.log(`\nterminal UI in play mode, ${ui.workload}: ${ui.ui.stepsPerSecond.toFixed(1)} steps/s against ${ui.headless.toFixed(1)} headless,`);
      console.log(`  ${ui.ui.framesPerSecond.toFixed(1)} frames/s (${(ui.ui.bytesPerSecond / 1000).toFixed(1)} KB/s to the terminal), first frame ${ui.firstFrame.big.toFixed(0)} ms (classic ${ui.firstFrame.classic.toFixed(0)} ms),`);
      console.log(`  key to frame p50 ${latency(ui.ui.keyLatencyP50Ms)}, p99 ${latency(ui.ui.keyLatencyP99Ms)} (${ui.ui.keysAnswered} of ${ui.ui.keys} keys answered)`);
    }
    if (walked !== undefined) {
      console.log(`\nbackprop walk on ${walked.network}: one step ${walked.stepMs.toFixed(0)} ms; keys (ms): ${walked.keys.map((k) => `${k.key} ${k.ms.toFixed(1)}`).join(', ')}`);
    }
    console.log('');
    for (const t of targets) console.log(`${t.passed ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value}`);
  }
  return passed ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
