import { Text } from 'ink';
import { chartLines } from './chart.js';
import { Panel } from './Panel.js';
import { usePaint } from './theme.js';

interface LossChartProps {
  losses: ArrayLike<number>;
  /** The loss of the current weights, shown before any epoch has run. */
  initialLoss: number;
  logScale: boolean;
  width: number;
  height: number;
}

/** The loss history as an asciichart plot, averaged down to the width it has, with an epoch axis. */
export function LossChart({ losses, initialLoss, logScale, width, height }: LossChartProps) {
  const paint = usePaint();
  const inner = width - 2;
  const plotHeight = height - 3; // borders and the epoch axis line
  const series = losses.length > 0 ? losses : [initialLoss];
  const lines = chartLines(series, inner, plotHeight, logScale);
  const first = losses.length > 0 ? 'epoch 1' : 'epoch 0: initial weights';
  const last = losses.length > 1 ? `epoch ${losses.length} ` : '';
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
