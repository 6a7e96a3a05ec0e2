import { RunFiles, type RunFilePaths } from '../train/run-files.js';
import type { Controller } from './controller.js';

/**
 * The run files of the run a controller drives: autosaved as training moves on, throttled while it
 * plays (a failure is shown as the controller's message), and no longer autosaved once r, n or a
 * new setup start a new run.
 */
export function attachRunFiles(controller: Controller, paths: RunFilePaths): RunFiles {
  const files = new RunFiles(paths, () => ({ options: controller.options, session: controller.session }));
  if (paths.autosave !== undefined) {
    controller.subscribe(() => {
      const failure = files.autosaveIfDue({ throttle: controller.playing });
      if (failure !== null) controller.say(failure, 'error');
    });
    controller.onNewRun(() => files.newRun());
  }
  return files;
}
