import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FLAGS } from '../../src/cli/args.js';
import { saveCheckpoint } from '../../src/train/checkpoint.js';
import { createSession, DEFAULT_RUN_OPTIONS } from '../../src/train/setup.js';
import { runCli } from './capture.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-fuzz-'));
mkdirSync(join(dir, 'a-directory'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STACK = /^\s+at |\bat .*:\d+:\d+\)?$|Error:|node:internal/m;
// Anything but the newline that ends each line would garble the terminal.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]|\n(?!$)(?!micrograd-tui: )/;
const WRITES = ['save', 'autosave', 'export-history'];

// Values a user could type, and values nobody should. Numbers stay small so each run is quick.
const hostile = fc.constantFrom(
  '', ' ', '-', '--', '=', '-1', '0', '1', '2', '3', '1.5', '.5', '2e0', '1e400', '-1e400', '1e-400', 'NaN', 'Infinity', '-Infinity',
  '0x1F', '１', '2,2', '4,,4', ',', '3,0', 'abc', 'moons', 'xor', 'classic', 'relu', 'linear', 'hinge', 'mse', 'bce', '__proto__',
  'constructor', 'toString', '\u0000', '\u001b[2J', 'é', '🙂', 'a'.repeat(5000), '../../../etc/passwd', '/dev/null', '/',
  resolve('test/fixtures/moons100.json'), join(dir, 'missing.csv'), join(dir, 'a-directory'),
);
// Files the run may write: all inside the scratch directory (or places that cannot be written).
const target = fc.constantFrom('', '/', join(dir, 'out.ckpt'), join(dir, 'h.csv'), join(dir, 'a-directory'), join(dir, 'no', 'such', 'dir', 'f'));
const flagName = fc.constantFrom(
  ...Object.keys(FLAGS).filter((f) => !WRITES.includes(f)),
  'foo', '', '-', '__proto__', 'constructor', 'hasOwnProperty', 'LR', 'lr ', 'help=', 'data-set',
);

/** One flag and maybe its value, in any of the spellings a shell could pass. */
const flagToken = fc.oneof(
  fc.tuple(flagName, hostile).map(([f, v]) => [`--${f}`, v]),
  fc.tuple(flagName, hostile).map(([f, v]) => [`--${f}=${v}`]),
  flagName.map((f) => [`--${f}`]),
  fc.tuple(fc.constantFrom(...WRITES), target).map(([f, v]) => [`--${f}`, v]),
  fc.tuple(fc.constantFrom(...WRITES), target).map(([f, v]) => [`--${f}=${v}`]),
  fc.constantFrom(['-h'], ['-x'], ['extra'], ['-'], ['--'], ['---lr'], ['--lr', '--epochs']),
);
const argv = fc.array(flagToken, { maxLength: 8 }).map((tokens) => ['--headless', '--epochs', '2', '--size', '20', ...tokens.flat()]);

describe('the CLI under random and hostile arguments', () => {
  it('always exits 0, 1 or 2 and never prints a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const { code, out, err } = await runCli(args);
        expect([0, 1, 2]).toContain(code);
        expect(out + err).not.toMatch(STACK);
        expect(err).not.toMatch(CONTROL);
        // A mistake found before training is one line; files that fail at the end get a line each.
        if (code === 2) expect(err).toMatch(/^(micrograd-tui: [^\n]+\n)+$/);
        if (code === 2 && out === '') expect(err).toMatch(/^micrograd-tui: [^\n]+\n$/);
        if (code === 0) expect(err).toBe('');
      }),
      { seed: 20260526, numRuns: 1000 },
    );
  });
});

/** `text` with a few random edits: a slice deleted, or a hostile fragment put in somewhere. */
function mutated(text: string): fc.Arbitrary<string> {
  const fragment = fc.oneof(
    fc.constantFrom('', ',', '"', '[', ']', '{', '}', ':', 'null', 'NaN', '1e400', '-1', '0', '"x"', '[]', '{}', '\uFEFF', '\r\n', '\u0000', '"__proto__":', '1,2,3\n', 'true'),
    fc.string({ maxLength: 8 }),
  );
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 12 }), fragment, fc.boolean());
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) =>
    edits.reduce((t, [at, len, piece, remove]) => {
      const i = at % (t.length + 1);
      return t.slice(0, i) + piece + t.slice(remove ? i + len : i);
    }, text),
  );
}

describe('the CLI under damaged files', () => {
  const session = createSession({ ...DEFAULT_RUN_OPTIONS, epochs: 10 });
  for (let i = 0; i < 3; i++) session.step();
  const ckptPath = join(dir, 'valid.ckpt');
  saveCheckpoint(ckptPath, DEFAULT_RUN_OPTIONS, session);
  const checkpoint = readFileSync(ckptPath, 'utf8');
  const csv = 'x1,x2,x3,y\n2,3,-1,1\n3,-1,0.5,-1\n0.5,1,1,-1\n1,1,-1,1\n';

  it.each([
    ['a checkpoint', checkpoint, 'damaged.ckpt', ['--load']],
    ['a CSV data file', csv, 'damaged.csv', ['--layers', '2', '--data']],
    ['a JSON data file', JSON.stringify({ x: [[2, 3, -1], [3, -1, 0.5]], y: [1, -1] }), 'damaged.json', ['--layers', '2', '--data']],
  ])('%s with random damage: exit 0, 1 or 2 and one line, never a stack trace', async (_, text, name, flags) => {
    const path = join(dir, name);
    await fc.assert(
      fc.asyncProperty(mutated(text), async (damaged) => {
        writeFileSync(path, damaged);
        const { code, out, err } = await runCli(['--headless', '--epochs', '5', ...flags, path]);
        expect([0, 1, 2]).toContain(code);
        expect(out + err).not.toMatch(STACK);
        expect(err).not.toMatch(CONTROL);
        if (code === 2) expect(err).toMatch(/^micrograd-tui: [^\n]+\n$/);
        if (code === 0) expect(err).toBe('');
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});
