import { Text } from 'ink';
import { formatNumber } from '../format.js';
import { TOUR } from '../learn/tour.js';
import { wrapLine } from './format.js';
import { Panel } from './Panel.js';
import { usePaint } from './theme.js';

/** Where the tour is: the screen, and each screen's live number as the learner left it. */
export interface TourState {
  screen: number;
  values: number[];
}

export function startTour(): TourState {
  return { screen: 0, values: TOUR.map((s) => s.start) };
}

/** The keys of the tour, for the hint line; `quits` when q ends the program (--tour), not returns to the trainer. */
export function tourHints(state: TourState, quits: boolean, classic: boolean): string {
  const last = state.screen === TOUR.length - 1;
  const next = last ? `enter/→ ${classic ? 'open the trainer' : 'back to your run'}` : '→/space next';
  return `${next} · ← back · ↑↓ change ${TOUR[state.screen]?.poke} · q ${quits ? 'quit' : 'back'}`;
}

/** Where the last screen's enter goes: the trainer on the classic example, or back to the run of another dataset. */
export function tourEnding(classic: boolean): string {
  return classic
    ? 'enter opens the trainer on this example: b walks a step node by node.'
    : 'enter goes back to your run: b there walks its next step node by node.';
}

interface TourViewProps {
  state: TourState;
  /** True when the trainer the tour ends in runs the classic example (see tourEnding). */
  classic: boolean;
  width: number;
  height: number;
}

/**
 * A sentence the text continues on its next line (the line ends without . : ! or ?, and neither
 * is indented: indented lines are formulas) is joined into one line, so that wrapping it at the
 * panel's width does not leave a word alone on a line.
 */
export function reflow(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const last = out[out.length - 1];
    const prose = (l: string): boolean => l !== '' && !l.startsWith(' ');
    if (last !== undefined && prose(last) && prose(line) && !/[.:!?]$/.test(last)) out[out.length - 1] = `${last} ${line}`;
    else out.push(line);
  }
  return out;
}

/** One screen of the guided tour, computed afresh by the engine from its live number. */
export function TourView({ state, classic, width, height }: TourViewProps) {
  const paint = usePaint();
  const screen = TOUR[state.screen] ?? TOUR[0];
  if (screen === undefined) return null;
  const value = state.values[state.screen] ?? screen.start;
  const room = Math.max(1, height - 3);
  // Within the borders and the margin; a sentence's lines align, a formula's continuation hangs.
  const last = state.screen === TOUR.length - 1;
  const lines = reflow([...screen.lines(value), ...(last ? [tourEnding(classic)] : [])])
    .flatMap((line) => wrapLine(line, width - 3, line.startsWith(' ') ? 2 : 0))
    .slice(0, room);
  return (
    <Panel title={`tour ${state.screen + 1}/${TOUR.length} · ${screen.title}`} info={`${screen.poke} = ${formatNumber(screen.shown?.(value) ?? value)}`} width={width} height={height}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {' '}
          {line}
        </Text>
      ))}
      {Array.from({ length: room - lines.length }, (_, i) => (
        <Text key={`pad${i}`}> </Text>
      ))}
      <Text wrap="truncate-end" {...paint.fg('magenta')}>
        {` ↑↓ change ${screen.poke} and watch the numbers follow`}
      </Text>
    </Panel>
  );
}
