import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, MISSING_TMUX, TmuxSession } from './tmux.js';

// After the program, on one line: its exit code and the terminal's line discipline (raw mode
// would leave -icanon -echo), e.g. "EXIT:0 icanon echo".
const AFTER = 'code=$?; modes=$(stty -a | tr " ;" "\\n\\n" | grep -xE -- "-?(icanon|echo)" | tr "\\n" " "); echo "EXIT:$code $modes"; sleep 60';
const start = (flags: string): string => `printf 'shell line before the app\\n'; CI=0 node ${CLI} ${flags}; ${AFTER}`;

let session: TmuxSession | undefined;

/** The terminal as the program found it: line discipline back (no raw mode) and the cursor shown. */
function expectRestored(screen: string): void {
  expect(screen).toMatch(/EXIT:\d+ icanon echo/);
  expect(session?.cursorVisible()).toBe(true);
}
afterEach(() => {
  session?.close();
  session = undefined;
});

describe('the terminal UI in a real 80x24 terminal', () => {
  it('needs tmux (.ci/run installs it)', () => {
    expect(TmuxSession.available(), MISSING_TMUX).toBe(true);
  });

  it('opens paused, steps, plays, changes the learning rate and quits cleanly', async () => {
    session = new TmuxSession(start('--seed 1'));
    const first = await session.waitFor('paused');
    expect(first).toContain('classic (4)');
    expect(first).toContain('MLP 3-4-4-1 tanh');
    expect(first).toMatch(/epoch 0\/100 +· loss +[\d.]+ · acc +\d+% · lr 0\.1 · pace max$/m); // no rate while paused
    expect(first).toContain('parameters 41');
    expect(first.split('\n').every((line) => line.length <= 80)).toBe(true);

    session.press('s');
    await session.waitFor('epoch 1/100');
    session.press('Right');
    await session.waitFor('epoch 2/100');

    session.press('+');
    await session.waitFor('lr 0.2');

    const bytes = session.recordBytes();
    session.press('Space');
    const done = await session.waitFor('done');
    expect(done).toMatch(/epoch 100\/100/);
    expect(done).toMatch(/acc 100%/);
    const written = bytes();
    expect(written).toContain('running'); // drawn while it trained, however briefly
    // Ink 6 clears the whole screen (scrollback too) when a frame reaches the terminal's height.
    expect(written).not.toContain('\x1b[2J');

    session.press('q');
    const after = await session.waitFor('EXIT:');
    expect(after).toContain('EXIT:0');
    expect(after).toContain('stopped at epoch 100/100');
    expect(after).toContain('shell line before the app');
    expect(after).not.toContain('parameters 41'); // the app's screen is gone
    expectRestored(after);
  });

  it('the setup menu by keys sent one at a time and all at once, and i shows the command line', async () => {
    session = new TmuxSession(start('--dataset moons --size 40'));
    await session.waitFor('paused');
    // One key a command: m, ↓ to the hidden layers (below dataset, data file, samples, noise,
    // data seed, regenerate, task, held out), enter, a typed 8,8,4, enter, ↑ round to apply, enter.
    session.press('m');
    await session.waitFor('enter choose · esc cancel');
    for (let i = 0; i < 8; i++) session.press('Down');
    session.press('Enter');
    await session.waitFor('setup · hidden layers');
    session.press('C-u');
    session.press('8,8,4', true);
    session.press('Enter');
    for (let i = 0; i < 9; i++) session.press('Up');
    session.press('Enter');
    const applied = await session.waitFor('MLP 2-8-8-4-1');
    expect(applied).toContain('applied: training starts again from epoch 0');
    // The same edit, all keys in one command.
    session.pressTogether('m', ...Array<string>(8).fill('Down'), 'Enter', 'C-u', '16,4', 'Enter', ...Array<string>(9).fill('Up'), 'Enter');
    const again = await session.waitFor('MLP 2-16-4-1');
    expect(again).toContain('moons (40)');
    session.pressTogether('i');
    const command = await session.waitFor('command line');
    expect(command).toContain('micrograd-tui --dataset moons --size 40 --layers 16,4');
    expect(command.split('\n').every((line) => line.length <= 80)).toBe(true);
    session.press('Escape');
    await session.waitFor('─ loss ');
    session.press('q');
    const after = await session.waitFor('EXIT:');
    expect(after).toContain('EXIT:0');
    expectRestored(after);
  });

  it('quits on Ctrl+C and restores the terminal, also when Ctrl+C comes in one read after another key', async () => {
    session = new TmuxSession(start(''));
    await session.waitFor('paused');
    session.pressTogether('Space', 'C-c');
    const after = await session.waitFor('EXIT:');
    expect(after).toContain('EXIT:0');
    expectRestored(after);
  });

  it('restores the terminal on SIGTERM while training', async () => {
    session = new TmuxSession(start('--seed 7 --epochs 100000'));
    await session.waitFor('paused');
    session.press('Space');
    await session.waitFor('running');
    process.kill(session.programPid(), 'SIGTERM');
    const after = await session.waitFor('EXIT:');
    expect(after).toContain('EXIT:143');
    expectRestored(after);
    expect(after).toContain('shell line before the app');
  });

  it('autosaves on SIGHUP (a dropped SSH connection) and the run resumes from the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgtui-hup-'));
    const file = join(dir, 'run.ckpt');
    try {
      // No autosave before the hang-up (every 10^7 epochs): what is saved is the hang-up's save.
      session = new TmuxSession(start(`--seed 9 --epochs 100000 --autosave ${file} --autosave-every 10000000`));
      await session.waitFor('paused');
      session.press('Space');
      await session.waitFor(/epoch +[1-9]\d{3,}\/100000/);
      process.kill(session.programPid(), 'SIGHUP');
      const after = await session.waitFor('EXIT:');
      expect(after).toContain('EXIT:129');
      expect(after).toMatch(/EXIT:\d+ icanon echo/);
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { epoch: number; run: { seed: number } };
      expect(saved.run.seed).toBe(9);
      expect(saved.epoch).toBeGreaterThan(1000);

      const resumed = spawnSync('node', [CLI, '--headless', '--load', file, '--epochs', String(saved.epoch + 5), '--print-every', '1'], { encoding: 'utf8' });
      expect(resumed.status).toBe(0);
      expect(resumed.stdout).toContain(`epoch ${saved.epoch + 1}/${saved.epoch + 5}`);
      expect(resumed.stdout).toContain('done: 5 epochs');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after n, the closing line says the autosave file still holds the run before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgtui-new-seed-'));
    try {
      session = new TmuxSession(`cd ${dir} && ${start('--epochs 40 --autosave n.ckpt --autosave-every 10')}`);
      await session.waitFor('paused');
      session.press('Space');
      await session.waitFor('done');
      session.press('n');
      await session.waitFor('seed 43');
      session.press('q');
      await session.waitFor('EXIT:0');
      const joined = session.tmux('capture-pane', '-p', '-J', '-t', 'e2e'); // wrapped lines joined
      expect(joined).toMatch(/stopped at epoch 0\/40, loss [\d.]+, seed 43; n\.ckpt holds the earlier run \(seed 42, epoch 40\), autosaved before the new one\n/);
      expect(JSON.parse(readFileSync(join(dir, 'n.ckpt'), 'utf8'))).toMatchObject({ epoch: 40, run: { seed: 42 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('draws the trainer in a terminal even when CI is set (Ink alone would draw nothing there)', async () => {
    session = new TmuxSession(`CI=true CONTINUOUS_INTEGRATION=1 node ${CLI}; ${AFTER}`);
    await session.waitFor('space play');
    expect(session.screen()).toMatch(/classic \(4\) · MLP 3-4-4-1/);
    session.press('q');
    await session.waitFor('EXIT:0');
  });

  it('saves a checkpoint with w and exports the history with e', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgtui-keys-'));
    try {
      session = new TmuxSession(`cd ${dir} && ${start('--epochs 30')}`);
      await session.waitFor('paused');
      session.press('Space');
      await session.waitFor('done');
      session.press('w');
      await session.waitFor('save checkpoint to: classic-4-4-tanh-sse.ckpt');
      session.press('Enter');
      await session.waitFor('saved classic-4-4-tanh-sse.ckpt at epoch 30');
      session.press('e');
      await session.waitFor('export history (CSV) to:');
      session.press('C-u'); // clears the suggested name
      session.press('history.csv', true);
      session.press('Enter');
      await session.waitFor('wrote 30 epochs of history to history.csv');
      session.press('q');
      await session.waitFor('EXIT:0');
      expect(JSON.parse(readFileSync(join(dir, 'classic-4-4-tanh-sse.ckpt'), 'utf8')).epoch).toBe(30);
      const csv = readFileSync(join(dir, 'history.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toBe('epoch,loss,accuracy,learning_rate,test_loss,test_accuracy,r2,test_r2,restored_from');
      expect(csv).toHaveLength(31);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trains moons to the end with its boundary on screen, at 80x24 and in an 80x23 pane', async () => {
    for (const rows of [24, 23]) {
      session = new TmuxSession(start('--dataset moons --layers 8 --loss hinge --lr 0.5 --epochs 60'), 80, rows);
      await session.waitFor('paused');
      session.press('Space');
      const done = await session.waitFor('done');
      const lines = done.split('\n');
      expect(lines.every((line) => line.length <= 80)).toBe(true);
      expect(done).toMatch(/╭─ boundary ─+ d discrete ─╮/);
      expect(done).toContain('╭─ loss ');
      expect(done).toContain('parameters 33');
      expect(done).toMatch(/^ lr 0\.5 /m);
      expect(done).toMatch(/^ epoch 60\/60 +· loss/m);
      expect(done).toMatch(/[●■]/);
      session.press('q');
      expect(await session.waitFor('EXIT:')).toContain('EXIT:0');
      session.close();
    }
    session = undefined;
  });

  it('trains spiral --classes 3 with its preset to at least 90% accuracy, its three regions on the map', async () => {
    session = new TmuxSession(start('--dataset spiral --classes 3'));
    expect(await session.waitFor('paused')).toContain('spiral (100, 3 classes) · MLP 2-24-24-3 tanh/linear · ce · adam');
    session.press('Space');
    const done = await session.waitFor(/done[\s\S]*epoch 1000\/1000 /); // one capture with both (see the pace test)
    expect(done.split('\n').every((line) => line.length <= 80)).toBe(true);
    expect(done).toMatch(/╭─ boundary ─+ d discrete ─╮/);
    const accuracy = Number(/^ epoch 1000\/1000 +· loss +[\d.]+ · acc +(\d+)%/m.exec(done)?.[1]);
    expect(accuracy).toBeGreaterThanOrEqual(90);
    const lines = done.split('\n');
    const top = lines.findIndex((l) => l.startsWith('╭─ boundary'));
    const map = lines.slice(top + 1, top + 9).map((l) => l.slice(1, 38)).join('');
    for (const glyph of ['0', '1', '2']) expect(map).toContain(glyph); // the samples, by class
    session.press('q');
    expect(await session.waitFor('EXIT:')).toContain('EXIT:0');
  });

  it('plays at --pace 2: three seconds advance 4 to 8 epochs, and > and < change the pace', async () => {
    session = new TmuxSession(start('--pace 2 --epochs 1000'));
    const first = await session.waitFor('paused');
    expect(first).toMatch(/pace 2\/s < >/);
    expect(first).toMatch(/· pace 2\/s\b/);
    session.press('Space');
    await session.waitFor('running');
    await new Promise((r) => setTimeout(r, 3000));
    session.press('Space');
    // The header and the status line in one capture: tmux may catch Ink between two lines of a frame
    // (a clean-clone CI run read no epoch from the screen that first said paused).
    const paused = await session.waitFor(/paused[\s\S]*epoch \d+\/1000/);
    const epoch = Number(/epoch (\d+)\/1000/.exec(paused)?.[1]);
    expect(epoch).toBeGreaterThanOrEqual(4);
    expect(epoch).toBeLessThanOrEqual(8);
    session.press('>');
    await session.waitFor(/pace 5\/s < >/);
    session.press('<');
    session.press('<');
    await session.waitFor(/pace 1\/s < >/);
    session.press('q');
    expect(await session.waitFor('EXIT:')).toContain('EXIT:0');
  });

  it('draws only ASCII under LC_ALL=C (borders, map, chart, markers), with the map and the test split', async () => {
    session = new TmuxSession(start('--dataset moons --layers 8 --loss hinge --test-fraction 0.3').replace('CI=0 ', 'CI=0 LC_ALL=C '));
    await session.waitFor('paused');
    session.press('s');
    const screen = await session.waitFor(/epoch 1\/\d+/);
    expect(screen).toMatch(/^[\x00-\x7f]*$/);
    expect(screen).toContain('+- boundary ');
    expect(screen).toMatch(/[OX]/);
    session.press('q');
    expect(await session.waitFor('EXIT:')).toContain('EXIT:0');
  });

  it('asks for more room in a small terminal and comes back when resized', async () => {
    session = new TmuxSession(start(''), 50, 15);
    await session.waitFor('needs at least 60x18');
    session.tmux('resize-window', '-t', 'e2e', '-x', '100', '-y', '30');
    const big = await session.waitFor('paused');
    expect(big).toContain('parameters 41');
    session.press('q');
    await session.waitFor('EXIT:0');
  });
});

describe('without a terminal', () => {
  it('says the UI needs a terminal, points at --headless and exits with 2', () => {
    const result = spawnSync('node', [CLI], { input: '', encoding: 'utf8', env: { ...process.env, CI: '0' } });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('needs an interactive terminal');
    expect(result.stderr).toContain('--headless');
    expect(result.stdout).toBe('');
  });
});

describe('seeing backprop in a real terminal', () => {
  it('b walks one step to its end and applies it; back with b changes nothing; c checks; v draws', async () => {
    session = new TmuxSession(start('--seed 1'));
    await session.waitFor('paused');
    session.press('b');
    await session.waitFor('backprop · phase 1/5 forward · sample 1/4 · operation 1/73');
    session.press('b');
    await session.waitFor('nothing changed');
    expect(session.screen()).toMatch(/epoch 0\/100/);
    session.press('b');
    await session.waitFor('phase 1/5 forward');
    for (let phase = 2; phase <= 5; phase++) {
      session.press('Enter');
      session.press('s');
      await session.waitFor(`phase ${phase}/5`);
    }
    session.press('Tab');
    await session.waitFor('sample 2/4');
    session.press('Enter');
    await session.waitFor('parameter 41/41');
    session.press('Right');
    await session.waitFor('the walked step is applied: epoch 1');
    expect(session.screen()).toMatch(/epoch 1\/100/);

    session.press('c');
    const checked = await session.waitFor(/L1\.N4\.b +\S+ +\S+ +\S+ ✓ │/); // the last row on screen, checked
    expect(checked).toContain('gradient check');
    expect(checked).not.toMatch(/[✗~] │$/m); // every row agrees
    session.press('c');
    session.press('v');
    await session.waitFor('network · sample 1/4 · edges: weights');
    session.press('Down');
    session.press('g');
    await session.waitFor('edges: gradients');
    expect(session.screen()).toContain('L1.N2 as micrograd draws it');
    expect(session.screen().split('\n').every((line) => line.length <= 80)).toBe(true);
    session.press('Escape');
    await session.waitFor('parameters 41');
    session.press('q');
    const after = await session.waitFor('EXIT:');
    expect(after).toContain('EXIT:0');
    expectRestored(after);
  });

  it('tour, walk and diagram draw only ASCII and fit under LC_ALL=C NO_COLOR=1 in an 80x23 pane', async () => {
    session = new TmuxSession(start('--tour').replace('CI=0 ', 'CI=0 LC_ALL=C NO_COLOR=1 '), 80, 23);
    const bytes = session.recordBytes();
    const screens: string[] = [await session.waitFor('tour 1/14 . A derivative is a slope')];
    for (let screen = 2; screen <= 14; screen++) {
      session.press('Space');
      screens.push(await session.waitFor(`tour ${screen}/14`));
    }
    session.press('Space'); // the last screen opens the trainer on the classic example
    await session.waitFor('parameters 41');
    session.press('b');
    screens.push(await session.waitFor('backprop . phase 1/5 forward'));
    for (let phase = 2; phase <= 5; phase++) {
      session.press('Enter');
      session.press('s');
      screens.push(await session.waitFor(`phase ${phase}/5`));
    }
    session.press('Escape');
    await session.waitFor('nothing changed');
    session.press('v');
    screens.push(await session.waitFor('network . sample 1/4'));
    session.press('Escape');
    await session.waitFor('parameters 41');
    session.press('q');
    expect(await session.waitFor('EXIT:')).toContain('EXIT:0');
    for (const screen of screens) {
      expect(screen).toMatch(/^[\x00-\x7f]*$/);
      expect(screen.split('\n').every((line) => line.length <= 80)).toBe(true);
      expect(screen).not.toMatch(/\w\.\.\.? *[|]$/m); // nothing cut short at the border
    }
    expect(bytes()).toMatch(/^[\x00-\x7f]*$/); // every frame written, not only the last
  });

  it('--tour goes through every screen and q quits with 0', async () => {
    session = new TmuxSession(start('--tour'));
    await session.waitFor('tour 1/14 · A derivative is a slope');
    for (let screen = 2; screen <= 14; screen++) {
      session.press(screen % 2 === 0 ? 'Space' : 'Right');
      const shown = await session.waitFor(`tour ${screen}/14`);
      expect(shown.split('\n').every((line) => line.length <= 80)).toBe(true);
    }
    session.press('Left');
    await session.waitFor('tour 13/14');
    session.press('q');
    const after = await session.waitFor('EXIT:');
    expect(after).toContain('EXIT:0');
    expect(after).not.toContain('stopped at epoch'); // a tour left before any training has no run to report
    expectRestored(after);
  });
});
