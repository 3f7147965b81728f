import { GetHostedZoneCommand, ListResourceRecordSetsCommand, type ResourceRecordSet, type Route53Client, type RRType } from '@aws-sdk/client-route-53';
import { call, callOrUndefined } from '../aws/errors.js';
import type { RecordView, ZoneView } from './types.js';

/** Route 53 answers at most 300 record sets per page. */
const RECORDS_PER_PAGE = 300;

/** GetHostedZone: the cheap change check (record count) and the VPC associations. */
export async function readZone(route53: Route53Client, zoneId: string, signal?: AbortSignal): Promise<ZoneView> {
  const out = await callOrUndefined('route53', 'GetHostedZone', () => route53.send(new GetHostedZoneCommand({ Id: zoneId }), { abortSignal: signal }));
  if (!out) return { id: zoneId, exists: false, vpcs: [] };
  return {
    id: zoneId,
    exists: true,
    privateZone: out.HostedZone?.Config?.PrivateZone === true,
    vpcs: (out.VPCs ?? []).flatMap((v) => (v.VPCId ? [v.VPCId] : [])),
    ...(out.HostedZone?.ResourceRecordSetCount !== undefined ? { recordCount: out.HostedZone.ResourceRecordSetCount } : {}),
  };
}

/** Route 53 escapes some characters as `\ddd` octal; names compare in plain lower case. */
function unescapeName(name: string): string {
  const plain = name.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))).toLowerCase();
  return plain.endsWith('.') ? plain : `${plain}.`;
}

/**
 * Gives a string equal to `value` that is kept anyway (e.g. an instance's id or IP), so the
 * record sets kept between checks share it; `value` itself when there is none.
 */
export type ShareString = (value: string) => string;

const itself: ShareString = (value) => value;

/** A record set as the checks see it; `previous` (the record set listed before it) lends its name when equal. */
export function toRecordView(r: ResourceRecordSet, share: ShareString = itself, previous?: RecordView): RecordView | undefined {
  if (!r.Name || !r.Type) return undefined;
  const name = unescapeName(r.Name);
  const values = (r.ResourceRecords ?? []).filter((v) => v.Value !== undefined);
  return {
    name: previous?.name === name ? previous.name : name,
    type: r.Type,
    ...(r.SetIdentifier !== undefined ? { setIdentifier: share(r.SetIdentifier) } : {}),
    ...(r.TTL !== undefined ? { ttl: r.TTL } : {}),
    ...(r.Weight !== undefined ? { weight: r.Weight } : {}),
    ...(r.MultiValueAnswer !== undefined ? { multiValueAnswer: r.MultiValueAnswer } : {}),
    // map: an array of exactly its length (a pushed one holds room for 17)
    values: values.map((v) => share(v.Value!)),
  };
}

/**
 * Every record set of a zone (ListResourceRecordSets, 300 per page, following
 * NextRecordName/Type/Identifier). One zone read serves every service of the namespace,
 * which costs far fewer calls than one read per service name. Record sets of one name share
 * its string; `share` gives the strings (instance ids, IPs) the caller keeps anyway.
 */
export async function readZoneRecords(route53: Route53Client, zoneId: string, signal?: AbortSignal, share: ShareString = itself): Promise<RecordView[]> {
  const out: RecordView[] = [];
  let start: { name: string; type?: RRType; identifier?: string } | undefined;
  for (;;) {
    const page = await call('route53', 'ListResourceRecordSets', () =>
      route53.send(
        new ListResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          MaxItems: RECORDS_PER_PAGE,
          ...(start ? { StartRecordName: start.name } : {}),
          ...(start?.type ? { StartRecordType: start.type } : {}),
          ...(start?.identifier ? { StartRecordIdentifier: start.identifier } : {}),
        }),
        { abortSignal: signal },
      ),
    );
    for (const r of page.ResourceRecordSets ?? []) {
      const view = toRecordView(r, share, out.at(-1));
      if (view) out.push(view);
    }
    if (!page.IsTruncated || !page.NextRecordName) return out;
    start = {
      name: page.NextRecordName,
      ...(page.NextRecordType ? { type: page.NextRecordType } : {}),
      ...(page.NextRecordIdentifier ? { identifier: page.NextRecordIdentifier } : {}),
    };
  }
}
