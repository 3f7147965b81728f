import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseControllerConfig } from '../../src/config/controller-config.js';
import { parseApplyArgs } from '../../src/cli/commands/apply.js';
import { ConfigError } from '../../src/config/options.js';

describe('lease options (run and apply)', () => {
  it('run: no lease by default; --lease-table or ECS_GITOPS_LEASE_TABLE sets it with a 30 s duration', () => {
    assert.equal(parseControllerConfig(['--source', 'x'], {}).lease, undefined);
    assert.deepEqual(parseControllerConfig(['--source', 'x', '--lease-table', 'leases'], {}).lease, { table: 'leases', durationMs: 30_000 });
    const fromEnv = parseControllerConfig(['--source', 'x'], {
      ECS_GITOPS_LEASE_TABLE: 'tbl',
      ECS_GITOPS_LEASE_DURATION: '10s',
      ECS_GITOPS_READYZ_REQUIRE_LEADER: 'true',
    });
    assert.deepEqual(fromEnv.lease, { table: 'tbl', durationMs: 10_000 });
    assert.equal(fromEnv.readyzRequireLeader, true);
  });

  it('refuses a bad table name and a duration under 2 s, naming flag and variable', () => {
    assert.throws(
      () => parseControllerConfig(['--source', 'x', '--lease-table', 'a b'], {}),
      (e: Error) => e instanceof ConfigError && /--lease-table \/ ECS_GITOPS_LEASE_TABLE/.test(e.message),
    );
    assert.throws(
      () => parseControllerConfig(['--source', 'x', '--lease-table', 'ok-table', '--lease-duration', '1s'], {}),
      (e: Error) => e instanceof ConfigError && /--lease-duration \/ ECS_GITOPS_LEASE_DURATION must be at least 2s/.test(e.message),
    );
  });

  it('apply: the same table from the same variable; --lease-wait needs a table', () => {
    const args = parseApplyArgs(['--source', 'x', '--lease-wait', '1m'], { ECS_GITOPS_LEASE_TABLE: 'leases' });
    assert.deepEqual(args.lease, { table: 'leases', durationMs: 30_000 });
    assert.equal(args.leaseWaitMs, 60_000);
    assert.equal(parseApplyArgs(['--source', 'x'], {}).lease, undefined);
    assert.throws(
      () => parseApplyArgs(['--source', 'x', '--lease-wait', '5s'], {}),
      (e: Error) => e instanceof ConfigError && /--lease-wait needs --lease-table/.test(e.message),
    );
  });
});
