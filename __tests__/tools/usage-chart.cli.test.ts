/**
 * The usage chart rendered to PNG by a real SVG renderer (rsvg-convert, Debian's
 * librsvg2-bin): the SVG must be valid for it, and the image has the chart's size.
 * Without rsvg-convert on the PATH this test is skipped with a message (the
 * structure of the SVG is checked in usage-chart.test.ts either way); .ci/run
 * installs it where apt-get is available.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHART, dailyChartSvg } from '../../tools/usage/usage-chart';
import { manyTenantsDaily } from '../../tools/usage/generate-logs';

const rsvg = spawnSync('rsvg-convert', ['--version'], { encoding: 'utf8' });
const available = rsvg.status === 0;
if (!available)
  console.warn(
    'SKIPPED: rsvg-convert is not on the PATH (apt-get install librsvg2-bin); the PNG rendering of the usage chart is not checked',
  );
const maybe = available ? test : test.skip;

maybe("the chart of 25 tenants over 75 days renders to a PNG of the chart's fixed size", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-chart-'));
  try {
    const svg = path.join(dir, 'chart.svg');
    const png = path.join(dir, 'chart.png');
    fs.writeFileSync(svg, dailyChartSvg(manyTenantsDaily()));
    const r = spawnSync('rsvg-convert', ['-o', png, svg], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const image = fs.readFileSync(png);
    expect(image.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: width and height, big-endian, at bytes 16-23.
    expect([image.readUInt32BE(16), image.readUInt32BE(20)]).toEqual([CHART.width, CHART.height]);
    // Bars, text and gridlines compress worse than an empty canvas (about 1 KB).
    expect(image.length).toBeGreaterThan(20_000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
