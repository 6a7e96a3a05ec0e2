import { describe, expect, it } from 'vitest';
import { COMPACT_COLUMNS, COMPACT_ROWS, computeLayout, MIN_CHART_HEIGHT, MIN_COLUMNS, MIN_ROWS, TABLE_WIDTH } from '../../src/tui/layout.js';

describe('computeLayout', () => {
  for (const rows of [23, 24]) {
    it(`fits 80x${rows} in rows - 1 lines with a 5-row chart, a map of at least 30x6 and the table`, () => {
      const layout = computeLayout(80, rows);
      expect(layout.tooSmall).toBe(false);
      expect(layout.compact).toBe(false);
      expect(1 + layout.bodyHeight + 3).toBe(rows - 1); // header, body, settings, status, hints
      expect(layout.chartHeight + layout.mapHeight).toBe(layout.bodyHeight);
      expect(layout.chartHeight - 3).toBeGreaterThanOrEqual(5); // borders and the epoch axis
      expect(layout.mapHeight - 2).toBeGreaterThanOrEqual(6);
      expect(layout.leftWidth - 2).toBeGreaterThanOrEqual(30);
      expect(layout.leftWidth + TABLE_WIDTH).toBe(80);
      expect(layout.tableRows).toBe(layout.bodyHeight - 3);
    });
  }

  it('keeps the frame at rows - 1 lines for any size it draws', () => {
    for (let rows = COMPACT_ROWS; rows <= 80; rows++) {
      for (const columns of [COMPACT_COLUMNS, 79, 80, 100]) {
        const layout = computeLayout(columns, rows);
        expect(layout.bodyHeight + 4).toBe(rows - 1);
        expect(layout.chartHeight + layout.mapHeight).toBe(layout.bodyHeight);
        expect(layout.chartHeight).toBeGreaterThanOrEqual(MIN_CHART_HEIGHT);
      }
    }
  });

  it('is compact from 60x18 up to the full screen, and too small below', () => {
    expect([MIN_COLUMNS, MIN_ROWS, COMPACT_COLUMNS, COMPACT_ROWS]).toEqual([80, 23, 60, 18]);
    expect(computeLayout(80, 23).compact).toBe(false);
    for (const [c, r] of [[79, 24], [80, 22], [60, 18]] as const) {
      const layout = computeLayout(c, r);
      expect(layout).toMatchObject({ compact: true, tooSmall: false, leftWidth: c, tableRows: 0, mapHeight: 0 });
      expect(layout.chartHeight).toBe(layout.bodyHeight);
    }
    expect(computeLayout(59, 24).tooSmall).toBe(true);
    expect(computeLayout(80, 17).tooSmall).toBe(true);
    expect(computeLayout(0, 0).tooSmall).toBe(true);
  });

  it('puts the map in the chart\'s place on f, full screen or compact', () => {
    expect(computeLayout(80, 24, true)).toMatchObject({ chartHeight: 0, mapHeight: 19 });
    expect(computeLayout(60, 18, true)).toMatchObject({ chartHeight: 0, mapHeight: 13 });
  });

  it('gives the chart what a short table of samples leaves over', () => {
    const layout = computeLayout(80, 24, false, 7);
    expect(layout.mapHeight).toBe(7);
    expect(layout.chartHeight).toBe(12);
    expect(computeLayout(80, 23, false, 100).chartHeight).toBe(MIN_CHART_HEIGHT);
  });

  it('gives a larger terminal more table rows, a taller chart, a taller map and a wider left side', () => {
    const small = computeLayout(80, 24);
    const large = computeLayout(120, 40);
    expect(large.tableRows).toBe(32);
    expect(large.chartHeight).toBeGreaterThan(small.chartHeight);
    expect(large.mapHeight).toBeGreaterThan(small.mapHeight);
    expect(large.leftWidth).toBe(120 - TABLE_WIDTH);
  });
});
