import { writeFileAtomic, type WriteFs } from '../io/atomic-write.js';
import type { History } from './history.js';

/** The history as CSV: `epoch,loss,accuracy,learning_rate`, accuracy empty where it does not apply. */
export function historyCsv(history: History): string {
  const loss = history.losses();
  const acc = history.accuracies();
  const lr = history.learningRates();
  const lines = ['epoch,loss,accuracy,learning_rate'];
  for (let i = 0; i < history.length; i++) {
    const a = acc[i] as number;
    lines.push(`${i + 1},${loss[i]},${Number.isNaN(a) ? '' : a},${lr[i]}`);
  }
  return lines.join('\n') + '\n';
}

/** Write the history as CSV to `path`, atomically. Throws a one-line UserError. */
export function exportHistory(path: string, history: History, fs?: WriteFs): void {
  writeFileAtomic(path, historyCsv(history), fs);
}
