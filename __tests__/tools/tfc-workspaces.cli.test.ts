/**
 * npm run tfc-workspaces against a local stand-in for the Terraform Cloud API
 * (127.0.0.1, TFC_ADDRESS) that keeps workspaces and variables in memory and
 * records every request: the request bodies, GET before POST/PATCH, and a
 * second run that changes nothing. Only Terraform Cloud itself proves that it
 * accepts these bodies (docs/rollout.md).
 */
import { ExecFileException, execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';

// Each test spawns node processes: seconds each on a loaded machine.
jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..', '..');
const TOOL = path.join(ROOT, 'dist', 'tools', 'rollout', 'tfc-workspaces.js');
const MATRIX = path.join(ROOT, 'examples', 'terraform-cloud.yaml');

/** A request body the tool sends (JSON:API), and a resource as the fake keeps it. */
interface RequestBody {
  data: { attributes: Record<string, unknown>; relationships?: unknown };
}
interface FakeResource {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  relationships?: unknown;
}
/** A workspace plan of --dry-run --json, with the fields read here. */
interface PlanOut {
  stack: string;
}

interface Recorded {
  method: string;
  path: string;
  body?: RequestBody;
  auth?: string;
  type?: string;
}

/** A minimal Terraform Cloud: one organization with one project, workspaces by name, variables by workspace ID. */
function fakeTfc() {
  const requests: Recorded[] = [];
  const workspaces = new Map<string, FakeResource>();
  const vars = new Map<string, FakeResource[]>();
  let ids = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body: RequestBody | undefined = raw ? JSON.parse(raw) : undefined;
      const url = new URL(req.url!, 'http://x');
      requests.push({
        method: req.method!,
        path: decodeURIComponent(url.pathname + url.search),
        body,
        auth: req.headers.authorization,
        type: req.headers['content-type'],
      });
      const reply = (status: number, json?: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/vnd.api+json' });
        res.end(json === undefined ? '' : JSON.stringify(json));
      };
      let m: RegExpMatchArray | null;
      if (req.headers.authorization !== 'Bearer test-token') return reply(401, { errors: [{ status: '401' }] });
      if (req.method === 'GET' && url.pathname === '/api/v2/organizations/example-org/projects')
        return reply(200, {
          data:
            url.searchParams.get('filter[names]') === 'bedrock-governance'
              ? [{ id: 'prj-1', type: 'projects', attributes: { name: 'bedrock-governance' } }]
              : [],
        });
      // The list, filtered as the API documents (project ID, search[name] a substring), in pages of 3 whatever the page size asked.
      if (req.method === 'GET' && url.pathname === '/api/v2/organizations/example-org/workspaces') {
        const project = url.searchParams.get('filter[project][id]');
        const search = url.searchParams.get('search[name]') ?? '';
        const all = [...workspaces.values(), { id: 'ws-x', type: 'workspaces', attributes: { name: 'unrelated-app' } }].filter(
          (w) => String(w.attributes.name).includes(search) && (!project || w.attributes.name !== 'unrelated-app'),
        );
        const page = Number(url.searchParams.get('page[number]') ?? 1);
        const last = Math.ceil(all.length / 3);
        return reply(200, {
          data: all.slice((page - 1) * 3, page * 3),
          meta: { pagination: { 'next-page': page < last ? page + 1 : null } },
        });
      }
      if ((m = url.pathname.match(/^\/api\/v2\/organizations\/example-org\/workspaces\/([^/]+)$/))) {
        const ws = workspaces.get(decodeURIComponent(m[1]));
        if (!ws) return reply(404, { errors: [{ status: '404' }] });
        if (req.method === 'GET') return reply(200, { data: ws });
        if (req.method === 'PATCH') {
          Object.assign(ws.attributes, body!.data.attributes);
          if (body!.data.relationships) ws.relationships = body!.data.relationships;
          return reply(200, { data: ws });
        }
      }
      if (req.method === 'POST' && url.pathname === '/api/v2/organizations/example-org/workspaces') {
        const ws = {
          id: `ws-${++ids}`,
          type: 'workspaces',
          attributes: { ...body!.data.attributes },
          relationships: body!.data.relationships ?? {},
        };
        workspaces.set(String(ws.attributes.name), ws);
        vars.set(ws.id, []);
        return reply(201, { data: ws });
      }
      if ((m = url.pathname.match(/^\/api\/v2\/workspaces\/([^/]+)\/vars(?:\/([^/]+))?$/))) {
        const list = vars.get(m[1]);
        if (!list) return reply(404, { errors: [{ status: '404' }] });
        if (req.method === 'GET') return reply(200, { data: list });
        if (req.method === 'POST') {
          const v = { id: `var-${++ids}`, type: 'vars', attributes: { ...body!.data.attributes } };
          list.push(v);
          return reply(201, { data: v });
        }
        if (req.method === 'PATCH') {
          const v = list.find((x) => x.id === m![2])!;
          Object.assign(v.attributes, body!.data.attributes);
          return reply(200, { data: v });
        }
      }
      reply(404, { errors: [{ status: '404', title: `no route ${req.method} ${url.pathname}` }] });
    });
  });
  return { server, requests, workspaces, vars };
}

