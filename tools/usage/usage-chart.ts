/**
 * The usage report's chart: input + output tokens per tenant per day as stacked
 * bars, readable at any scale. Fixed size; the top tenants by tokens and "other";
 * one colour per shown tenant; a continuous date axis (days without data keep their
 * place); gridlines at rounded ticks with thousands separators.
 */
import type { DailyRow } from './usage-report';

export const CHART = { width: 960, height: 480, top: 48, right: 190, bottom: 64, left: 84 } as const;
/** Tenants shown by name; the rest are summed as "other". The palette has one colour each. */
export const TOP_TENANTS = 9;
/** Tableau 10 without its grey, which "other" uses. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];
export const OTHER_COLOR = '#bab0ac';
export const OTHER = 'other';

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
/** 1234567 -> "1,234,567". */
export const thousands = (n: number) =>
  Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Rounded axis ticks from 0 to at least `max`: steps of 1, 2 or 5 times a power of ten, about `count` of them. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(Math.round(v / power) * power);
  return ticks;
}

/** Every day from the first to the last, YYYY-MM-DD (UTC). */
export function dayRange(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The tenants shown by name (most tokens first), and whether an "other" series sums the rest. */
export function shownTenants(daily: DailyRow[], top = TOP_TENANTS): { shown: string[]; other: boolean } {
  const totals = new Map<string, number>();
  for (const d of daily) totals.set(d.tenant, (totals.get(d.tenant) ?? 0) + d.tokens);
  const ranked = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
  // "other" replaces at least two tenants; one left over is shown by name.
  if (ranked.length <= top + 1) return { shown: ranked, other: false };
  return { shown: ranked.slice(0, top), other: true };
}

export function dailyChartSvg(daily: DailyRow[], top = TOP_TENANTS): string {
  const { width: w, height: h, top: t, right: r, bottom: b, left: l } = CHART;
  const plotW = w - l - r;
  const plotH = h - t - b;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>`,
    `<text x="${l}" y="24" font-size="15" font-weight="bold">Tokens (input + output) per tenant per day</text>`,
  ];
  if (!daily.length) {
    parts.push(`<text x="${l}" y="${t + plotH / 2}">No invocation records</text>`, '</svg>');
    return parts.join('\n') + '\n';
  }
  const sorted = [...daily].map((d) => d.day).sort();
  const days = dayRange(sorted[0], sorted[sorted.length - 1]);
  const { shown, other } = shownTenants(daily, top);
  const series = [...shown, ...(other ? [OTHER] : [])];
  const color = (i: number) => (series[i] === OTHER && other ? OTHER_COLOR : PALETTE[i % PALETTE.length]);
  const index = new Map(shown.map((s, i) => [s, i]));
  // Tokens per day and series.
  const values = days.map(() => new Array<number>(series.length).fill(0));
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  for (const d of daily) values[dayIndex.get(d.day)!][index.get(d.tenant) ?? series.length - 1] += d.tokens;
  const max = Math.max(...values.map((v) => v.reduce((a, x) => a + x, 0)));
  const ticks = niceTicks(max);
  const yMax = ticks[ticks.length - 1];
  const y = (v: number) => t + plotH * (1 - v / yMax);
  const slot = plotW / days.length;
  const barW = Math.max(1, slot * 0.8);

  // Gridlines and y labels.
  parts.push(`<text x="${l - 64}" y="${t - 10}" fill="#555">tokens</text>`);
  for (const v of ticks)
    parts.push(
      `<line x1="${l}" y1="${y(v).toFixed(1)}" x2="${l + plotW}" y2="${y(v).toFixed(1)}" stroke="${v === 0 ? '#333' : '#e0e0e0'}" stroke-width="1"/>`,
      `<text x="${l - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="y-tick">${thousands(v)}</text>`,
    );
  // Bars.
  days.forEach((day, di) => {
    const x = l + di * slot + (slot - barW) / 2;
    let base = 0;
    values[di].forEach((v, si) => {
      if (!v) return;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${color(si)}"><title>${escapeXml(`${series[si]} ${day}: ${thousands(v)} tokens`)}</title></rect>`,
      );
      base += v;
    });
  });
  // Date labels: at most about 12, evenly spaced, first day always.
  const every = Math.max(1, Math.ceil(days.length / 12));
  days.forEach((day, di) => {
    const x = l + di * slot + slot / 2;
    if (di % every === 0) {
      parts.push(`<line x1="${x.toFixed(1)}" y1="${t + plotH}" x2="${x.toFixed(1)}" y2="${t + plotH + 4}" stroke="#333"/>`);
      parts.push(`<text x="${x.toFixed(1)}" y="${t + plotH + 16}" text-anchor="middle" class="x-tick">${day.slice(5)}</text>`);
    }
  });
  parts.push(
    `<text x="${l + plotW / 2}" y="${h - 14}" text-anchor="middle" fill="#555">${days[0]} to ${days[days.length - 1]} (UTC), ${days.length} days</text>`,
  );
  // Legend, with each series' total.
  const totals = series.map((_, si) => values.reduce((n, v) => n + v[si], 0));
  series.forEach((s, si) => {
    const ly = t + si * 22;
    const label = s === OTHER && other ? `other (${new Set(daily.map((d) => d.tenant)).size - shown.length} tenants)` : s;
    parts.push(
      `<rect x="${w - r + 16}" y="${ly}" width="12" height="12" fill="${color(si)}" class="legend"/>`,
      `<text x="${w - r + 34}" y="${ly + 10}">${escapeXml(label.length > 22 ? `${label.slice(0, 21)}…` : label)}</text>`,
      `<text x="${w - r + 34}" y="${ly + 21}" font-size="9" fill="#666">${thousands(totals[si])}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
