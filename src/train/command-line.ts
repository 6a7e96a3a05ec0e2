import { RUN_SETTINGS } from './run-settings.js';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from './setup.js';

/** The program as a user types it. */
export const PROGRAM = 'micrograd-tui';

/**
 * The flags that reproduce a run's setup: its data (which brings a preset), then every setting
 * that applies and differs from what that data brings. Settings left at their defaults are left out.
 */
export function reproducingArgs(o: RunOptions): string[] {
  let base: RunOptions = { ...DEFAULT_RUN_OPTIONS };
  const args: string[] = [];
  const add = (flag: string, value: string): void => void args.push(`--${flag}`, value);
  for (const setting of RUN_SETTINGS.filter((s) => s.bringsPreset === true)) {
    const value = setting.read(o);
    if (value === undefined || value === setting.read(base)) continue;
    base = setting.apply(base, value);
    add(setting.flag, value);
  }
  for (const setting of RUN_SETTINGS.filter((s) => s.bringsPreset !== true && s.inapplicable?.(o) === undefined)) {
    const value = setting.read(o);
    if (value !== undefined && value !== setting.read(base)) add(setting.flag, value);
  }
  return args;
}

/** `text` as one word of a POSIX shell: as it is when that is safe, else in single quotes. */
export function shellQuote(text: string): string {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The words of the command that reproduces a run's setup, each quoted for a shell. */
export function commandWords(o: RunOptions): string[] {
  return [PROGRAM, ...reproducingArgs(o)].map(shellQuote);
}

/** The command line that reproduces a run's setup, ready to paste into a shell. */
export function commandLine(o: RunOptions): string {
  return commandWords(o).join(' ');
}
