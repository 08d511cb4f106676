/** The GitHub workflows are valid YAML, run what exists, and deploy in waves. */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

const ROOT = path.join(__dirname, '..');
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts);
const load = (name: string) => {
  const doc = YAML.parseDocument(fs.readFileSync(path.join(ROOT, '.github', 'workflows', name), 'utf8'), { uniqueKeys: true });
  expect(doc.errors).toEqual([]);
  return doc.toJS();
};
const runLines = (wf: any): string[] => Object.values<any>(wf.jobs).flatMap((j) => j.steps.flatMap((s: any) => (s.run ? String(s.run).split('\n') : [])));

describe.each(['pull-request.yml', 'deploy.yml'])('%s', (name) => {
  const wf = load(name);

  test('is a workflow with jobs and steps', () => {
    expect(wf.name).toBeTruthy();
    expect(wf.on).toBeTruthy();
    for (const job of Object.values<any>(wf.jobs)) expect(job.steps.length).toBeGreaterThan(0);
  });

  test('every npm script it runs exists', () => {
    const used = runLines(wf).flatMap((l) => [...l.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(0);
    for (const s of used) expect(scripts).toContain(s);
  });

  test('every project file it names exists', () => {
    const files = runLines(wf).flatMap((l) => [...l.matchAll(/(?:^|\s)((?:\.ci|\.github|tools|examples)\/[\w./-]+)/g)].map((m) => m[1]));
    for (const f of files) expect(fs.existsSync(path.join(ROOT, f))).toBe(true);
  });
});

test('pull requests install, test, synthesize, and diff the changed stacks against Terraform Cloud', () => {
  const steps = load('pull-request.yml').jobs.verify.steps.map((s: any) => s.run ?? s.uses);
  const at = (text: string) => steps.findIndex((s: string) => s.includes(text));
  expect(at('npm ci')).toBeLessThan(at('npm test'));
  expect(at('npm test')).toBeLessThan(at('npm run synth'));
  expect(at('changed-stacks')).toBeLessThan(at('npx cdktf diff'));
  const diff = load('pull-request.yml').jobs.verify.steps.find((s: any) => s.run?.includes('cdktf diff'));
  expect(diff.env.TF_TOKEN_app_terraform_io).toBe('${{ secrets.TF_API_TOKEN }}');
});

test('main deploys in waves, each needing the previous one', () => {
  const jobs = load('deploy.yml').jobs;
  expect(Object.keys(jobs)).toEqual(['dev', 'staging', 'prod', 'management']);
  expect([jobs.staging.needs, jobs.prod.needs, jobs.management.needs]).toEqual(['dev', 'staging', 'prod']);
  for (const [wave, job] of Object.entries<any>(jobs)) expect(job.steps.at(-1).run).toBe(`npm run deploy:wave -- ${wave} --auto-approve`);
});
