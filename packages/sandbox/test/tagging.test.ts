import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, type GetResourcesCommandInput } from '@aws-sdk/client-resource-groups-tagging-api';
import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import { DeleteServiceCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-servicediscovery';
import { useSandboxFixture } from '../src/testing.js';
import { ManualClock, createNamespace, createService, rejection } from './cloudmap-helpers.js';

describe('sandbox Resource Groups Tagging API GetResources', () => {
  const clock = new ManualClock();
  const f = useSandboxFixture({ now: clock.now, operationDelayMs: 0 });
  const tagging = (): ResourceGroupsTaggingAPIClient => new ResourceGroupsTaggingAPIClient({ ...f.sandbox.clientConfig(), maxAttempts: 1 });

  async function all(input: GetResourcesCommandInput): Promise<{ arns: string[]; pages: number }> {
    const client = tagging();
    const arns: string[] = [];
    let pages = 0;
    let token: string | undefined;
    try {
      do {
        const out = await client.send(new GetResourcesCommand({ ...input, ...(token ? { PaginationToken: token } : {}) }));
        pages++;
        arns.push(...(out.ResourceTagMappingList ?? []).map((m) => m.ResourceARN ?? ''));
        token = out.PaginationToken || undefined;
      } while (token);
    } finally {
      client.destroy();
    }
    return { arns, pages };
  }

  it('lists ECS and Cloud Map resources by tag key and value, by resource type, in pages, never untagged ones', async () => {
    f.sandbox.reset();
    f.sandbox.services.tagging.setVisibilityLag(0);
    await f.ecs.send(new CreateClusterCommand({ clusterName: 'c1', tags: [{ key: 'owner', value: 'a' }] }));
    const nsId = await createNamespace(f.sd, 'private', 'tagged');
    for (let i = 0; i < 5; i++) await createService(f.sd, nsId, `s${i}`, { Tags: [{ Key: 'owner', Value: i < 3 ? 'a' : 'b' }] });
    await createService(f.sd, nsId, 'plain');

    const byKey = await all({ TagFilters: [{ Key: 'owner' }], ResourcesPerPage: 2 });
    assert.equal(byKey.arns.length, 6);
    assert.equal(byKey.pages, 3);
    const onlyA = await all({ TagFilters: [{ Key: 'owner', Values: ['a'] }], ResourceTypeFilters: ['servicediscovery:service'] });
    assert.equal(onlyA.arns.length, 3);
    assert.ok(onlyA.arns.every((a) => a.includes(':servicediscovery:') && a.includes(':service/')));
    const ecsOnly = await all({ ResourceTypeFilters: ['ecs'] });
    assert.deepEqual(
      ecsOnly.arns.map((a) => a.split(':')[5]),
      ['cluster/c1'],
    );

    const client = tagging();
    try {
      const bad = await rejection(client.send(new GetResourcesCommand({ ResourcesPerPage: 101 })));
      assert.equal(bad.name, 'InvalidParameterException');
      const mixed = await rejection(client.send(new GetResourcesCommand({ ResourceARNList: [byKey.arns[0] ?? ''], TagFilters: [{ Key: 'owner' }] })));
      assert.equal(mixed.name, 'InvalidParameterException');
    } finally {
      client.destroy();
    }
  });

  it('answers from an index that lags tag changes and deletions by the configured time', async () => {
    f.sandbox.reset();
    f.sandbox.services.tagging.setVisibilityLag(0);
    const nsId = await createNamespace(f.sd, 'private', 'lag');
    const id = await createService(f.sd, nsId, 'one', { Tags: [{ Key: 'owner', Value: 'a' }] });
    const listed = (await all({ TagFilters: [{ Key: 'owner' }] })).arns;
    assert.equal(listed.length, 1);
    const arn = listed[0] ?? '';
    assert.ok(arn.endsWith(`service/${id}`));

    f.sandbox.services.tagging.setVisibilityLag(5_000);
    await f.sd.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['owner'] }));
    await f.sd.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'other', Value: 'x' }] }));
    assert.deepEqual((await all({ TagFilters: [{ Key: 'owner' }] })).arns, [arn], 'still listed with the old tag');
    clock.advance(4_999);
    assert.equal((await all({ TagFilters: [{ Key: 'owner' }] })).arns.length, 1);
    clock.advance(1);
    assert.equal((await all({ TagFilters: [{ Key: 'owner' }] })).arns.length, 0);
    assert.equal((await all({ TagFilters: [{ Key: 'other' }] })).arns.length, 1);

    await f.sd.send(new DeleteServiceCommand({ Id: id }));
    assert.equal((await all({ TagFilters: [{ Key: 'other' }] })).arns.length, 1, 'a deleted resource lingers');
    clock.advance(5_000);
    assert.equal((await all({ TagFilters: [{ Key: 'other' }] })).arns.length, 0);
  });
});
