import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN_OPTIONS } from '../../src/train/setup.js';
import { Controller } from '../../src/tui/controller.js';
import { formatPace, paceDown, PACES, paceUp, parsePace } from '../../src/tui/pace.js';
import { ManualScheduler } from './manual-scheduler.js';

function setup(epochs = 1000): { c: Controller; scheduler: ManualScheduler; urgent: boolean[] } {
  const scheduler = new ManualScheduler();
  const c = new Controller({ run: { ...DEFAULT_RUN_OPTIONS, epochs }, scheduler });
  const urgent: boolean[] = [];
  c.subscribe((u) => urgent.push(u));
  return { c, scheduler, urgent };
}

describe('the pace ladder', () => {
  it('runs 1, 2, 5, 10, 20, 50, 100, 200, 500 a second and max, and stops at both ends', () => {
    expect(PACES).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, Infinity]);
    expect(paceUp(500)).toBe(Infinity);
    expect(paceUp(Infinity)).toBeNull();
    expect(paceDown(1)).toBeNull();
    expect(paceDown(Infinity)).toBe(500);
    expect(paceUp(3)).toBe(5); // a typed pace joins the ladder at the next rung
    expect(paceDown(3)).toBe(2);
    expect([1, 5, Infinity, 2.5].map(formatPace)).toEqual(['1/s', '5/s', 'max', '2.5/s']);
  });

  it('parses --pace N|max and refuses the rest', () => {
    expect(parsePace('max')).toBe(Infinity);
    expect(parsePace('5')).toBe(5);
    expect(parsePace('0.5')).toBe(0.5);
    for (const bad of ['0', '-1', '1001', 'fast', '', '1e3']) expect(() => parsePace(bad)).toThrow(/--pace must be/);
  });

  it('< and > walk the controller along the ladder and say where it ends', () => {
    const { c } = setup();
    expect(c.pace).toBe(Infinity);
    c.faster();
    expect(c.message?.text).toContain('pace is at max already');
    for (let i = 0; i < 9; i++) c.slower();
    expect(c.pace).toBe(1);
    c.slower();
    expect(c.pace).toBe(1);
    expect(c.message?.text).toContain('pace is at the slowest, 1/s');
    c.faster();
    expect(c.pace).toBe(2);
  });
});

describe('paced play', () => {
  it('at 2 a second, runs one epoch at once and then one every 500 ms, each drawn at once', () => {
    const { c, scheduler, urgent } = setup();
    c.setPace(2);
    const start = scheduler.clock;
    c.play();
    scheduler.run(1);
    expect(c.session.epoch).toBe(1);
    urgent.length = 0;
    scheduler.runUntil(start + 3000);
    // 1 at the start and 6 more in 3 seconds (the manual clock also ticks 1 ms per reading).
    expect(c.session.epoch).toBeGreaterThanOrEqual(6);
    expect(c.session.epoch).toBeLessThanOrEqual(7);
    expect(urgent.every(Boolean)).toBe(true);
    expect(c.playing).toBe(true);
    c.pause();
    expect(scheduler.pending).toBe(0);
  });

  it('at 100 a second, runs the epochs due together, 20 frames a second', () => {
    const { c, scheduler, urgent } = setup();
    c.setPace(100);
    const start = scheduler.clock;
    c.play();
    scheduler.runUntil(start + 1000);
    expect(c.session.epoch).toBeGreaterThanOrEqual(95);
    expect(c.session.epoch).toBeLessThanOrEqual(101);
    expect(urgent.filter((u) => !u).length).toBeLessThanOrEqual(21); // one notice a frame
    expect(urgent.filter((u) => !u).length).toBeGreaterThanOrEqual(15);
  });

  it('stops at the epoch target, and changing the pace while playing goes on at the new pace', () => {
    const { c, scheduler } = setup(5);
    c.setPace(10);
    c.play();
    c.setPace(20);
    expect(c.playing).toBe(true);
    expect(c.pace).toBe(20);
    scheduler.runUntil(scheduler.clock + 1000);
    expect(c.session.epoch).toBe(5);
    expect(c.status).toBe('done');
    expect(scheduler.pending).toBe(0);
  });

  it('s still steps exactly one epoch when paused at any pace', () => {
    const { c } = setup();
    c.setPace(1);
    c.stepOnce();
    expect(c.session.epoch).toBe(1);
  });
});
