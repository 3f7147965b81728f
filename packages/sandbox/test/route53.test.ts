import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangeResourceRecordSetsCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { GetNamespaceCommand } from '@aws-sdk/client-servicediscovery';
import { compareRecordKeys, RecordTable } from '../src/services/route53/records.js';
import { useSandboxFixture } from '../src/testing.js';
import { createNamespace, createService, rejection } from './cloudmap-helpers.js';

describe('sandbox Route 53 record ordering', () => {
  it('sorts by name with labels reversed, then type, then set identifier', () => {
    const table = new RecordTable();
    const keys = [
      { name: 'www.example.com.', type: 'A', setIdentifier: 'b' },
      { name: 'example.com.', type: 'SOA' },
      { name: 'a.www.example.com.', type: 'A' },
      { name: 'www.example.com.', type: 'A', setIdentifier: 'a' },
      { name: 'example.com.', type: 'NS' },
      { name: 'api.example.com.', type: 'SRV' },
      { name: 'www.example.com.', type: 'AAAA', setIdentifier: 'a' },
    ];
    for (const k of keys) table.upsert({ ...k, ttl: 60, values: ['x'] });
    assert.deepEqual(
      table.all().map((r) => `${r.name} ${r.type} ${r.setIdentifier ?? ''}`.trim()),
      [
        'example.com. NS',
        'example.com. SOA',
        'api.example.com. SRV',
        'www.example.com. A a',
        'www.example.com. A b',
        'www.example.com. AAAA a',
        'a.www.example.com. A',
      ],
    );
    assert.ok(compareRecordKeys({ name: 'Example.COM' }, { name: 'example.com.' }) === 0, 'names compare case-insensitively with or without the dot');
  });
});

