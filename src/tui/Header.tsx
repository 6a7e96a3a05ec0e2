import { Box, Text } from 'ink';
import type { RunState } from './controller.js';
import { usePaint } from './theme.js';

const BADGES: Record<RunState, { text: string; color: string }> = {
  running: { text: '▶ running', color: 'green' },
  paused: { text: '⏸ paused', color: 'yellow' },
  done: { text: '■ done', color: 'cyan' },
  diverged: { text: '✖ diverged', color: 'red' },
};

interface HeaderProps {
  /** What runs: dataset, architecture, loss, seed, engine. */
  parts: string[];
  state: RunState;
  width: number;
  /** Without the program's name in front (a view's own title line). */
  bare?: boolean;
}

/** One line: the run's description on the left, its state on the right. */
export function Header({ parts, state, width, bare = false }: HeaderProps) {
  const paint = usePaint();
  const badge = BADGES[state];
  const room = width - badge.text.length - 2;
  // The program's name goes first when there is room for it.
  let left = ` micrograd-tui · ${parts.join(' · ')}`;
  if (left.length > room || bare) left = ` ${parts.join(' · ')}`;
  if (left.length > room) left = left.slice(0, room - 1) + '…';
  return (
    <Box width={width}>
      <Text bold>{left.padEnd(room)}</Text>
      <Text bold {...paint.fg(badge.color)}>
        {' ' + badge.text}
      </Text>
    </Box>
  );
}
