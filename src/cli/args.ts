import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { parseDecimal } from '../io/number.js';
import { STANDARD_INPUT } from '../io/read.js';
import { MAX_EPOCHS } from '../train/limits.js';
import { HISTORY_COLUMNS } from '../train/export.js';
import { refused, RUN_SETTINGS, runSetting, type RunSetting } from '../train/run-settings.js';
import { parsePace } from '../tui/pace.js';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from '../train/setup.js';

/** The terminal UI's frame rate by default, and the highest --fps accepts. */
export const DEFAULT_FPS = 30;
const MAX_FPS = 60;

/** What the command line asked for: how to run, and the run itself. */
export interface CliOptions {
  mode: 'help' | 'version' | 'headless' | 'tui';
  json: boolean;
  /** Print a progress line every this many epochs in headless mode (0: choose from the target). */
  printEvery: number;
  run: RunOptions;
  /** Save a checkpoint here at the end (see docs/saving.md). */
  save?: string;
  /** Resume from this checkpoint; its run options replace `run` (--lr and --epochs may override). */
  load?: string;
  /** Save a checkpoint here every `autosaveEvery` epochs, at the end, and on SIGTERM/SIGHUP/SIGINT. */
  autosave?: string;
  autosaveEvery: number;
  /** Write the loss history as CSV here at the end. */
  exportHistory?: string;
  /** Open the terminal UI on the guided tour. */
  tour: boolean;
  /** The terminal UI draws at most this many frames a second. */
  fps: number;
  /** Epochs a second the terminal UI plays at (Infinity: max). */
  pace: number;
  /** The names of the flags on the command line, to tell `--lr 0.1` from the default. */
  given: string[];
}

interface Flag {
  value?: string;
  /** A one-letter alias, as in -h. */
  short?: string;
  help: string;
  /** Apply the flag's (already present) value to the options, or throw a UserError. */
  apply: (options: CliOptions, value: string) => void;
}

/** A checkpoint fixes the data and the model: these flags cannot be combined with --load. */
const FIXED_BY_CHECKPOINT = RUN_SETTINGS.filter((s) => s.resumable !== true).map((s) => s.flag);
export const DEFAULT_AUTOSAVE_EVERY = 50;
/** The flags that choose the data, and with it the preset (the number of classes chooses it too). */
const DATA_FLAGS = ['dataset', 'data', 'classes'];

/** An integer flag of the command line itself (the run's settings are in RUN_SETTINGS). */
function integer(flag: string, text: string, lo: number, hi: number): number {
  const x = parseDecimal(text);
  if (!(Number.isInteger(x) && x >= lo && x <= hi)) throw refused(flag, `an integer from ${lo} to ${hi}`, text);
  return x;
}

/** A run setting as a flag: its value goes through the setting's own parse and check. */
function settingFlag(setting: RunSetting): Flag {
  return { value: setting.value, help: setting.help, apply: (o, v) => (o.run = setting.apply(o.run, v)) };
}

/** The flag table: the parser, the validation and --help all read it. */
export const FLAGS: Record<string, Flag> = {
  headless: { help: 'train without the terminal UI, printing progress lines', apply: (o) => (o.mode = 'headless') },
  json: { help: 'with --headless: print one JSON object per epoch', apply: (o) => (o.json = true) },
  tour: { help: 'a guided tour of backprop, then the trainer', apply: (o) => (o.tour = true) },
  // The run's settings (dataset to engine): one table for the command line and the setup menu.
  ...Object.fromEntries(RUN_SETTINGS.map((s) => [s.flag, settingFlag(s)])),
  fps: {
    value: 'N',
    help: `the terminal UI draws at most N frames a second, 1 to ${MAX_FPS} (default ${DEFAULT_FPS}); fewer frames write less to a slow link`,
    apply: (o, v) => (o.fps = integer('fps', v, 1, MAX_FPS)),
  },
  'print-every': {
    value: 'N',
    help: 'with --headless: a progress line every N epochs (default: about 20 lines)',
    apply: (o, v) => (o.printEvery = integer('print-every', v, 1, MAX_EPOCHS)),
  },
  save: { value: 'FILE', help: 'save a checkpoint to FILE at the end of training', apply: (o, v) => (o.save = v) },
  load: {
    value: 'FILE',
    help: 'resume from a checkpoint; only --lr, --epochs and --engine may change its run',
    apply: (o, v) => (o.load = v),
  },
  autosave: {
    value: 'FILE',
    help: 'save a checkpoint every --autosave-every epochs, at the end, and on SIGHUP/SIGTERM/SIGINT',
    apply: (o, v) => (o.autosave = v),
  },
  'autosave-every': {
    value: 'N',
    help: 'with --autosave: epochs between saves (default 50)',
    apply: (o, v) => (o.autosaveEvery = integer('autosave-every', v, 1, MAX_EPOCHS)),
  },
  'export-history': {
    value: 'FILE',
    help: `write the loss history as CSV (${HISTORY_COLUMNS.replaceAll(',', ', ')}) at the end`,
    apply: (o, v) => (o.exportHistory = v),
  },
  pace: {
    value: 'N|max',
    help: 'terminal UI: epochs a second while playing, or max (the default); < and > change it',
    apply: (o, v) => (o.pace = parsePace(v)),
  },
  help: { short: 'h', help: 'show this help', apply: (o) => (o.mode = 'help') },
  version: { short: 'v', help: 'show the version', apply: (o) => (o.mode = 'version') },
};

