import { cleanup } from 'ink-testing-library';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp, type RenderedApp } from '../render-app.js';

afterEach(() => cleanup());
const dir = mkdtempSync(join(tmpdir(), 'tui-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CSV of `n` samples with `inputs` inputs each and the target `f` of them. */
function csv(name: string, n: number, inputs: number, f: (x: number[]) => number): string {
  const path = join(dir, name);
  const rows = Array.from({ length: n }, (_, i) => {
    const x = Array.from({ length: inputs }, (_, j) => Math.sin(i * 1.3 + j * 0.7) * 2);
    return [...x, f(x)].join(',');
  });
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

/** The lines inside the panel titled `title` (left column), without its borders. */
function panel(app: RenderedApp, title: string): string[] {
  const lines = app.lines();
  const top = lines.findIndex((l) => l.startsWith(`╭─ ${title} `));
  if (top < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(top + 1)) {
    if (line.startsWith('╰')) break;
    out.push(line.slice(1, line.indexOf('│', 1)));
  }
  return out;
}

const press = async (app: RenderedApp, key: string, check: () => void): Promise<void> => {
  app.stdin.write(key);
  // Typed keys go in one frame at a time: ten steps of moons take over a second on a loaded machine.
  await vi.waitFor(check, { interval: 5, timeout: 10_000 });
};

describe('the learned-function panel', () => {
  it('shows the boundary of a 2-input classifier with the points on top, and d discretises it', async () => {
    const app = await renderApp({ options: { dataset: 'moons', layers: [8], loss: 'hinge', learningRate: 0.5 } });
    await press(app, 'ssssssssss', () => expect(app.lines().at(-2)).toMatch(/epoch +10\//));
    expect(app.frame()).toMatch(/╭─ boundary ─+ d discrete ─╮/);
    const inside = panel(app, 'boundary');
    expect(inside.length).toBeGreaterThanOrEqual(6);
    for (const line of inside) expect(line).toHaveLength(37);
    const text = inside.join('');
    expect(text).toContain('●'); // +1 samples
    expect(text).toContain('■'); // -1 samples
    expect(text).toContain('▓'); // no colour here: the two sides are shaded
    // The title says what is drawn, the info what d switches to, as the chart's title and its o.
    await press(app, 'd', () => expect(app.frame()).toMatch(/╭─ boundary \(discrete\) ─+ d shaded ─╮/));
    await press(app, 'd', () => expect(app.frame()).toMatch(/╭─ boundary ─+ d discrete ─╮/));
  });

  it('colours the map with the half block where colour is on', async () => {
    const app = await renderApp({ options: { dataset: 'moons', layers: [8], loss: 'hinge' }, color: true, terminal: { depth: 16_777_216 } });
    const raw = app.lastFrame() ?? '';
    expect(raw).toContain('▀');
    expect(raw).toMatch(/\x1b\[38;2;\d+;\d+;\d+m\x1b\[48;2;\d+;\d+;\d+m▀/);
  });

  it('redraws the map as training moves the boundary', async () => {
    const app = await renderApp({ options: { dataset: 'moons', layers: [8], loss: 'hinge', learningRate: 0.5 } });
    const before = panel(app, 'boundary').join('\n');
    await press(app, 'sssss', () => expect(app.lines().at(-2)).toMatch(/epoch +5\//));
    expect(panel(app, 'boundary').join('\n')).not.toBe(before);
  });

  it('fits a 1-input regression with its curve over x', async () => {
    const app = await renderApp({ options: { dataFile: csv('line.csv', 30, 1, ([x]) => 0.5 * (x as number)), layers: [4] } });
    expect(app.frame()).toMatch(/╭─ fit ─+ output over x ─╮/);
    const text = panel(app, 'fit').join('');
    expect(text).toMatch(/[▀▄█]/);
    expect(text).toContain('●');
  });

  it('shows a 2-input regression as a fit over the plane', async () => {
    const app = await renderApp({ options: { dataFile: csv('plane.csv', 30, 2, ([a, b]) => (a as number) - (b as number)), layers: [4] } });
    expect(app.frame()).toMatch(/╭─ fit ─+ prediction ─╮/);
  });

  it('shows prediction against target for a regression with 3 inputs', async () => {
    const app = await renderApp({ options: { dataFile: csv('three.csv', 30, 3, ([a]) => a as number), layers: [4] } });
    expect(app.frame()).toMatch(/╭─ fit ─+ prediction vs target ─╮/);
    expect(panel(app, 'fit').join('')).toContain('●');
  });

  it('shows the scores of each class for a classifier with 3 inputs', async () => {
    const app = await renderApp({ options: { dataFile: csv('three-class.csv', 30, 3, ([a]) => ((a as number) > 0 ? 1 : -1)), layers: [4] } });
    expect(app.frame()).toMatch(/╭─ fit ─+ scores by class ─╮/);
    expect(panel(app, 'fit').join('')).toMatch(/┼/);
  });

  it("says the scores are coming in a big classifier's first frame, drawn before the model has run, and shows them in the next", async () => {
    // 1,000 samples of 3 inputs on MLP(3,[32,32,1]): a big setup (see isBig).
    const app = await renderApp({ options: { dataFile: csv('big-three-class.csv', 1000, 3, ([a]) => ((a as number) > 0 ? 1 : -1)), layers: [32, 32], activation: 'relu', loss: 'hinge' } });
    const first = stripVTControlCharacters(app.frames[0] ?? '');
    expect(first).toMatch(/╭─ fit ─+ scores by class ─╮.*\n│evaluating the map…/);
    await vi.waitFor(() => expect(panel(app, 'fit').join('')).toMatch(/┼/));
  });

  it('keeps the per-sample table for the classic example', async () => {
    const app = await renderApp();
    expect(app.frame()).toContain('outputs 75% at epoch 0');
    expect(panel(app, 'outputs 75% at epoch 0')).toHaveLength(5);
  });

  it('says whose weights the outputs are: after s, the weights now, not the status line\'s epoch 1 forward pass', async () => {
    const app = await renderApp();
    await press(app, 's', () => expect(app.lines().at(-2)).toMatch(/^ epoch 1\/100 +· loss +3\.255 · acc +75%/));
    expect(app.frame()).toMatch(/╭─ outputs 100% after epoch 1 ─+╮/);
    expect(panel(app, 'outputs 100% after epoch 1').join('\n')).not.toContain('✗');
  });

  it('f puts the map in the chart\'s place and back', async () => {
    const app = await renderApp({ options: { dataset: 'moons', layers: [8], loss: 'hinge' } });
    await press(app, 'f', () => expect(app.frame()).not.toContain('─ loss '));
    expect(panel(app, 'boundary').length).toBe(17);
    await press(app, 'f', () => expect(app.frame()).toContain('─ loss '));
  });
});

describe('K classes', () => {
  const spiral3 = { dataset: 'spiral', classes: 3, layers: [16, 16], activation: 'tanh', loss: 'ce', optimizer: 'adam', learningRate: 0.05, epochs: 1000 } as const;

  it('draws the regions of a 3-class model: each sample its class number, each region its glyph without colour', async () => {
    const app = await renderApp({ options: spiral3 });
    expect(app.lines()[0]).toContain('spiral (100, 3 classes) · MLP 2-16-16-3 tanh/linear · ce · adam');
    app.controller.session.setEpochs(1000);
    for (let i = 0; i < 150; i++) app.controller.session.step();
    await press(app, 's', () => expect(app.lines().at(-2)).toMatch(/epoch 151\//));
    expect(app.frame()).toMatch(/╭─ boundary ─+ d discrete ─╮/);
    const inside = panel(app, 'boundary');
    for (const line of inside) expect(line).toHaveLength(37);
    const text = inside.join('');
    for (const glyph of ['0', '1', '2', '.', ':']) expect(text).toContain(glyph);
    expect(text).not.toMatch(/[●■░▓]/); // not the two-class map
    expect(app.lines().at(-2)).toMatch(/acc +\d+%/);
  });

  it('gives each class its own colour', async () => {
    const app = await renderApp({ options: spiral3, color: true, terminal: { depth: 16_777_216 } });
    for (let i = 0; i < 150; i++) app.controller.session.step();
    await press(app, 's', () => expect(app.lines().at(-2)).toMatch(/epoch 151\//));
    const raw = app.lastFrame() ?? '';
    // Okabe-Ito orange, sky blue and bluish green, pale or full, as the regions' backgrounds.
    const backgrounds = new Set([...raw.matchAll(/\x1b\[48;2;(\d+);(\d+);(\d+)m/g)].map((m) => `${m[1]},${m[2]},${m[3]}`));
    const hues = [...backgrounds].map((c) => {
      const [r, g, b] = c.split(',').map(Number) as [number, number, number];
      return r > g && r > b ? 'orange' : b > r && b > g ? 'blue' : g > r ? 'green' : 'other';
    });
    for (const hue of ['orange', 'blue', 'green']) expect(hues).toContain(hue);
  });

  it('counts the right answers per class for a K-class file with 3 inputs', async () => {
    const file = csv('three-k.csv', 30, 3, (x) => x.indexOf(Math.max(...x)));
    const app = await renderApp({ options: { dataFile: file, layers: [4], loss: 'ce' } });
    expect(app.lines()[0]).toContain('three-k.csv (30, 3 classes)');
    const lines = panel(app, `outputs ${/\d+%/.exec(app.frame().split('outputs ')[1] ?? '')?.[0] ?? ''} at epoch 0`);
    expect(lines.join('\n')).toMatch(/30 samples[\s\S]*class 0: \d+\/\d+ right[\s\S]*class 2: \d+\/\d+ right/);
  });
});

describe('held-out samples and the previous run', () => {
  it('draws held-out samples hollow and shows the test loss and accuracy', async () => {
    const app = await renderApp({ options: { dataset: 'moons', layers: [8], loss: 'hinge', testFraction: 0.3 } });
    expect(panel(app, 'boundary').join('')).toMatch(/[○□]/);
    expect(app.lines().at(-2)).toMatch(/· test +[\d.]+ ·.*· test acc +\d+%/);
    expect(app.lines().at(-3)).toContain('test 30%');
    expect(app.frame()).toContain('─ loss + test ┄ ');
  });

  it('keeps the previous run\'s curve after r and after a new setup, and x clears it', async () => {
    const app = await renderApp({ options: { epochs: 50 } });
    await press(app, 'sss', () => expect(app.lines().at(-2)).toMatch(/epoch 3\//));
    await press(app, 'r', () => expect(app.frame()).toContain('─ loss + before ░ '));
    expect(app.frame()).toContain('░'); // drawn, shaded where there is no grey
    await press(app, 'x', () => expect(app.frame()).not.toContain('before'));
    expect(app.frame()).not.toContain('░');
    await press(app, 's', () => expect(app.lines().at(-2)).toMatch(/epoch 1\//));
    app.controller.apply({ ...app.controller.options, seed: 5 });
    await vi.waitFor(() => expect(app.frame()).toContain('─ loss + before ░ '));
    expect(Array.from(app.controller.previous ?? [])).toHaveLength(1);
  });

  it('without colour at 80 columns, names the train, test and previous lines whole in the title, on a log scale too', async () => {
    const app = await renderApp({ options: { dataset: 'moons', layers: [8], loss: 'hinge', testFraction: 0.3, epochs: 40 } });
    await press(app, ' ', () => expect(app.lines()[0]).toContain('running'));
    app.scheduler.run();
    await vi.waitFor(() => expect(app.lines()[0]).toContain('done'));
    await press(app, 'r', () => expect(app.frame()).toMatch(/╭─ loss \+ test ┄ \+ before ░ ─+ o log ─╮/));
    await press(app, 's', () => expect(app.lines().at(-2)).toMatch(/epoch 1\//));
    const chart = (): string => app.lines().slice(1, 9).join('\n');
    for (const glyph of ['─', '┄', '░']) expect(chart()).toContain(glyph);
    await press(app, 'o', () => expect(app.frame()).toMatch(/╭─ loss, test ┄, prev ░ ─+ o linear ─╮/));
    expect(app.frame()).not.toContain('…');
    for (const glyph of ['┄', '░']) expect(chart()).toContain(glyph);
  });
});

describe('the screen at 80x23 and in the compact layout', () => {
  it('shows the chart, the map, the table, the settings and the status line at 80x23', async () => {
    const app = await renderApp({ options: { dataset: 'moons', layers: [8], loss: 'hinge' }, size: { columns: 80, rows: 23 } });
    const lines = app.lines();
    expect(lines.length).toBeLessThanOrEqual(22);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(app.frame()).toContain('╭─ loss ');
    expect(app.frame()).toContain('╭─ parameters 33 ');
    expect(panel(app, 'boundary').length).toBeGreaterThanOrEqual(6);
    expect(lines.filter((l) => /^│ +\S+ [┤┼]/.test(l)).length).toBeGreaterThanOrEqual(5);
    expect(lines.at(-3)).toMatch(/^ lr 0\.1 /);
    expect(lines.at(-2)).toMatch(/^ epoch 0\/100 /);
  });

  it('at 60x18 shows the chart and the status lines, and the map on f', async () => {
    const app = await renderApp({ options: { dataset: 'moons', layers: [8], loss: 'hinge' }, size: { columns: 60, rows: 18 } });
    const lines = app.lines();
    expect(lines.length).toBeLessThanOrEqual(17);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(app.frame()).toContain('╭─ loss ');
    expect(app.frame()).not.toContain('parameters');
    expect(lines.at(-2)).toMatch(/^ epoch 0\/100 /);
    expect(app.lines().at(-1)).toMatch(/· \? help · q quit$/); // the help and quit keys stay on a narrow hint line
    await press(app, 'o', () => expect(app.frame()).toMatch(/─ loss \(log\) ─+ o linear ─╮/));
    await press(app, 'f', () => expect(app.frame()).toContain('╭─ boundary '));
    expect(app.lines().length).toBeLessThanOrEqual(17);
    for (const line of app.lines()) expect(line.length).toBeLessThanOrEqual(60);
  });
});
