import { Text } from 'ink';
import { PROGRAM } from '../train/command-line.js';
import { Panel } from './Panel.js';
import { wrapLine } from './format.js';
import { usePaint } from './theme.js';

interface CommandLineViewProps {
  /** The shell words of the command, quoted as needed. */
  words: string[];
  width: number;
  height: number;
}

/**
 * Words of a command in lines of at most `width` columns, each line but the last ending in ` \`,
 * so that the lines pasted together are still one command. A word too long for a line gets one.
 */
export function continuedLines(words: string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && line.length + 1 + word.length + 2 > width) {
      lines.push(`${line} \\`);
      line = `  ${word}`;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

/** `i` in the trainer: the command line that sets up this run again, ready to copy. */
export function CommandLineView({ words, width, height }: CommandLineViewProps) {
  const paint = usePaint();
  const room = width - 4; // the borders and a space each side
  const notes = [
    `It sets up this run again (from epoch 0): add --headless to train without the terminal UI, and --json for one line per epoch. Only the settings that differ from the defaults are listed (see ${PROGRAM} --help).`,
  ].flatMap((note) => wrapLine(note, room));
  return (
    <Panel title="command line" info="any key: back" width={width} height={height}>
      {continuedLines(words, room).map((line, i) => (
        <Text key={i} bold>{` ${line}`}</Text>
      ))}
      <Text> </Text>
      {notes.map((line, i) => (
        <Text key={`n${i}`} {...paint.dim()}>{` ${line}`}</Text>
      ))}
    </Panel>
  );
}
