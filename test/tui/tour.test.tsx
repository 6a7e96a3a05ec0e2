import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TOUR } from '../../src/learn/tour.js';
import { reflow } from '../../src/tui/TourView.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/train/setup.js';
import { App } from '../../src/tui/App.js';
import { Controller } from '../../src/tui/controller.js';
import { ColorContext } from '../../src/tui/theme.js';
import { KEYS, renderApp, type RenderedApp } from './render-app.js';
import { ManualScheduler } from './manual-scheduler.js';
import { stripVTControlCharacters } from 'node:util';

afterEach(cleanup);

async function press(app: RenderedApp, keys: string, check: () => void): Promise<void> {
  app.stdin.write(keys);
  await vi.waitFor(check, { interval: 2 });
}

describe('the guided tour', () => {
  it.each([24, 23])('shows every screen at 80x%i, each live number changes its numbers, and the last opens the trainer', async (rows) => {
    const controller = new Controller({ run: { ...DEFAULT_RUN_OPTIONS }, scheduler: new ManualScheduler() });
    const result = render(
      <ColorContext.Provider value={false}>
        <App controller={controller} size={{ columns: 80, rows }} tour />
      </ColorContext.Provider>,
    );
    const frame = (): string => stripVTControlCharacters(result.lastFrame() ?? '');
    const app = { ...result, frame, lines: () => frame().split('\n'), controller } as unknown as RenderedApp;
    await vi.waitFor(() => expect(frame()).toContain(`tour 1/${TOUR.length}`));
    for (let i = 0; i < TOUR.length; i++) {
      const screen = TOUR[i]!;
      await vi.waitFor(() => expect(frame()).toContain(`tour ${i + 1}/${TOUR.length} · ${screen.title}`));
      const lines = app.lines();
      expect(lines.length).toBeLessThanOrEqual(rows - 1);
      expect(lines.every((l) => l.length <= 80)).toBe(true);
      // Every line the screen computes is on it, long ones wrapped: nothing cut off at the bottom or the right.
      for (const line of reflow(screen.lines(screen.start))) expect(frame()).toContain(line.slice(0, 60).trimEnd());
      expect(frame()).not.toContain('…');
      expect(frame(), 'a sentence\'s last word alone on a line').not.toMatch(/^│ \S+\. *│$/m);
      for (const word of screen.lines(screen.start).join(' ').split(/\s+/).filter(Boolean)) expect(frame()).toContain(word);
      const before = screen.lines(screen.start).join('\n');
      expect(screen.lines(screen.start + screen.step).join('\n')).not.toBe(before);
      const body = (): string => app.lines().slice(1, -1).join('\n');
      const shown = body();
      await press(app, KEYS.up, () => expect(body()).not.toBe(shown));
      if (i < TOUR.length - 1) app.stdin.write(i % 2 === 0 ? ' ' : KEYS.right);
    }
    await press(app, KEYS.left, () => expect(frame()).toContain(`tour ${TOUR.length - 1}/`));
    await press(app, KEYS.right, () => expect(frame()).toContain(`tour ${TOUR.length}/`));
    expect(frame()).toContain('enter opens the trainer on this example: b walks a step node by node.');
    await press(app, KEYS.enter, () => expect(frame()).toContain('parameters 41'));
    expect(frame()).toContain('the classic example: space trains it');
    expect(frame()).toContain('classic (4)');
    // Opened by the tour, the trainer's t gives a tour whose q goes back to it.
    await press(app, 't', () => expect(frame()).toContain('q back'));
    await press(app, 'q', () => expect(frame()).toContain('parameters 41'));
  });

  it('titles the update screen with the learning rate its text uses, and --tour says q quit', async () => {
    const controller = new Controller({ run: { ...DEFAULT_RUN_OPTIONS }, scheduler: new ManualScheduler() });
    const result = render(
      <ColorContext.Provider value={false}>
        <App controller={controller} size={{ columns: 80, rows: 24 }} tour />
      </ColorContext.Provider>,
    );
    const frame = (): string => stripVTControlCharacters(result.lastFrame() ?? '');
    const app = { ...result, frame, lines: () => frame().split('\n'), controller } as unknown as RenderedApp;
    const update = TOUR.findIndex((s) => s.title === 'The update');
    await vi.waitFor(() => expect(frame()).toContain('q quit'));
    await press(app, ' '.repeat(update), () => expect(frame()).toContain(`tour ${update + 1}/`));
    expect(frame()).toMatch(/the learning rate = 0\.1\b/);
    expect(frame()).toContain('lr = 0.1.');
    await press(app, `${KEYS.up}${KEYS.up}`, () => expect(frame()).toMatch(/the learning rate = 0\.4\b/));
    expect(frame()).toContain('lr = 0.4.');
  });

  it('wraps a sentence with its lines aligned, and a formula with its continuation hanging', async () => {
    const app = await renderApp();
    const order = TOUR.findIndex((s) => s.title === 'Topological order');
    await press(app, `t${' '.repeat(order)}`, () => expect(app.frame()).toContain(`tour ${order + 1}/`));
    expect(app.frame()).toMatch(/│ A node can pass its grad back .*\n│ node that uses it\./);
    const wide = await renderApp({ size: { columns: 60, rows: 24 } });
    const chain = TOUR.findIndex((s) => s.title.startsWith('The chain rule'));
    await press(wide, `t${' '.repeat(chain)}`, () => expect(wide.frame()).toContain(`tour ${chain + 1}/`));
    expect(wide.frame()).toMatch(/│   w\.grad   = .*\n│     \S/); // the formula's second line: two spaces further in
  });

  it('from t on another dataset, its last screen says enter goes back to that run, and it does', async () => {
    const app = await renderApp({ options: { dataset: 'moons' } });
    await press(app, `t${' '.repeat(TOUR.length - 1)}`, () => expect(app.frame()).toContain(`tour ${TOUR.length}/`));
    expect(app.frame()).toContain('enter goes back to your run: b there walks its next step node by node.');
    expect(app.frame()).toContain('enter/→ back to your run');
    expect(app.frame()).not.toContain('opens the trainer');
    await press(app, KEYS.enter, () => expect(app.frame()).toContain('back to your run: m and dataset classic give the classic example'));
    expect(app.frame()).toContain('moons (100)');
  });

  it('opens with t from the trainer and q goes back to the run', async () => {
    const app = await renderApp();
    await press(app, 't', () => expect(app.frame()).toContain('tour 1/'));
    expect(app.frame()).toContain('q back');
    expect(app.frame()).not.toContain('q quit');
    await press(app, 'q', () => expect(app.frame()).toContain('parameters 41'));
  });
});
