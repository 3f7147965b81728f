import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreatePublicDnsNamespaceCommand,
  DeleteNamespaceCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  ListNamespacesCommand,
  ListOperationsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePrivateDnsNamespaceCommand,
  UpdateHttpNamespaceCommand,
} from '@aws-sdk/client-servicediscovery';
import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { useSandboxFixture } from '../src/testing.js';
import { ManualClock, createNamespace, createService, rejection, waitForOperation } from './cloudmap-helpers.js';

describe('sandbox Cloud Map asynchronous operations (manual clock)', () => {
  const clock = new ManualClock();
  const f = useSandboxFixture({ now: clock.now, operationDelayMs: 1000 });

  it('creates a namespace SUBMITTED -> PENDING -> SUCCESS over the operation delay, id only in Targets', async () => {
    const { OperationId } = await f.sd.send(new CreateHttpNamespaceCommand({ Name: 'async-ns' }));
    assert.ok(OperationId);
    const first = await f.sd.send(new GetOperationCommand({ OperationId }));
    assert.equal(first.Operation?.Type, 'CREATE_NAMESPACE');
    assert.equal(first.Operation?.Status, 'SUBMITTED');
    const nsId = first.Operation!.Targets!.NAMESPACE!;
    assert.match(nsId, /^ns-[0-9a-f]{16}$/);
    assert.equal((await rejection(f.sd.send(new GetNamespaceCommand({ Id: nsId })))).name, 'NamespaceNotFound');

    clock.advance(500);
    const middle = await f.sd.send(new GetOperationCommand({ OperationId }));
    assert.equal(middle.Operation?.Status, 'PENDING');
    const listed = await f.sd.send(new ListNamespacesCommand({}));
    assert.ok(!listed.Namespaces?.some((n) => n.Name === 'async-ns'), 'not listed before the operation succeeds');

    clock.advance(500);
    const done = await f.sd.send(new GetOperationCommand({ OperationId }));
    assert.equal(done.Operation?.Status, 'SUCCESS');
    assert.equal(done.Operation?.Targets?.NAMESPACE, nsId);
    assert.ok(done.Operation!.UpdateDate!.getTime() > done.Operation!.CreateDate!.getTime());
    const after = await f.sd.send(new ListNamespacesCommand({}));
    assert.ok(after.Namespaces?.some((n) => n.Id === nsId && n.Type === 'HTTP'));
  });

  it('keeps a namespace being deleted visible until the delete operation succeeds', async () => {
    const { OperationId: createOp } = await f.sd.send(new CreateHttpNamespaceCommand({ Name: 'slow-delete' }));
    clock.advance(1000);
    const nsId = (await f.sd.send(new GetOperationCommand({ OperationId: createOp }))).Operation!.Targets!.NAMESPACE!;
    const { OperationId } = await f.sd.send(new DeleteNamespaceCommand({ Id: nsId }));
    assert.equal((await f.sd.send(new GetNamespaceCommand({ Id: nsId }))).Namespace?.Id, nsId);
    const dup = await rejection(f.sd.send(new DeleteNamespaceCommand({ Id: nsId })));
    assert.equal(dup.name, 'DuplicateRequest');
    assert.equal(dup['DuplicateOperationId'], OperationId);
    clock.advance(1000);
    assert.equal((await rejection(f.sd.send(new GetNamespaceCommand({ Id: nsId })))).name, 'NamespaceNotFound');
  });

  it('is idempotent on CreatorRequestId: DuplicateRequest while in progress, the same OperationId after success', async () => {
    const input = { Name: 'idem', CreatorRequestId: 'req-idem-1' };
    const first = await f.sd.send(new CreateHttpNamespaceCommand(input));
    const dup = await rejection(f.sd.send(new CreateHttpNamespaceCommand(input)));
    assert.equal(dup.name, 'DuplicateRequest');
    assert.equal(dup['DuplicateOperationId'], first.OperationId);
    clock.advance(1000);
    const again = await f.sd.send(new CreateHttpNamespaceCommand(input));
    assert.equal(again.OperationId, first.OperationId);
    const { Namespaces } = await f.sd.send(new ListNamespacesCommand({ Filters: [{ Name: 'NAME', Values: ['idem'] }] }));
    assert.equal(Namespaces?.length, 1);
  });

  it('applies a namespace update only when its operation succeeds', async () => {
    const { OperationId: createOp } = await f.sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'later.local', Vpc: 'vpc-9' }));
    clock.advance(1000);
    const nsId = (await f.sd.send(new GetOperationCommand({ OperationId: createOp }))).Operation!.Targets!.NAMESPACE!;
    await f.sd.send(new UpdatePrivateDnsNamespaceCommand({ Id: nsId, Namespace: { Description: 'new' } }));
    assert.equal((await f.sd.send(new GetNamespaceCommand({ Id: nsId }))).Namespace?.Description, undefined);
    clock.advance(1000);
    assert.equal((await f.sd.send(new GetNamespaceCommand({ Id: nsId }))).Namespace?.Description, 'new');
  });
});

