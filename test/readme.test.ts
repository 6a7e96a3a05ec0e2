import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLAGS, helpText, parseCli } from '../src/cli/args.js';
import { openSession } from '../src/cli/open-session.js';
import { formatLoss, formatPercent } from '../src/format.js';
import { BINDINGS } from '../src/tui/keys.js';
import { VERSION } from '../src/version.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string; scripts: Record<string, string> };

describe('README', () => {
  it('starts with what it is, a captured screen, then the two commands', () => {
    const install = readme.indexOf('npm install && npm start');
    expect(readme.startsWith('# micrograd-tui')).toBe(true);
    expect(readme.indexOf('╭─ parameters ')).toBeGreaterThan(0);
    expect(readme.indexOf('╭─ parameters ')).toBeLessThan(install);
    expect(readme.indexOf('\nnpm test\n')).toBeGreaterThan(install);
  });

  it('captures the screen of the command its caption names: the status line gives that run\'s figures', () => {
    const command = /\(`(--dataset [^`]+)`, then `space`;/.exec(readme)?.[1] ?? '';
    expect(command).toBe('--dataset moons --test-fraction 0.3');
    const screen = readme.slice(readme.indexOf('```\n') + 4, readme.indexOf('\n```', readme.indexOf('```\n')));
    const status = / epoch (\d+)\/(\d+) · loss +(\S+) · test +(\S+) · acc +(\d+)% · test acc +(\d+)%/.exec(screen);
    expect(status).not.toBeNull();
    const { session } = openSession(parseCli(command.split(' ')));
    expect(screen).toContain(`target ${session.epochs} `);
    for (let i = 0; i < session.epochs && session.status !== 'done'; i++) session.step(); // a diverged run stops too
    const last = session.reported;
    expect(status?.slice(1)).toEqual([String(session.epoch), String(session.epochs), formatLoss(last.loss), formatLoss(last.testLoss ?? NaN), formatPercent(last.accuracy ?? NaN), formatPercent(last.testAccuracy ?? NaN)].map((t) => t.replace('%', '')));
    expect(screen.split('\n')).toHaveLength(23); // 80x24: every frame keeps to rows - 1
    for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('lists every key binding with its description', () => {
    for (const b of BINDINGS) expect(readme).toContain(b.description.replace(/\|/g, '\\|'));
  });

  it('shows the options exactly as --help prints them', () => {
    const help = helpText();
    const options = help.slice(help.indexOf('Options:\n') + 'Options:\n'.length).trimEnd();
    expect(readme).toContain(options);
    for (const name of Object.keys(FLAGS)) expect(readme).toContain(`--${name}`);
  });

  it('names npm scripts that exist', () => {
    for (const [, script] of readme.matchAll(/npm run ([\w:-]+)/g)) expect(pkg.scripts).toHaveProperty(script as string);
  });
});

describe('version', () => {
  it('is the version in package.json', () => {
    expect(VERSION).toBe(pkg.version);
  });
});
