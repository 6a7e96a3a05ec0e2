import { toAscii } from '../../src/tui/ascii.js';
import { stripVTControlCharacters } from 'node:util';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSession, DEFAULT_RUN_OPTIONS } from '../../src/train/setup.js';
import { computeLayout } from '../../src/tui/layout.js';
import type { StepWalk } from '../../src/learn/walk.js';
import { stepSizeLine } from '../../src/tui/WalkView.js';
import { KEYS, renderApp, type RenderedApp } from './render-app.js';

afterEach(cleanup);

/** Type `keys` and wait until the frame passes `check`. */
async function press(app: RenderedApp, keys: string, check: () => void): Promise<void> {
  app.stdin.write(keys);
  await vi.waitFor(check, { interval: 2 });
}

const title = (app: RenderedApp): string => app.lines()[1] ?? '';

describe('the backprop walk in the trainer', () => {
  it('opens with b on the classic example, shows phase and node, and leaves with b changing nothing', async () => {
    const app = await renderApp();
    await press(app, 's', () => expect(app.frame()).toMatch(/epoch 1\/100/));
    const before = app.controller.session.snapshot();
    await press(app, 'b', () => expect(title(app)).toContain('backprop · phase 1/5 forward · sample 1/4 · operation 1/73'));
    expect(app.lines()[0]).toMatch(/one step: 396 nodes \(126 a sample\) · 303 rules in backward/);
    expect(app.frame()).toContain('L1.N1 tanh ●4'); // used by the 4 neurons of layer 2
    await press(app, `${KEYS.enter}s${KEYS.enter}s${KEYS.enter}ssssss`, () => expect(title(app)).toContain('phase 4/5 backward · sample 1/4 · rule 6/78'));
    // 78: forward's 73 operations, then sample 1's path through the loss: its term (s1 +, s1 **2), the partial sums s1-s2 + and s1-s3 +, and loss.
    expect(app.frame()).toContain('73 rules of forward + 5 of the loss');
    expect(app.frame()).toMatch(/s1-s3 \+ +\S+ +1\.0000 +s1-s2 \+ \+=1, s3 \*\*2 \+=1/);
    // The current line: tanh's rule with the numbers, and what it added.
    expect(app.frame()).toMatch(/L3\.N1 sum\.grad \+= \(1 - 0\.9223\^2\) · -0\.1553 = -0\.02318 +\(was 0, now -0\.02318\)/);
    expect(app.frame()).toContain('L3.N1 tanh grad -0.1553; out = tanh(a), so d out/d a = 1 - out^2:');
    await press(app, 's', () => expect(title(app)).toContain('rule 7/78'));
    expect(app.frame()).toMatch(/L3\.N1 sum grad -0\.02318; out = a \+ b, so d out\/d a = 1, d out\/d b = 1:/);
    await press(app, 'b', () => expect(app.frame()).toContain('nothing changed'));
    expect(app.controller.session.snapshot()).toEqual(before);
    expect(app.controller.session.epoch).toBe(1);
  });

  it('applies, past the last update, exactly the step s applies', async () => {
    const app = await renderApp();
    const twin = createSession(DEFAULT_RUN_OPTIONS);
    twin.step();
    await press(app, 'b', () => expect(title(app)).toContain('phase 1/5'));
    await press(app, `${KEYS.enter}s`.repeat(4) + KEYS.enter, () => expect(title(app)).toContain('phase 5/5 update · sample 1/4 · parameter 41/41'));
    expect(app.frame()).toMatch(/L3\.N1\.b: p - lr · grad = -0\.419 - 0\.1 · \(-3\.771\) = -0\.04187/);
    await press(app, 's', () => expect(app.frame()).toContain('the walked step is applied: epoch 1'));
    const walked = app.controller.session.snapshot();
    twin.snapshot().forEach((p, i) => {
      expect(walked[i]?.value).toBeCloseTo(p.value, 12);
      expect(walked[i]?.grad).toBeCloseTo(p.grad, 12);
    });
    expect(app.controller.session.history.losses()[0]).toBeCloseTo(twin.history.losses()[0] as number, 12);
  });

  it('with --batch, says it walks one update and, past its end, which batch of which epoch it applied', async () => {
    const app = await renderApp({ options: { batch: 2 } });
    await press(app, 'b', () => expect(title(app)).toContain('phase 1/5 forward · sample 1/2'));
    expect(app.lines()[0]).toMatch(/^ one update: 218 nodes \(126 a sample\)/);
    await press(app, `${KEYS.enter}s`.repeat(4) + KEYS.enter, () => expect(title(app)).toContain('phase 5/5 update'));
    await press(app, 's', () => expect(app.frame()).toContain('the walked update is applied: batch 1/2 of epoch 1, one of the updates s takes'));
    expect([app.controller.session.epoch, app.controller.session.batchesDone]).toEqual([0, 1]);
    await press(app, 'b', () => expect(title(app)).toContain('phase 1/5 forward · sample 1/2'));
    await press(app, `${KEYS.enter}s`.repeat(4) + KEYS.enter + 's', () => expect(app.frame()).toContain('batch 2/2 of epoch 1'));
    expect(app.controller.session.epoch).toBe(1);
  });

  it('shows Adam\'s update with its moments in ASCII-safe symbols, within the frame at 80x23 as under LC_ALL=C', async () => {
    const app = await renderApp({ options: { optimizer: 'adam' }, size: { columns: 80, rows: 23 } });
    await press(app, 's', () => expect(app.frame()).toMatch(/epoch 1\/100/));
    await press(app, 'b', () => expect(title(app)).toContain('phase 1/5'));
    await press(app, `${KEYS.enter}s`.repeat(4) + KEYS.enter, () => expect(title(app)).toContain('phase 5/5 update · sample 1/4 · parameter 41/41'));
    const frame = app.frame();
    expect(frame).toMatch(/L3\.N1\.b: p - lr · m_hat \/ \(sqrt\(v_hat\) \+ eps\) = /);
    expect(frame).toMatch(/m = 0\.9 · \S+ \+ 0\.1 · \S+ = \S+, v = 0\.999 · /);
    expect(frame).toContain('next: apply this step');
    const ascii = toAscii(frame).split('\n');
    expect(ascii.every((line) => line.length <= 80 && !/\?(?! help)/.test(line))).toBe(true); // no symbol became ?
  });

  it('fits 80x23 (tmux with a status bar) in every phase', async () => {
    const app = await renderApp({ size: { columns: 80, rows: 23 } });
    await press(app, 'b', () => expect(title(app)).toContain('phase 1/5'));
    for (let phase = 1; phase <= 5; phase++) {
      await press(app, phase === 1 ? '' : `${KEYS.enter}s`, () => expect(title(app)).toContain(`phase ${phase}/5`));
      expect(app.lines().length).toBeLessThanOrEqual(22);
      expect(app.lines().every((l) => l.length <= 80)).toBe(true);
      expect(app.lines().filter((l) => l.trim() !== '').at(-1)).toContain('b/esc back');
      expect(app.frame()).not.toMatch(/…│/);
    }
    // The end of backward: rows whose shares wrap keep each `operand +=share` whole.
    await press(app, `${KEYS.left}${KEYS.enter}`, () => expect(title(app)).toContain('phase 4/5 backward · sample 1/4 · rule 78/78'));
    expect(app.frame()).toMatch(/│ +L1\.N1 w3·x3 \+=0\.1002 +│/);
    expect(app.frame()).not.toMatch(/│ +\+=/);
  });

  it('carries the grads of the samples before: on sample 2 a weight adds to what sample 1 left (+=)', async () => {
    const app = await renderApp();
    await press(app, 'b', () => expect(title(app)).toContain('sample 1/4'));
    await press(app, '\t', () => expect(title(app)).toContain('sample 2/4'));
    await press(app, `${KEYS.enter}s${KEYS.enter}s${KEYS.enter}s${KEYS.enter}`, () => expect(title(app)).toContain('backward · sample 2/4 · rule 78/78'));
    expect(app.frame()).toMatch(/L1\.N1\.w1\.grad \+= 3 · -0\.01012 = -0\.03037 +\(was 0\.2004, now 0\.17\)/);
    await press(app, 's', () => expect(title(app)).toContain('update · sample 2/4 · parameter 1/41'));
    expect(app.frame()).toContain('grad 1.187 = 0.17 after samples 1-2 + 1.017 from samples 3-4');
  });

  it('tab and shift-tab change the sample', async () => {
    const app = await renderApp();
    await press(app, 'b', () => expect(title(app)).toContain('sample 1/4'));
    await press(app, '\t', () => expect(title(app)).toContain('sample 2/4'));
    await press(app, '\u001B[Z', () => expect(title(app)).toContain('sample 1/4'));
    await press(app, '\u001B[Z', () => expect(title(app)).toContain('sample 4/4'));
  });

  it('follows the neuron of the first row of the table on a larger network (the next alive one), ↓ the next one', async () => {
    const app = await renderApp({ options: { dataset: 'moons', layers: [16, 16], activation: 'relu', loss: 'hinge' } });
    const rows = computeLayout(80, 24).tableRows; // a page down: the first row is parameter `rows`, in L1.N6 (3 a neuron)
    await press(app, KEYS.pageDown, () => expect(app.frame()).toContain(`${rows + 1}-${2 * rows} of 337`));
    // L1.N6 and L1.N7 are dead relus on sample 1 (every grad 0): the walk starts on L1.N8.
    await press(app, 'b', () => expect(app.frame()).toContain('(following L1.N8'));
    await press(app, KEYS.down, () => expect(app.frame()).toContain('(following L1.N9'));
    expect(title(app)).toMatch(/phase 1\/5 forward · sample 1\/100 · operation 1\/5 /);
    expect(app.frame()).toContain('+ 635 more operations (following L1.N9');
    // Keys through the phases (how fast each is answered: test/learn/walk.test.ts).
    const steps: [string, RegExp][] = [
      [KEYS.enter, /operation 5\/5/],
      ['s', /phase 2\/5 loss/],
      ['\t', /sample 2\/100/],
      [`${KEYS.enter}s`, /phase 3\/5 zero grad/],
      [`${KEYS.enter}s`, /phase 4\/5 backward · sample 2\/100 · rule 1\//],
      [KEYS.enter, /phase 4\/5 backward · sample 2\/100 · rule (\d+)\/\1 /],
      [KEYS.up, /follows L1\.N8/], // the title has room for it in backward
      ['s', /rule 2\//],
      [KEYS.left, /rule 1\//],
    ];
    for (const [keys, expected] of steps) {
      await press(app, keys, () => expect(title(app)).toMatch(expected));
      expect(app.frame()).not.toMatch(/…│/); // long lines wrap, none is cut at the border
    }
  });

  it('opens at once on a large network, saying it is taking the step apart, then shows it (how fast: npm run bench)', async () => {
    const app = await renderApp({ options: { dataset: 'moons', layers: [64, 64], activation: 'relu', loss: 'hinge' } });
    app.stdin.write('b');
    await vi.waitFor(() => expect(title(app)).toContain('phase 1/5 forward · sample 1/100'), { interval: 20, timeout: 30_000 });
    expect(app.frames.some((f) => stripVTControlCharacters(f).includes('backprop · taking the next step apart'))).toBe(true);
    expect(app.lines()[0]).toMatch(/one step: [\d,.]+[kM]? nodes \([\d,.]+[kM]? a sample\) · [\d,.]+[kM]? rules in backward/);
  });

  it('says how big one step is in a line that leaves room for the status, however large the network', () => {
    const line = (nodes: number, sampleNodes: number, rules: number): string => stepSizeLine({ size: { nodes, sampleNodes, rules } } as StepWalk);
    expect(line(396, 126, 303)).toBe('one step: 396 nodes (126 a sample) · 303 rules in backward');
    // moons on three layers of 256: 26.9 million nodes; the status badge (up to `✖ diverged`) leaves 66 columns
    expect(line(26_894_430, 397_057, 26_710_411)).toBe('one step: 26.9M nodes (397k a sample) · 26.7M rules in backward');
    expect(line(123_456_789, 123_456_789, 123_456_789).length).toBeLessThanOrEqual(66);
  });
});
