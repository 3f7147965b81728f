// run --targets against the sandbox: two accounts reached through STS AssumeRole converge
// their own source paths; a third whose role cannot be assumed reports why and holds back nobody.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { FAST_SANDBOX } from '@ecs-gitops/sandbox/testing';
import { parseControllerConfig } from '../../src/config/controller-config.js';
import { startTargets, type RunningTargets, type TargetsStatus } from '../../src/run/targets.js';
import { waitFor } from './helpers.js';

/** The value of the series of `name` whose labels are exactly `labels` (in any order). */
function seriesValue(body: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of body.split('\n')) {
    const m = /^([a-z_:]+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...m[2]!.matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
    const keys = Object.keys(labels);
    if (Object.keys(got).length === keys.length && keys.every((k) => got[k] === labels[k])) return Number(m[3]);
  }
  return undefined;
}

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';

function namespace(name: string): string {
  return `apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapNamespace
metadata:
  name: ${name}
spec:
  type: HTTP
  description: namespace of ${name}
`;
}

async function writeSource(): Promise<{ dir: string; targetsFile: string }> {
  const root = await mkdtemp(join(tmpdir(), 'ecs-gitops-targets-'));
  const dir = join(root, 'source');
  for (const [sub, name] of [
    ['accounts/a', 'team-a'],
    ['accounts/b', 'team-b'],
    ['accounts/c', 'team-c'],
  ] as const) {
    await mkdir(join(dir, sub), { recursive: true });
    await writeFile(join(dir, sub, 'namespace.yaml'), namespace(name));
  }
  const targetsFile = join(root, 'targets.yaml');
  await writeFile(
    targetsFile,
    `targets:
  - name: a
    account: "${A}"
    region: us-east-1
    roleArn: arn:aws:iam::${A}:role/ecs-gitops-member
    externalId: secret-a
    paths: [accounts/a]
  - name: b
    account: "${B}"
    region: eu-west-1
    roleArn: arn:aws:iam::${B}:role/ecs-gitops-member
    paths: [./accounts/b/]
  - name: c
    account: "${C}"
    region: us-east-1
    roleArn: arn:aws:iam::${C}:role/ecs-gitops-member
    externalId: wrong-id
    paths: [accounts/c]
`,
  );
  return { dir, targetsFile };
}

