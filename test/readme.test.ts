import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLAGS, helpText } from '../src/cli/args.js';
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
