import { Box, Text } from 'ink';
import type { ReactNode } from 'react';

interface PanelProps {
  title: string;
  /** Shown at the right end of the top border, e.g. a scroll position. */
  info?: string;
  width: number;
  height: number;
  children: ReactNode;
}

/** Characters of a title that a cut for a key hint leaves at least. */
const TITLE_KEPT = 16;
/** The longest info taken for a key's hint. */
const KEY_HINT = 10;

/** The top border line with the title on the left and `info` on the right, `width` wide. */
export function topBorder(title: string, info: string, width: number): string {
  const inner = width - 2;
  const left = `─ ${title} `;
  const right = info === '' ? '' : ` ${info} ─`;
  const fill = inner - left.length - right.length;
  if (fill >= 1) return `╭${left}${'─'.repeat(fill)}${right}╮`;
  // A key's short hint (`o linear`, `d shaded`, at most KEY_HINT characters) is what a long title
  // gives way to, down to its first TITLE_KEPT characters; other infos give way to the title.
  const room = inner - right.length - 5;
  if (right !== '' && info.length <= KEY_HINT && room >= Math.min(title.length, TITLE_KEPT)) {
    const cut = `─ ${title.slice(0, room).trimEnd()}… `;
    return `╭${cut}${'─'.repeat(inner - cut.length - right.length)}${right}╮`;
  }
  return `╭${(left + '─'.repeat(inner)).slice(0, inner)}╮`;
}

/** A rounded box with a title in its top border; its children are the lines inside. */
export function Panel({ title, info = '', width, height, children }: PanelProps) {
  return (
    <Box flexDirection="column" width={width} height={height}>
      {/* In the terminal's own colour: grey (bright black) is the background itself in some dark palettes. */}
      <Text>{topBorder(title, info, width)}</Text>
      <Box
        borderStyle="round"
        borderTop={false}
        width={width}
        height={height - 1}
        flexDirection="column"
        overflow="hidden"
      >
        {children}
      </Box>
    </Box>
  );
}
