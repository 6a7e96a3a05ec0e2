import { run } from '../../src/cli/run.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Run the command in-process with its output captured. */
export async function runCli(argv: readonly string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** The losses of a `--json` run's output, one per epoch. */
export function jsonLosses(out: string): number[] {
  return out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { loss: number }).loss);
}
