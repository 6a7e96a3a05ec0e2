import { Text } from 'ink';
import { formatPercent } from '../format.js';
import { fixed } from './format.js';
import { Panel } from './Panel.js';
import { usePaint } from './theme.js';

interface PredictionsProps {
  targets: readonly number[];
  outputs: readonly number[];
  /** Fraction classified correctly, or null for regression data. */
  accuracy: number | null;
  width: number;
  height: number;
}

/**
 * Target against output for each sample when they fit; otherwise, for classification data,
 * how many of each class are right.
 */
export function Predictions({ targets, outputs, accuracy, width, height }: PredictionsProps) {
  const paint = usePaint();
  const lines = height - 2;
  const title = accuracy === null ? 'outputs' : `outputs ${formatPercent(accuracy)}`;
  if (targets.length < lines) {
    return (
      <Panel title={title} width={width} height={height}>
        <Text bold>{` ${'target'.padStart(6)} ${'output'.padStart(8)}`}</Text>
        {targets.map((t, i) => {
          const out = outputs[i];
          const right = accuracy === null ? null : t > 0 === out > 0;
          return (
            <Text key={i} wrap="truncate-end">
              {' '}
              {fixed(t, 6, 2)} {fixed(out, 8)}{' '}
              {right !== null && <Text {...paint.fg(right ? 'green' : 'red')}>{right ? '✓' : '✗'}</Text>}
            </Text>
          );
        })}
      </Panel>
    );
  }
  const summary: string[] = [`${targets.length} samples`];
  if (accuracy !== null) {
    for (const label of [1, -1]) {
      let total = 0;
      let right = 0;
      targets.forEach((t, i) => {
        if (t !== label) return;
        total++;
        if (outputs[i] > 0 === t > 0) right++;
      });
      summary.push(`${label > 0 ? '+1' : '-1'}: ${right}/${total} right`);
    }
  } else {
    const mae = targets.reduce((s, t, i) => s + Math.abs(t - outputs[i]), 0) / targets.length;
    summary.push(`mean |err| ${fixed(mae, 8).trim()}`);
  }
  return (
    <Panel title={title} width={width} height={height}>
      {summary.map((line) => (
        <Text key={line} wrap="truncate-end">
          {' ' + line}
        </Text>
      ))}
    </Panel>
  );
}
