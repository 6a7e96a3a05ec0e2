import { Box, Text } from 'ink';
import { BINDINGS, DIAGRAM_BINDINGS, TOUR_BINDINGS, WALK_BINDINGS, type Binding } from './keys.js';
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
  ['value', "the parameter's number now"],
  ['grad', 'd loss / d parameter, from the last backward pass, before its update'],
  ['change', 'what the last update added to the value (-lr x grad for plain SGD)'],
  ['loss', 'each column spans the smallest to largest loss of its epochs;'],
  ['', 'test loss in magenta (dotted without colour), the run before in grey;'],
  ['', '↺ under an epoch that started from weights restored after a divergence'],
  ['boundary', "the model's score over its 2 inputs: orange -1, blue +1, pale near 0"],
  ['', '● ■ training samples of +1 / -1; ○ □ held-out (test) samples'],
  ['fit', 'the prediction over x, over the plane, or against the target'],
  ['', '(right answers lie on the diagonal), or the scores of each class'],
  ['settings', 'the line the keys change: lr, pace, epoch target, L2, test share'],
  ['status', "epoch n's loss and accuracy (its forward pass), test figures (after its"],
  ['', 'update), the rate of the next epoch, pace and steps a second'],
];

/** One line of the help: a heading, or a key (or a term) with what it does. */
type Line = { heading: string } | { keys: string; text: string };

const section = (heading: string, bindings: readonly Binding<string>[]): Line[] => [
  { heading },
  ...bindings.map((b) => ({ keys: b.keys, text: b.description })),
];

/** Every line of the help, every view's keys read from the tables the input handlers use. */
export function helpLines(): Line[] {
  return [
    ...section('trainer', BINDINGS),
    ...section('backprop walk (b)', WALK_BINDINGS),
    ...section('network diagram (v)', DIAGRAM_BINDINGS),
    ...section('guided tour (t, --tour)', TOUR_BINDINGS),
    { heading: 'setup menu (m)' },
    ...MENU_KEYS.map(([keys, text]) => ({ keys, text })),
    { heading: 'what you see' },
    ...MEANINGS.map(([keys, text]) => ({ keys, text })),
  ];
}

/** The help cut into pages of `size` lines; a heading never ends a page. */
export function helpPages(size: number): Line[][] {
  const pages: Line[][] = [[]];
  for (const line of helpLines()) {
    let page = pages[pages.length - 1];
    const full = page.length >= size || ('heading' in line && page.length >= size - 1);
    if (full) pages.push((page = []));
    page.push(line);
  }
  return pages;
}

interface HelpProps {
  page: number;
  width: number;
  height: number;
}

/** The help: every view's keys and what the panels mean, a page at a time (← → turn, ? or esc close). */
export function Help({ page, width, height }: HelpProps) {
  const pages = helpPages(Math.max(1, height - 2));
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
              <Text bold>{` ${line.keys}`.padEnd(12)}</Text>
              {line.text}
            </Text>
          ),
        )}
      </Box>
    </Panel>
  );
}
