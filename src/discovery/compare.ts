/**
 * The pure comparison core: ECS tasks vs Cloud Map instances vs Route 53 record sets.
 * No I/O; inputs are never mutated; equal inputs in any order give the same findings.
 */
import type {
  CompareOptions,
  DiscoveryFinding,
  DiscoveryReason,
  DiscoveryTarget,
  InstanceCounts,
  InstanceView,
  RecordView,
  ServiceComparison,
  ServiceObservation,
  StaleInstance,
  ZoneView,
} from './types.js';

const DNS_RECORD_TYPES: ReadonlySet<string> = new Set(['A', 'AAAA', 'SRV', 'CNAME']);
/** How many instances a message lists before it says "and N more". */
const MAX_LISTED = 5;

/** `<service>.<namespace>.` in lower case, as Route 53 lists it. */
export function serviceRecordName(target: Pick<DiscoveryTarget, 'name' | 'namespace'>): string {
  return `${target.name}.${target.namespace}.`.toLowerCase();
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function ipOf(inst: InstanceView): string | undefined {
  return inst.attributes['AWS_INSTANCE_IPV4'] ?? inst.attributes['AWS_INSTANCE_IPV6'];
}

function label(target: DiscoveryTarget): string {
  return `CloudMapService ${target.namespace}/${target.name}`;
}

function ecsLabel(target: DiscoveryTarget): string {
  const names = target.ecsServices.map((s) => `${s.cluster}/${s.name}`);
  return names.length === 1 ? `EcsService ${names[0]}` : `EcsServices ${names.join(', ')}`;
}

function recordLabel(r: RecordView): string {
  return `${r.name} ${r.type}${r.setIdentifier !== undefined ? ` [${r.setIdentifier}]` : ''}`;
}

function finding(target: DiscoveryTarget, reason: DiscoveryReason, message: string, extra: Partial<DiscoveryFinding> = {}): DiscoveryFinding {
  return { reason, kind: 'CloudMapService', key: target.key, name: target.name, message, ...extra };
}

/** Whether a record set of `type` is written for this instance (Cloud Map skips types whose attribute is absent). */
function expectsRecord(inst: InstanceView, type: string): boolean {
  const a = inst.attributes;
  switch (type) {
    case 'A':
      return a['AWS_INSTANCE_IPV4'] !== undefined;
    case 'AAAA':
      return a['AWS_INSTANCE_IPV6'] !== undefined;
    case 'CNAME':
      return a['AWS_INSTANCE_CNAME'] !== undefined;
    case 'SRV':
      return a['AWS_INSTANCE_PORT'] !== undefined && (a['AWS_INSTANCE_IPV4'] !== undefined || a['AWS_INSTANCE_IPV6'] !== undefined);
    default:
      return false;
  }
}

/** The value a record set of `type` carries for this instance (SRV: the target host). */
function expectedValue(inst: InstanceView, type: string, serviceName: string): string | undefined {
  const a = inst.attributes;
  if (type === 'A') return a['AWS_INSTANCE_IPV4'];
  if (type === 'AAAA') return a['AWS_INSTANCE_IPV6'];
  if (type === 'CNAME') return a['AWS_INSTANCE_CNAME'];
  return `${inst.id}.${serviceName}`.toLowerCase();
}

function sameValue(record: RecordView, expected: string | undefined, type: string): boolean {
  if (expected === undefined) return true;
  const value = record.values[0];
  if (value === undefined) return false;
  if (type === 'SRV') return value.toLowerCase().replace(/\.$/, '').endsWith(expected.replace(/\.$/, ''));
  return value.toLowerCase().replace(/\.$/, '') === expected.toLowerCase().replace(/\.$/, '');
}

/** Instances that match no alive task by id (ECS's convention) or IP. */
function findStale(obs: ServiceObservation): StaleInstance[] {
  const aliveIds = new Set(obs.tasks.map((t) => t.id));
  const aliveIps = new Set(obs.tasks.flatMap((t) => (t.ip ? [t.ip] : [])));
  const out: StaleInstance[] = [];
  for (const inst of obs.instances) {
    if (aliveIds.has(inst.id)) continue;
    const ip = ipOf(inst);
    if (ip !== undefined && aliveIps.has(ip)) continue;
    const task = obs.stoppedTasks.get(inst.id);
    // A task still stopping is deregistered by ECS on its way down: not stale (yet).
    if (task && task.lastStatus !== 'STOPPED') continue;
    out.push({
      instanceId: inst.id,
      ...(ip !== undefined ? { ip } : {}),
      ...(task ? { task } : {}),
      registeredByEcs: inst.attributes['ECS_SERVICE_NAME'] !== undefined,
    });
  }
  return out;
}

function staleMessage(target: DiscoveryTarget, s: StaleInstance): string {
  const where = `${label(target)}: instance ${s.instanceId}${s.ip ? ` (${s.ip})` : ''} is registered`;
  // ECS Service Connect registers and deregisters these instances itself.
  const owner = target.serviceConnect ? '; ECS Service Connect owns the instance: reported, not deregistered' : '';
  const t = s.task;
  if (!t) return `${where}, but no running task of ${ecsLabel(target)} has this id or IP${owner}`;
  const since = t.stoppedAt !== undefined ? ` since ${iso(t.stoppedAt)}` : '';
  const why = t.stopCode || t.stoppedReason ? ` (${[t.stopCode, t.stoppedReason].filter(Boolean).join(': ')})` : '';
  return `${where}, but its task ${t.arn} is ${t.lastStatus}${since}${why}${owner}`;
}

function listInstances(instances: readonly InstanceView[]): string {
  const shown = instances.slice(0, MAX_LISTED).map((i) => `${i.id}${ipOf(i) ? ` (${ipOf(i)})` : ''}`);
  const more = instances.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function compareTasks(obs: ServiceObservation, stale: readonly StaleInstance[], options: CompareOptions): DiscoveryFinding[] {
  const { target } = obs;
  const out: DiscoveryFinding[] = [];
  for (const s of stale) {
    out.push(
      finding(target, 'StaleInstance', staleMessage(target, s), {
        instanceId: s.instanceId,
        ...(s.ip ? { ip: s.ip } : {}),
        ...(s.task ? { taskArn: s.task.arn } : {}),
      }),
    );
  }
  const ids = new Set(obs.instances.map((i) => i.id));
  const ips = new Set(obs.instances.flatMap((i) => (ipOf(i) ? [ipOf(i)!] : [])));
  for (const t of obs.tasks) {
    if (t.lastStatus !== 'RUNNING' || ids.has(t.id) || (t.ip !== undefined && ips.has(t.ip))) continue;
    if (t.startedAt !== undefined && options.now - t.startedAt <= options.missingGraceMs) continue;
    const svc = t.service ? `EcsService ${t.cluster}/${t.service}` : `cluster ${t.cluster}`;
    const since = t.startedAt !== undefined ? ` since ${iso(t.startedAt)}` : '';
    out.push(
      finding(target, 'MissingInstance', `${label(target)}: task ${t.arn}${t.ip ? ` (${t.ip})` : ''} of ${svc} is RUNNING${since} but has no instance`, {
        taskArn: t.arn,
        ...(t.ip ? { ip: t.ip } : {}),
      }),
    );
  }
  return out;
}

function countInstances(obs: ServiceObservation, staleIds: ReadonlySet<string>): InstanceCounts {
  const counts: InstanceCounts = { healthy: 0, unhealthy: 0, unknown: 0, stale: staleIds.size };
  for (const inst of obs.instances) {
    if (staleIds.has(inst.id)) continue;
    if (inst.health === 'HEALTHY') counts.healthy++;
    else if (inst.health === 'UNHEALTHY') counts.unhealthy++;
    else counts.unknown++;
  }
  return counts;
}

function compareHealth(obs: ServiceObservation, staleIds: ReadonlySet<string>, options: CompareOptions): DiscoveryFinding[] {
  const { target } = obs;
  const running = obs.tasks.filter((t) => t.lastStatus === 'RUNNING').length;
  const live = obs.instances.filter((i) => !staleIds.has(i.id));
  // Without a health check Cloud Map answers every instance (health UNKNOWN): they all serve.
  const serving = live.filter((i) => i.health === 'HEALTHY' || (i.health === 'UNKNOWN' && !target.hasHealthCheck));
  if (running > 0 && serving.length === 0) {
    const stale = obs.instances.length - live.length;
    const what = live.length === 0 ? 'no live instance is registered' : `none of its ${live.length} instance(s) is healthy`;
    return [
      finding(
        target,
        'NoHealthyInstances',
        `${label(target)}: ${running} task(s) of ${ecsLabel(target)} are RUNNING but ${what}${stale > 0 ? ` (${stale} stale instance(s) registered)` : ''}; DNS answers no running task`,
      ),
    ];
  }
  const unhealthy = live.filter((i) => i.health === 'UNHEALTHY');
  if (unhealthy.length > 0 && (unhealthy.length * 100) / live.length > options.maxUnhealthyPercent) {
    const first = unhealthy[0]!;
    return [
      finding(
        target,
        'UnhealthyInstances',
        `${label(target)}: ${unhealthy.length} of ${live.length} instance(s) are UNHEALTHY (threshold ${options.maxUnhealthyPercent}%): ${listInstances(unhealthy)}`,
        {
          instanceId: first.id,
          ...(ipOf(first) ? { ip: ipOf(first)! } : {}),
        },
      ),
    ];
  }
  return [];
}

function routingMismatch(policy: 'MULTIVALUE' | 'WEIGHTED', r: RecordView): string | undefined {
  if (policy === 'MULTIVALUE' && (r.multiValueAnswer !== true || r.weight !== undefined)) {
    return r.weight !== undefined ? `Weight ${r.weight}` : 'no MultiValueAnswer';
  }
  if (policy === 'WEIGHTED' && (r.weight === undefined || r.multiValueAnswer === true)) {
    return r.multiValueAnswer === true ? 'MultiValueAnswer' : 'no Weight';
  }
  return undefined;
}

function compareRecords(obs: ServiceObservation): DiscoveryFinding[] {
  const { target, records } = obs;
  const dns = target.dns;
  if (records === undefined || !dns) return [];
  const serviceName = serviceRecordName(target);
  const ttlByType = new Map(dns.records.map((r) => [r.type, r.ttl]));
  const hasSrv = ttlByType.has('SRV');
  const instances = new Map(obs.instances.map((i) => [i.id, i]));
  const out: DiscoveryFinding[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    if (!DNS_RECORD_TYPES.has(r.type)) continue;
    const atService = r.name === serviceName;
    // SRV targets: `<instance>.<service>.<namespace>.` A/AAAA records (one label, SRV services only).
    const host = !atService && hasSrv && r.name.endsWith(`.${serviceName}`) ? r.name.slice(0, -serviceName.length - 1) : undefined;
    const hostOf = host !== undefined && !host.includes('.') && (r.type === 'A' || r.type === 'AAAA') ? host : undefined;
    if (!atService && hostOf === undefined) continue;
    const ownerId = atService ? r.setIdentifier : (r.setIdentifier ?? hostOf);
    const inst = ownerId !== undefined ? instances.get(ownerId) : undefined;
    const value = r.values[0];
    const ip = (r.type === 'A' || r.type === 'AAAA') && value !== undefined ? value : undefined;
    const extra = { record: recordLabel(r), ...(ownerId !== undefined ? { instanceId: ownerId } : {}), ...(ip ? { ip } : {}) };
    if (!inst) {
      out.push(
        finding(
          target,
          'RecordWithoutInstance',
          `${label(target)}: record set ${recordLabel(r)}${value ? ` -> ${value}` : ''} has no registered instance${ownerId ? ` ${ownerId}` : ''}`,
          extra,
        ),
      );
      continue;
    }
    if (atService) seen.add(`${r.type}|${inst.id}`);
    const want = atService ? expectedValue(inst, r.type, serviceName) : inst.attributes[r.type === 'A' ? 'AWS_INSTANCE_IPV4' : 'AWS_INSTANCE_IPV6'];
    if (!sameValue(r, want, r.type)) {
      out.push(
        finding(
          target,
          'RecordWithoutInstance',
          `${label(target)}: record set ${recordLabel(r)} -> ${value ?? '(empty)'} but instance ${inst.id} has ${want}`,
          extra,
        ),
      );
    }
    const ttl = ttlByType.get(atService ? r.type : 'SRV');
    if (ttl !== undefined && r.ttl !== undefined && r.ttl !== ttl) {
      out.push(
        finding(
          target,
          'RecordTtlMismatch',
          `${label(target)}: record set ${recordLabel(r)}${ip ? ` (${ip})` : ''} has TTL ${r.ttl}, the service's DNS config says ${ttl}`,
          extra,
        ),
      );
    }
    const mismatch = atService ? routingMismatch(dns.routingPolicy, r) : undefined;
    if (mismatch) {
      out.push(
        finding(
          target,
          'RoutingPolicyMismatch',
          `${label(target)}: record set ${recordLabel(r)}${ip ? ` (${ip})` : ''} has ${mismatch}, the service's routing policy is ${dns.routingPolicy}`,
          extra,
        ),
      );
    }
  }
  for (const inst of obs.instances) {
    for (const { type } of dns.records) {
      if (!expectsRecord(inst, type) || seen.has(`${type}|${inst.id}`)) continue;
      const ip = ipOf(inst);
      out.push(
        finding(target, 'InstanceWithoutRecord', `${label(target)}: instance ${inst.id}${ip ? ` (${ip})` : ''} has no ${type} record set at ${serviceName}`, {
          instanceId: inst.id,
          ...(ip ? { ip } : {}),
        }),
      );
    }
  }
  return out;
}

/** Compares one service's three views. Pure. */
export function compareService(obs: ServiceObservation, options: CompareOptions): ServiceComparison {
  const stale = findStale(obs);
  const staleIds = new Set(stale.map((s) => s.instanceId));
  const findings = [...compareTasks(obs, stale, options), ...compareHealth(obs, staleIds, options), ...compareRecords(obs)];
  return {
    findings: sortFindings(findings),
    counts: countInstances(obs, staleIds),
    runningTasks: obs.tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    stale,
  };
}

/** What the zone check of one DNS namespace needs. */
export interface NamespaceObservation {
  readonly key: string;
  readonly name: string;
  readonly type: 'HTTP' | 'DNS_PRIVATE' | 'DNS_PUBLIC';
  readonly hostedZoneId?: string;
  /** The VPC the namespace was created in, when known. */
  readonly vpc?: string;
  /** GetHostedZone's answer; undefined when the namespace has no zone id. */
  readonly zone?: ZoneView;
}

/** Hosted zone checks of one namespace. Pure. */
export function compareNamespace(ns: NamespaceObservation): DiscoveryFinding[] {
  if (ns.type === 'HTTP') return [];
  const base = { kind: 'CloudMapNamespace' as const, key: ns.key, name: ns.name };
  if (!ns.hostedZoneId || !ns.zone || !ns.zone.exists) {
    const which = ns.hostedZoneId ? `hosted zone ${ns.hostedZoneId}` : 'a hosted zone';
    return [{ ...base, reason: 'HostedZoneMissing', message: `CloudMapNamespace ${ns.name}: ${which} does not exist; no name in the namespace resolves` }];
  }
  if (ns.type !== 'DNS_PRIVATE') return [];
  const vpcs = ns.zone.vpcs;
  if (vpcs.length === 0 || (ns.vpc !== undefined && !vpcs.includes(ns.vpc))) {
    const expected = ns.vpc ?? 'its VPC';
    const has = vpcs.length === 0 ? 'no VPC' : `only ${vpcs.join(', ')}`;
    return [
      {
        ...base,
        reason: 'HostedZoneVpcNotAssociated',
        message: `CloudMapNamespace ${ns.name}: private hosted zone ${ns.zone.id} is not associated with ${expected} (it has ${has}); tasks in the VPC cannot resolve the namespace`,
      },
    ];
  }
  return [];
}

/** Findings in a stable order: key, reason, instance, task, record. */
export function sortFindings(findings: readonly DiscoveryFinding[]): DiscoveryFinding[] {
  const k = (f: DiscoveryFinding): string => [f.key, f.reason, f.instanceId ?? '', f.taskArn ?? '', f.record ?? '', f.message].join('\u0000');
  return [...findings].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}
