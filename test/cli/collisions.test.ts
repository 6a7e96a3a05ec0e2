import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './capture.js';

let dir: string;
let data: string;
const DATA = '1,2,1\n2,1,-1\n';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-collide-'));
  data = join(dir, 'points.csv');
  writeFileSync(data, DATA);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const at = (name: string): string => join(dir, name);

describe('outputs that would overwrite an input or each other', () => {
  it.each(['--save', '--autosave', '--export-history'])('--data F %s F: refused before training, the data kept', async (flag) => {
    const r = await runCli(['--headless', '--data', data, flag, data]);
    const kind = flag === '--export-history' ? 'history CSV' : 'checkpoint';
    expect(r).toEqual({ code: 2, out: '', err: `micrograd-tui: ${flag} ${data} and --data ${data} are the same file: the ${kind} would replace the data file; choose another file name\n` });
    expect(readFileSync(data, 'utf8')).toBe(DATA);
  });

  it('compares the files themselves: a symlink or a path through .. is the same file', async () => {
    symlinkSync(data, at('link.csv'));
    expect((await runCli(['--headless', '--data', data, '--save', at('link.csv')])).code).toBe(2);
    expect((await runCli(['--headless', '--data', data, '--save', join(dir, '..', dir.split('/').at(-1) as string, 'points.csv')])).code).toBe(2);
    expect(readFileSync(data, 'utf8')).toBe(DATA);
  });

  it('--save X --export-history X: refused (only the CSV would be left)', async () => {
    const r = await runCli(['--headless', '--save', at('x'), '--export-history', at('x')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('are the same file: the history CSV would replace the checkpoint');
  });

  it('--load C --export-history C: refused, the checkpoint kept', async () => {
    const ckpt = at('run.ckpt');
    expect((await runCli(['--headless', '--epochs', '3', '--save', ckpt])).code).toBe(0);
    const saved = readFileSync(ckpt, 'utf8');
    const r = await runCli(['--headless', '--load', ckpt, '--export-history', ckpt]);
    expect(r.err).toBe(`micrograd-tui: --export-history ${ckpt} and --load ${ckpt} are the same file: the history CSV would replace the checkpoint; choose another file name\n`);
    expect(r.code).toBe(2);
    expect(readFileSync(ckpt, 'utf8')).toBe(saved);
  });

  it("--load C --save D where D is C's data file: refused", async () => {
    const ckpt = at('run.ckpt');
    expect((await runCli(['--headless', '--epochs', '3', '--data', data, '--save', ckpt])).code).toBe(0);
    const r = await runCli(['--headless', '--load', ckpt, '--epochs', '4', '--save', data]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`the data file of ${ckpt} (${data})`);
    expect(readFileSync(data, 'utf8')).toBe(DATA);
  });

  it('still allows a run saving over its own checkpoint, and --save and --autosave on one file', async () => {
    const ckpt = at('run.ckpt');
    expect((await runCli(['--headless', '--epochs', '3', '--save', ckpt, '--autosave', ckpt])).code).toBe(0);
    expect((await runCli(['--headless', '--load', ckpt, '--epochs', '5', '--save', ckpt])).code).toBe(0);
    expect(JSON.parse(readFileSync(ckpt, 'utf8')).epoch).toBe(5);
  });
});
