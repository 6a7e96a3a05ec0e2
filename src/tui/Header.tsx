import { Box, Text } from 'ink';
import type { RunStatus } from './controller.js';
import { usePaint } from './theme.js';

// Colours that read on dark and light backgrounds alike (docs/colours.md): no yellow or cyan,
// and the state that lasts longest, paused, in the terminal's own text colour.
const BADGES: Record<RunStatus, { text: string; color: string | null }> = {
  running: { text: '▶ running', color: 'green' },
  paused: { text: '⏸ paused', color: null },
  done: { text: '■ done', color: 'magenta' },
  diverged: { text: '✖ diverged', color: 'red' },
};

interface HeaderProps {
  /** What runs: dataset, architecture, loss, seed, engine. */
  parts: string[];
  status: RunStatus;
  width: number;
  /** Without the program's name in front (a view's own title line). */
  bare?: boolean;
}

/** One line: the run's description on the left, its status on the right. */
export function Header({ parts, status, width, bare = false }: HeaderProps) {
  const paint = usePaint();
  const badge = BADGES[status];
  const room = width - badge.text.length - 2;
  // The program's name stays first while the engine and the seed (the last parts) give way for it;
  // a description longer still keeps the run's own parts whole and drops the name instead.
  const line = (named: boolean, shown: string[]): string => ` ${named ? 'micrograd-tui · ' : ''}${shown.join(' · ')}`;
  // Past that, whole parts give way from the end (`· see…` said nothing); only a first part
  // longer than the line is cut.
  const named = [parts, parts.slice(0, -1), parts.slice(0, -2)].find((shown) => !bare && shown.length > 0 && line(true, shown).length <= room);
  let shown = named ?? parts;
  while (named === undefined && shown.length > 1 && line(false, shown).length > room) shown = shown.slice(0, -1);
  let left = line(named !== undefined, shown);
  if (left.length > room) left = left.slice(0, room - 1) + '…';
  return (
    <Box width={width}>
      <Text bold>{left.padEnd(room)}</Text>
      <Text bold {...(badge.color === null ? {} : paint.fg(badge.color))}>
        {' ' + badge.text}
      </Text>
    </Box>
  );
}
