/**
 * The usage chart at landing-zone scale (25 tenants over 75 days with gaps):
 * fixed size, the top tenants and "other", one colour per series, a continuous
 * date axis, gridlines at rounded ticks with thousands separators. Checked on the
 * SVG's structure; __tests__/tools/usage-chart.cli.test.ts renders it to PNG.
 */
import { CHART, OTHER_COLOR, PALETTE, TOP_TENANTS, dailyChartSvg, dayRange, niceTicks, thousands } from '../../tools/usage/usage-chart';
import { manyTenantsDaily as manyTenants } from '../../tools/usage/generate-logs';

const attrs = (svg: string, re: RegExp) => [...svg.matchAll(re)].map((m) => m[1]);

describe('25 tenants over 75 days', () => {
  const daily = manyTenants();
  const svg = dailyChartSvg(daily);

  test('a fixed size, whatever the number of days', () => {
    expect(svg).toMatch(
      new RegExp(
        `^<svg xmlns="http://www.w3.org/2000/svg" width="${CHART.width}" height="${CHART.height}" viewBox="0 0 ${CHART.width} ${CHART.height}"`,
      ),
    );
    expect(dailyChartSvg(daily.filter((d) => d.day < '2026-09-04'))).toMatch(new RegExp(`^<svg [^>]*width="${CHART.width}"`));
    // Nothing is drawn outside it.
    for (const x of attrs(svg, /<(?:rect|text|line) x1?="([\d.]+)"/g)) expect(Number(x)).toBeLessThanOrEqual(CHART.width);
    for (const y of attrs(svg, /<(?:rect|text) x="[\d.]+" y="([\d.]+)"/g)) expect(Number(y)).toBeLessThanOrEqual(CHART.height);
  });

  test('the legend: the top tenants by tokens and "other", each in its own colour, all inside the chart', () => {
    const legend = attrs(svg, /<rect [^>]*fill="(#[0-9a-f]{6})" class="legend"\/>/g);
    expect(legend).toHaveLength(TOP_TENANTS + 1);
    expect(new Set(legend).size).toBe(legend.length);
    expect(legend).toEqual([...PALETTE.slice(0, TOP_TENANTS), OTHER_COLOR]);
    for (let i = 1; i <= TOP_TENANTS; i++) expect(svg).toContain(`>tenant-${String(i).padStart(2, '0')}</text>`);
    expect(svg).toContain('>other (16 tenants)</text>');
    expect(svg).not.toContain('>tenant-10</text>');
    const legendY = attrs(svg, /<rect x="[\d.]+" y="([\d.]+)" width="12" height="12" fill="#[0-9a-f]{6}" class="legend"\/>/g).map(Number);
    expect(Math.max(...legendY) + 22).toBeLessThanOrEqual(CHART.height - CHART.bottom);
    // Bars use the legend's colours only.
    expect(new Set(attrs(svg, /<rect [^>]*fill="(#[0-9a-f]{6})"><title>/g))).toEqual(new Set(legend));
  });

  test("the bars add up: each day's stack is that day's total", () => {
    const titles = attrs(svg, /<title>([^<]+)<\/title>/g);
    const perDay = new Map<string, number>();
    for (const t of titles) {
      const [, day, n] = /^\S+(?: \(\d+ tenants\))? (\d{4}-\d\d-\d\d): ([\d,]+) tokens$/.exec(t)!;
      perDay.set(day, (perDay.get(day) ?? 0) + Number(n.replace(/,/g, '')));
    }
    for (const [day, total] of perDay) expect(total).toBe(daily.filter((d) => d.day === day).reduce((a, d) => a + d.tokens, 0));
  });

  test('a continuous date axis: every day has its slot, days without data too', () => {
    const days = dayRange('2026-09-01', '2026-11-14');
    expect(days).toHaveLength(75);
    const empty = days.filter((d) => !daily.some((x) => x.day === d));
    expect(empty.length).toBeGreaterThan(3);
    // Date labels every few days, evenly spaced across all 75 days (not only the days with data).
    const labels = attrs(svg, /class="x-tick">([^<]+)<\/text>/g);
    expect(labels[0]).toBe('09-01');
    expect(labels.length).toBeGreaterThanOrEqual(8);
    expect(labels.length).toBeLessThanOrEqual(13);
    const xs = attrs(svg, /<text x="([\d.]+)" y="[\d.]+" text-anchor="middle" class="x-tick">/g).map(Number);
    const gaps = xs.slice(1).map((x, i) => x - xs[i]);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThan(0.5);
    expect(svg).toContain('2026-09-01 to 2026-11-14 (UTC), 75 days');
  });

  test('gridlines at rounded ticks, labelled with thousands separators', () => {
    const ticks = attrs(svg, /class="y-tick">([^<]+)<\/text>/g);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks[0]).toBe('0');
    for (const t of ticks.slice(1)) expect(t).toMatch(/^\d{1,3}(,\d{3})*$/);
    const values = ticks.map((t) => Number(t.replace(/,/g, '')));
    const step = values[1];
    expect(String(step)).toMatch(/^[125]0*$/);
    values.forEach((v, i) => expect(v).toBe(i * step));
    expect(attrs(svg, /<line [^>]*stroke="(#e0e0e0)"/g)).toHaveLength(ticks.length - 1);
  });
});

test('rounded ticks and separators', () => {
  expect(niceTicks(8_812_345)).toEqual([0, 2_000_000, 4_000_000, 6_000_000, 8_000_000, 10_000_000]);
  expect(niceTicks(37)).toEqual([0, 10, 20, 30, 40]);
  expect(niceTicks(0)).toEqual([0, 1]);
  expect(thousands(1234567)).toBe('1,234,567');
  expect(thousands(999)).toBe('999');
});

test('few tenants are all shown by name, without "other"', () => {
  const svg = dailyChartSvg([
    { day: '2026-11-01', tenant: 'acme', tokens: 1500 },
    { day: '2026-11-03', tenant: 'globex', tokens: 500 },
  ]);
  expect(svg).not.toContain('>other');
  expect(svg).toContain('>acme</text>');
  expect(attrs(svg, /class="x-tick">([^<]+)<\/text>/g)).toEqual(['11-01', '11-02', '11-03']);
});
