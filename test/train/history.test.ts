import { describe, expect, it } from 'vitest';
import { History } from '../../src/train/history.js';

describe('History', () => {
  it('starts empty', () => {
    const h = new History();
    expect(h.length).toBe(0);
    expect([...h.losses()]).toEqual([]);
  });

  it('keeps each epoch\'s loss, accuracy and learning rate in order', () => {
    const h = new History();
    h.push(2.5, 0.5, 0.1);
    h.push(1.25, 0.75, 0.05);
    expect(h.length).toBe(2);
    expect([...h.losses()]).toEqual([2.5, 1.25]);
    expect([...h.accuracies()]).toEqual([0.5, 0.75]);
    expect([...h.learningRates()]).toEqual([0.1, 0.05]);
  });

  it('stores a missing accuracy as NaN', () => {
    const h = new History();
    h.push(1, null, 0.1);
    expect(h.accuracies()[0]).toBeNaN();
  });

  it('grows past its initial capacity without losing values', () => {
    const h = new History();
    for (let i = 0; i < 1000; i++) h.push(i, i / 1000, 1 / (i + 1));
    expect(h.length).toBe(1000);
    const losses = h.losses();
    for (let i = 0; i < 1000; i++) expect(losses[i]).toBe(i);
    expect(h.accuracies()[999]).toBe(0.999);
    expect(h.learningRates()[255]).toBe(1 / 256);
    expect(h.learningRates()[256]).toBe(1 / 257);
  });

  it('pop removes the last epoch and does nothing when empty', () => {
    const h = new History();
    h.pop();
    expect(h.length).toBe(0);
    h.push(1, 1, 1);
    h.push(2, 1, 1);
    h.pop();
    expect([...h.losses()]).toEqual([1]);
    h.push(3, 1, 1);
    expect([...h.losses()]).toEqual([1, 3]);
  });

  it('clear forgets every epoch', () => {
    const h = new History();
    h.push(1, 1, 1);
    h.push(2, 1, 1);
    h.clear();
    expect(h.length).toBe(0);
    expect([...h.losses()]).toEqual([]);
    h.push(5, null, 0.2);
    expect([...h.losses()]).toEqual([5]);
  });

  it('returns arrays as long as the history, not its capacity', () => {
    const h = new History();
    h.push(1, 1, 1);
    expect(h.losses()).toHaveLength(1);
    expect(h.accuracies()).toHaveLength(1);
    expect(h.learningRates()).toHaveLength(1);
  });
});
