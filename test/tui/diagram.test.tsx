import { render } from 'ink-testing-library';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NetworkPicture } from '../../src/learn/network-picture.js';
import { createSession, DEFAULT_RUN_OPTIONS } from '../../src/train/setup.js';
import { DiagramView } from '../../src/tui/DiagramView.js';
import { ColorContext } from '../../src/tui/theme.js';
import { KEYS, renderApp, type RenderedApp } from './render-app.js';

afterEach(cleanup);

async function press(app: RenderedApp, keys: string, check: () => void): Promise<void> {
  app.stdin.write(keys);
  await vi.waitFor(check, { interval: 2 });
}

const moons = (width: number) => ({ dataset: 'moons', layers: [width, width], activation: 'tanh' as const, loss: 'sse' as const });

describe('the network diagram (v)', () => {
  it.each([2, 8, 32])('draws %i neurons a layer at 80x24, the first 8 and … beyond', async (width) => {
    const app = await renderApp({ options: moons(width) });
    await press(app, 'v', () => expect(app.frame()).toContain('network · sample 1/100 · edges: weights'));
    const lines = app.lines();
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    const grid = lines.slice(0, lines.findIndex((l) => l.includes('weak to strong'))); // the neurons' rows, above the legend
    const neurons = grid.filter((l) => /[ ░▒▓█] +-?\d\.\d{3}/.test(l));
    expect(neurons).toHaveLength(Math.min(8, width));
    expect(app.frame().includes(`…+${width - 8}`)).toBe(width > 8);
    expect(app.frame()).toContain('L1.N1 as micrograd draws it');
    // The selected neuron's nodes wrap at the panel's width: each grad is there, none cut with …
    expect(app.frame()).not.toMatch(/\d…/);
    expect(lines.filter((l) => / grad w /.test(l))).toHaveLength(2);
    expect(app.frame()).not.toMatch(/ (grad w|x|out|grad b) +│/); // a grad wraps with its label
  });

  it('fits 80x23 with the selected neuron\'s graph', async () => {
    const app = await renderApp({ options: moons(8), size: { columns: 80, rows: 23 } });
    await press(app, 'v', () => expect(app.frame()).toContain('network · sample 1/100'));
    expect(app.lines().length).toBeLessThanOrEqual(22);
    expect(app.frame()).toContain('tanh   tanh(');
    expect(app.lines().filter((l) => l.trim() !== '').at(-1)).toContain('v/esc back');
  });

  it('selects with the arrows, shows gradients with g, changes sample with tab, and closes with v', async () => {
    const app = await renderApp();
    const session = app.controller.session;
    await press(app, 'v', () => expect(app.frame()).toContain('network · sample 1/4'));
    await press(app, KEYS.right, () => expect(app.frame()).toMatch(/ L2\.N1 ─╮/));
    await press(app, KEYS.down, () => expect(app.frame()).toMatch(/ L2\.N2 ─╮/));
    // The selected neuron's graph: its products with the engine's numbers, and its output.
    const picture = new NetworkPicture(session, 0, session.freshGradients());
    const out = picture.neuron(1, 1).out;
    expect(app.frame()).toContain(`tanh(`);
    expect(app.frame()).toContain(`= ${Number(out.data.toPrecision(4))}`);
    await press(app, 'g', () => expect(app.frame()).toContain('edges: gradients'));
    await press(app, '\t', () => expect(app.frame()).toContain('sample 2/4'));
    await press(app, 'v', () => expect(app.frame()).toContain('parameters 41'));
  });

  it('carries sign and strength in glyphs without colour, and in ASCII under a C locale', () => {
    const session = createSession({ ...DEFAULT_RUN_OPTIONS, ...moons(8) });
    const picture = new NetworkPicture(session, 0, session.freshGradients());
    const draw = (unicode: boolean) =>
      render(
        <ColorContext.Provider value={false}>
          <DiagramView picture={picture} selection={{ layer: 1, neuron: 2, gradients: false }} unicode={unicode} width={80} height={20} />
        </ColorContext.Provider>,
      ).lastFrame() ?? '';
    const mono = draw(true);
    expect(mono).toMatch(/[+#]/);
    expect(mono).toMatch(/[-=]/);
    expect(mono).toContain('edges: + · + # / - · - =');
    const ascii = draw(false);
    // eslint-disable-next-line no-control-regex
    expect(ascii.replace(/[╭╮╰╯─│]/g, '')).toMatch(/^[\x00-\x7f]*$/);
    expect(ascii).toContain('edges: + . + # / - , - =');
    expect(ascii).toContain('network . sample 1/100');
  });
});
