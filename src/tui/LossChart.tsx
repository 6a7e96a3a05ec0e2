import { Text } from 'ink';
import { chartLines } from './chart.js';
import { Panel } from './Panel.js';
import { usePaint } from './theme.js';

interface LossChartProps {
  /** The loss before each epoch's update: the loss of the parameters of epochs 0 to N - 1. */
  losses: ArrayLike<number>;
  /** The loss of the current parameters (epoch N), or null to leave it out (while training runs). */
  current: number | null;
  logScale: boolean;
  width: number;
  height: number;
}

/**
 * The loss of every epoch's parameters as an asciichart plot, sampled down to the width it has,
 * with an epoch axis. With `current` the last point is the loss the status line shows.
 */
export function LossChart({ losses, current, logScale, width, height }: LossChartProps) {
  const paint = usePaint();
  const inner = width - 2;
  const plotHeight = height - 3; // borders and the epoch axis line
  let series: ArrayLike<number> = losses;
  if (current !== null) {
    const all = new Float64Array(losses.length + 1);
    all.set(losses);
    all[losses.length] = current;
    series = all;
  }
  const lines = chartLines(series, inner, plotHeight, logScale);
  const lastEpoch = series.length - 1;
  const first = lastEpoch > 0 ? 'epoch 0' : 'epoch 0: initial weights';
  const last = lastEpoch > 0 ? `epoch ${lastEpoch} ` : '';
  const axis = ' '.repeat(9) + first.padEnd(Math.max(0, inner - 9 - last.length)) + last;
  return (
    <Panel title={logScale ? 'loss (log scale)' : 'loss'} info="o log" width={width} height={height}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end" {...paint.fg('cyan')}>
          {line}
        </Text>
      ))}
      <Text wrap="truncate-end" {...paint.dim()}>
        {axis.slice(0, inner)}
      </Text>
    </Panel>
  );
}
