import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint } from '../../src/observe/checkpoint.js';
import type { LiveEcsService, LiveResource } from '../../src/kit/types.js';
import type { InlineTaskDefinition } from '../../src/manifests/types.js';
import { liveCloudMapService, liveEcsService, liveNamespace } from '../kinds/fixtures.js';

const TD: InlineTaskDefinition = { family: 'shared', cpu: '256', memory: '512', containers: [{ name: 'app', image: 'nginx:1' }] };
const header = { controllerId: 'ecs-gitops', region: 'us-east-1', observedAt: 1_000, writtenAt: 2_000 };

function estate(): LiveResource[] {
  return [
    liveNamespace('internal', { type: 'DNS_PRIVATE', vpc: 'vpc-1' }),
    liveCloudMapService('a', { namespace: 'internal', dns: { records: [{ type: 'A', ttl: 60 }] } }),
    liveEcsService('a', { cluster: 'demo' }, { taskDefinition: TD }),
    liveEcsService('b', { cluster: 'demo' }, { taskDefinition: TD }),
  ];
}

describe('observation checkpoint encoding', () => {
  it('round-trips every live resource, each task definition stored once and shared again', async () => {
    const resources = estate();
    const bytes = await encodeCheckpoint(header, resources);
    const text = gunzipSync(bytes).toString('utf8');
    assert.equal(text.split('\n').filter((l) => l.includes('"td"')).length, 1, 'the shared task definition is written once');
    const cp = await decodeCheckpoint(bytes);
    assert.deepEqual(cp.header, { format: 'ecs-gitops-checkpoint', version: 1, ...header, resources: 4 });
    assert.deepEqual([...cp.resources.values()], resources);
    const a = cp.resources.get('EcsService/demo/a') as LiveEcsService;
    const b = cp.resources.get('EcsService/demo/b') as LiveEcsService;
    assert.ok(a.taskDefinition && a.taskDefinition === b.taskDefinition, 'one object for both services');
  });

  it('rejects what it did not write whole: truncated, another version, not gzip, not a checkpoint', async () => {
    const text = gunzipSync(await encodeCheckpoint(header, estate())).toString('utf8');
    const lines = text.split('\n');
    const truncated = gzipSync(lines.slice(0, -1).join('\n'));
    await assert.rejects(decodeCheckpoint(truncated), (e: unknown) => e instanceof CheckpointError && /truncated/.test(e.message));
    const v2 = gzipSync([JSON.stringify({ ...JSON.parse(lines[0] ?? ''), version: 2 }), ...lines.slice(1)].join('\n'));
    await assert.rejects(decodeCheckpoint(v2), /checkpoint version 2/);
    await assert.rejects(decodeCheckpoint(Buffer.from('hello')), /not gzip/);
    await assert.rejects(decodeCheckpoint(gzipSync('{"format":"other"}')), /not an ecs-gitops checkpoint/);
    const badLine = gzipSync([lines[0], '{"r":{"kind":"Pod"}}'].join('\n'));
    await assert.rejects(decodeCheckpoint(badLine), /line 2: not a live resource/);
    const missingTd = gzipSync([lines[0], ...lines.slice(1).filter((l) => !l.includes('"td"'))].join('\n'));
    await assert.rejects(decodeCheckpoint(missingTd), /is not in the checkpoint/);
  });
});
