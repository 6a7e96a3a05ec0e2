import type { Key } from 'ink';

/** Everything a key can ask for in the main view. */
export type Action =
  | 'togglePlay'
  | 'step'
  | 'lrUp'
  | 'lrDown'
  | 'lrType'
  | 'epochs'
  | 'reset'
  | 'newSeed'
  | 'menu'
  | 'commandLine'
  | 'rowUp'
  | 'rowDown'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'sortByGrad'
  | 'logScale'
  | 'slower'
  | 'faster'
  | 'clearPrevious'
  | 'discrete'
  | 'mapFirst'
  | 'save'
  | 'export'
  | 'help'
  | 'walk'
  | 'diagram'
  | 'check'
  | 'tour'
  | 'quit';

export interface Binding<A extends string = Action> {
  action: A;
  /** The keys as the help screen shows them. */
  keys: string;
  description: string;
  /** Short form for the hint line, for the bindings that appear there. */
  hint?: string;
  /** The short form while training plays, where it differs. */
  hintWhilePlaying?: string;
  matches: (input: string, key: Key) => boolean;
}

/** The trainer's bindings: `epochs` moves the epoch target by its `delta`. */
export type TrainerBinding = Binding<Exclude<Action, 'epochs'>> | (Binding<'epochs'> & { delta: number });

const char =
  (...chars: string[]) =>
  (input: string, key: Key): boolean =>
    !key.ctrl && !key.meta && chars.includes(input);

/** The one table of key bindings: the input handler and the help screen both read it. */
/** Ctrl+C as its raw byte: how it arrives when Ink hands over several keys in one read. */
const CTRL_C = '\u0003';

export const BINDINGS: readonly TrainerBinding[] = [
  { action: 'togglePlay', keys: 'space', description: 'play / pause', hint: 'space play', hintWhilePlaying: 'space pause', matches: char(' ') },
  { action: 'step', keys: 's  →', description: 'one epoch, when paused', hint: 's step', matches: (i, k) => char('s')(i, k) || k.rightArrow },
  { action: 'lrUp', keys: '+', description: 'lr up (1-2-5 ladder)', hint: '+/- lr', matches: char('+', '=') },
  { action: 'lrDown', keys: '-', description: 'lr down', matches: char('-', '_') },
  { action: 'lrType', keys: 'L', description: 'type a learning rate', matches: char('l') },
  { action: 'epochs', delta: 10, keys: ']', description: 'epoch target +10', matches: char(']') },
  { action: 'epochs', delta: -10, keys: '[', description: 'epoch target -10', matches: char('[') },
  { action: 'epochs', delta: 100, keys: '}', description: 'epoch target +100', matches: char('}') },
  { action: 'epochs', delta: -100, keys: '{', description: 'epoch target -100', matches: char('{') },
  { action: 'reset', keys: 'r', description: 'reset (same seed)', hint: 'r reset', matches: char('r') },
  { action: 'newSeed', keys: 'n', description: 'new seed and reset', matches: char('n') },
  { action: 'menu', keys: 'm', description: 'setup menu', hint: 'm menu', matches: char('m') },
  { action: 'commandLine', keys: 'i', description: 'the command line of this setup', matches: char('i') },
  { action: 'rowUp', keys: '↑', description: 'table: row up', matches: (_, k) => k.upArrow },
  { action: 'rowDown', keys: '↓', description: 'table: row down', matches: (_, k) => k.downArrow },
  { action: 'pageUp', keys: 'PgUp', description: 'table: page up', matches: (_, k) => k.pageUp },
  { action: 'pageDown', keys: 'PgDn', description: 'table: page down', matches: (_, k) => k.pageDown },
  { action: 'home', keys: 'Home', description: 'table: first row', matches: (_, k) => k.home },
  { action: 'end', keys: 'End', description: 'table: last row', matches: (_, k) => k.end },
  { action: 'sortByGrad', keys: 'g', description: 'table: sort by |grad|', matches: char('g') },
  { action: 'logScale', keys: 'o', description: 'chart: log scale', matches: char('o') },
  { action: 'slower', keys: '<', description: 'pace down (epochs a second)', hint: '< > pace', matches: char('<', ',') },
  { action: 'faster', keys: '>', description: 'pace up, to max', matches: char('>', '.') },
  { action: 'clearPrevious', keys: 'x', description: 'chart: clear previous run', matches: char('x') },
  { action: 'discrete', keys: 'd', description: 'map: discrete / shaded', matches: char('d') },
  { action: 'mapFirst', keys: 'f', description: 'map in the chart\'s place', matches: char('f') },
  { action: 'save', keys: 'w', description: 'save a checkpoint', matches: char('w') },
  { action: 'export', keys: 'e', description: 'export loss history (CSV)', matches: char('e') },
  { action: 'walk', keys: 'b', description: 'backprop: walk one step', hint: 'b walk', matches: char('b') },
  { action: 'diagram', keys: 'v', description: 'network diagram', hint: 'v network', matches: char('v') },
  { action: 'check', keys: 'c', description: 'table: gradient check', matches: char('c') },
  { action: 'tour', keys: 't', description: 'guided tour', hint: 't tour', matches: char('t') },
  { action: 'help', keys: '?', description: 'help', hint: '? help', matches: char('?') },
  { action: 'quit', keys: 'q  Ctrl+C', description: 'quit', hint: 'q quit', matches: (i, k) => char('q')(i, k) || (k.ctrl && i === 'c') || i === CTRL_C },
];

