import { blue, darkgray, magenta } from 'asciichart';
import { Text } from 'ink';
import { useContext } from 'react';
import { chartLines, type ChartSeries } from './chart.js';
import { Panel } from './Panel.js';
import { useTerminal } from './terminal.js';
import { ColorContext, usePaint } from './theme.js';

interface LossChartProps {
  /** The loss before each epoch's update: the loss of the parameters of epochs 0 to N - 1. */
  losses: ArrayLike<number>;
  /** The same on the held-out samples, or null without a test set. */
  testLosses: ArrayLike<number> | null;
  /** The loss of the run before a reset or a new setup, kept to compare with (x clears it), or null. */
  previous: ArrayLike<number> | null;
  /** The loss (and test loss) of the current parameters (epoch N), or null to leave it out (while training runs). */
  current: { loss: number; testLoss: number | null } | null;
  logScale: boolean;
  width: number;
  height: number;
}

/** Train in blue, test in magenta, the previous run in grey: each readable on dark and light backgrounds. */
const COLOURS = { train: blue, test: magenta, previous: darkgray };

/** `values` with `last` appended, when there is one. */
function withLast(values: ArrayLike<number>, last: number | null | undefined): ArrayLike<number> {
  if (last === null || last === undefined) return values;
  const all = new Float64Array(values.length + 1);
  all.set(values);
  all[values.length] = last;
  return all;
}

/**
 * The loss of every epoch's parameters as an asciichart plot, each column the range of the epochs
 * it covers, with an epoch axis; the test loss and the previous run as extra lines. With `current`
 * the last point is the loss the status line shows.
 */
export function LossChart({ losses, testLosses, previous, current, logScale, width, height }: LossChartProps) {
  const paint = usePaint();
  const colour = useContext(ColorContext);
  const { unicode } = useTerminal();
  const inner = width - 2;
  const plotHeight = height - 3; // borders and the epoch axis line
  const train = withLast(losses, current?.loss);
  const series: ChartSeries[] = [{ kind: 'train', values: train }];
  if (testLosses !== null) series.push({ kind: 'test', values: withLast(testLosses, current?.testLoss) });
  if (previous !== null && previous.length > 0) series.push({ kind: 'previous', values: previous });
  const lines = chartLines(series, inner, plotHeight, logScale, { colours: colour ? COLOURS : null, unicode });
  const drawn = series.filter((s) => colour || s.kind !== 'previous');
  const lastEpoch = Math.max(...drawn.map((s) => s.values.length)) - 1;
  const first = lastEpoch > 0 ? 'epoch 0' : 'epoch 0: initial weights';
  const last = lastEpoch > 0 ? `epoch ${lastEpoch} ` : '';
  const axis = ' '.repeat(9) + first.padEnd(Math.max(0, inner - 9 - last.length)) + last;
  return (
    <Panel title={chartTitle(series, logScale, colour, unicode)} info={logScale ? 'o linear' : 'o log'} width={width} height={height}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text wrap="truncate-end" {...paint.dim()}>
        {axis.slice(0, inner)}
      </Text>
    </Panel>
  );
}

/**
 * `loss`, naming the extra lines: in colour `loss + test + before`; without colour the test loss
 * is dotted (`test ┄`) and the previous run is not drawn, which the title says.
 */
function chartTitle(series: readonly ChartSeries[], logScale: boolean, colour: boolean, unicode: boolean): string {
  const parts = [logScale ? 'loss (log scale)' : 'loss'];
  if (series.some((s) => s.kind === 'test')) parts.push(colour ? 'test' : unicode ? 'test ┄' : 'test ..');
  if (series.some((s) => s.kind === 'previous')) parts.push(colour ? 'before' : 'before hidden');
  return parts.join(' + ');
}
