import { Text } from 'ink';
import { binaryLabel } from '../data/task.js';
import { formatPercent } from '../format.js';
import { argmax, softmax } from '../nn/loss.js';
import { fixed } from './format.js';
import { Panel } from './Panel.js';
import { usePaint } from './theme.js';

interface PredictionsProps {
  targets: readonly number[];
  /** Each sample's outputs: one, or one score per class. */
  outputs: readonly (readonly number[])[];
  /** Fraction classified correctly, or null for regression data. */
  accuracy: number | null;
  /** K for a K-class problem (targets are class numbers), else undefined. */
  classes?: number | undefined;
  /** Two classes the data gave as 0/1: shown as 0/1. */
  zeroOne?: boolean;
  /**
   * Whose weights gave the outputs, said in the title beside the accuracy: `after epoch 3` (the
   * weights now, one update past the status line's epoch 3 figures), `in epoch 3` (epoch 3's own
   * forward pass), `at epoch 0`.
   */
  when?: string | undefined;
  width: number;
  height: number;
}

/** A sample's predicted class: the sign of its score, or its largest score's class. */
const predicted = (out: readonly number[], classes: number | undefined): number => (classes === undefined ? ((out[0]) > 0 ? 1 : -1) : argmax(out));

/**
 * Target against output for each sample when they fit (for K classes the predicted class and
 * its probability); otherwise, for classification data, how many of each class are right.
 */
export function Predictions({ targets, outputs, accuracy, classes, zeroOne = false, when, width, height }: PredictionsProps) {
  const paint = usePaint();
  const lines = height - 2;
  const title = ['outputs', ...(accuracy === null ? [] : [formatPercent(accuracy)]), ...(when === undefined ? [] : [when])].join(' ');
  const target = (t: number): string => (classes !== undefined ? String(t) : zeroOne ? binaryLabel(t, true) : fixed(t, 6, 2).trim());
  const output = (out: readonly number[]): string => {
    if (classes === undefined) return fixed(out[0], 8);
    const k = argmax(out);
    return `${k} p ${softmax(out)[k].toFixed(2)}`.padStart(8);
  };
  if (targets.length < lines) {
    return (
      <Panel title={title} width={width} height={height}>
        <Text bold>{` ${'target'.padStart(6)} ${'output'.padStart(8)}`}</Text>
        {targets.map((t, i) => {
          const out = outputs[i];
          const right = accuracy === null ? null : predicted(out, classes) === t;
          return (
            <Text key={i} wrap="truncate-end">
              {' '}
              {target(t).padStart(6)} {output(out)}{' '}
              {right !== null && <Text {...paint.fg(right ? 'green' : 'red')}>{right ? '✓' : '✗'}</Text>}
            </Text>
          );
        })}
      </Panel>
    );
  }
  const summary: string[] = [`${targets.length} samples`];
  if (accuracy !== null) {
    const labels = classes === undefined ? [1, -1] : Array.from({ length: classes }, (_, k) => k);
    for (const label of labels) {
      let total = 0;
      let right = 0;
      targets.forEach((t, i) => {
        if (t !== label) return;
        total++;
        if (predicted(outputs[i], classes) === t) right++;
      });
      const name = classes === undefined ? binaryLabel(label, zeroOne) : `class ${label}`;
      summary.push(`${name}: ${right}/${total} right`);
    }
  } else {
    const mae = targets.reduce((s, t, i) => s + Math.abs(t - outputs[i][0]), 0) / targets.length;
    summary.push(`mean |err| ${fixed(mae, 8).trim()}`);
  }
  return (
    <Panel title={title} width={width} height={height}>
      {summary.slice(0, Math.max(1, lines)).map((line) => (
        <Text key={line} wrap="truncate-end">
          {' ' + line}
        </Text>
      ))}
    </Panel>
  );
}
