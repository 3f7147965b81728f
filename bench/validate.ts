// Validate benchmark: wall time of `ecs-gitops validate` over a generated repository of N
// manifests (namespaces, Cloud Map services and ECS services referencing them), laid out
// three ways: one manifest per file, a few documents per file, and everything in one file.
// Prints figures only; nothing here asserts a time.
//
//   node dist/bench/validate.js                          2,000 manifests
//   node dist/bench/validate.js --manifests 10000
//   node dist/bench/validate.js --broken 0.1             10% of the services reference a missing namespace
//   node dist/bench/validate.js --duplicates             every ECS service copied once more (duplicate identities)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { CommandIO } from '../src/cli/command.js';
import { main as cli } from '../src/cli/main.js';
import { loadManifests } from '../src/reconcile/load.js';
import { readManifestTree } from '../src/manifests/read-tree.js';

interface Options {
  readonly manifests: number;
  readonly broken: number;
  readonly duplicates: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      manifests: { type: 'string', short: 'n', default: '2000' },
      broken: { type: 'string', default: '0' },
      duplicates: { type: 'boolean', default: false },
    },
  });
  const manifests = Number(values.manifests);
  const broken = Number(values.broken);
  if (!Number.isInteger(manifests) || manifests < 3) throw new Error(`--manifests must be an integer of at least 3, got ${values.manifests}`);
  if (!(broken >= 0 && broken <= 1)) throw new Error(`--broken must be a share between 0 and 1, got ${values.broken}`);
  return { manifests, broken, duplicates: values.duplicates === true };
}

const SERVICES_PER_NAMESPACE = 50;

function namespace(i: number): string {
  return `apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapNamespace
metadata:
  name: ns${i}.internal
spec:
  type: DNS_PRIVATE
  vpc: vpc-0123456789abcdef0
  tags: { team: t${i} }
`;
}

function cloudMapService(i: number, ns: string): string {
  return `apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapService
metadata:
  name: svc${i}
spec:
  namespace: ${ns}
  dns:
    routingPolicy: MULTIVALUE
    records:
      - { type: A, ttl: 60 }
  healthCheck:
    custom: {}
`;
}

function ecsService(i: number, ns: string): string {
  return `apiVersion: ecs-gitops.io/v1alpha1
kind: EcsService
metadata:
  name: svc${i}
  labels: { app: svc${i} }
spec:
  cluster: bench
  taskDefinition:
    family: svc${i}
    cpu: "256"
    memory: "512"
    requiresCompatibilities: [FARGATE]
    executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole
    containers:
      - name: app
        image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/svc${i}:1.0.0
        portMappings: [{ containerPort: 8080 }]
        environment: { PORT: "8080", NAME: svc${i} }
        logConfiguration:
          logDriver: awslogs
          options: { awslogs-group: /ecs/bench/svc${i}, awslogs-region: us-east-1, awslogs-stream-prefix: app }
  desiredCount: 2
  launchType: FARGATE
  networkConfiguration:
    subnets: [subnet-0a1b2c3d4e5f60718, subnet-0b2c3d4e5f6071829]
    securityGroups: [sg-0c3d4e5f607182930]
  discovery: { service: svc${i}, namespace: ${ns} }
`;
}

/** N manifests as documents: one namespace per 50 service pairs, then Cloud Map + ECS service pairs. */
function generate(o: Options): { name: string; text: string }[] {
  const pairs = Math.max(1, Math.floor((o.manifests * SERVICES_PER_NAMESPACE) / (2 * SERVICES_PER_NAMESPACE + 1)));
  const namespaces = Math.max(1, o.manifests - 2 * pairs);
  const docs: { name: string; text: string }[] = [];
  for (let n = 0; n < namespaces; n++) docs.push({ name: `namespaces/ns${n}.yaml`, text: namespace(n) });
  const brokenEvery = o.broken > 0 ? Math.max(1, Math.round(1 / o.broken)) : 0;
  for (let i = 0; i < pairs; i++) {
    const ns = `ns${i % namespaces}.internal`;
    const ref = brokenEvery > 0 && i % brokenEvery === 0 ? `ns${i % namespaces}.internl` : ns;
    docs.push({ name: `services/svc${i}/cloud-map.yaml`, text: cloudMapService(i, ref) });
    docs.push({ name: `services/svc${i}/ecs.yaml`, text: ecsService(i, ns) });
    if (o.duplicates) docs.push({ name: `services/svc${i}/ecs-copy.yaml`, text: ecsService(i, ns) });
  }
  return docs;
}

type Layout = 'file per manifest' | '3 documents per file' | 'one file';

function writeLayout(root: string, layout: Layout, docs: readonly { name: string; text: string }[]): void {
  mkdirSync(root, { recursive: true });
  const write = (name: string, text: string): void => {
    const path = join(root, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  };
  if (layout === 'file per manifest') {
    for (const d of docs) write(d.name, `# yaml-language-server: $schema=../../crds/manifest.schema.json\n${d.text}`);
  } else if (layout === 'one file') {
    write('all.yaml', docs.map((d) => d.text).join('---\n'));
  } else {
    for (let i = 0; i < docs.length; i += 3)
      write(
        `group-${String(i / 3).padStart(5, '0')}.yaml`,
        docs
          .slice(i, i + 3)
          .map((d) => d.text)
          .join('---\n'),
      );
  }
}

function ms(start: number): string {
  return (performance.now() - start).toFixed(0);
}

async function measure(root: string): Promise<string[]> {
  let t = performance.now();
  const tree = await readManifestTree(root);
  const read = ms(t);
  t = performance.now();
  const result = loadManifests(tree.files);
  const load = ms(t);
  let out = '';
  const io: CommandIO = { stdout: (s) => void (out += s), stderr: (s) => void (out += s), env: {} };
  t = performance.now();
  const code = await cli(['validate', root], io);
  const total = ms(t);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  return [String(tree.files.length), read, load, total, String(result.resources.length), String(errors), String(code), `${Math.round(out.length / 1024)} KiB`];
}

async function run(): Promise<void> {
  const o = options();
  const docs = generate(o);
  const dir = mkdtempSync(join(tmpdir(), 'ecs-gitops-bench-validate-'));
  try {
    // Warm up once: ajv compiles the schemas on first use, which is a one-time cost per process.
    loadManifests([{ path: 'warm.yaml', content: namespace(0) }]);
    const head = ['layout', 'files', 'read ms', 'load ms', 'validate ms', 'valid', 'errors', 'exit', 'output'];
    const rows: string[][] = [];
    for (const layout of ['file per manifest', '3 documents per file', 'one file'] as const) {
      const root = join(dir, layout.replace(/ /g, '-'));
      writeLayout(root, layout, docs);
      rows.push([layout, ...(await measure(root))]);
    }
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
    const flags = `${o.broken > 0 ? `, ${o.broken * 100}% broken references` : ''}${o.duplicates ? ', duplicated ECS services' : ''}`;
    console.log(`validate: ${docs.length} manifests${flags} (load = parse + schema + rules; validate = the whole command)`);
    console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await run();
