// examples/environments end to end: the issue's checks, against the sandbox with the real CLI
// and AWS CLI (sandbox-setup.sh).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CloudFormationClient, ListExportsCommand } from '@aws-sdk/client-cloudformation';
import { runAwsCli } from '@ecs-gitops/sandbox/testing';
import { EXAMPLES_DIR } from '../../src/paths.js';
import { runCli, useExamplesCli } from '../helpers/examples.js';
import { countResources, isWrite, startTestController, waitFor } from '../run/helpers.js';

const run = promisify(execFile);
const ENVIRONMENTS = join(EXAMPLES_DIR, 'environments');

describe('examples/environments', () => {
  const f = useExamplesCli();

  it('validate prod exits 0 without reading AWS', async () => {
    const r = await runCli(['validate', join(ENVIRONMENTS, 'prod')], {});
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /4 resources valid, 0 errors/);
  });

  it('sandbox-setup.sh, render prod, apply staging then prod, plan 0 on both', async () => {
    const env = {
      ...process.env,
      AWS_ENDPOINT_URL: f.sandbox.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    await run(join(ENVIRONMENTS, 'sandbox-setup.sh'), [], { env, timeout: 120_000 });

    const rendered = await f.cli('render', '--source', join(ENVIRONMENTS, 'prod'));
    assert.equal(rendered.code, 0, rendered.err);
    assert.match(rendered.out, /desiredCount: 4/);
    assert.match(rendered.out, /desiredCount: 3/);
    assert.match(rendered.out, /hello-server:1\.0\.3/);
    assert.match(rendered.out, /- subnet-0f1e2d3c4b5a69788\n\s+- subnet-0e1d2c3b4a5968778/); // Terraform state in S3
    assert.match(rendered.out, /- sg-0f1f2f3f4f5f6f7f8/); // SSM parameter
    assert.match(rendered.out, /vpc: vpc-0f0e0d0c0b0a09080/);
    assert.doesNotMatch(rendered.out, /\$\{/);

    // The contract's lines as written: each Overlay names its controller id (staging, prod).
    for (const e of ['staging', 'prod']) {
      const applied = await f.cli('apply', '--source', join(ENVIRONMENTS, e), '--wait', '5s');
      assert.equal(applied.code, 0, applied.out + applied.err);
      assert.match(applied.out, new RegExp(`^Controller id ${e} \\(from the Overlay at .*environments/${e}/overlay\\.yaml:8\\)\n`));
    }
    for (const e of ['staging', 'prod']) {
      const planned = await f.cli('plan', '--source', join(ENVIRONMENTS, e));
      assert.equal(planned.code, 0, planned.out + planned.err);
      assert.match(planned.out, /No changes\. Live state matches the source\./);
    }
    // The same id given explicitly is no conflict.
    const same = await f.cli('plan', '--source', join(ENVIRONMENTS, 'prod'), '--controller-id', 'prod', '--output', 'json');
    assert.equal(same.code, 0, same.out + same.err);
    assert.doesNotMatch(same.err, /Controller id/);

    // A different id given explicitly: exit 1, naming the Overlay's line and the flag, nothing written.
    const since = Date.now();
    const flag = await f.cli('plan', '--source', join(ENVIRONMENTS, 'prod'), '--controller-id', 'staging');
    assert.equal(flag.code, 1, flag.out + flag.err);
    assert.match(
      flag.err,
      /environments\/prod\/overlay\.yaml:8: the Overlay's spec\.controllerId is "prod", but --controller-id staging was given: .*nothing was planned/,
    );
    assert.equal(flag.out, '');
    const fromEnv = await runCli(['apply', '--source', join(ENVIRONMENTS, 'staging'), '--region', 'us-east-1'], {
      AWS_ENDPOINT_URL: f.sandbox.endpoint,
      AWS_REGION: 'us-east-1',
      ECS_GITOPS_CONTROLLER_ID: 'prod',
    });
    assert.equal(fromEnv.code, 1, fromEnv.out + fromEnv.err);
    assert.match(fromEnv.err, /environments\/staging\/overlay\.yaml:8: .*"staging", but ECS_GITOPS_CONTROLLER_ID=prod was given: .*nothing was applied/);
    assert.deepEqual(
      f.sandbox.world.calls
        .calls(since)
        .filter((c) => isWrite(c.operation))
        .map((c) => `${c.service}:${c.operation}`),
      [],
    );

    // A changed parameter is a new rendering: plan sees the change.
    const put = await runAwsCli(f.sandbox.endpoint, [
      'ssm',
      'put-parameter',
      '--name',
      '/prod/network/app-security-group',
      '--type',
      'String',
      '--value',
      'sg-0a0a0a0a0a0a0a0a0',
      '--overwrite',
    ]);
    assert.equal(put.code, 0, put.stderr);
    const changed = await f.cli('plan', '--source', join(ENVIRONMENTS, 'prod'));
    assert.equal(changed.code, 2, changed.out + changed.err);
  });

  it('run refuses a revision whose Overlay names another controller id: /status names the line, nothing is written or pruned', async () => {
    // After the test above: staging's and prod's resources are live, each owned by its id.
    const dir = mkdtempSync(join(tmpdir(), 'ego-envs-run-'));
    mkdirSync(join(dir, '.git'));
    cpSync(ENVIRONMENTS, join(dir, 'environments'), { recursive: true });
    const before = await countResources(f.sandbox);
    const since = Date.now();
    // Prod's source under staging's id would otherwise block prod's resources and prune staging's.
    const { running } = await startTestController(f.sandbox, [
      '--source',
      join(dir, 'environments', 'prod'),
      '--controller-id',
      'staging',
      '--interval',
      '1s',
      '--resync',
      '1s',
    ]);
    try {
      const errors = await waitFor(() => running.status.snapshot().controller.source.fileErrors, 20_000, 'the refused revision in /status');
      assert.deepEqual(
        errors.map((e) => [e.file, e.line, e.code]),
        [['overlay.yaml', 8, 'EGO_OVERLAY']],
      );
      assert.match(errors[0]?.message ?? '', /Overlay is for controller id "prod", this controller's id is "staging".*--controller-id prod/);
      const scans = running.latest()?.seq ?? 0;
      await waitFor(() => (running.latest()?.seq ?? 0) >= scans + 2, 20_000, 'two more resyncs');
      assert.deepEqual(
        f.sandbox.world.calls
          .calls(since)
          .filter((c) => isWrite(c.operation))
          .map((c) => `${c.service}:${c.operation}`),
        [],
        'nothing is applied or pruned',
      );
      assert.deepEqual(await countResources(f.sandbox), before);
    } finally {
      await running.stop(2_000);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the sandbox answers SSM and CloudFormation as AWS does (SecureString refused by render, exports paged by the SDK)', async () => {
    const ssm = new SSMClient(f.sandbox.clientConfig());
    const cfn = new CloudFormationClient(f.sandbox.clientConfig());
    try {
      assert.equal(
        (await runAwsCli(f.sandbox.endpoint, ['ssm', 'put-parameter', '--name', '/t/secret', '--type', 'SecureString', '--value', 'hunter2'])).code,
        0,
      );
      assert.equal((await runAwsCli(f.sandbox.endpoint, ['ssm', 'put-parameter', '--name', '/t/list', '--type', 'StringList', '--value', 'a,b'])).code, 0);
      const again = await runAwsCli(f.sandbox.endpoint, ['ssm', 'put-parameter', '--name', '/t/list', '--type', 'StringList', '--value', 'c']);
      assert.match(again.stderr, /ParameterAlreadyExists/);
      const got = await ssm.send(new GetParametersCommand({ Names: ['/t/secret', '/t/list', '/t/none'] }));
      assert.deepEqual(got.InvalidParameters, ['/t/none']);
      const secret = got.Parameters?.find((p) => p.Name === '/t/secret');
      assert.equal(secret?.Type, 'SecureString');
      assert.notEqual(secret?.Value, 'hunter2');
      const missing = await runAwsCli(f.sandbox.endpoint, ['ssm', 'get-parameter', '--name', '/t/none']);
      assert.match(missing.stderr, /ParameterNotFound/);

      const template = JSON.stringify({
        Resources: {},
        Outputs: Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`O${i}`, { Value: `v${i}`, Export: { Name: `e-${String(i).padStart(3, '0')}` } }])),
      });
      const created = await runAwsCli(f.sandbox.endpoint, ['cloudformation', 'create-stack', '--stack-name', 'network', '--template-body', template]);
      assert.equal(created.code, 0, created.stderr);
      const first = await cfn.send(new ListExportsCommand({}));
      assert.equal(first.Exports?.length, 100);
      assert.ok(first.NextToken);
      const second = await cfn.send(new ListExportsCommand({ NextToken: first.NextToken }));
      assert.equal(second.Exports?.length, 20);
      assert.equal(second.NextToken, undefined);
      const dup = await runAwsCli(f.sandbox.endpoint, [
        'cloudformation',
        'create-stack',
        '--stack-name',
        'other',
        '--template-body',
        JSON.stringify({ Outputs: { A: { Value: 'x', Export: { Name: 'e-001' } } } }),
      ]);
      assert.match(dup.stderr, /already exported by stack network/);

      const dir = mkdtempSync(join(tmpdir(), 'ego-values-'));
      try {
        mkdirSync(join(dir, '.git'));
        cpSync(join(ENVIRONMENTS, 'base'), join(dir, 'base'), { recursive: true });
        mkdirSync(join(dir, 'x'));
        const overlay = readFileSync(join(ENVIRONMENTS, 'prod', 'overlay.yaml'), 'utf8')
          .replace('app_security_group: { ssm: /prod/network/app-security-group }', 'app_security_group: { ssm: /t/secret }')
          .replace(/vpc_id:\n\s+tfstate: \{[^}]+\}/, 'vpc_id: { cloudFormationExport: e-119 }');
        writeFileSync(join(dir, 'x', 'overlay.yaml'), overlay);
        const r = await f.cli('render', '--source', join(dir, 'x'));
        assert.equal(r.code, 1);
        assert.match(r.err, /SSM parameter \/t\/secret: is a SecureString/);
        assert.doesNotMatch(r.out + r.err, /hunter2/);
        assert.match(r.err, /\[EGO_VALUE_UNRESOLVED\]/);
        assert.doesNotMatch(r.err, /e-119/); // the export was found
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      ssm.destroy();
      cfn.destroy();
    }
  });

  it('a patch that selects no resource fails validate with the overlay file:line; set image changes one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ego-envs-'));
    try {
      mkdirSync(join(dir, '.git'));
      cpSync(ENVIRONMENTS, join(dir, 'environments'), { recursive: true });
      const file = join(dir, 'environments', 'prod', 'overlay.yaml');
      const before = readFileSync(file, 'utf8');

      const set = await runCli(['set', 'image', join(dir, 'environments', 'prod'), '123456789012.dkr.ecr.us-east-1.amazonaws.com/hello-server=1.0.4'], {});
      assert.equal(set.code, 0, set.err);
      const after = readFileSync(file, 'utf8');
      const a = before.split('\n');
      const b = after.split('\n');
      assert.equal(a.length, b.length);
      const changed = a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]]]));
      assert.deepEqual(changed, [['      newTag: 1.0.3', '      newTag: 1.0.4']]);

      writeFileSync(file, before.replace('target: { kind: EcsService, name: hello }', 'target: { kind: EcsService, name: helo }'));
      const r = await runCli(['validate', join(dir, 'environments', 'prod')], {});
      assert.equal(r.code, 1);
      assert.match(
        r.out,
        /environments\/prod\/overlay\.yaml:12:7 Overlay\/prod spec\.patches\[0\]\.target: patch selects no resource.*\[EGO_PATCH_NO_TARGET\]/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
