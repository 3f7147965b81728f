import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffEcsService } from '../../src/kinds/ecs-service/diff.js';
import { convertCloudMapService } from '../../src/kinds/cloudmap-service/convert.js';
import { computePlan } from '../../src/reconcile/plan.js';
import type { EcsServiceSpec } from '../../src/manifests/types.js';
import { PLAN_OPTIONS, liveSet } from '../reconcile/helpers.js';
import { desiredCloudMapService, desiredEcsService, liveCloudMapService, liveEcsService, liveNamespace } from './fixtures.js';

const MESH_ARN = 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-mesh';
const BASE: EcsServiceSpec = { cluster: 'demo', taskDefinitionRef: 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:1' };

function withSc(serviceConnect: EcsServiceSpec['serviceConnect']): EcsServiceSpec {
  return { ...BASE, serviceConnect };
}

describe('spec.serviceConnect diff', () => {
  it("fills in ECS's defaults: discoveryName = portName, no aliases; services in any order; a namespace ARN equals its name", () => {
    const desired = desiredEcsService('api', withSc({ enabled: true, namespace: MESH_ARN, services: [{ portName: 'http' }, { portName: 'admin' }] }));
    const live = liveEcsService(
      'api',
      withSc({
        enabled: true,
        namespace: 'mesh',
        services: [
          { portName: 'admin', discoveryName: 'admin', clientAliases: [] },
          { portName: 'http', discoveryName: 'http' },
        ],
      }),
    );
    live.serviceConnectNamespace = { name: 'mesh', arn: MESH_ARN };
    assert.deepEqual(diffEcsService(desired, live), []);
  });

  it('a changed alias, or switching off, is a redeploy naming the field', () => {
    const live = liveEcsService('api', withSc({ enabled: true, namespace: 'mesh', services: [{ portName: 'http' }] }));
    const alias = desiredEcsService('api', withSc({ enabled: true, namespace: 'mesh', services: [{ portName: 'http', clientAliases: [{ port: 80 }] }] }));
    assert.deepEqual(
      diffEcsService(alias, live).map((c) => `${c.path} ${c.effect}`),
      ['spec.serviceConnect.services redeploy'],
    );
    const off = desiredEcsService('api', withSc({ enabled: false }));
    assert.deepEqual(
      diffEcsService(off, live).map((c) => `${c.path} ${c.effect}`),
      ['spec.serviceConnect.enabled redeploy'],
    );
  });

  it('a manifest without serviceConnect does not compare it; one without a namespace leaves the cluster default alone', () => {
    const live = liveEcsService('api', withSc({ enabled: true, namespace: 'mesh' }));
    assert.deepEqual(diffEcsService(desiredEcsService('api', BASE), live), []);
    assert.deepEqual(diffEcsService(desiredEcsService('api', withSc({ enabled: true })), live), []);
  });
});

describe('Cloud Map services ECS Service Connect created', () => {
  const ecsTags = { AmazonECSManaged: 'true' };

  it('are recognised from the tag the scan reads anyway, naming the ECS service of the description', () => {
    const live = convertCloudMapService(
      {
        Id: 'srv-1',
        Arn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1',
        Name: 'name',
        Type: 'HTTP',
        Description: 'Managed by arn:aws:ecs:us-east-1:123456789012:service/demo/sc-name',
      },
      { id: 'ns-mesh', name: 'mesh', type: 'HTTP' },
      ecsTags,
    );
    assert.equal(live?.managedBy, 'ECS Service Connect of arn:aws:ecs:us-east-1:123456789012:service/demo/sc-name');
    const plain = convertCloudMapService({ Id: 'srv-2', Arn: 'arn:x', Name: 'other' }, { id: 'ns-mesh', name: 'mesh' }, {});
    assert.equal(plain?.managedBy, undefined);
  });

  it('are never adopted (even with adopt) nor diffed, and never pruned (even carrying owner tags)', () => {
    const ecsOwned = liveCloudMapService('name', { namespace: 'mesh', type: 'HTTP' }, { unowned: true, tags: ecsTags });
    ecsOwned.managedBy = 'ECS Service Connect';
    const desired = desiredCloudMapService('name', { namespace: 'mesh', type: 'HTTP', description: 'mine now' }, { adopt: true });
    const plan = computePlan([desired], liveSet(ecsOwned), PLAN_OPTIONS);
    const rp = plan.resources.find((r) => r.key === ecsOwned.key);
    assert.equal(rp?.action, 'blocked');
    assert.equal(rp?.blockedBy, 'not-owned');
    assert.deepEqual(rp?.changes, []);
    assert.match(rp?.reason ?? '', /belongs to ECS Service Connect/);

    const tagged = liveCloudMapService('name', { namespace: 'mesh', type: 'HTTP' }, { tags: ecsTags });
    tagged.managedBy = 'ECS Service Connect';
    const other = desiredNamespace();
    const pruned = computePlan([other], liveSet(tagged), PLAN_OPTIONS);
    assert.equal(
      pruned.resources.some((r) => r.key === tagged.key),
      false,
    );
  });

  it('keep their namespace, and the namespace names the ECS services that use it through Service Connect', () => {
    const ns = liveNamespace('mesh', { type: 'HTTP' });
    const created = liveCloudMapService('name', { namespace: 'mesh', type: 'HTTP' }, { unowned: true, tags: ecsTags });
    created.managedBy = 'ECS Service Connect';
    const client = liveEcsService('sc-hello', withSc({ enabled: true, namespace: 'mesh' }), { unowned: true });
    client.serviceConnectNamespace = { name: 'mesh', arn: ns.arn };
    const plan = computePlan([desiredNamespace()], liveSet(ns, created, client), PLAN_OPTIONS);
    const rp = plan.resources.find((r) => r.key === ns.key);
    assert.notEqual(rp?.action, 'delete');
    assert.match(rp?.reason ?? '', /Service Connect of EcsService\/demo\/sc-hello uses the namespace/);
    // With no ECS service left, the Cloud Map services ECS created (and does not delete) still keep it.
    const alone = computePlan([desiredNamespace()], liveSet(ns, created), PLAN_OPTIONS).resources.find((r) => r.key === ns.key);
    assert.notEqual(alone?.action, 'delete');
    assert.match(alone?.reason ?? '', /1 Cloud Map service\(s\) ECS Service Connect created/);
  });
});

/** Another desired resource, so the source is not empty and prune runs. */
function desiredNamespace() {
  return desiredCloudMapService('keep', { namespace: 'other', type: 'HTTP' });
}
