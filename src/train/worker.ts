/**
 * A training worker: a copy of the session that trains in its own thread, so a front end stays
 * responsive however long a step takes. It runs in slices and reports its progress after each.
 */
import { parentPort } from 'node:worker_threads';
import { TrainingSession } from './session.js';
import { trainSlice } from './slice.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';
import { messageOf } from '../errors.js';

/**
 * Training between two progress reports: about a frame at the trainer's 30 frames a second, so that
 * each report (the parameters, gradients and last outputs, copied between threads) is drawn.
 */
const SLICE_MS = 30;

const port = parentPort;
if (port === null) throw new Error('worker.ts runs as a worker thread');

let session: TrainingSession | null = null;
/** The run being trained: a newer run (or stop) makes an older one's slices end. */
let current = -1;
/** History entries already reported. */
let reported = 0;

const post = (message: FromWorker): void => port.postMessage(message);

/** The session a 'load' message made: 'run' and 'set' before it are a mistake of the sender's. */
function loaded(): TrainingSession {
  if (session === null) throw new Error("the training worker got a message before 'load'");
  return session;
}

function slice(run: number): void {
  if (run !== current || session === null) return;
  const s = session;
  trainSlice(s, SLICE_MS);
  const stopped = s.status !== 'ready';
  post({ type: 'progress', run, progress: s.progress(reported), stopped });
  reported = s.history.length;
  if (stopped) current = -1;
  else setImmediate(() => slice(run));
}

port.on('message', (message: ToWorker) => {
  try {
    switch (message.type) {
      case 'load':
        // The config carries the data itself: the worker never reads a file the screen did not.
        session = new TrainingSession(message.config);
        return;
      case 'run': {
        const s = loaded();
        s.applyProgress(message.progress);
        s.setLearningRate(message.learningRate);
        s.setEpochs(Math.max(message.epochs, s.epoch, 1));
        reported = s.history.length;
        current = message.run;
        return slice(message.run);
      }
      case 'set': {
        const s = loaded();
        s.setLearningRate(message.learningRate);
        // The front end may be a slice behind: never below what this copy has already run.
        s.setEpochs(Math.max(message.epochs, s.epoch, 1));
        return;
      }
      case 'stop':
        current = -1;
        return;
    }
  } catch (err) {
    post({ type: 'error', run: current, message: messageOf(err) });
    current = -1;
  }
});