/** What the keys of the backprop walk (`b`) do. */
export type WalkAction = 'next' | 'previous' | 'endPhase' | 'nextSample' | 'previousSample' | 'neuronUp' | 'neuronDown' | 'close';

export const WALK_BINDINGS: readonly Binding<WalkAction | 'help'>[] = [
  { action: 'next', keys: 's  →', description: 'next item (past the last: apply the step)', matches: (i, k) => char('s')(i, k) || k.rightArrow },
  { action: 'previous', keys: '←', description: 'previous item', matches: (_, k) => k.leftArrow },
  { action: 'endPhase', keys: 'enter', description: 'to the end of the phase (there: of the next)', matches: (_, k) => k.return },
  { action: 'previousSample', keys: 'shift-tab', description: 'previous sample', matches: (_, k) => k.tab && k.shift },
  { action: 'nextSample', keys: 'tab', description: 'next sample', matches: (_, k) => k.tab },
  { action: 'neuronUp', keys: '↑', description: 'follow the neuron above', matches: (_, k) => k.upArrow },
  { action: 'neuronDown', keys: '↓', description: 'follow the neuron below', matches: (_, k) => k.downArrow },
  { action: 'help', keys: '?', description: 'help, at these keys', matches: char('?') },
  { action: 'close', keys: 'b  esc', description: 'back to the trainer (the step is dropped)', matches: (i, k) => char('b')(i, k) || k.escape },
];

/** What the keys of the network diagram (`v`) do. */
export type DiagramAction = 'layerLeft' | 'layerRight' | 'neuronUp' | 'neuronDown' | 'nextSample' | 'previousSample' | 'gradients' | 'close';

export const DIAGRAM_BINDINGS: readonly Binding<DiagramAction | 'help'>[] = [
  { action: 'layerLeft', keys: '←', description: 'select in the layer to the left', matches: (_, k) => k.leftArrow },
  { action: 'layerRight', keys: '→', description: 'select in the layer to the right', matches: (_, k) => k.rightArrow },
  { action: 'neuronUp', keys: '↑', description: 'select the neuron above', matches: (_, k) => k.upArrow },
  { action: 'neuronDown', keys: '↓', description: 'select the neuron below', matches: (_, k) => k.downArrow },
  { action: 'previousSample', keys: 'shift-tab', description: 'previous sample', matches: (_, k) => k.tab && k.shift },
  { action: 'nextSample', keys: 'tab', description: 'next sample', matches: (_, k) => k.tab },
  { action: 'gradients', keys: 'g', description: 'edges: weights / gradients', matches: char('g') },
  { action: 'help', keys: '?', description: 'help, at these keys', matches: char('?') },
  { action: 'close', keys: 'v  esc', description: 'back to the trainer', matches: (i, k) => char('v')(i, k) || k.escape },
];

/** What the keys of the guided tour (`t`, --tour) do. */
export type TourAction = 'next' | 'previous' | 'more' | 'less' | 'open' | 'quit';

export const TOUR_BINDINGS: readonly Binding<TourAction | 'help'>[] = [
  { action: 'next', keys: '→  space', description: 'next screen', matches: (i, k) => char(' ')(i, k) || k.rightArrow },
  { action: 'previous', keys: '←', description: 'previous screen', matches: (_, k) => k.leftArrow },
  { action: 'more', keys: '↑', description: 'raise the live number', matches: (_, k) => k.upArrow },
  { action: 'less', keys: '↓', description: 'lower the live number', matches: (_, k) => k.downArrow },
  { action: 'open', keys: 'enter', description: 'on the last screen: open the trainer', matches: (_, k) => k.return },
  { action: 'help', keys: '?', description: 'help, at these keys', matches: char('?') },
  { action: 'quit', keys: 'q  esc', description: 'quit the tour (from --tour: the program)', matches: (i, k) => char('q')(i, k) || k.escape },
];

/**
 * The action a key asks for in a view, if any. Bindings match small letters only: a capital
 * reaches the views as its small letter (OneKeyAtATime), so Caps Lock or Shift never turns a key
 * into another command.
 */
export function bindingFor<A extends string>(bindings: readonly Binding<A>[], input: string, key: Key): A | undefined {
  return findBinding(bindings, input, key)?.action;
}

/** The binding a key matches, if any (see `bindingFor`). */
export function findBinding<B extends Binding<string>>(bindings: readonly B[], input: string, key: Key): B | undefined {
  return bindings.find((b) => b.matches(input, key));
}

/** The hint line: the short forms, in table order (the last ones before `? help` show only where there is room). */
export const HINTS: readonly string[] = BINDINGS.flatMap((b) => (b.hint === undefined ? [] : [b.hint]));
/** The hint line while training plays. */
export const HINTS_WHILE_PLAYING: readonly string[] = BINDINGS.flatMap((b) => (b.hint === undefined ? [] : [b.hintWhilePlaying ?? b.hint]));
