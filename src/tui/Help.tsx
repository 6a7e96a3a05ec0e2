import { Box, Text } from 'ink';
import { BINDINGS, DIAGRAM_BINDINGS, TOUR_BINDINGS, WALK_BINDINGS, type Binding } from './keys.js';
import { wrapLine } from './format.js';
import { Panel } from './Panel.js';

/** The setup menu's keys: it is a list, so they are the list's own. */
const MENU_KEYS: [keys: string, description: string][] = [
  ['↑  ↓', 'move through the settings or the choices'],
  ['enter', 'edit, choose, set; "apply and restart training" starts the new run'],
  ['typing', 'a typed setting; ↑ ↓ step through its suggestions'],
  ['esc', 'back to the settings, or out of the menu'],
];

/** What the screen's columns and panels mean: the help's last section. */
const MEANINGS: [what: string, meaning: string][] = [
  ['header', "the dataset, the network, the loss, the seed, the engine; at the right the run's state"],
  ['loss', 'the loss chart: each column spans the lowest to the highest loss of the epochs it covers; the test loss in magenta (dotted ┄ without colour), the run before r, n or a new setup in grey (shaded ░); the title names the lines drawn; ↺ under an epoch that started from weights restored after a divergence'],
  ['value', "the parameter's number now"],
  ['grad', 'd loss / d parameter, from the last backward pass, before its update (green +, red -)'],
  ['change', 'what the last update added to the value (-lr x grad for plain SGD)'],
  ['boundary', "the model's score over its 2 inputs, with the weights now: orange -1, blue +1, pale near 0 (without colour ░ and ▓; d: two flat sides); ● ■ training samples of +1 and -1, ○ □ held-out (test) samples"],
  ['outputs', 'target and output of each sample, right ✓ or wrong ✗; the title says whose weights: after epoch n (now, one update past the status line), in epoch n (its own forward pass, while playing)'],
  ['fit', 'the prediction over x, over the plane, or against the target (right answers lie on the diagonal), or the scores of each class'],
  ['settings', 'the line the keys change: lr, pace, epoch target, L2, test share'],
  ['status', "epoch n's loss and accuracy (its own forward pass, before its update), test figures (after its update), the rate of the next epoch, the pace, and steps a second while playing"],
  ['hints', "the view's keys, or what just happened, or a health hint: what is wrong with training and the fix"],
];

/** One line of the help: a heading, or a key (or a term) with what it does. */
type Line = { heading: string } | { keys: string; text: string };

/** The column the descriptions start at: a space, the keys, padding. */
const KEYS_WIDTH = 12;

const section = (heading: string, bindings: readonly Binding<string>[]): Line[] => [
  { heading },
  ...bindings.map((b) => ({ keys: b.keys, text: b.description })),
];

/** The help's sections: the heading each view's `?` opens at. */
export const HELP_SECTIONS = {
  trainer: 'trainer',
  walk: 'backprop walk (b)',
  diagram: 'network diagram (v)',
  tour: 'guided tour (t, --tour)',
  menu: 'setup menu (m)',
  meanings: 'what you see',
} as const;

/**
 * Every line of the help for a panel `width` wide, every view's keys read from the tables the
 * input handlers use; a description too long for the line goes on under itself, never cut.
 */
export function helpLines(width: number): Line[] {
  const lines: Line[] = [
    ...section(HELP_SECTIONS.trainer, BINDINGS),
    ...section(HELP_SECTIONS.walk, WALK_BINDINGS),
    ...section(HELP_SECTIONS.diagram, DIAGRAM_BINDINGS),
    ...section(HELP_SECTIONS.tour, TOUR_BINDINGS),
    { heading: HELP_SECTIONS.menu },
    ...MENU_KEYS.map(([keys, text]) => ({ keys, text })),
    { heading: HELP_SECTIONS.meanings },
    ...MEANINGS.map(([keys, text]) => ({ keys, text })),
  ];
  const room = width - 2 - KEYS_WIDTH;
  return lines.flatMap((line): Line[] => ('heading' in line ? [line] : wrapLine(line.text, room).map((text, i) => ({ keys: i === 0 ? line.keys : '', text }))));
}

/** The help for a panel `width` wide cut into pages of `size` lines; a heading never ends a page. */
export function helpPages(size: number, width: number): Line[][] {
  const pages: Line[][] = [[]];
  for (const line of helpLines(width)) {
    let page = pages[pages.length - 1];
    const full = page.length >= size || ('heading' in line && page.length >= size - 1);
    if (full) pages.push((page = []));
    page.push(line);
  }
  return pages;
}

/** The page (0-based) where the section `heading` starts. */
export function helpPageOf(heading: string, size: number, width: number): number {
  return Math.max(0, helpPages(size, width).findIndex((page) => page.some((line) => 'heading' in line && line.heading === heading)));
}

interface HelpProps {
  page: number;
  width: number;
  height: number;
}

/** The help: every view's keys and what the panels mean, a page at a time (← → turn, ? or esc close). */
export function Help({ page, width, height }: HelpProps) {
  const pages = helpPages(Math.max(1, height - 2), width);
  const shown = pages[Math.min(page, pages.length - 1)];
  return (
    <Panel title={`help ${Math.min(page, pages.length - 1) + 1}/${pages.length}`} info="← → page · ? esc close" width={width} height={height}>
      <Box flexDirection="column">
        {shown.map((line, i) =>
          'heading' in line ? (
            <Text key={i} bold underline wrap="truncate-end">
              {` ${line.heading}`}
            </Text>
          ) : (
            <Text key={i} wrap="truncate-end">
              <Text bold>{` ${line.keys}`.padEnd(KEYS_WIDTH)}</Text>
              {line.text}
            </Text>
          ),
        )}
      </Box>
    </Panel>
  );
}
