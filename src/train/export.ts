import { writeFileAtomic, type WriteFs } from '../io/atomic-write.js';
import type { History } from './history.js';

/** The history's columns, as the CSV's header names them. */
export const HISTORY_COLUMNS = 'epoch,loss,accuracy,learning_rate,test_loss,test_accuracy,r2,test_r2,restored_from';

/**
 * The history as CSV (HISTORY_COLUMNS); a figure that does not apply (accuracy for regression,
 * R² for classification, the test figures without a test set) is empty; restored_from names the
 * epoch whose weights the epoch started from after a divergence, empty otherwise.
 */
export function historyCsv(history: History): string {
  const loss = history.losses();
  const acc = history.accuracies();
  const lr = history.learningRates();
  const testLoss = history.testLosses();
  const testAcc = history.testAccuracies();
  const r2 = history.r2s();
  const testR2 = history.testR2s();
  const restored = history.restorations();
  const cell = (x: number): string => (Number.isNaN(x) ? '' : String(x));
  const lines = [HISTORY_COLUMNS];
  for (let i = 0; i < history.length; i++) {
    lines.push(`${i + 1},${loss[i]},${cell(acc[i])},${lr[i]},${cell(testLoss[i])},${cell(testAcc[i])},${cell(r2[i])},${cell(testR2[i])},${cell(restored[i])}`);
  }
  return lines.join('\n') + '\n';
}

/** Write the history as CSV to `path`, atomically. Throws a one-line UserError. */
export function exportHistory(path: string, history: History, fs?: WriteFs): void {
  writeFileAtomic(path, historyCsv(history), fs);
}
