/**
 * Containers are matched by name in every rendering of a diff: the path reads
 * `containers[name=web].image` in plan text, plan JSON and the status drift fields, while the
 * JSON pointer stays the manifest position, which `syncPolicy.ignore` pointers match.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InlineTaskDefinition } from '../../src/manifests/types.js';
import { diffTaskDefinition } from '../../src/kinds/ecs-service/task-definition/diff.js';
import { applyIgnore } from '../../src/reconcile/diff.js';
import { planToJson, renderPlanText } from '../../src/reconcile/render.js';
import { driftOf } from '../../src/run/scanner.js';
import type { Plan, ResourcePlan } from '../../src/kit/types.js';
import { toDottedPath, toPointer } from '../../src/util/json-pointer.js';

const LIVE: InlineTaskDefinition = {
  family: 'shop',
  cpu: '256',
  memory: '512',
  containers: [
    { name: 'log-router', image: 'example/fluent-bit:1', essential: false },
    { name: 'web', image: 'example/web:1' },
  ],
};

/** The manifest lists the containers in the other order and changes both images. */
const WANT: InlineTaskDefinition = {
  ...LIVE,
  containers: [
    { name: 'web', image: 'example/web:2' },
    { name: 'log-router', image: 'example/fluent-bit:2', essential: false },
  ],
};

function changes() {
  return diffTaskDefinition(WANT, { arn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:1', family: 'shop', revision: 1, tags: {}, spec: LIVE }, '');
}

function planOf(rp: ResourcePlan): Plan {
  return { resources: [rp], hasChanges: true, hasDrift: true };
}

describe('container paths by name', () => {
  it('names the container, whatever the order on either side; the pointer is its manifest position', () => {
    assert.deepEqual(
      changes().map((c) => [c.path, c.pointer, c.from, c.to]),
      [
        ['spec.taskDefinition.containers[name=web].image', '/spec/taskDefinition/containers/0/image', 'example/web:1', 'example/web:2'],
        ['spec.taskDefinition.containers[name=log-router].image', '/spec/taskDefinition/containers/1/image', 'example/fluent-bit:1', 'example/fluent-bit:2'],
      ],
    );
  });

  it('prints the by-name path in plan text, plan JSON and the status drift fields', () => {
    const rp: ResourcePlan = { kind: 'EcsService', key: 'EcsService/demo/shop', name: 'shop', action: 'update-redeploys', changes: changes() };
    const text = renderPlanText(planOf(rp));
    assert.match(text, /^ {4}spec\.taskDefinition\.containers\[name=web\]\.image: "example\/web:1" -> "example\/web:2"/m);
    assert.match(text, /^ {4}spec\.taskDefinition\.containers\[name=log-router\]\.image: /m);
    assert.doesNotMatch(text, /containers\[\d/);
    const json = planToJson(planOf(rp));
    assert.deepEqual(
      json.resources[0]?.changes.map((c) => [c.path, c.pointer]),
      [
        ['spec.taskDefinition.containers[name=web].image', '/spec/taskDefinition/containers/0/image'],
        ['spec.taskDefinition.containers[name=log-router].image', '/spec/taskDefinition/containers/1/image'],
      ],
    );
    assert.deepEqual(
      driftOf(rp).map((d) => d.path),
      ['spec.taskDefinition.containers[name=web].image', 'spec.taskDefinition.containers[name=log-router].image'],
    );
  });

  it('keeps index ignore pointers working: they name the container at that manifest position', () => {
    const kept = applyIgnore(changes(), ['/spec/taskDefinition/containers/1']);
    assert.deepEqual(
      kept.map((c) => c.path),
      ['spec.taskDefinition.containers[name=web].image'],
    );
  });

  it('quotes a key value that is not a bare word', () => {
    const segments = ['spec', 'items', { index: 2, field: 'name', value: 'a b]' }, 'x'] as const;
    assert.equal(toDottedPath(segments), 'spec.items[name="a b]"].x');
    assert.equal(toPointer(segments), '/spec/items/2/x');
  });
});
