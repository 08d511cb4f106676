/**
 * The tool's own package: its name and version, read from the package.json of
 * the checkout or of the installed bedrock-governance package this code runs
 * from. The synth records it in the routing table (generatedBy), and the plan
 * review names the version of each side.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The folder of the package this file belongs to: the checkout, or node_modules/bedrock-governance. */
export function toolRoot(dir: string = __dirname): string {
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

let cached: { name: string; version: string } | undefined;

/** The tool's package name and version (package.json of toolRoot()). */
export function toolPackage(): { name: string; version: string } {
  if (!cached) {
    const pkg = JSON.parse(fs.readFileSync(path.join(toolRoot(), 'package.json'), 'utf8'));
    cached = { name: pkg.name, version: pkg.version };
  }
  return cached;
}

/** "bedrock-governance 0.1.0": what the routing table's generatedBy and the review's Tool line say. */
export const toolLabel = (): string => `${toolPackage().name} ${toolPackage().version}`;
