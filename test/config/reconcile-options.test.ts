import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseApplyArgs, APPLY_OPTIONS } from '../../src/cli/commands/apply.js';
import { parsePlanArgs } from '../../src/cli/commands/plan.js';
import { parseControllerConfig } from '../../src/config/controller-config.js';
import { ConfigError, renderOptionsHelp } from '../../src/config/options.js';

describe('shared reconcile options (plan, apply, run)', () => {
  it('has the same prune defaults in plan, apply and run', () => {
    const expected = { enabled: true, maxDeletions: 10, maxPercent: 50 };
    assert.deepEqual(parsePlanArgs(['--source', 'm']).prune, expected);
    assert.deepEqual(parseApplyArgs(['--source', 'm']).prune, expected);
    assert.deepEqual(parseControllerConfig(['--source', 'm'], {}).prune, expected);
  });

  it('reads the same environment variables, flags winning', () => {
    const env = {
      ECS_GITOPS_PRUNE_MAX_DELETIONS: '3',
      ECS_GITOPS_PRUNE_MAX_PERCENT: '20',
      ECS_GITOPS_CONTROLLER_ID: 'blue',
      ECS_GITOPS_CLUSTERS: 'a,b',
      ECS_GITOPS_REGION: 'eu-west-1',
    };
    const plan = parsePlanArgs(['--source', 'm'], env);
    const apply = parseApplyArgs(['--source', 'm', '--prune-max-deletions', '4'], env);
    const run = parseControllerConfig(['--source', 'm'], env);
    assert.deepEqual(
      [plan.prune, plan.controllerId, plan.clusters, plan.region],
      [{ enabled: true, maxDeletions: 3, maxPercent: 20 }, 'blue', ['a', 'b'], 'eu-west-1'],
    );
    assert.equal(apply.prune.maxDeletions, 4);
    assert.deepEqual([run.prune, run.controllerId, run.clusters, run.region], [plan.prune, 'blue', ['a', 'b'], 'eu-west-1']);
  });

  it('keeps --max-prune and --max-prune-percent as aliases, and refuses both spellings at once', () => {
    assert.deepEqual(parsePlanArgs(['--source', 'm', '--max-prune', '2', '--max-prune-percent', '30']).prune, {
      enabled: true,
      maxDeletions: 2,
      maxPercent: 30,
    });
    assert.deepEqual(parseControllerConfig(['--source', 'm', '--max-prune', '2'], {}).prune.maxDeletions, 2);
    assert.throws(
      () => parsePlanArgs(['--source', 'm', '--max-prune', '2', '--prune-max-deletions', '3']),
      /--prune-max-deletions and --max-prune set the same option/,
    );
  });

  it('turns pruning off with --no-prune, ECS_GITOPS_PRUNE=false or a limit of 0, in every command', () => {
    assert.equal(parsePlanArgs(['--source', 'm', '--no-prune']).prune.enabled, false);
    assert.equal(parseApplyArgs(['--source', 'm'], { ECS_GITOPS_PRUNE: 'false' }).prune.enabled, false);
    assert.equal(parseControllerConfig(['--source', 'm', '--no-prune'], {}).prune.enabled, false);
    assert.equal(parseControllerConfig(['--source', 'm', '--prune-max-deletions', '0'], {}).prune.enabled, false);
    assert.equal(parsePlanArgs(['--source', 'm', '--prune'], { ECS_GITOPS_PRUNE: 'false' }).prune.enabled, true);
  });

  const invalid: [string, string[], Record<string, string>, RegExp][] = [
    ['a negative limit', ['--prune-max-deletions=-1'], {}, /--prune-max-deletions \/ ECS_GITOPS_PRUNE_MAX_DELETIONS must be an integer from 0 to 100000/],
    ['a fractional limit from env', [], { ECS_GITOPS_PRUNE_MAX_DELETIONS: '2.5' }, /ECS_GITOPS_PRUNE_MAX_DELETIONS must be an integer/],
    [
      'a percent over 100 by its alias',
      ['--max-prune-percent', '150'],
      {},
      /--prune-max-percent \/ ECS_GITOPS_PRUNE_MAX_PERCENT must be an integer from 0 to 100/,
    ],
    ['a bad prune switch', [], { ECS_GITOPS_PRUNE: 'maybe' }, /ECS_GITOPS_PRUNE must be true or false/],
    ['a bad controller id', ['--controller-id', 'a b'], {}, /--controller-id .* must be 1-63/],
    ['a bad cluster', ['--cluster', 'no/slash'], {}, /--cluster \/ ECS_GITOPS_CLUSTERS: "no\/slash"/],
    ['a bad region', ['--region', 'Mars'], {}, /--region \/ ECS_GITOPS_REGION must be an AWS region/],
  ];
  for (const [what, argv, env, message] of invalid) {
    it(`rejects ${what} with the same message in plan, apply and run`, () => {
      for (const parse of [parsePlanArgs, parseApplyArgs, parseControllerConfig]) {
        assert.throws(
          () => parse(['--source', 'm', ...argv], env),
          (err: unknown) => err instanceof ConfigError && message.test(err.message),
        );
      }
    });
  }

  it('lists the prune limits with their defaults and old spellings in apply --help', () => {
    const help = renderOptionsHelp(APPLY_OPTIONS);
    assert.match(help, /--prune-max-deletions <n>[^\n]*\n[^\n]*\(env ECS_GITOPS_PRUNE_MAX_DELETIONS, also --max-prune, default 10\)/);
    assert.match(help, /--prune-max-percent <0-100>[^\n]*\n[^\n]*\(env ECS_GITOPS_PRUNE_MAX_PERCENT, also --max-prune-percent, default 50\)/);
    assert.match(help, /--\[no-\]prune/);
  });
});

