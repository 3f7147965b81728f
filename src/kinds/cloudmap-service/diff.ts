import type { CloudMapServiceSpec, DesiredOf } from '../../manifests/types.js';
import type { FieldChange, LiveCloudMapService } from '../../kit/types.js';
import { diffDeclared, fieldChange, type Classification } from '../../kit/diff-walk.js';
import { deepEqual } from '../../util/deep-equal.js';
import type { PathSegment } from '../../util/json-pointer.js';
import { declaredCloudMapServiceSpec, normalizeCloudMapServiceSpec } from './normalize.js';

const IN_PLACE: Classification = { effect: 'in-place' };

/**
 * What Cloud Map's UpdateService can change: description, TTLs of the existing record types,
 * the Route 53 health check config (except its type); everything else needs a new service.
 */
function classify(segments: readonly PathSegment[]): Classification {
  switch (segments[1]) {
    case 'namespace':
      return { effect: 'replace', reason: 'a service cannot move to another namespace' };
    case 'type':
      return { effect: 'replace', reason: 'service type cannot change in place' };
    case 'dns':
      if (segments.length === 2) return { effect: 'replace', reason: 'DNS configuration cannot be added or removed in place' };
      if (segments[2] === 'routingPolicy') return { effect: 'replace', reason: 'routing policy cannot change in place' };
      return IN_PLACE;
    default:
      return IN_PLACE;
  }
}

function diffRecords(
  declared: NonNullable<CloudMapServiceSpec['dns']>,
  desired: NonNullable<CloudMapServiceSpec['dns']>,
  live: NonNullable<CloudMapServiceSpec['dns']>,
): FieldChange[] {
  const desiredTypes = desired.records.map((r) => r.type);
  const liveTypes = live.records.map((r) => r.type);
  if (!deepEqual(desiredTypes, liveTypes)) {
    return [
      fieldChange(['spec', 'dns', 'records'], live.records, desired.records, {
        effect: 'replace',
        reason: 'the set of DNS record types cannot change in place',
      }),
    ];
  }
  const out: FieldChange[] = [];
  declared.records.forEach((record, i) => {
    const want = desired.records.find((r) => r.type === record.type);
    const have = live.records.find((r) => r.type === record.type);
    if (want && have && want.ttl !== have.ttl) {
      out.push(fieldChange(['spec', 'dns', 'records', i, 'ttl'], have.ttl, want.ttl, IN_PLACE));
    }
  });
  return out;
}

type HealthCheck = NonNullable<CloudMapServiceSpec['healthCheck']>;

/** A declared healthCheck manages both branches: declaring `custom` also says "no Route 53 check". */
function diffHealthCheck(declared: HealthCheck, desired: HealthCheck, live: HealthCheck | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  const liveCustom = live?.custom;
  if ((desired.custom === undefined) !== (liveCustom === undefined)) {
    out.push(
      fieldChange(['spec', 'healthCheck', 'custom'], liveCustom, desired.custom, {
        effect: 'replace',
        reason: 'a custom health check config cannot be added or removed in place',
      }),
    );
  }
  const want = desired.route53;
  const have = live?.route53;
  if (want === undefined || have === undefined) {
    if (want !== have) out.push(fieldChange(['spec', 'healthCheck', 'route53'], have, want, IN_PLACE));
    return out;
  }
  if (want.type !== have.type) {
    out.push(
      fieldChange(['spec', 'healthCheck', 'route53', 'type'], have.type, want.type, {
        effect: 'replace',
        reason: 'the type of a Route 53 health check cannot change in place',
      }),
    );
    return out;
  }
  out.push(...diffDeclared(declared.route53, want, have, ['spec', 'healthCheck', 'route53'], { classify: () => IN_PLACE }));
  return out;
}

const IN_HTTP_NAMESPACE: Classification = {
  effect: 'replace',
  reason: 'a service in an HTTP namespace cannot be updated (Cloud Map UpdateService refuses it)',
};

/** Tags change through TagResource everywhere; anything else in an HTTP namespace needs a new service. */
function inHttpNamespace(change: FieldChange): FieldChange {
  if (change.effect !== 'in-place' || change.pointer === '/spec/tags' || change.pointer.startsWith('/spec/tags/')) return change;
  return { ...change, effect: IN_HTTP_NAMESPACE.effect, reason: IN_HTTP_NAMESPACE.reason };
}

/** Changes between a declared Cloud Map service and the live one (ignore pointers not applied here). */
export function diffCloudMapService(desired: DesiredOf<'CloudMapService'>, live: LiveCloudMapService): FieldChange[] {
  const declared = declaredCloudMapServiceSpec(desired.manifest.spec);
  const want = normalizeCloudMapServiceSpec(desired.manifest.spec);
  const have = normalizeCloudMapServiceSpec(live.spec);
  const { dns: declaredDns, healthCheck: declaredHealth, ...plain } = declared;
  const out = diffDeclared(plain, want, have, ['spec'], { classify, isAtomic: (s) => s[s.length - 1] === 'tags' });
  if (declaredDns !== undefined && want.dns !== undefined) {
    if (have.dns === undefined) {
      out.push(fieldChange(['spec', 'dns'], undefined, want.dns, classify(['spec', 'dns'])));
    } else {
      out.push(...diffDeclared({ routingPolicy: declaredDns.routingPolicy }, want.dns, have.dns, ['spec', 'dns'], { classify }));
      out.push(...diffRecords(declaredDns, want.dns, have.dns));
    }
  }
  if (declaredHealth !== undefined && want.healthCheck !== undefined) {
    out.push(...diffHealthCheck(declaredHealth, want.healthCheck, have.healthCheck));
  }
  return live.namespaceType === 'HTTP' ? out.map(inHttpNamespace) : out;
}
