import { describe, expect, it } from 'vitest';
import { computeLayout, MIN_COLUMNS, MIN_ROWS, TABLE_WIDTH } from '../../src/tui/layout.js';

describe('computeLayout', () => {
  it('fits 80x24 in rows - 1 lines: header, body, status and hints', () => {
    const layout = computeLayout(80, 24);
    expect(layout.tooSmall).toBe(false);
    expect(1 + layout.bodyHeight + 1 + 1).toBe(23);
    expect(layout.chartHeight + layout.bottomHeight).toBe(layout.bodyHeight);
    expect(layout.leftWidth + TABLE_WIDTH).toBe(80);
    expect(layout.tableRows).toBe(17);
    expect(layout.bottomLines).toBe(layout.bottomHeight - 2);
  });

  it('keeps the frame at rows - 1 lines for any size it draws', () => {
    for (let rows = MIN_ROWS; rows <= 80; rows++) {
      const layout = computeLayout(100, rows);
      expect(layout.bodyHeight + 3).toBe(rows - 1);
      expect(layout.chartHeight + layout.bottomHeight).toBe(layout.bodyHeight);
      expect(layout.chartHeight).toBeGreaterThanOrEqual(6);
    }
  });

  it('is too small below 80 columns or 24 rows', () => {
    expect(MIN_COLUMNS).toBe(80);
    expect(MIN_ROWS).toBe(24);
    expect(computeLayout(79, 24).tooSmall).toBe(true);
    expect(computeLayout(80, 23).tooSmall).toBe(true);
    expect(computeLayout(60, 20).tooSmall).toBe(true);
    expect(computeLayout(0, 0).tooSmall).toBe(true);
  });

  it('gives a larger terminal more table rows, a taller chart and a wider left side', () => {
    const small = computeLayout(80, 24);
    const large = computeLayout(120, 40);
    expect(large.tableRows).toBe(33);
    expect(large.chartHeight).toBeGreaterThan(small.chartHeight);
    expect(large.bottomHeight).toBeGreaterThan(small.bottomHeight);
    expect(large.leftWidth).toBe(120 - TABLE_WIDTH);
  });

  it('stops growing the bottom panels after a few lines', () => {
    expect(computeLayout(80, 200).bottomHeight).toBe(12);
  });
});