describe('an explicit controller id is told from the default (an Overlay may name one)', () => {
  it('readOptionsWithOrigins says flag, env or default per option', async () => {
    const { readOptionsWithOrigins } = await import('../../src/config/options.js');
    const { RECONCILE_OPTIONS } = await import('../../src/config/reconcile-options.js');
    const env = { ECS_GITOPS_REGION: 'eu-west-1', ECS_GITOPS_CONTROLLER_ID: '' };
    const { raw, origins } = readOptionsWithOrigins(RECONCILE_OPTIONS, ['--source', 'm', '--no-prune'], env);
    assert.equal(raw['controller-id'], 'ecs-gitops');
    assert.deepEqual(
      [origins['source'], origins['prune'], origins['region'], origins['controller-id'], origins['cluster']],
      ['flag', 'flag', 'env', 'default', undefined],
    );
  });

  it('plan and apply record where --controller-id came from, and only when it was given', () => {
    assert.equal(parsePlanArgs(['--source', 'm']).controllerIdFrom, undefined);
    assert.equal(parsePlanArgs(['--source', 'm', '--controller-id', 'ecs-gitops']).controllerIdFrom, 'flag');
    assert.equal(parseApplyArgs(['--source', 'm'], { ECS_GITOPS_CONTROLLER_ID: 'prod' }).controllerIdFrom, 'env');
    assert.equal(parseApplyArgs(['--source', 'm', '--controller-id', 'x'], { ECS_GITOPS_CONTROLLER_ID: 'prod' }).controllerIdFrom, 'flag');
  });

  it("the Overlay schema's controllerId pattern is the rule of --controller-id", async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { PACKAGE_ROOT } = await import('../../src/paths.js');
    const { CONTROLLER_ID_PATTERN } = await import('../../src/config/reconcile-options.js');
    const schema = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'crds/overlay.schema.json'), 'utf8')) as {
      properties: { spec: { properties: { controllerId: { pattern: string } } } };
    };
    assert.equal(schema.properties.spec.properties.controllerId.pattern, CONTROLLER_ID_PATTERN.source);
  });
});