let tfc: ReturnType<typeof fakeTfc>;
let address: string;
let work: string;
beforeAll(async () => {
  if (!fs.existsSync(TOOL)) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  tfc = fakeTfc();
  await new Promise<void>((r) => tfc.server.listen(0, '127.0.0.1', r));
  address = `http://127.0.0.1:${(tfc.server.address() as AddressInfo).port}`;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-tfc-'));
});
afterAll(async () => {
  await new Promise((r) => tfc.server.close(r));
  fs.rmSync(work, { recursive: true, force: true });
});

function tool(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TOOL, ...args],
      { env: { PATH: process.env.PATH!, MATRIX_FILE: MATRIX, TFC_ADDRESS: address, ...env } },
      (e: ExecFileException | null, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err }),
    );
  });
}

const STACKS = [
  'bedrock-bootstrap-111111111111',
  'bedrock-bootstrap-222222222222',
  'bedrock-bootstrap-999999999999',
  'bedrock-logging-111111111111-us-east-1',
  'bedrock-logging-111111111111-eu-west-1',
  'bedrock-logging-222222222222-us-east-1',
  'bedrock-management-999999999999',
];

test('--dry-run prints every workspace and its variables as API requests, and sends nothing', async () => {
  const r = await tool(['--dry-run', '--json']);
  expect(r.code).toBe(0);
  const plans = JSON.parse(r.out);
  expect(plans.map((p: PlanOut) => p.stack)).toEqual(STACKS);
  const prod = plans.find((p: PlanOut) => p.stack === 'bedrock-logging-111111111111-eu-west-1');
  expect(prod).toMatchObject({
    workspace: 'bedrock-prod-111111111111-eu-west-1',
    project: 'bedrock-governance',
    executionMode: 'remote',
    workingDirectory: '',
  });
  expect(prod.requests.map((q: Recorded) => `${q.method} ${q.path}`)).toEqual([
    'GET /api/v2/organizations/example-org/workspaces/bedrock-prod-111111111111-eu-west-1',
    'POST /api/v2/organizations/example-org/workspaces',
    'POST /api/v2/workspaces/<id of bedrock-prod-111111111111-eu-west-1>/vars',
    'POST /api/v2/workspaces/<id of bedrock-prod-111111111111-eu-west-1>/vars',
  ]);
  expect(prod.requests[2].body.data.attributes).toMatchObject({
    key: 'TFC_AWS_PROVIDER_AUTH',
    value: 'true',
    category: 'env',
    hcl: false,
    sensitive: false,
  });
  expect(prod.requests[3].body.data.attributes).toMatchObject({
    key: 'TFC_AWS_RUN_ROLE_ARN',
    value: 'arn:aws:iam::111111111111:role/bedrock-governance-deploy',
    category: 'env',
  });
  // Bootstrap stacks create the deploy role: state in Terraform Cloud, runs on the operator's machine, no variables.
  const boot = plans.find((p: PlanOut) => p.stack === 'bedrock-bootstrap-222222222222');
  expect(boot.executionMode).toBe('local');
  expect(boot.requests).toHaveLength(2);
  const text = await tool(['--dry-run']);
  expect(text.out).toContain('env TFC_AWS_RUN_ROLE_ARN=arn:aws:iam::999999999999:role/bedrock-governance-deploy');
  expect(tfc.requests).toEqual([]);
});

test('without a token it is a usage error; a bad option too', async () => {
  expect((await tool([])).code).toBe(2);
  expect((await tool(['--execution-mode', 'cloud', '--dry-run'])).code).toBe(2);
  expect(tfc.requests).toEqual([]);
});

