/**
 * Every member of ECS CreateServiceRequest and UpdateServiceRequest (and every nested shape),
 * read from the SDK's runtime API model, is modelled by the EcsService kind or listed with
 * the reason it is not; the table in docs/manifests.md is generated from the same rows.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateServiceRequest$, UpdateServiceRequest$ } from '@aws-sdk/client-ecs';
import { SERVICE_REQUEST_ALIASES, SERVICE_REQUEST_MODEL } from '../../src/kinds/ecs-service/unexpressed.js';
import { assertClassified, assertPublished, renderSection, rowsOf, type ShapeGroup } from './service-table.js';

const GROUPS: ShapeGroup[] = [
  { title: 'CreateServiceRequest', schema: CreateServiceRequest$, model: SERVICE_REQUEST_MODEL, aliases: SERVICE_REQUEST_ALIASES },
  { title: 'UpdateServiceRequest', schema: UpdateServiceRequest$, model: SERVICE_REQUEST_MODEL, aliases: SERVICE_REQUEST_ALIASES },
];

describe('coverage: ECS CreateService / UpdateService', () => {
  for (const g of GROUPS) {
    it(`classifies every member of ${g.title}`, () => assertClassified(rowsOf(g)));
  }

  it('models the members the manifest carries, and reports the rest with reasons', () => {
    const rows = rowsOf(GROUPS[0]!);
    const status = (path: string): string | undefined => rows.find((r) => r.path === path)?.status;
    for (const p of [
      'role',
      'schedulingStrategy',
      'deploymentController.type',
      'placementStrategy[].field',
      'volumeConfigurations[].managedEBSVolume',
      'vpcLatticeConfigurations[].portName',
      'deploymentConfiguration.alarms.alarmNames',
      'deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration.value',
      'loadBalancers[].loadBalancerName',
      'deploymentConfiguration.strategy',
      'deploymentConfiguration.bakeTimeInMinutes',
      'deploymentConfiguration.linearConfiguration.stepPercent',
      'deploymentConfiguration.linearConfiguration.stepBakeTimeInMinutes',
      'deploymentConfiguration.canaryConfiguration.canaryPercent',
      'deploymentConfiguration.canaryConfiguration.canaryBakeTimeInMinutes',
      'deploymentConfiguration.lifecycleHooks[].targetType',
      'deploymentConfiguration.lifecycleHooks[].lifecycleStages',
      'deploymentConfiguration.lifecycleHooks[].timeoutConfiguration.action',
      'deploymentConfiguration.alarms.rollback',
      'loadBalancers[].advancedConfiguration.alternateTargetGroupArn',
      'loadBalancers[].advancedConfiguration.testListenerRule',
    ]) {
      assert.equal(status(p), 'modelled', p);
    }
    for (const p of [
      'serviceConnectConfiguration.enabled',
      'serviceConnectConfiguration.namespace',
      'serviceConnectConfiguration.services[].portName',
      'serviceConnectConfiguration.services[].clientAliases[].dnsName',
      'serviceConnectConfiguration.services[].clientAliases[].testTrafficRules',
      'serviceConnectConfiguration.logConfiguration',
      'serviceConnectConfiguration.accessLogConfiguration',
    ]) {
      assert.equal(status(p), 'modelled', p);
    }
    assert.equal(rowsOf(GROUPS[1]!).find((r) => r.path === 'forceNewDeployment')?.status, 'unsupported');
    assert.equal(status('vpcLatticeConfigurations[].advancedConfiguration'), 'unsupported');
  });

  it('models every Service Connect and deployment member (issue 18), in CreateService and UpdateService', () => {
    const issue18 = /^(serviceConnectConfiguration|deploymentConfiguration|deploymentController)(\.|$)|^loadBalancers\[\]\.advancedConfiguration(\.|$)/;
    for (const g of GROUPS) {
      const rows = rowsOf(g).filter((r) => issue18.test(r.path));
      const counts = (prefix: string) => rows.filter((r) => r.path.startsWith(prefix)).length;
      // Members in the SDK's API model (the published table moves with them as well).
      assert.deepEqual(
        [counts('serviceConnectConfiguration'), counts('deploymentConfiguration'), counts('deploymentController'), counts('loadBalancers[]')],
        [34, 35, 2, 5],
        g.title,
      );
      assert.deepEqual(
        rows.filter((r) => r.status !== 'modelled').map((r) => `${r.path}: ${r.status}`),
        [],
        g.title,
      );
    }
  });

  it('is published in docs/manifests.md', () => assertPublished('service', renderSection(GROUPS)));
});