/** Turn argv (without node and the script) into options, or throw a UserError naming the problem. */
export function parseCli(argv: readonly string[]): CliOptions {
  const spec = Object.fromEntries(
    Object.entries(FLAGS).map(([name, f]) => [
      name,
      { type: f.value === undefined ? ('boolean' as const) : ('string' as const), ...(f.short !== undefined && { short: f.short }) },
    ]),
  );
  if (argv.includes('--')) throw new UserError('"--" ends the options, but micrograd-tui takes no arguments after it: remove it (see --help)');
  let parsed: ReturnType<typeof parseArgs<{ options: typeof spec; tokens: true; strict: true; allowPositionals: false }>>;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv), options: spec, strict: true, allowPositionals: false, tokens: true });
  } catch (err) {
    throw new UserError(describeParseError(err as Error & { code?: string }));
  }
  const names = parsed.tokens.flatMap((t) => (t.kind === 'option' ? [t.name] : []));
  const options: CliOptions = {
    mode: 'tui',
    json: false,
    tour: false,
    fps: DEFAULT_FPS,
    printEvery: 0,
    run: { ...DEFAULT_RUN_OPTIONS },
    autosaveEvery: DEFAULT_AUTOSAVE_EVERY,
    pace: Infinity,
    given: [...new Set(names)],
  };
  if (names.includes('help')) return { ...options, mode: 'help' };
  if (names.includes('version')) return { ...options, mode: 'version' };
  // The data comes first: it brings its preset, of which the other flags then change single fields.
  // Then what its targets mean, which may change the preset's loss; then the rest, in their order.
  const rank = (t: (typeof parsed.tokens)[number]): number => (t.kind !== 'option' ? 2 : DATA_FLAGS.includes(t.name) ? 0 : t.name === 'task' ? 1 : 2);
  for (const token of [...parsed.tokens].sort((a, b) => rank(a) - rank(b))) {
    if (token.kind !== 'option') continue;
    const flag = FLAGS[token.name];
    if (flag.value !== undefined && (token.value === undefined || token.value === '')) {
      throw new UserError(`--${token.name} needs a value: --${token.name} ${flag.value}`);
    }
    flag.apply(options, token.value ?? '');
  }
  if (options.json && options.mode === 'tui') throw new UserError('--json only works with --headless');
  if (options.tour && options.mode === 'headless') throw new UserError('--tour is the terminal UI\'s guided tour; it cannot run with --headless');
  if (names.includes('fps') && options.mode === 'headless') throw new UserError('--fps sets the terminal UI\'s frame rate; it has no effect with --headless');
  if (options.mode === 'headless' && names.includes('pace')) throw new UserError('--pace is for the terminal UI; --headless always trains as fast as it goes');
  if (options.json && names.includes('print-every')) throw new UserError('--print-every has no effect with --json, which prints every epoch');
  if (options.run.dataFile !== undefined && argv.some((a) => a === '--dataset' || a.startsWith('--dataset='))) {
    throw new UserError('use either --dataset or --data, not both');
  }
  if (options.run.dataFile === STANDARD_INPUT && options.mode === 'tui') {
    throw new UserError('--data - reads standard input, which the terminal trainer needs for its keys: add --headless (and --save FILE to open the run in the trainer with --load FILE)');
  }
  const fixed = names.find((n) => FIXED_BY_CHECKPOINT.includes(n));
  if (options.load !== undefined && fixed !== undefined) {
    throw new UserError(`--${fixed} cannot be combined with --load: the checkpoint fixes the data and the model (only --lr, --epochs and --engine may change)`);
  }
  for (const name of names) {
    const inapplicable = runSetting(name)?.inapplicable?.(options.run);
    if (inapplicable !== undefined) throw new UserError(inapplicable);
  }
  if (names.includes('autosave-every') && options.autosave === undefined) {
    throw new UserError('--autosave-every needs --autosave FILE');
  }
  return options;
}

/** `--lr -1` would read as a missing value followed by option -1; pass it on as `--lr=-1`. */
function joinNegativeValues(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    if (FLAGS[name]?.value !== undefined && next !== undefined && /^-[\d.]/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else {
      args.push(arg);
    }
  }
  return args;
}

function describeParseError(err: Error & { code?: string }): string {
  const option = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''} (see --help for the accepted options)`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${option ?? JSON.stringify(/'([^']*)'/.exec(err.message)?.[1] ?? '')} (options start with --; see --help)`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = option?.replace(/^-+/, '') ?? '';
      const flag = FLAGS[name];
      return flag?.value === undefined ? `--${name} takes no value` : `--${name} needs a value: --${name} ${flag.value}`;
    }
    default:
      return err.message.split('\n')[0] ?? 'invalid arguments';
  }
}

/** --help fits an 80-column terminal. */
const HELP_COLUMNS = 80;

/** Split `text` at spaces into lines of at most `width` characters (longer words stay whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

export function helpText(): string {
  const lefts = Object.entries(FLAGS).map(([name, f]) => `  ${f.short === undefined ? '' : `-${f.short}, `}--${name}${f.value === undefined ? '' : ` ${f.value}`}`);
  const width = Math.max(...lefts.map((l) => l.length));
  const rows = Object.values(FLAGS).flatMap((f, i) =>
    wrap(f.help, HELP_COLUMNS - width - 2).map((line, j) => `${(j === 0 ? lefts[i] : '').padEnd(width)}  ${line}`),
  );
  return [
    'micrograd-tui: train a tiny neural network on a scalar autograd engine',
    'and watch every gradient.',
    '',
    'Usage: micrograd-tui [options]             open the terminal trainer',
    '       micrograd-tui --headless [options]  train without a UI',
    '       micrograd-tui --tour                a guided tour, then the trainer',
    '',
    'Options:',
    ...rows,
    '',
  ].join('\n');
}