test('the first run GETs, then creates each workspace in its project and sets the variables; the second run sends only GETs', async () => {
  const outputs = path.join(work, 'bootstrap-outputs.json');
  fs.writeFileSync(
    outputs,
    JSON.stringify(
      Object.fromEntries(
        ['111111111111', '222222222222', '999999999999'].map((a) => [
          `bedrock-bootstrap-${a}`,
          { deploy_role_arn: `arn:aws:iam::${a}:role/bedrock-governance-deploy` },
        ]),
      ),
    ),
  );
  const first = await tool(['--bootstrap-outputs', outputs], { TF_API_TOKEN: 'test-token' });
  expect(first.err).not.toContain('Error');
  // Progress on stderr, one line per workspace with its count, then the elapsed time; the summary on stdout.
  expect(first.err).toMatch(/^\[\d+\.\d s\] 1\/7 bedrock-/m);
  expect(first.err).toMatch(/^\[\d+\.\d s\] 7\/7 bedrock-/m);
  expect(first.err).toMatch(/\n7 workspaces checked \(\d+\.\d s\)\n$/);
  expect(first.code).toBe(0);
  expect(first.out).toContain('7 workspaces');
  expect(first.out).toContain('7 created, 0 updated, 0 unchanged');
  expect(tfc.requests.every((q) => q.auth === 'Bearer test-token')).toBe(true);
  expect(tfc.requests.filter((q) => q.body).every((q) => q.type === 'application/vnd.api+json')).toBe(true);
  // The project is looked up once; each workspace is GET before its POST.
  expect(tfc.requests.filter((q) => q.path.includes('/projects'))).toHaveLength(1);
  const create = tfc.requests.find((q) => q.method === 'POST' && q.body?.data.attributes.name === 'bedrock-dev-222222222222-us-east-1')!;
  expect(create.body).toEqual({
    data: {
      type: 'workspaces',
      attributes: {
        name: 'bedrock-dev-222222222222-us-east-1',
        'execution-mode': 'remote',
        'working-directory': '',
        'terraform-version': '1.11.4',
        description: 'bedrock-governance stack bedrock-logging-222222222222-us-east-1 (managed by npm run tfc-workspaces)',
      },
      relationships: { project: { data: { type: 'projects', id: 'prj-1' } } },
    },
  });
  const i = tfc.requests.indexOf(create);
  expect(tfc.requests[i - 1]).toMatchObject({
    method: 'GET',
    path: '/api/v2/organizations/example-org/workspaces/bedrock-dev-222222222222-us-east-1',
  });
  const ws = tfc.workspaces.get('bedrock-dev-222222222222-us-east-1')!;
  expect(tfc.vars.get(ws.id)!.map((v) => v.attributes)).toEqual([
    { key: 'TFC_AWS_PROVIDER_AUTH', value: 'true', description: expect.any(String), category: 'env', hcl: false, sensitive: false },
    {
      key: 'TFC_AWS_RUN_ROLE_ARN',
      value: 'arn:aws:iam::222222222222:role/bedrock-governance-deploy',
      description: expect.any(String),
      category: 'env',
      hcl: false,
      sensitive: false,
    },
  ]);
  expect(tfc.vars.get(tfc.workspaces.get('bedrock-bootstrap-999999999999-us-east-1')!.id)).toEqual([]);

  tfc.requests.length = 0;
  const second = await tool(['--bootstrap-outputs', outputs], { TF_API_TOKEN: 'test-token' });
  expect(second.code).toBe(0);
  expect(second.out).toContain('0 created, 0 updated, 7 unchanged');
  expect(tfc.requests.filter((q) => q.method !== 'GET')).toEqual([]);

  // Drift: someone changed a workspace's execution mode and a variable by hand; the next run puts back exactly those.
  tfc.workspaces.get('bedrock-prod-111111111111-us-east-1')!.attributes['execution-mode'] = 'local';
  tfc.vars.get(ws.id)![1].attributes.value = 'arn:aws:iam::222222222222:role/someone-else';
  tfc.requests.length = 0;
  const third = await tool([], { TF_API_TOKEN: 'test-token' });
  expect(third.code).toBe(0);
  expect(tfc.requests.filter((q) => q.method !== 'GET').map((q) => `${q.method} ${q.path}`)).toEqual([
    'PATCH /api/v2/organizations/example-org/workspaces/bedrock-prod-111111111111-us-east-1',
    `PATCH /api/v2/workspaces/${ws.id}/vars/${tfc.vars.get(ws.id)![1].id}`,
  ]);
  expect(tfc.vars.get(ws.id)![1].attributes.value).toBe('arn:aws:iam::222222222222:role/bedrock-governance-deploy');
});

test('a bootstrap output that disagrees with the matrix stops the run before any request', async () => {
  const outputs = path.join(work, 'wrong.json');
  fs.writeFileSync(
    outputs,
    JSON.stringify({ 'bedrock-bootstrap-111111111111': { deploy_role_arn: 'arn:aws:iam::111111111111:role/other' } }),
  );
  tfc.requests.length = 0;
  const r = await tool(['--bootstrap-outputs', outputs], { TF_API_TOKEN: 'test-token' });
  expect(r.code).toBe(1);
  expect(r.err).toContain('bedrock-bootstrap-111111111111 output deploy_role_arn is arn:aws:iam::111111111111:role/other');
  expect(tfc.requests).toEqual([]);
});

test('--list prints the workspaces of the project whose names start like the template, every page, and changes nothing', async () => {
  tfc.requests.length = 0;
  const r = await tool(['--list'], { TF_API_TOKEN: 'test-token' });
  expect([r.code, r.err.includes('Error')]).toEqual([0, false]);
  const names = r.out.trim().split('\n');
  expect(names).toEqual([...tfc.workspaces.keys()].sort());
  expect(names.length).toBeGreaterThan(3); // more than one page
  expect(tfc.requests.every((q) => q.method === 'GET')).toBe(true);
  const lists = tfc.requests.filter((q) => q.path.startsWith('/api/v2/organizations/example-org/workspaces?'));
  expect(lists.length).toBe(Math.ceil(names.length / 3));
  for (const q of lists) expect(q.path).toMatch(/search\[name\]=bedrock-&filter\[project\]\[id\]=prj-1$/);
});
