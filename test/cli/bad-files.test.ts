import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DATA_FILE_BYTES } from '../../src/data/load.js';
import { MAX_CHECKPOINT_BYTES, saveCheckpoint } from '../../src/train/checkpoint.js';
import { createSession, DEFAULT_RUN_OPTIONS } from '../../src/train/setup.js';
import { runCli, type CliResult } from './capture.js';

// Every bad file goes through run(), the whole command in-process; a few also through the built
// command (`npm test` builds it first), to show that the process itself behaves the same.
const main = resolve('dist/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'bad-files-'));
const at = (name: string): string => join(dir, name);
let valid = '';

const cli = (...args: string[]): Promise<CliResult> => runCli(['--headless', '--epochs', '2', ...args]);

function spawnCli(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [main, '--headless', '--epochs', '2', ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  const write = (name: string, content: string | Buffer): void => writeFileSync(at(name), content);
  write('empty.csv', '');
  write('truncated.json', '{"x": [[1, 2], [3');
  write('latin1.csv', Buffer.from([0x31, 0x2c, 0xe9, 0x2c, 0x31, 0x0a])); // "1,é,1" in Latin-1
  write('ragged.csv', '1,2,1\n3,4\n');
  write('words.csv', 'a,b,y\n1,2,1\n3,abc,-1\n');
  write('nan.csv', '1,2,1\nNaN,4,-1\n');
  write('huge-number.csv', '1,2,1\n1e400,4,-1\n');
  write('nan.json', '{"x": [[1, 2], [3, NaN]], "y": [1, -1]}');
  write('infinite.json', '{"x": [[1, 2], [3, 1e400]], "y": [1, -1]}');
  write('huge.csv', '1,2,1\n');
  truncateSync(at('huge.csv'), MAX_DATA_FILE_BYTES + 1); // sparse: nothing is really written
  write('bom.csv', '\uFEFFx1,x2,y\n1,2,1\n3,4,-1\n');
  write('crlf.csv', 'x1,x2,y\r\n1,2,1\r\n3,4,-1\r\n');
  mkdirSync(at('folder.csv'));

  const session = createSession({ ...DEFAULT_RUN_OPTIONS, epochs: 10 });
  for (let i = 0; i < 3; i++) session.step();
  saveCheckpoint(at('valid.ckpt'), DEFAULT_RUN_OPTIONS, session);
  valid = readFileSync(at('valid.ckpt'), 'utf8');
  write('empty.ckpt', '');
  write('truncated.ckpt', valid.slice(0, valid.length / 2));
  write('latin1.ckpt', Buffer.concat([Buffer.from(valid.replace('"classic"', '"classic"  ')), Buffer.from([0xff])]));
  write('bom.ckpt', '\uFEFF' + valid);
  write('crlf.ckpt', valid.replace(/\n/g, '\r\n'));
  write('nan.ckpt', valid.replace('"parameters": [', '"parameters": [NaN, '));
  write('infinite.ckpt', valid.replace(/"parameters": \[[^,]+,/, '"parameters": [1e400,'));
  write('words.ckpt', valid.replace(/"parameters": \[[^,]+,[^,]+,/, '"parameters": [0, "abc",'));
  write('ragged.ckpt', valid.replace(/"accuracy": \[[^,]+,/, '"accuracy": ['));
  write('architecture.ckpt', valid.replace('"layers":[4,4]', '"layers":[4,3]'));
  write('huge.ckpt', '{');
  truncateSync(at('huge.ckpt'), MAX_CHECKPOINT_BYTES + 1);
  mkdirSync(at('folder.ckpt'));
  write('locked.csv', '1,2,1\n');
  chmodSync(at('locked.csv'), 0o000);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bad data files through the CLI', () => {
  it.each([
    ['empty', 'empty.csv', ': no data rows (expected lines like "0.5,1.2,-1")'],
    ['truncated', 'truncated.json', ': not valid JSON ('],
    ['not UTF-8', 'latin1.csv', ': not valid UTF-8 text'],
    ['ragged', 'ragged.csv', ':2: 2 columns, expected 3 like line 1'],
    ['non-numeric', 'words.csv', ':3: column 2: "abc" is not a number'],
    ['NaN in CSV', 'nan.csv', ':2: column 1: "NaN" is not a number'],
    ['1e400 in CSV', 'huge-number.csv', ':2: column 1: 1e400 is too large (not a finite number)'],
    ['NaN in JSON', 'nan.json', ': not valid JSON ('],
    ['1e400 in JSON', 'infinite.json', ': x[1][1]: '],
    ['huge', 'huge.csv', `: file is ${MAX_DATA_FILE_BYTES + 1} bytes, the limit is ${MAX_DATA_FILE_BYTES} bytes`],
    ['a directory', 'folder.csv', ': is a directory, expected a file'],
    ['missing', 'missing.csv', ': no such file'],
  ])('%s: one line and exit code 2', async (_, name, message) => {
    const r = await cli('--data', at(name));
    expect(r.err).toMatch(/^micrograd-tui: [^\n]+\n$/);
    expect(r.err).toContain(`micrograd-tui: ${at(name)}${message}`);
    expect(r).toMatchObject({ code: 2, out: '' });
  });

  it.each(['bom.csv', 'crlf.csv'])('%s loads and trains', async (name) => {
    expect(await cli('--data', at(name))).toMatchObject({ code: 0, err: '' });
  });

  it('no permission: one line and exit code 2', async () => {
    const r = await cli('--data', at('locked.csv'));
    // Root reads a chmod 000 file anyway, so the denial can only be seen as another user;
    // test/cli/injected-fs.test.ts injects EACCES to cover it whoever runs the tests.
    if (process.getuid?.() === 0) expect(r.code).toBe(0);
    else expect(r).toMatchObject({ code: 2, err: `micrograd-tui: ${at('locked.csv')}: permission denied\n` });
  });
});

describe('bad checkpoints through the CLI', () => {
  it.each([
    ['empty', 'empty.ckpt', ': not valid JSON ('],
    ['truncated', 'truncated.ckpt', ': not valid JSON ('],
    ['not UTF-8', 'latin1.ckpt', ': not valid UTF-8 text'],
    ['NaN', 'nan.ckpt', ': not valid JSON ('],
    ['1e400', 'infinite.ckpt', ': parameters[0] is not a finite number'],
    ['non-numeric', 'words.ckpt', ': parameters[1] is not a number'],
    ['ragged history', 'ragged.ckpt', ': history.accuracy has 2 entries, expected one per epoch (3)'],
    ['the wrong architecture', 'architecture.ckpt', ': parameters has 41 numbers, but layers 4,3 on 3 inputs need 35'],
    ['huge', 'huge.ckpt', `: file is ${MAX_CHECKPOINT_BYTES + 1} bytes, the limit is ${MAX_CHECKPOINT_BYTES} bytes`],
    ['a directory', 'folder.ckpt', ': is a directory, expected a file'],
    ['missing', 'missing.ckpt', ': no such file'],
    ['a data file', 'ragged.csv', ': not valid JSON ('],
  ])('%s: one line and exit code 2', async (_, name, message) => {
    const r = await cli('--load', at(name));
    expect(r.err).toMatch(/^micrograd-tui: [^\n]+\n$/);
    expect(r.err).toContain(`micrograd-tui: ${at(name)}${message}`);
    expect(r).toMatchObject({ code: 2, out: '' });
  });

  it.each(['bom.ckpt', 'crlf.ckpt'])('%s loads and resumes', async (name) => {
    const r = await cli('--load', at(name), '--epochs', '5');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('done: 2 epochs');
  });
});

describe('the built command', () => {
  it.each([
    ['--data', 'ragged.csv', ':2: 2 columns, expected 3 like line 1'],
    ['--load', 'infinite.ckpt', ': parameters[0] is not a finite number'],
    ['--load', 'folder.ckpt', ': is a directory, expected a file'],
  ])('%s %s: one line and exit code 2 from the process', (flag, name, message) => {
    expect(existsSync(main), 'run `npm run build` first (npm test does)').toBe(true);
    expect(spawnCli(flag, at(name))).toEqual({ code: 2, out: '', err: `micrograd-tui: ${at(name)}${message}\n` });
  });
});

describe('a symlink loop', () => {
  it('says what ELOOP means', async () => {
    symlinkSync(at('loop-b.csv'), at('loop-a.csv'));
    symlinkSync(at('loop-a.csv'), at('loop-b.csv'));
    const r = await runCli(['--headless', '--data', at('loop-a.csv')]);
    expect(r).toEqual({
      code: 2,
      out: '',
      err: `micrograd-tui: ${at('loop-a.csv')}: too many levels of symbolic links (a symlink that points back to itself, or a loop of them)\n`,
    });
  });
});
