import { UserError } from '../errors.js';
import { loadCheckpoint, restoreCheckpoint, sessionFor } from '../train/checkpoint.js';
import { TrainingSession } from '../train/session.js';
import { checkedConfig, type RunOptions } from '../train/setup.js';
import type { CliOptions } from './args.js';

/**
 * The session the command line asks for: a new one from the run flags, or, with `--load`, the
 * checkpoint's run continued where it stopped, with `--lr` and `--epochs` applied on top.
 * Returns the run options that describe it (what a later save records). Throws a UserError,
 * also for a setup too big for memory.
 */
export function openSession(cli: CliOptions): { run: RunOptions; session: TrainingSession } {
  // The trainer keeps two copies of the session: the screen's and the training worker's.
  const copies = cli.mode === 'tui' ? 2 : 1;
  if (cli.load === undefined) {
    const config = checkedConfig(cli.run, undefined, copies);
    // A data file's preset says mse, before its targets are read: K classes train with ce unless --loss says otherwise.
    const run: RunOptions = config.dataset.classes !== undefined && cli.run.dataFile !== undefined && !cli.given.includes('loss') ? { ...cli.run, loss: 'ce' } : cli.run;
    return { run, session: new TrainingSession({ ...config, loss: run.loss }) };
  }
  const checkpoint = loadCheckpoint(cli.load);
  // The engine changes how steps are computed, not what they give: it may be chosen anew.
  const engine = cli.given.includes('engine') ? cli.run.engine : undefined;
  const opened = sessionFor({ ...checkpoint, options: { ...checkpoint.options, ...(engine !== undefined && { engine }) } }, copies);
  const { session } = opened;
  const run: RunOptions = { ...opened.options, layers: [...opened.options.layers] };
  restoreCheckpoint(checkpoint, session);
  if (cli.given.includes('lr')) {
    session.setLearningRate(cli.run.learningRate);
    run.learningRate = cli.run.learningRate;
  }
  if (cli.given.includes('epochs')) {
    if (cli.run.epochs < session.epoch) {
      throw new UserError(`--epochs ${cli.run.epochs} is below the ${session.epoch} epochs ${cli.load} has already run`);
    }
    session.setEpochs(cli.run.epochs);
    run.epochs = cli.run.epochs;
  }
  return { run, session };
}
