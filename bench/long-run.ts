/**
 * Memory over a long headless run: 100,000 epochs of the classic example, with the heap measured
 * (V8 heap and array buffers) after a forced garbage collection at 1k, 10k and 100k epochs. Flat figures mean that each
 * step's graph becomes garbage and the history costs only its 24 bytes an epoch.
 * Run with `npm run bench:long` (it needs node --expose-gc). EPOCHS overrides the length.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHeadless } from '../src/cli/headless.js';
import { openCheckpoint, saveCheckpoint } from '../src/train/checkpoint.js';
import { createSession, DEFAULT_RUN_OPTIONS } from '../src/train/setup.js';
import { gc, marks, mib, signed, total } from './long-run-common.js';


const session = createSession({ ...DEFAULT_RUN_OPTIONS, epochs: marks[0] });
gc();
const start = process.memoryUsage();
const line = (epoch: number, m: NodeJS.MemoryUsage): string =>
  `  epoch ${String(epoch).padStart(7)}: heap used ${mib(m.heapUsed)} (${signed(m.heapUsed - start.heapUsed)}), array buffers ${mib(m.arrayBuffers)} (${signed(m.arrayBuffers - start.arrayBuffers)})`;
console.log(`classic, MLP(3, [4, 4, 1]), ${total} epochs headless; memory after a forced gc:`);
console.log(line(0, start));
const started = performance.now();
for (const mark of marks) {
  session.setEpochs(mark);
  const outcome = await runHeadless(session, { json: false, printEvery: total }, () => {});
  if (outcome !== 'done') throw new Error(`the run ended ${outcome} at epoch ${session.epoch}`);
  gc();
  console.log(line(mark, process.memoryUsage()));
}
const seconds = (performance.now() - started) / 1000;
console.log(`${total} epochs in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} steps/s), final loss ${session.reported.loss.toExponential(3)}`);
console.log(`history: ${session.history.length} epochs, ${mib(session.history.length * 24)} of loss, accuracy and learning rate (Float64Arrays: counted under array buffers, not the heap)`);

// What saving that run costs: the checkpoint's size and the time to write and read it back.
const dir = mkdtempSync(join(tmpdir(), 'long-run-'));
try {
  const path = join(dir, 'long.ckpt');
  const t0 = performance.now();
  saveCheckpoint(path, { ...DEFAULT_RUN_OPTIONS, epochs: total }, session);
  const t1 = performance.now();
  const { session: loaded } = openCheckpoint(path);
  const t2 = performance.now();
  if (loaded.epoch !== session.epoch) throw new Error('the checkpoint did not load back');
  console.log(`checkpoint: ${mib(statSync(path).size)}, saved in ${(t1 - t0).toFixed(0)} ms, loaded in ${(t2 - t1).toFixed(0)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
