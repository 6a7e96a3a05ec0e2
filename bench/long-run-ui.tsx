/**
 * Memory of the terminal trainer over a long run: the real App in an 80x24 fake terminal plays
 * the classic example for 100,000 epochs; at 1k, 10k and 100k epochs it pauses, forces a garbage
 * collection and reads the heap. Flat figures mean frames, the chart and the table leave nothing
 * behind. Training runs in a worker thread, whose heap is its own: the process's resident memory
 * (rss) covers both. Part of `npm run bench:long` (node --expose-gc). EPOCHS overrides the length.
 */
import { render } from 'ink';
import { DEFAULT_RUN_OPTIONS } from '../src/train/setup.js';
import { App } from '../src/tui/App.js';
import { BackgroundTrainer } from '../src/train/background.js';
import { Controller } from '../src/tui/controller.js';
import { fakeTerminal } from './fake-terminal.js';
import { gc, marks, mib, signed, total } from './long-run-common.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const controller = new Controller({
  run: { ...DEFAULT_RUN_OPTIONS, epochs: marks[0] },
  background: (config, events) => new BackgroundTrainer(config, events),
}); // as src/tui/start.tsx does
const { stdout, stdin } = fakeTerminal();
let frames = 0;
const instance = render(<App controller={controller} />, { stdout, stdin, maxFps: 1000, patchConsole: false, exitOnCtrlC: false, onRender: () => frames++ });
await sleep(100);

gc();
const start = process.memoryUsage();
const line = (epoch: number, m: NodeJS.MemoryUsage): string =>
  `  epoch ${String(epoch).padStart(7)}: heap used ${mib(m.heapUsed)} (${signed(m.heapUsed - start.heapUsed)}), array buffers ${mib(m.arrayBuffers)} (${signed(m.arrayBuffers - start.arrayBuffers)}), process ${mib(m.rss)} (${signed(m.rss - start.rss)}), ${frames} frames`;
console.log(`terminal UI, classic, MLP(3, [4, 4, 1]), ${total} epochs in play mode; memory after a forced gc:`);
console.log(line(0, start));
const started = performance.now();
for (const mark of marks) {
  controller.changeEpochs(mark - controller.session.epochs);
  stdin.write(' '); // play until the target stops it
  while (controller.status !== 'done') await sleep(20);
  await sleep(50); // the last frame
  gc();
  console.log(line(mark, process.memoryUsage()));
}
const seconds = (performance.now() - started) / 1000;
console.log(`${total} epochs in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} steps/s with the UI drawing), ${frames} frames`);
controller.dispose();
instance.unmount();
