import { blue, darkgray, magenta } from 'asciichart';
import { Text } from 'ink';
import { useContext } from 'react';
import { chartLines, epochColumn, LINE_GLYPHS, type ChartSeries } from './chart.js';
import { Panel } from './Panel.js';
import { useTerminal } from './terminal.js';
import { ColorContext } from './theme.js';

interface LossChartProps {
  /** The loss of epochs 1 to N, as the history holds them (see `StepReport`). */
  losses: ArrayLike<number>;
  /** Per epoch, the epoch whose weights it started from after a divergence (NaN for none): marked on the axis. */
  restores?: ArrayLike<number>;
  /** The test loss of epochs 1 to N, or null without a test set. */
  testLosses: ArrayLike<number> | null;
  /** The loss of the run before a reset or a new setup, kept to compare with (x clears it), or null. */
  previous: ArrayLike<number> | null;
  /**
   * The loss (and test loss) of the initial weights, drawn before the first epoch (then the
   * history alone is drawn); null while it is being computed (a big setup's first frame).
   */
  initial: { loss: number; testLoss: number | null } | null;
  logScale: boolean;
  width: number;
  height: number;
}

/** Train in blue, test in magenta, the previous run in grey: each readable on dark and light backgrounds. */
const COLOURS = { train: blue, test: magenta, previous: darkgray };

/**
 * The loss of every epoch as an asciichart plot, each column the range of the epochs it covers,
 * with an epoch axis; the test loss and the previous run as extra lines. The last point is the
 * loss the status line shows; before the first epoch, the initial weights' loss.
 */
export function LossChart({ losses, restores = [], testLosses, previous, initial, logScale, width, height }: LossChartProps) {
  const colour = useContext(ColorContext);
  const { unicode } = useTerminal();
  const inner = width - 2;
  const plotHeight = height - 3; // borders and the epoch axis line
  const started = losses.length > 0;
  const info = logScale ? 'o linear' : 'o log';
  if (!started && initial === null) {
    return (
      <Panel title={logScale ? 'loss (log)' : 'loss'} info={info} width={width} height={height}>
        <Text dimColor wrap="truncate-end">
          evaluating the initial weights…
        </Text>
      </Panel>
    );
  }
  const series: ChartSeries[] = [{ kind: 'train', values: started || initial === null ? losses : [initial.loss] }];
  if (testLosses !== null) series.push({ kind: 'test', values: started || initial === null ? testLosses : [initial.testLoss ?? Number.NaN] });
  if (previous !== null && previous.length > 0) series.push({ kind: 'previous', values: previous });
  const { title, drawn } = chartTitle(series, logScale, colour, unicode, titleRoom(width, info));
  const lines = chartLines(drawn, inner, plotHeight, logScale, { colours: colour ? COLOURS : null, unicode });
  const lastEpoch = Math.max(...drawn.map((s) => s.values.length));
  const last = lastEpoch > 1 ? `epoch ${lastEpoch} ` : '';
  // The long label only where it fits beside the last one (the previous run's curve has one).
  const first = started ? 'epoch 1' : 9 + 'epoch 0: initial weights'.length + 1 + last.length <= inner ? 'epoch 0: initial weights' : 'epoch 0';
  // Each epoch that started from weights restored after a divergence is marked under its column;
  // a label the marks would cut into is left out.
  const marks: number[] = [];
  for (let i = 0; i < restores.length; i++) if (!Number.isNaN(restores[i])) marks.push(epochColumn(i + 1, lastEpoch, inner));
  const lastStart = inner - last.length;
  const clear = (from: number, to: number): boolean => !marks.some((m) => m >= from && m < to);
  const axis = [...(' '.repeat(9) + (clear(9, 9 + first.length) ? first : '').padEnd(Math.max(0, lastStart - 9)) + (clear(lastStart, inner) ? last : ''))];
  for (const m of marks) axis[m] = unicode ? '↺' : '^';
  return (
    <Panel title={title} info={info} width={width} height={height}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text wrap="truncate-end">
        {axis.slice(0, inner).join('')}
      </Text>
    </Panel>
  );
}

/** The longest title a panel `width` wide shows whole beside `info` (see `topBorder`). */
function titleRoom(width: number, info: string): number {
  return width - 2 - info.length - 7;
}

/**
 * The chart's title, naming each line drawn (`loss (log) + test + before`; without colour with
 * its line style, `test ┄`, `before ░`), in shorter words where the long ones do not fit in
 * `room` (`loss, test ┄, prev ░`), and the series drawn: where even those do not fit, the previous run and then
 * the test loss are left out of the chart and the title alike, so the title always says what is drawn.
 */
export function chartTitle(
  series: readonly ChartSeries[],
  logScale: boolean,
  colour: boolean,
  unicode: boolean,
  room: number,
): { title: string; drawn: readonly ChartSeries[] } {
  const style = (kind: ChartSeries['kind']): string => (colour ? '' : ' ' + LINE_GLYPHS[kind][unicode ? 'unicode' : 'ascii']);
  // Long words, short ones, and short ones that leave the scale to the axis and the `o linear` hint.
  const wordings = [
    { joiner: ' + ', train: logScale ? 'loss (log)' : 'loss', previous: 'before' },
    { joiner: ', ', train: logScale ? 'log loss' : 'loss', previous: 'prev' },
    { joiner: ', ', train: 'loss', previous: 'prev' },
  ];
  const subsets = [series, series.filter((s) => s.kind !== 'previous'), series.filter((s) => s.kind === 'train')];
  let title = '';
  for (const drawn of subsets) {
    for (const w of wordings) {
      title = drawn.map((s) => (s.kind === 'train' ? w.train : s.kind === 'test' ? 'test' + style('test') : w.previous + style('previous'))).join(w.joiner);
      if (title.length <= room) return { title, drawn };
    }
  }
  return { title, drawn: subsets[2] };
}