describe('run --targets: two accounts through AssumeRole on one sandbox', () => {
  let sandbox: SandboxHandle;
  let running: RunningTargets;

  before(async () => {
    // Assumed-role credentials live 4 s here: the targets must assume their roles again as they go.
    sandbox = await startSandbox({ ...FAST_SANDBOX, assumedRoleLifetimeMs: 4_000 });
    sandbox.world.principals.requireExternalId(`arn:aws:iam::${A}:role/ecs-gitops-member`, 'secret-a');
    sandbox.world.principals.requireExternalId(`arn:aws:iam::${C}:role/ecs-gitops-member`, 'right-id');
    const { dir, targetsFile } = await writeSource();
    const config = parseControllerConfig(
      [
        '--source',
        dir,
        '--targets',
        targetsFile,
        '--listen',
        '127.0.0.1:0',
        '--resync',
        '2s',
        '--log-level',
        'warn',
        '--shutdown-grace',
        '5s',
        '--stale-after',
        '3s',
      ],
      {},
    );
    const cfg = sandbox.clientConfig();
    running = await startTargets(config, {
      aws: { region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint } },
      processMetrics: false,
      metricsCacheMs: 0,
      logDestination: { write() {} },
    });
  });
  after(async () => {
    await running?.stop(2_000);
    await sandbox.stop();
  });

  it('converges each account from its own paths only, signed with credentials of its role', async () => {
    await waitFor(
      () => sandbox.account(A).cloudmap.findNamespace('team-a') !== undefined && sandbox.account(B).cloudmap.findNamespace('team-b') !== undefined,
      30_000,
      'both namespaces created',
    );
    assert.equal(sandbox.account(A).cloudmap.findNamespace('team-b'), undefined, 'team-b is not created in account A');
    assert.equal(sandbox.account(B).cloudmap.findNamespace('team-a'), undefined, 'team-a is not created in account B');
    assert.equal(sandbox.services.cloudmap.findNamespace('team-a'), undefined, "nothing is created in the controller's own account");
    assert.equal(sandbox.services.cloudmap.findNamespace('team-b'), undefined);
    for (const ns of ['team-a', 'team-b', 'team-c']) assert.equal(sandbox.account(C).cloudmap.findNamespace(ns), undefined, `${ns} in account C`);
    // The creates were signed with assumed-role credentials of the target account.
    const creates = sandbox.world.calls.calls().filter((c) => c.operation === 'CreateHttpNamespace');
    assert.deepEqual(creates.map((c) => c.account).sort(), [A, B]);
    const assumed = sandbox.world.calls.calls().filter((c) => c.operation === 'AssumeRole');
    assert.ok(assumed.length >= 3, `AssumeRole calls: ${assumed.length}`);
  });

  it('serves one /metrics with account and region labels on the resource series', async () => {
    const ok = await waitFor(
      async () => {
        const body = await (await fetch(`${running.url}/metrics`)).text();
        return (
          seriesValue(body, 'ecs_gitops_drifted', { account: A, region: 'us-east-1', kind: 'CloudMapNamespace', name: 'team-a' }) === 0 &&
          seriesValue(body, 'ecs_gitops_drifted', { account: B, region: 'eu-west-1', kind: 'CloudMapNamespace', name: 'team-b' }) === 0
        );
      },
      30_000,
      'labelled drifted series',
    );
    assert.ok(ok, 'drifted series of both targets, labelled');
    const body = await (await fetch(`${running.url}/metrics`)).text();
    assert.match(body, new RegExp(`^ecs_gitops_resource_info\\{[^}]*kind="CloudMapNamespace",name="team-a"[^}]*account="${A}",region="us-east-1"\\} 1$`, 'm'));
    assert.match(body, new RegExp(`^ecs_gitops_resource_info\\{[^}]*kind="CloudMapNamespace",name="team-b"[^}]*account="${B}",region="eu-west-1"\\} 1$`, 'm'));
    assert.equal(
      seriesValue(body, 'ecs_gitops_apply_total', { kind: 'CloudMapNamespace', operation: 'create', result: 'success', account: A, region: 'us-east-1' }),
      1,
    );
    assert.equal(
      seriesValue(body, 'ecs_gitops_apply_total', { kind: 'CloudMapNamespace', operation: 'create', result: 'success', account: B, region: 'eu-west-1' }),
      1,
    );
    // One HELP line per family, though three targets export it.
    assert.equal(body.match(/^# HELP ecs_gitops_resource_info /gm)?.length, 1);
    assert.equal(seriesValue(body, 'ecs_gitops_ready', { account: A, region: 'us-east-1' }), 1);
    assert.equal(seriesValue(body, 'ecs_gitops_ready', { account: B, region: 'eu-west-1' }), 1);
    // Target c runs no controller (its role cannot be assumed): no series of its own, target_up 0.
    assert.equal(seriesValue(body, 'ecs_gitops_ready', { account: C, region: 'us-east-1' }), undefined);
    assert.equal(seriesValue(body, 'ecs_gitops_target_up', { target: 'c', account: C, region: 'us-east-1' }), 0);
    assert.equal(seriesValue(body, 'ecs_gitops_target_up', { target: 'a', account: A, region: 'us-east-1' }), 1);
  });

  it('a target whose role cannot be assumed says why in /status; the process is ready with the others', async () => {
    const st = (await (await fetch(`${running.url}/status`)).json()) as TargetsStatus;
    const c = st.targets.find((t) => t.name === 'c')!;
    assert.equal(c.state, 'failed');
    assert.match(c.error ?? '', /AccessDenied|not authorized to perform: sts:AssumeRole/);
    assert.equal(c.status, undefined);
    const a = st.targets.find((t) => t.name === 'a')!;
    assert.equal(a.state, 'running');
    assert.equal(a.status?.controller.ready, true);
    assert.ok(a.status?.resources.some((r) => r.key === 'CloudMapNamespace/team-a'));
    assert.equal(st.targets.find((t) => t.name === 'b')?.status?.controller.ready, true);
    const ready = await waitFor(async () => (await fetch(`${running.url}/readyz`)).status === 200, 30_000, '/readyz 200');
    assert.ok(ready, '/readyz 200 although target c fails');
  });

  it('reverts drift in one account without touching the other', async () => {
    // First the credentials of the first AssumeRole must have lapsed (4 s): the target assumed its role again.
    const roleB = `arn:aws:iam::${B}:role/ecs-gitops-member`;
    const assumesOfB = (): number =>
      sandbox.world.calls.calls().filter((c) => c.operation === 'AssumeRole' && c.input['RoleArn'] === roleB && c.outcome === 'ok').length;
    await waitFor(() => assumesOfB() >= 3, 30_000, 'target b assumed its role again');
    const before = sandbox.world.calls.calls().filter((c) => c.operation === 'CreateHttpNamespace').length;
    // A hand delete of team-b in account B: the controller creates it again there, and only there.
    const ns = sandbox.account(B).cloudmap.findNamespace('team-b');
    assert.ok(ns);
    const cfg = sandbox.clientConfig();
    const { ServiceDiscoveryClient, DeleteNamespaceCommand } = await import('@aws-sdk/client-servicediscovery');
    const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const sts = new STSClient({ region: cfg.region, endpoint: cfg.endpoint, credentials: cfg.credentials });
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/ecs-gitops-member`, RoleSessionName: 'by-hand' }));
    sts.destroy();
    const sd = new ServiceDiscoveryClient({
      region: cfg.region,
      endpoint: cfg.endpoint,
      credentials: {
        accessKeyId: out.Credentials!.AccessKeyId!,
        secretAccessKey: out.Credentials!.SecretAccessKey!,
        sessionToken: out.Credentials!.SessionToken!,
      },
    });
    try {
      await sd.send(new DeleteNamespaceCommand({ Id: ns.id }));
    } finally {
      sd.destroy();
    }
    const recreated = await waitFor(
      () => {
        const creates = sandbox.world.calls.calls().filter((c) => c.operation === 'CreateHttpNamespace');
        return creates.length > before && sandbox.account(B).cloudmap.findNamespace('team-b') !== undefined ? creates.slice(before) : undefined;
      },
      30_000,
      'team-b created again',
    );
    assert.ok(recreated, 'team-b created again');
    // Credentials were renewed before they lapsed: no call was refused for an expired token.
    assert.deepEqual(
      sandbox.world.calls.calls().filter((c) => /Expired/.test(c.outcome)),
      [],
    );
    assert.deepEqual(
      recreated.map((c) => c.account),
      recreated.map(() => B),
    );
  });
});
