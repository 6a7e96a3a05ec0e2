import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Header } from '../../src/tui/Header.js';

afterEach(() => cleanup());

const headerOf = (parts: string[], width: number): string => render(<Header parts={parts} status="done" width={width} />).lastFrame() ?? '';

describe('the header', () => {
  const DATA_FILE = ['r1.csv (60, regression)', 'MLP 1-16-16-1 tanh/linear', 'MSE · adam', 'seed 42', 'tape'];

  it('names the program while the seed and the engine give way for it', () => {
    expect(headerOf(['moons (100)', 'MLP 2-16-16-1 relu/linear', 'hinge+L2', 'seed 42', 'tape'], 80)).toBe(
      ' micrograd-tui · moons (100) · MLP 2-16-16-1 relu/linear · hinge+L2      ■ done',
    );
  });

  it('a description longer still drops whole parts from its end, never cutting one', () => {
    expect(headerOf(DATA_FILE, 80)).toBe(' r1.csv (60, regression) · MLP 1-16-16-1 tanh/linear · MSE · adam        ■ done');
    expect(headerOf(DATA_FILE, 60)).toBe(' r1.csv (60, regression) · MLP 1-16-16-1 tanh/linear ■ done');
  });

  it('cuts only a first part longer than the line', () => {
    expect(headerOf(['a-very-long-data-file-name-indeed.csv (60, regression)', 'MLP 1-1'], 40)).toBe(' a-very-long-data-file-name-ind… ■ done');
  });
});
