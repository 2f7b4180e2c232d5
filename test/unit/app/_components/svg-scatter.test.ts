import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { FONT_PX, niceTicks, placeLabels, ScatterPlot } from '../../../../app/_components/svg-scatter';

const boxOf = (l: { x: number; y: number }, w: number) => ({ x: l.x - w / 2, y: l.y - (FONT_PX + 2) / 2, w, h: FONT_PX + 2 });
const overlap = (a: ReturnType<typeof boxOf>, b: ReturnType<typeof boxOf>) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('svg scatter', () => {
  it('nice ticks cover the data on a 1/2/2.5/5 step', () => {
    expect(niceTicks(0.812, 0.951, 5)).toMatchObject({ lo: 0.8, hi: 1, step: 0.05 });
    expect(niceTicks(0.812, 0.951, 7)).toMatchObject({ lo: 0.8, hi: 0.96, step: 0.02 });
    expect(niceTicks(0, 1.3, 4).ticks).toEqual([0, 0.5, 1, 1.5]);
    // one value: a padded range, never a zero-width axis
    const flat = niceTicks(2, 2, 4);
    expect(flat.hi).toBeGreaterThan(flat.lo);
  });

  it('tau labels piled up near AIE = 0 get distinct, non-overlapping places inside the plot', () => {
    // synthetic-linear@2: tau 256/128/64/32 within a few pixels of each other
    const anchors = [0, 1, 2, 3, 4].map((i) => ({ x: 120 + i * 1.5, y: 40 + i * 2, width: 34 }));
    const area = { x: 62, y: 0, w: 680, h: 320 };
    const markers = anchors.map((a) => ({ x: a.x - 5, y: a.y - 5, w: 10, h: 10 }));
    const placed = placeLabels(anchors, area, markers);
    const boxes = placed.map((l, i) => boxOf(l, anchors[i]!.width));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!), `labels ${i} and ${j}`).toBe(false);
      for (const m of markers) expect(overlap(boxes[i]!, m)).toBe(false);
      expect(boxes[i]!.x).toBeGreaterThanOrEqual(area.x);
      expect(boxes[i]!.y).toBeGreaterThanOrEqual(area.y);
    }
    // a label moved away from its point is tied to it by a leader line
    expect(placed.some((l) => l.leader)).toBe(true);
    // the first one sits right above its point (no leader)
    expect(placed[0]).toMatchObject({ x: anchors[0]!.x, leader: false });
  });

  it('renders one path per series with its point count, fixed pixel size and 12 px text', () => {
    const html = renderToStaticMarkup(
      createElement(ScatterPlot, {
        size: { width: 360, height: 300 },
        x: { title: 'AIE', min: 0, format: (v: number) => v.toFixed(2) },
        y: { title: 'acc', format: (v: number) => String(v) },
        series: [
          { id: 'ft', color: '#e00', points: [{ x: 0.5, y: 0.8 }, { x: 0.6, y: 0.82 }, { x: Number.NaN, y: 1 }], title: 'ft' },
          { id: 'lp', color: '#00e', hollow: true, points: [{ x: 0.1, y: 0.7 }], title: 'lp' },
        ],
        sweep: [
          { x: 0.1, y: 0.7, label: 'τ64', title: 'a' },
          { x: 0.5, y: 0.8, label: 'τ0', title: 'b' },
        ],
        label: 'test plot',
      }),
    );
    expect(html).toContain('width="360" height="300" viewBox="0 0 360 300"');
    expect(html).toContain(`font-size="${FONT_PX}"`);
    expect(html.match(/class="plot-series"/g)).toHaveLength(2);
    expect(html).toContain('data-series="ft" data-points="2"'); // the NaN point is left out
    expect(html).toMatch(/data-series="ft" data-points="2" d="M\d+ \d+h0M\d+ \d+h0"/); // round-capped dots
    expect(html).toMatch(/data-series="lp" data-points="1" d="[^"]+" fill="none"/);
    expect(html.match(/class="sweep-mark"/g)).toHaveLength(2);
  });
});
