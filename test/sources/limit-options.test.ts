import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseControllerConfig } from '../../src/config/controller-config.js';
import { parsePlanArgs } from '../../src/cli/commands/plan.js';
import { runCli } from '../helpers/examples.js';
import { useExamplesCli } from '../helpers/examples.js';
import { get, startTestController, waitConverged, waitFor } from '../run/helpers.js';

/** The counted files of examples/ (every *.yaml / *.yml, Compose and Prometheus files included). */
const EXAMPLE_FILES = 20;

/** What every command says about a source over --source-max-files 3 (the source URL differs by command). */
const OVER_THREE = /holds more than 3 manifest files \(limit --source-max-files \/ ECS_GITOPS_SOURCE_MAX_FILES; at [^)]+\) \[ECSGITOPS_SOURCE_TOO_LARGE\]/;

describe('one source limit table for validate, plan, apply and run', () => {
  const f = useExamplesCli();

  it('validate refuses examples/ over --source-max-files 3 (flag or env), naming the limit and the code; accepts it at the real count', async () => {
    const flag = await runCli(['validate', 'examples', '--source-max-files', '3'], {});
    assert.equal(flag.code, 1, flag.out);
    assert.match(flag.err, OVER_THREE);
    const env = await runCli(['validate', 'examples'], { ECS_GITOPS_SOURCE_MAX_FILES: '3' });
    assert.equal(env.code, 1, env.out);
    assert.match(env.err, OVER_THREE);
    const raised = await runCli(['validate', 'examples', '--source-max-files', String(EXAMPLE_FILES)], { ECS_GITOPS_SOURCE_MAX_FILES: '3' });
    assert.equal(raised.code, 0, `${raised.out}${raised.err}`);
    assert.match(raised.out, /25 resources/);
    const oneLess = await runCli(['validate', 'examples', '--source-max-files', String(EXAMPLE_FILES - 1)], {});
    assert.equal(oneLess.code, 1, 'the limit counts every counted file');
    assert.match(oneLess.err, new RegExp(`holds more than ${EXAMPLE_FILES - 1} manifest files`));
  });

  it('plan and apply refuse the same source with the same message and touch nothing; a raised limit plans and applies it', async () => {
    const since = Date.now();
    for (const command of ['plan', 'apply']) {
      const r = await f.cli(command, '--source', 'examples', '--source-max-files', '3');
      assert.equal(r.code, 1, `${command}: ${r.out}`);
      assert.match(r.err, OVER_THREE, command);
      assert.match(r.err, new RegExp(`nothing was ${command === 'plan' ? 'planned' : 'applied'}`));
      const viaEnv = await runCli([command, '--source', 'examples', '--region', 'us-east-1'], {
        AWS_ENDPOINT_URL: f.sandbox.endpoint,
        ECS_GITOPS_SOURCE_MAX_FILES: '3',
      });
      assert.equal(viaEnv.code, 1, `${command} (env): ${viaEnv.out}`);
      assert.match(viaEnv.err, OVER_THREE, `${command} (env)`);
    }
    assert.deepEqual(
      f.sandbox.world.calls.calls(since).map((c) => c.operation),
      [],
      'a refused source sends no AWS call at all',
    );
    const planned = await f.cli('plan', '--source', 'examples', '--source-max-files', String(EXAMPLE_FILES));
    assert.equal(planned.code, 2, `${planned.out}${planned.err}`);
    assert.match(planned.out, /create/);
    const applied = await f.cli('apply', '--source', 'examples', '--source-max-files', String(EXAMPLE_FILES), '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}${applied.err}`);
  });

  it('a file over --source-max-file-bytes is EGO_FILE_TOO_LARGE in validate and plan alike, and sizes take KiB/MiB/GiB', async () => {
    const v = await runCli(['validate', 'examples', '--source-max-file-bytes', '1KiB'], {});
    assert.equal(v.code, 1);
    assert.match(
      v.out,
      /examples\/spring-mysql\/spring-app\.yaml:1:1: the file is 1280 bytes, over the limit of 1024 bytes per file \(--source-max-file-bytes \/ ECS_GITOPS_SOURCE_MAX_FILE_BYTES\); not read \[EGO_FILE_TOO_LARGE\]/,
    );
    const p = await f.cli('plan', '--source', 'examples', '--source-max-file-bytes', '1KiB');
    assert.equal(p.code, 1);
    assert.match(p.err, /spring-app\.yaml:1:1: .*over the limit of 1024 bytes per file.*\[EGO_FILE_TOO_LARGE\]/);
    const total = await runCli(['validate', 'examples', '--source-max-bytes', '2KiB'], {});
    assert.equal(total.code, 1);
    assert.match(
      total.err,
      /holds more than 2048 bytes of manifests \(limit --source-max-bytes \/ ECS_GITOPS_SOURCE_MAX_BYTES; at [^)]+\) \[ECSGITOPS_SOURCE_TOO_LARGE\]/,
    );
  });

  it('every command validates the limits the same way', async () => {
    const bad = [
      ['--source-max-files', '0', /--source-max-files \/ ECS_GITOPS_SOURCE_MAX_FILES must be an integer from 1 to 10000000 \(got "0"\)/],
      ['--source-max-files', '2k', /--source-max-files \/ ECS_GITOPS_SOURCE_MAX_FILES must be an integer/],
      [
        '--source-max-file-bytes',
        '16MB',
        /--source-max-file-bytes \/ ECS_GITOPS_SOURCE_MAX_FILE_BYTES must be a size in bytes from 1 to 1GiB, e\.g\. 16MiB \(got "16MB"\)/,
      ],
      ['--source-max-bytes', '65GiB', /--source-max-bytes \/ ECS_GITOPS_SOURCE_MAX_BYTES must be a size in bytes from 1 to 64GiB/],
    ] as const;
    for (const [flag, value, message] of bad) {
      for (const command of ['validate', 'plan', 'apply', 'run']) {
        const args = command === 'validate' ? [command, 'examples', flag, value] : [command, '--source', 'examples', flag, value];
        const r = await runCli(args, {});
        assert.equal(r.code, 1, `${command} ${flag} ${value}`);
        assert.match(r.err, message, `${command} ${flag} ${value}`);
      }
    }
    const defaults = { maxFiles: 20_000, maxFileBytes: 16 * 1024 * 1024, maxBytes: 256 * 1024 * 1024 };
    assert.deepEqual(parsePlanArgs(['--source', 'x']).sourceLimits, defaults);
    assert.deepEqual(parseControllerConfig(['--source', 'x'], {}).sourceLimits, defaults);
    const env = { ECS_GITOPS_SOURCE_MAX_FILES: '30000', ECS_GITOPS_SOURCE_MAX_FILE_BYTES: '2MiB', ECS_GITOPS_SOURCE_MAX_BYTES: '1GiB' };
    const fromEnv = { maxFiles: 30_000, maxFileBytes: 2 * 1024 * 1024, maxBytes: 1024 * 1024 * 1024 };
    assert.deepEqual(parsePlanArgs(['--source', 'x'], env).sourceLimits, fromEnv);
    assert.deepEqual(parseControllerConfig(['--source', 'x'], env).sourceLimits, fromEnv);
    assert.equal(parseControllerConfig(['--source', 'x', '--source-max-files', '5'], env).sourceLimits.maxFiles, 5, 'the flag wins over the variable');
  });

  it('--help of validate, plan, apply and run lists the three limits with their variables and defaults', async () => {
    for (const command of ['validate', 'plan', 'apply', 'run']) {
      const help = await runCli([command, '--help'], {});
      assert.equal(help.code, 0);
      assert.match(help.out, /--source-max-files <n> [^\n]*\n\s+\(env ECS_GITOPS_SOURCE_MAX_FILES, default 20000\)/, command);
      assert.match(help.out, /--source-max-file-bytes <bytes> [^\n]*\n\s+\(env ECS_GITOPS_SOURCE_MAX_FILE_BYTES, default 16MiB\)/, command);
      assert.match(help.out, /--source-max-bytes <bytes> [^\n]*\n\s+\(env ECS_GITOPS_SOURCE_MAX_BYTES, default 256MiB\)/, command);
    }
  });

  it('run refuses the same source with the same message in /status and /readyz 503, and converges with the limit raised', async () => {
    const refused = await startTestController(f.sandbox, ['--source-max-files', '3']);
    try {
      const status = await waitFor(
        async () => {
          const s = JSON.parse((await get(refused.running, '/status')).body) as { controller: { source: { lastFetchError?: { message: string } } } };
          return s.controller.source.lastFetchError;
        },
        10_000,
        'the fetch error in /status',
      );
      assert.match(status.message, OVER_THREE);
      assert.equal((await get(refused.running, '/readyz')).status, 503);
      assert.equal(refused.running.status.snapshot().resources.length, 0, 'nothing is planned from a refused source');
    } finally {
      await refused.running.stop(2_000);
    }
    const raised = await startTestController(f.sandbox, ['--source-max-files', String(EXAMPLE_FILES)]);
    try {
      await waitConverged(raised.running);
      assert.equal((await get(raised.running, '/readyz')).status, 200);
    } finally {
      await raised.running.stop(2_000);
    }
  });
});
