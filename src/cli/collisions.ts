import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { STANDARD_INPUT } from '../io/read.js';
import type { RunOptions } from '../train/setup.js';
import type { CliOptions } from './args.js';

/** A file the command reads or writes: how the user named it, and what it holds. */
export interface FileRole {
  /** As a message names it: `--save run.ckpt`, `the data file of run.ckpt (points.csv)`. */
  label: string;
  path: string;
  kind: 'data' | 'checkpoint' | 'history';
  output: boolean;
}

const KIND: Record<FileRole['kind'], string> = { data: 'data file', checkpoint: 'checkpoint', history: 'history CSV' };

/**
 * Refuse, before training, an output that would overwrite an input of another kind (the data
 * file, a checkpoint under a history export) or another output of another kind, comparing the
 * files themselves (symlinks and `..` resolved). A run saving over its own checkpoint
 * (`--load run.ckpt --save run.ckpt`) and --save and --autosave naming one file stay allowed.
 */
export function checkCollisions(roles: readonly FileRole[]): void {
  const ids = roles.map((r) => identity(r.path));
  for (let i = 0; i < roles.length; i++) {
    for (let j = i + 1; j < roles.length; j++) {
      const a = roles[i];
      const b = roles[j];
      if (ids[i] !== ids[j] || (!a.output && !b.output) || a.kind === b.kind) continue;
      const [out, other] = b.output ? [b, a] : [a, b]; // of two outputs, the later written wins
      throw new UserError(`${out.label} and ${other.label} are the same file: the ${KIND[out.kind]} would replace the ${KIND[other.kind]}; choose another file name`);
    }
  }
}

/** The file a path names: its real path, or for a file still to be made, its directory's real path and its name. */
function identity(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/** The files a command names: the data file (given, or the loaded checkpoint's), --load, and the outputs. */
export function filesOf(cli: CliOptions, run: RunOptions): FileRole[] {
  const roles: FileRole[] = [];
  if (run.dataFile !== undefined && run.dataFile !== STANDARD_INPUT) {
    const label = cli.load === undefined ? `--data ${run.dataFile}` : `the data file of ${cli.load} (${run.dataFile})`;
    roles.push({ label, path: run.dataFile, kind: 'data', output: false });
  }
  if (cli.load !== undefined) roles.push({ label: `--load ${cli.load}`, path: cli.load, kind: 'checkpoint', output: false });
  if (cli.save !== undefined) roles.push({ label: `--save ${cli.save}`, path: cli.save, kind: 'checkpoint', output: true });
  if (cli.autosave !== undefined) roles.push({ label: `--autosave ${cli.autosave}`, path: cli.autosave, kind: 'checkpoint', output: true });
  if (cli.exportHistory !== undefined) {
    roles.push({ label: `--export-history ${cli.exportHistory}`, path: cli.exportHistory, kind: 'history', output: true });
  }
  return roles;
}
