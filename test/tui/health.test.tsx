import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from './render-app.js';

afterEach(() => cleanup());

describe('the health hint', () => {
  it('takes the key hints\' place when training has gone wrong, with the fix', async () => {
    const app = await renderApp({ options: { dataset: 'moons', layers: [8], activation: 'relu', loss: 'hinge' } });
    expect(app.lines().at(-1)).toContain('space play');
    for (const n of app.controller.session.model.layers[0]?.neurons ?? []) {
      for (const w of n.w) w.data = 0;
      n.b.data = -1;
    }
    app.stdin.write('s');
    await vi.waitFor(() => expect(app.lines().at(-1)).toBe(' 100% of relu units are dead: lower the learning rate, then n for new weights'));
  });
});
