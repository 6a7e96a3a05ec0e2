#!/usr/bin/env node
// React's development build checks and profiles every render: several times slower. Set before
// React loads, which is why the rest of the program is imported dynamically.
process.env.NODE_ENV ??= 'production';
// Ink draws nothing when CI is set (it takes the output for a build log); a person at a terminal
// still gets the screen. Ink reads CI when it loads, which is below.
if (process.stdin.isTTY && process.stdout.isTTY) {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}
const { watchStdio } = await import('../io/stdio.js');
const { exitProcess } = await import('../io/signals.js');
const { run } = await import('./run.js');

watchStdio();
exitProcess(await run(process.argv.slice(2)));
