import { UserError } from '../errors.js';
import { createSession } from '../train/setup.js';
import { VERSION } from '../version.js';
import { helpText, parseCli } from './args.js';
import { runHeadless } from './headless.js';

/** Run the command with `argv` and return its exit code; a user mistake prints one line and gives 2. */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    const options = parseCli(argv);
    if (options.mode === 'help') {
      process.stdout.write(helpText());
      return 0;
    }
    if (options.mode === 'version') {
      process.stdout.write(`micrograd-tui ${VERSION}\n`);
      return 0;
    }
    const session = createSession(options.run);
    if (options.mode === 'tui') {
      process.stderr.write('micrograd-tui: the terminal UI is coming; training headless for now.\n');
    }
    return runHeadless(session, options, (line) => process.stdout.write(line + '\n'));
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`micrograd-tui: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
