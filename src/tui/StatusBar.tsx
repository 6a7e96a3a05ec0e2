import { Box, Text } from 'ink';
import type { Message } from './controller.js';
import { formatLoss, formatPercent, formatR2 } from '../format.js';
import { formatRate, formatSteps } from './format.js';
import { HINTS, HINTS_WHILE_PLAYING } from './keys.js';
import { formatPace, type Pace } from './pace.js';
import { usePaint } from './theme.js';

/**
 * A figure not computed yet, shown as `⋯`: a big setup's first frame is drawn before the model
 * has run on the data, and the next frame brings the numbers.
 */
export const PENDING = 'pending';

/** A figure of the status line: its number, or PENDING. */
export type Figure = number | typeof PENDING;

export interface StatusBarProps {
  epoch: number;
  epochs: number;
  loss: Figure;
  accuracy: Figure | null;
  /** The test loss and accuracy, or null without a test set (or, for accuracy, for regression). */
  testLoss: Figure | null;
  testAccuracy: Figure | null;
  /** R² of a regression (and on the test set), shown where classification shows accuracy. */
  r2?: Figure | null;
  testR2?: Figure | null;
  learningRate: number;
  /** Samples per update, or null when each update takes the whole training set. */
  batch?: number | null;
  /** The measured training rate while playing; null when paused or done (a rate of 0 says nothing). */
  stepsPerSecond: number | null;
  pace: Pace;
  message: Message | null;
  /** A health hint (what is wrong with training and the fix), shown where the key hints go when there is no message. */
  health?: string | null;
  /** Replaces the key hints while a mode (typing a learning rate, the menu) has its own keys. */
  prompt: string | null;
  width: number;
}

/** The status line (epoch, loss, accuracy, lr, speed) and below it a message or the key hints. */
export function StatusBar(props: StatusBarProps) {
  const { epoch, epochs, loss, accuracy, r2 = null, testR2 = null, testLoss, testAccuracy, learningRate, batch = null, stepsPerSecond, pace, message, prompt, width, health = null } = props;
  const paint = usePaint();
  // In the order shown, each with its rank: where the line is too narrow the highest ranks go first.
  const fields: [text: string, rank: number][] = [
    // Padded after the number, so the text reads "epoch 7/100" and what follows stays put.
    [`epoch ${epoch}/${epochs}`.padEnd(`epoch ${epochs}/${epochs}`.length), 0],
    [`loss ${shown(loss, formatLoss).padStart(9)}`, 1],
    ...(testLoss === null ? [] : [[`test ${shown(testLoss, formatLoss).padStart(9)}`, 3] as [string, number]]),
    ...(accuracy === null ? [] : [[`acc ${shown(accuracy, formatPercent).padStart(4)}`, 2] as [string, number]]),
    ...(r2 === null ? [] : [[`R² ${shown(r2, formatR2)}`, 2] as [string, number]]),
    ...(testAccuracy === null ? [] : [[`test acc ${shown(testAccuracy, formatPercent).padStart(4)}`, 3] as [string, number]]),
    ...(testR2 === null ? [] : [[`test R² ${shown(testR2, formatR2)}`, 3] as [string, number]]),
    [`lr ${formatRate(learningRate)}`, 5],
    ...(batch === null ? [] : [[`batch ${batch}`, 4] as [string, number]]),
    [`pace ${formatPace(pace)}`, 4],
    ...(stepsPerSecond === null ? [] : [[`${formatSteps(stepsPerSecond).padStart(5)} steps/s`, 6] as [string, number]]),
  ];
  const parts = fitFields(fields, width - 1);
  // What went wrong, with its fix, says more at the end of a run than that it ended.
  const notice = message?.yieldsToHealth === true && health !== null ? null : message;
  const bottom = prompt ?? notice?.text ?? health ?? keyHints(width - 1, stepsPerSecond !== null);
  const quiet = prompt === null && notice === null && health === null;
  // Hints and notices in the terminal's own colour (dim grey and yellow fade on one background or
  // the other: docs/colours.md); a notice in bold, an error in red.
  const tone = prompt === null && notice?.tone === 'error' ? paint.fg('red') : quiet ? {} : { bold: true };
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" bold>
        {' ' + parts.join(' · ')}
      </Text>
      <Text wrap="truncate-end" {...tone}>
        {' ' + bottom}
      </Text>
    </Box>
  );
}

/** A figure as `format` writes it, or ⋯ while it is PENDING (? without Unicode: not the `·` separators' `.`). */
function shown(figure: Figure, format: (x: number) => string): string {
  return figure === PENDING ? '⋯' : format(figure);
}

/** The fields' texts that fit in `room` joined by ' · ', leaving out the highest ranks first. */
export function fitFields(fields: readonly (readonly [string, number])[], room: number): string[] {
  let shown = [...fields];
  const length = (): number => shown.reduce((n, [text]) => n + text.length, 0) + 3 * Math.max(0, shown.length - 1);
  while (shown.length > 1 && length() > room) {
    const worst = Math.max(...shown.map(([, rank]) => rank));
    shown = shown.filter(([, rank]) => rank !== worst);
  }
  return shown.map(([text]) => text);
}

/** The hints that fit in `room`: the `kept` ones always stay, the others give way from the end. */
function fitHints(hints: readonly string[], kept: readonly string[], room: number): string {
  return fitFields(hints.map((hint, i) => [hint, kept.includes(hint) ? 0 : i + 1] as const), room).join(' · ');
}

/** The trainer's key hints that fit in `room` (`space pause` while `playing`): `? help` and `q quit` always stay. */
export function keyHints(room: number, playing = false): string {
  return fitHints(playing ? HINTS_WHILE_PLAYING : HINTS, ['? help', 'q quit'], room);
}

/**
 * A view's hint line (`s/→ next · ... · b/esc back`) with `? help` before its last hint, the way
 * back: those two always stay, the others give way from the end to fit in `room`.
 */
export function withHelpHint(hints: string, room: number): string {
  const parts = hints.split(' · ');
  const back = parts.pop() ?? '';
  return fitHints([...parts, '? help', back], ['? help', back], room);
}
