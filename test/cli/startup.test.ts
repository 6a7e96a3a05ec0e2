import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';

const main = resolve('dist/src/cli/main.js');

/** A module loader hook that names every module the process loads, on stderr. */
const LOG_MODULES = `data:text/javascript,${encodeURIComponent(
  'import { writeSync } from "node:fs"; export async function resolve(s, c, next) { const r = await next(s, c); writeSync(2, "LOADED " + r.url + "\\n"); return r; }',
)}`;

/** The modules a run of the built program loads, and what it printed. */
function modulesOf(args: string[]): { out: string; loaded: string[] } {
  const r = spawnSync(process.execPath, ['--no-warnings', '--experimental-loader', LOG_MODULES, main, ...args], { encoding: 'utf8' });
  const loaded = r.stderr.split('\n').flatMap((line) => (line.startsWith('LOADED ') ? [line.slice(7)] : []));
  return { out: r.stdout, loaded };
}

const isUi = (url: string): boolean => /\/node_modules\/(ink|react)\/|\/dist\/src\/tui\/(start|App)\.js$/.test(url);

describe('start-up', () => {
  it('--version, --help and a headless run load no Ink, React or terminal UI code', () => {
    expect(existsSync(main), 'run `npm run build` first (npm test does)').toBe(true);
    for (const args of [['--version'], ['--help'], ['--headless', '--epochs', '1']]) {
      const { out, loaded } = modulesOf(args);
      expect(loaded.length).toBeGreaterThan(10); // the hook saw the program's own modules
      expect(loaded.filter(isUi), args.join(' ')).toEqual([]);
      if (args[0] === '--version') expect(out).toBe(`micrograd-tui ${VERSION}\n`);
    }
  });
});