describe('sandbox Route 53 API', () => {
  const f = useSandboxFixture();
  let zoneId: string;
  let serviceId: string;
  before(async () => {
    const nsId = await createNamespace(f.sd, 'private', 'local');
    zoneId = (await f.sd.send(new GetNamespaceCommand({ Id: nsId }))).Namespace!.Properties!.DnsProperties!.HostedZoneId!;
    serviceId = await createService(f.sd, nsId, 'quote', { DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 10 }] } });
    for (let i = 0; i < 320; i++) {
      f.sandbox.services.cloudmap.adminRegisterInstance(serviceId, `task-${String(i).padStart(3, '0')}`, { AWS_INSTANCE_IPV4: `10.1.${i >> 8}.${i & 255}` });
    }
    await createNamespace(f.sd, 'public', 'zeta.example');
    await createNamespace(f.sd, 'public', 'alpha.example');
  });

  it('returns the zone with its VPCs, Cloud Map link and record count', async () => {
    const out = await f.r53.send(new GetHostedZoneCommand({ Id: zoneId }));
    assert.equal(out.HostedZone?.Id, `/hostedzone/${zoneId}`);
    assert.equal(out.HostedZone?.Name, 'local.');
    assert.equal(out.HostedZone?.ResourceRecordSetCount, 322, 'SOA + NS + one A record set per instance');
    assert.match(out.HostedZone?.LinkedService?.Description ?? '', /^arn:aws:servicediscovery:us-east-1:123456789012:namespace\/ns-/);
    assert.equal(out.VPCs?.[0]?.VPCId, 'vpc-0abc1234');
    assert.equal(out.DelegationSet, undefined, 'private zones have no delegation set');
  });

  it('answers an unknown zone with NoSuchHostedZone (404) as an XML ErrorResponse', async () => {
    const err = await rejection(f.r53.send(new GetHostedZoneCommand({ Id: 'ZNOPE' })));
    assert.equal(err.name, 'NoSuchHostedZone');
    assert.equal((err['$metadata'] as { httpStatusCode: number }).httpStatusCode, 404);
    const raw = await fetch(`${f.sandbox.endpoint}/2013-04-01/hostedzone/ZNOPE`);
    const text = await raw.text();
    assert.match(
      text,
      /<ErrorResponse xmlns="https:\/\/route53\.amazonaws\.com\/doc\/2013-04-01\/"><Error><Type>Sender<\/Type><Code>NoSuchHostedZone<\/Code><Message>[^<]+<\/Message><\/Error><RequestId>[^<]+<\/RequestId><\/ErrorResponse>/,
    );
  });

  it('pages record sets 300 at a time with NextRecordName/Type/Identifier and visits each once', async () => {
    const seen: ResourceRecordSet[] = [];
    let start: { StartRecordName?: string; StartRecordType?: 'A' | 'SOA' | 'NS'; StartRecordIdentifier?: string } = {};
    let pages = 0;
    for (;;) {
      const out = await f.r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 1000, ...start }));
      pages++;
      assert.ok((out.ResourceRecordSets?.length ?? 0) <= 300);
      assert.equal(out.MaxItems, 300);
      seen.push(...(out.ResourceRecordSets ?? []));
      if (!out.IsTruncated) break;
      start = { StartRecordName: out.NextRecordName, StartRecordType: out.NextRecordType as 'A', StartRecordIdentifier: out.NextRecordIdentifier };
    }
    assert.equal(pages, 2);
    assert.equal(seen.length, 322);
    assert.deepEqual(
      seen.slice(0, 2).map((r) => r.Type),
      ['NS', 'SOA'],
    );
    const ids = seen.slice(2).map((r) => r.SetIdentifier!);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, 320);
  });

  it('refuses a record type without a record name', async () => {
    const err = await rejection(f.r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordType: 'A' })));
    assert.equal(err.name, 'InvalidInput');
  });

  it('lists hosted zones with markers, and by name in reversed-label order', async () => {
    const first = await f.r53.send(new ListHostedZonesCommand({ MaxItems: 2 }));
    assert.equal(first.HostedZones?.length, 2);
    assert.equal(first.IsTruncated, true);
    const rest = await f.r53.send(new ListHostedZonesCommand({ Marker: first.NextMarker }));
    assert.equal(rest.IsTruncated, false);
    assert.equal((first.HostedZones?.length ?? 0) + (rest.HostedZones?.length ?? 0), 3);
    const byName = await f.r53.send(new ListHostedZonesByNameCommand({}));
    assert.deepEqual(
      byName.HostedZones?.map((z) => z.Name),
      ['alpha.example.', 'zeta.example.', 'local.'],
    );
    const fromZeta = await f.r53.send(new ListHostedZonesByNameCommand({ DNSName: 'zeta.example', MaxItems: 1 }));
    assert.deepEqual(
      fromZeta.HostedZones?.map((z) => z.Name),
      ['zeta.example.'],
    );
    assert.equal(fromZeta.NextDNSName, 'local.');
  });

  it('refuses writes to a zone owned by Cloud Map', async () => {
    const err = await rejection(
      f.r53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: {
            Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'x.local.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.9.9.9' }] } }],
          },
        }),
      ),
    );
    assert.equal(err.name, 'AccessDenied');
    assert.match(err.message, /can only be managed through servicediscovery\.amazonaws\.com/);
  });

  it('edits a record TTL out of band through the admin API, and removes a VPC association', async () => {
    const res = await fetch(`${f.sandbox.endpoint}/_sandbox/route53/record-ttl`, {
      method: 'POST',
      body: JSON.stringify({ hostedZoneId: zoneId, name: 'quote.local', type: 'A', setIdentifier: 'task-007', ttl: 3600 }),
    });
    assert.equal(res.status, 200);
    const { ResourceRecordSets } = await f.r53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        StartRecordName: 'quote.local.',
        StartRecordType: 'A',
        StartRecordIdentifier: 'task-007',
        MaxItems: 1,
      }),
    );
    assert.equal(ResourceRecordSets?.[0]?.SetIdentifier, 'task-007');
    assert.equal(ResourceRecordSets?.[0]?.TTL, 3600);
    const missing = await fetch(`${f.sandbox.endpoint}/_sandbox/route53/record-ttl`, {
      method: 'POST',
      body: JSON.stringify({ hostedZoneId: zoneId, name: 'nope.local', type: 'A', ttl: 1 }),
    });
    assert.equal(missing.status, 404);

    const vpc = await fetch(`${f.sandbox.endpoint}/_sandbox/route53/disassociate-vpc`, {
      method: 'POST',
      body: JSON.stringify({ hostedZoneId: zoneId, vpcId: 'vpc-0abc1234' }),
    });
    assert.equal(vpc.status, 200);
    assert.deepEqual((await f.r53.send(new GetHostedZoneCommand({ Id: zoneId }))).VPCs ?? [], []);
  });
});