describe('sandbox Cloud Map namespaces', () => {
  const f = useSandboxFixture();

  it('creates a private hosted zone for a private DNS namespace and reports it in the summary', async () => {
    const nsId = await createNamespace(f.sd, 'private', 'internal', { soaTtl: 30 });
    const { Namespaces } = await f.sd.send(new ListNamespacesCommand({ Filters: [{ Name: 'TYPE', Values: ['DNS_PRIVATE'], Condition: 'EQ' }] }));
    const ns = Namespaces?.find((n) => n.Id === nsId);
    assert.equal(ns?.Properties?.DnsProperties?.SOA?.TTL, 30);
    const zoneId = ns?.Properties?.DnsProperties?.HostedZoneId;
    assert.match(zoneId ?? '', /^Z[0-9A-Z]+$/);
    assert.equal(ns?.Properties?.HttpProperties?.HttpName, 'internal');
    const zone = await f.r53.send(new GetHostedZoneCommand({ Id: zoneId }));
    assert.equal(zone.HostedZone?.Name, 'internal.');
    assert.equal(zone.HostedZone?.Config?.PrivateZone, true);
    assert.deepEqual(zone.VPCs, [{ VPCId: 'vpc-0abc1234', VPCRegion: 'us-east-1' }]);
    assert.equal(zone.HostedZone?.LinkedService?.ServicePrincipal, 'servicediscovery.amazonaws.com');
  });

  it('defaults the SOA TTL of a DNS namespace to 15 and gives a public namespace a public zone', async () => {
    const nsId = await createNamespace(f.sd, 'public', 'example.org');
    const { Namespace } = await f.sd.send(new GetNamespaceCommand({ Id: nsId }));
    assert.equal(Namespace?.Type, 'DNS_PUBLIC');
    assert.equal(Namespace?.Properties?.DnsProperties?.SOA?.TTL, 15);
    const zone = await f.r53.send(new GetHostedZoneCommand({ Id: Namespace!.Properties!.DnsProperties!.HostedZoneId }));
    assert.equal(zone.HostedZone?.Config?.PrivateZone, false);
    assert.equal(zone.DelegationSet?.NameServers?.length, 4);
  });

  it('answers NamespaceAlreadyExists with the existing id and CreatorRequestId', async () => {
    const nsId = await createNamespace(f.sd, 'http', 'taken', { CreatorRequestId: 'first-attempt' });
    const err = await rejection(f.sd.send(new CreateHttpNamespaceCommand({ Name: 'taken', CreatorRequestId: 'other' })));
    assert.equal(err.name, 'NamespaceAlreadyExists');
    assert.equal(err['NamespaceId'], nsId);
    assert.equal(err['CreatorRequestId'], 'first-attempt');
  });

  it('refuses DeleteNamespace with ResourceInUse while services exist, then deletes it and its zone', async () => {
    const nsId = await createNamespace(f.sd, 'private', 'busy.local');
    const zoneId = (await f.sd.send(new GetNamespaceCommand({ Id: nsId }))).Namespace!.Properties!.DnsProperties!.HostedZoneId;
    const svcId = await createService(f.sd, nsId, 'web');
    assert.equal((await rejection(f.sd.send(new DeleteNamespaceCommand({ Id: nsId })))).name, 'ResourceInUse');
    await f.sandbox.services.cloudmap.operations['DeleteService']!({ Id: svcId });
    const { OperationId } = await f.sd.send(new DeleteNamespaceCommand({ Id: nsId }));
    const op = await waitForOperation(f.sd, OperationId!);
    assert.equal(op.Type, 'DELETE_NAMESPACE');
    assert.equal(op.Status, 'SUCCESS');
    assert.equal((await rejection(f.sd.send(new GetNamespaceCommand({ Id: nsId })))).name, 'NamespaceNotFound');
    assert.equal((await rejection(f.r53.send(new GetHostedZoneCommand({ Id: zoneId })))).name, 'NoSuchHostedZone');
  });

  it('updates the description and SOA TTL asynchronously and rewrites the zone SOA record', async () => {
    const nsId = await createNamespace(f.sd, 'private', 'upd.local');
    const { OperationId } = await f.sd.send(
      new UpdatePrivateDnsNamespaceCommand({ Id: nsId, Namespace: { Description: 'changed', Properties: { DnsProperties: { SOA: { TTL: 120 } } } } }),
    );
    const op = await waitForOperation(f.sd, OperationId!);
    assert.equal(op.Type, 'UPDATE_NAMESPACE');
    const { Namespace } = await f.sd.send(new GetNamespaceCommand({ Id: nsId }));
    assert.equal(Namespace?.Description, 'changed');
    assert.equal(Namespace?.Properties?.DnsProperties?.SOA?.TTL, 120);
    const zone = f.sandbox.services.route53.zones.get(Namespace!.Properties!.DnsProperties!.HostedZoneId!)!;
    assert.equal(zone.records.get('upd.local.', 'SOA')?.ttl, 120);
  });

  it('refuses an update of the wrong namespace type with InvalidInput', async () => {
    const nsId = await createNamespace(f.sd, 'private', 'typed.local');
    const err = await rejection(f.sd.send(new UpdateHttpNamespaceCommand({ Id: nsId, Namespace: { Description: 'x' } })));
    assert.equal(err.name, 'InvalidInput');
  });

  it('ends an operation in FAIL with the injected error code and keeps the namespace out of the list', async () => {
    f.sandbox.services.cloudmap.failNextOperation({ code: 'CANNOT_CREATE_HOSTED_ZONE', message: 'injected' });
    const { OperationId } = await f.sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'doomed.local', Vpc: 'vpc-1' }));
    const op = await waitForOperation(f.sd, OperationId!);
    assert.equal(op.Status, 'FAIL');
    assert.equal(op.ErrorCode, 'CANNOT_CREATE_HOSTED_ZONE');
    const { Namespaces } = await f.sd.send(new ListNamespacesCommand({ Filters: [{ Name: 'NAME', Values: ['doomed.local'] }] }));
    assert.deepEqual(Namespaces, []);
  });

  it('validates names and required fields with InvalidInput', async () => {
    assert.equal((await rejection(f.sd.send(new CreatePublicDnsNamespaceCommand({ Name: 'not a domain!' })))).name, 'InvalidInput');
    assert.equal((await rejection(f.sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'novpc.local', Vpc: 'subnet-1' })))).name, 'InvalidInput');
    assert.equal((await rejection(f.sd.send(new GetOperationCommand({ OperationId: 'nope' })))).name, 'OperationNotFound');
  });

  it('filters by NAME BEGINS_WITH and pages with MaxResults and NextToken', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) await createNamespace(f.sd, 'http', n);
    const names: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const out = await f.sd.send(
        new ListNamespacesCommand({ MaxResults: 2, NextToken, Filters: [{ Name: 'NAME', Values: ['page-'], Condition: 'BEGINS_WITH' }] }),
      );
      names.push(...(out.Namespaces ?? []).map((n) => n.Name!));
      NextToken = out.NextToken;
      pages++;
    } while (NextToken);
    assert.deepEqual(names, ['page-a', 'page-b', 'page-c']);
    assert.ok(pages >= 2);
    assert.equal((await rejection(f.sd.send(new ListNamespacesCommand({ NextToken: 'garbage' })))).name, 'InvalidInput');
  });

  it('lists operations filtered by type and status', async () => {
    const { Operations } = await f.sd.send(
      new ListOperationsCommand({
        Filters: [
          { Name: 'TYPE', Values: ['DELETE_NAMESPACE'], Condition: 'IN' },
          { Name: 'STATUS', Values: ['SUCCESS'], Condition: 'IN' },
        ],
      }),
    );
    assert.ok((Operations?.length ?? 0) >= 1);
    for (const op of Operations ?? []) {
      const { Operation } = await f.sd.send(new GetOperationCommand({ OperationId: op.Id }));
      assert.equal(Operation?.Type, 'DELETE_NAMESPACE');
    }
  });

  it('tags namespaces at creation and through TagResource/UntagResource', async () => {
    const { OperationId } = await f.sd.send(new CreateHttpNamespaceCommand({ Name: 'tagged', Tags: [{ Key: 'owner', Value: 'ecs-gitops' }] }));
    const op = await waitForOperation(f.sd, OperationId!);
    const arn = (await f.sd.send(new GetNamespaceCommand({ Id: op.Targets!.NAMESPACE }))).Namespace!.Arn!;
    await f.sd.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'team', Value: 'a' }] }));
    await f.sd.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['owner'] }));
    const { Tags } = await f.sd.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
    assert.deepEqual(Tags, [{ Key: 'team', Value: 'a' }]);
    const reserved = await rejection(f.sd.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'aws:x', Value: '1' }] })));
    assert.equal(reserved.name, 'InvalidInput');
    const missing = await rejection(f.sd.send(new ListTagsForResourceCommand({ ResourceARN: `${arn}nope` })));
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  it('refuses a namespace beyond the quota with ResourceLimitExceeded', async () => {
    const limits = f.sandbox.services.cloudmap.limits;
    const saved = limits.namespaces;
    limits.namespaces = f.sandbox.services.cloudmap.state.namespaces.size;
    try {
      assert.equal((await rejection(f.sd.send(new CreateHttpNamespaceCommand({ Name: 'one-too-many' })))).name, 'ResourceLimitExceeded');
    } finally {
      limits.namespaces = saved;
    }
  });
});
