#!/usr/bin/env node
// React's development build checks and profiles every render: several times slower. Set before
// React loads, which is why the rest of the program is imported dynamically.
process.env.NODE_ENV ??= 'production';
const { watchStdio } = await import('../io/stdio.js');
const { exitProcess } = await import('../io/signals.js');
const { run } = await import('./run.js');

watchStdio();
exitProcess(await run(process.argv.slice(2)));
