import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ecsServiceFromArn, parseChangeEvent } from '../../src/observe/change-events.js';

function trail(eventSource: string, eventName: string, requestParameters: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '0',
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${eventSource.split('.')[0]}`,
    resources: [],
    detail: { eventSource, eventName, requestParameters, responseElements: null, userIdentity: { type: 'IAMUser' }, ...extra },
  });
}

describe('change events', () => {
  it('reads an ECS UpdateService CloudTrail event (cluster by name or ARN, default cluster when absent)', () => {
    assert.deepEqual(parseChangeEvent(trail('ecs.amazonaws.com', 'UpdateService', { cluster: 'arn:aws:ecs:eu-west-1:1:cluster/demo', service: 'web' })), {
      kind: 'change',
      refs: [{ type: 'ecs-service', cluster: 'demo', service: 'web' }],
      tagsChanged: false,
    });
    assert.deepEqual(parseChangeEvent(trail('ecs.amazonaws.com', 'DeleteService', { service: 'web' })), {
      kind: 'change',
      refs: [{ type: 'ecs-service', cluster: 'default', service: 'web' }],
      tagsChanged: false,
    });
  });

  it('reads ECS service action and deployment events by their service ARN', () => {
    const body = JSON.stringify({
      'detail-type': 'ECS Deployment State Change',
      source: 'aws.ecs',
      resources: ['arn:aws:ecs:us-west-2:111122223333:service/default/servicetest'],
      detail: { eventType: 'INFO', eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS' },
    });
    assert.deepEqual(parseChangeEvent(body), {
      kind: 'change',
      refs: [{ type: 'ecs-service', cluster: 'default', service: 'servicetest' }],
      tagsChanged: false,
    });
    assert.deepEqual(ecsServiceFromArn('arn:aws:ecs:us-east-1:1:service/web'), { service: 'web' });
  });

  it('reads Cloud Map writes in either key case, and tag changes by ARN', () => {
    assert.deepEqual(parseChangeEvent(trail('servicediscovery.amazonaws.com', 'UpdateService', { id: 'srv-1', service: {} })), {
      kind: 'change',
      refs: [{ type: 'cloudmap-service', id: 'srv-1' }],
      tagsChanged: false,
    });
    assert.deepEqual(parseChangeEvent(trail('servicediscovery.amazonaws.com', 'UpdateService', { Id: 'srv-2' })), {
      kind: 'change',
      refs: [{ type: 'cloudmap-service', id: 'srv-2' }],
      tagsChanged: false,
    });
    const tag = parseChangeEvent(
      trail('servicediscovery.amazonaws.com', 'TagResource', { resourceARN: 'arn:aws:servicediscovery:us-east-1:1:namespace/ns-9' }),
    );
    assert.deepEqual(tag, {
      kind: 'change',
      refs: [{ type: 'cloudmap-namespace', arn: 'arn:aws:servicediscovery:us-east-1:1:namespace/ns-9', id: 'ns-9' }],
      tagsChanged: true,
    });
  });

  it('reads a Route 53 record change into the zone and record names', () => {
    const body = trail('route53.amazonaws.com', 'ChangeResourceRecordSets', {
      hostedZoneId: 'Z123',
      changeBatch: { changes: [{ action: 'UPSERT', resourceRecordSet: { name: 'api.internal.', type: 'A', tTL: 10 } }] },
    });
    assert.deepEqual(parseChangeEvent(body), {
      kind: 'change',
      refs: [{ type: 'route53-records', zoneId: 'Z123', names: ['api.internal.'] }],
      tagsChanged: false,
    });
  });

  it('calls irrelevant what names nothing a manifest declares: reads, failed calls, instance registrations, writes by Cloud Map itself', () => {
    assert.equal(parseChangeEvent(trail('ecs.amazonaws.com', 'RegisterTaskDefinition', { family: 'x' })).kind, 'irrelevant');
    assert.equal(parseChangeEvent(trail('ecs.amazonaws.com', 'UpdateService', { service: 'web' }, { errorCode: 'AccessDenied' })).kind, 'irrelevant');
    assert.equal(parseChangeEvent(trail('servicediscovery.amazonaws.com', 'RegisterInstance', { serviceId: 'srv-1' })).kind, 'irrelevant');
    const byCloudMap = trail('route53.amazonaws.com', 'ChangeResourceRecordSets', { hostedZoneId: 'Z1', changeBatch: { changes: [] } });
    const parsed = JSON.parse(byCloudMap) as { detail: { userIdentity: Record<string, string> } };
    parsed.detail.userIdentity = { type: 'AWSService', invokedBy: 'servicediscovery.amazonaws.com' };
    assert.equal(parseChangeEvent(JSON.stringify(parsed)).kind, 'irrelevant');
    assert.equal(parseChangeEvent(JSON.stringify({ 'detail-type': 'ECS Task State Change', source: 'aws.ecs', detail: {} })).kind, 'irrelevant');
  });

  it('calls malformed what is not an EventBridge event', () => {
    for (const body of [
      '',
      'not json',
      '[]',
      '{"detail-type":"x"}',
      JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ecs', detail: {} }),
    ]) {
      assert.equal(parseChangeEvent(body).kind, 'malformed', body);
    }
  });
});
