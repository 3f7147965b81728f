import { CallCounter, countCalls } from '../aws/call-counter.js';
import { AwsError } from '../aws/errors.js';
import { mapLimit } from '../util/map-limit.js';
import type { LiveSet } from '../kit/types.js';
import { compareNamespace, compareService, serviceRecordName, sortFindings, type NamespaceObservation } from './compare.js';
import { publishDiscoveryReport } from './publish.js';
import { followsCounts, namespacesToSweep, readInstanceCounts } from './instance-counts.js';
import { discoverAll, deregisterInstance, instancesRevision } from './read-cloudmap.js';
import { ecsMark, TaskKeeper } from './compact.js';
import { describeTasksById, listAliveTasks } from './read-ecs.js';
import { readZone, readZoneRecords } from './read-route53.js';
import { remediationCandidates, serviceTtlSeconds } from './remediation.js';
import { planTaskReads } from './task-reads.js';
import { discoveryTargets, targetNamespaces } from './targets.js';
import type { DiscoveryChecker, DiscoveryCheckerOptions } from './checker-options.js';
import type {
  DiscoveryFinding,
  DiscoveryReport,
  DiscoveryTarget,
  InstanceView,
  RecordView,
  RemediationRecord,
  ServiceHealth,
  TaskView,
  UnreadableScope,
} from './types.js';

export type { DiscoveryChecker, DiscoveryCheckerOptions, DiscoveryLogger } from './checker-options.js';

/**
 * What is kept of one Cloud Map service between checks. A class (fields set once, in one
 * order, never deleted) so every entry has the same shape: spreads and `delete` gave each
 * entry a hidden class of its own.
 */
class ServiceCache {
  constructor(
    public revision: number | undefined,
    /** The service's InstanceCount (namespace sweep) when its instances were last read or verified. */
    public instanceCount: number | undefined,
    /** ecsMark when the tasks were read. */
    readonly ecs: string,
    /** Kept tasks (TaskKeeper). */
    readonly tasks: readonly TaskView[],
    public instances: readonly InstanceView[],
    readonly readAt: number,
  ) {}
}

interface ZoneCache {
  count?: number;
  records: RecordView[];
  readAt: number;
}

/** What one target needs this check. */
interface TargetState {
  readonly target: DiscoveryTarget;
  instances?: readonly InstanceView[];
  revision?: number;
  /** InstanceCount from this check's namespace sweep, when the namespace was swept. */
  instanceCount?: number;
  instancesChanged: boolean;
  tasks?: readonly TaskView[];
  refreshed: boolean;
  error?: string;
}

const DEFAULTS = { missingGraceMs: 60_000, maxUnhealthyPercent: 25, fullReadIntervalMs: 5 * 60_000, concurrency: 4 };
/** A deregistration is not sent again for the same instance within this time (its operation is async). */
const REMEDIATION_RETRY_MS = 60_000;

function reasonOf(err: unknown): string {
  return err instanceof AwsError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
}

/** Creates a checker. See DiscoveryCheckerOptions for the defaults. */
export function createDiscoveryChecker(options: DiscoveryCheckerOptions): DiscoveryChecker {
  return new Checker(options);
}

class Checker implements DiscoveryChecker {
  private readonly clock: { now(): number };
  private readonly settings: typeof DEFAULTS;
  /** By Cloud Map service id (shorter than its ARN; one account and region per checker). */
  private readonly services = new Map<string, ServiceCache>();
  private readonly zones = new Map<string, ZoneCache>();
  private readonly zoneVpcs = new Map<string, string>();
  /** Kept STOPPED tasks by id (= the id of the instance they left registered). */
  private readonly stoppedTasks = new Map<string, TaskView>();
  /** By `<service id>|<instance id>`. */
  private firstSeenStale = new Map<string, number>();
  /** By `<service id>|<instance id>`. */
  private readonly remediatedAt = new Map<string, number>();
  private readonly tasks = new TaskKeeper();

  constructor(private readonly options: DiscoveryCheckerOptions) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.settings = {
      missingGraceMs: options.missingGraceMs ?? DEFAULTS.missingGraceMs,
      maxUnhealthyPercent: options.maxUnhealthyPercent ?? DEFAULTS.maxUnhealthyPercent,
      fullReadIntervalMs: options.fullReadIntervalMs ?? DEFAULTS.fullReadIntervalMs,
      concurrency: Math.max(1, options.concurrency ?? DEFAULTS.concurrency),
    };
  }

  async check(live: LiveSet, signal?: AbortSignal): Promise<DiscoveryReport> {
    const started = this.clock.now();
    const counter = new CallCounter();
    const partial = await countCalls(counter, () => this.run(live, started, signal));
    const report: DiscoveryReport = { ...partial, calls: counter.snapshot(), durationMs: Math.max(0, this.clock.now() - started) };
    if (this.options.metrics || this.options.status) publishDiscoveryReport(report, { metrics: this.options.metrics, status: this.options.status });
    return report;
  }

  private guard(signal: AbortSignal | undefined, err: unknown): void {
    if (signal?.aborted) throw signal.reason;
    this.options.logger?.debug({ error: reasonOf(err) }, 'discovery read failed');
  }

  private async run(live: LiveSet, now: number, signal?: AbortSignal): Promise<Omit<DiscoveryReport, 'calls' | 'durationMs'>> {
    const { clients } = this.options;
    const limit = this.settings.concurrency;
    const unreadable: UnreadableScope[] = [];
    const targets = discoveryTargets(live, this.options.controllerId === undefined ? {} : { controllerId: this.options.controllerId });

    // Zones: one GetHostedZone per DNS namespace (record count and VPCs).
    const namespaces = await mapLimit(targetNamespaces(live, targets), limit, async (ns): Promise<NamespaceObservation | undefined> => {
      if (!ns.hostedZoneId) return ns;
      try {
        const zone = await readZone(clients.route53, ns.hostedZoneId, signal);
        const known = ns.vpc ?? this.zoneVpcs.get(ns.hostedZoneId);
        if (known) this.zoneVpcs.set(ns.hostedZoneId, known);
        else if (zone.vpcs[0]) this.zoneVpcs.set(ns.hostedZoneId, zone.vpcs[0]);
        return { ...ns, zone, ...(known ? { vpc: known } : {}) };
      } catch (err) {
        this.guard(signal, err);
        unreadable.push({ scope: `${ns.key}/zone`, reason: reasonOf(err) });
        return undefined;
      }
    });
    const zoneOf = new Map(namespaces.flatMap((n) => (n ? [[n.key, n] as const] : [])));

    // Cloud Map: instance counts of whole namespaces in pages, then per service only what may have moved.
    const counts = this.options.singleCheck ? new Map<string, number>() : await this.readCounts(live, targets, signal);
    const states = await mapLimit(targets, limit, (t) => this.readInstances(live, t, counts.get(t.arn), now, signal));

    // ECS: tasks of targets whose instances or ECS counts changed, per service or per cluster.
    await this.readTasks(live, states, now, signal);
    await this.readStoppedTasks(states, signal);

    // Route 53: zone record sets, re-read when the count or an instance list changed.
    const zoneRecords = new Map<string, RecordView[]>();
    const zoneReport: { namespaceKey: string; zoneId: string; refreshed: boolean }[] = [];
    await mapLimit([...zoneOf.values()], limit, async (ns) => {
      if (!ns.zone?.exists || !ns.hostedZoneId) return;
      const zoneId = ns.hostedZoneId;
      const cached = this.zones.get(zoneId);
      const changed = states.some((s) => s.target.namespaceKey === ns.key && (s.instancesChanged || s.refreshed));
      const fresh = cached && cached.count === ns.zone.recordCount && !changed && now - cached.readAt < this.settings.fullReadIntervalMs;
      if (fresh) {
        zoneRecords.set(ns.key, cached.records);
        zoneReport.push({ namespaceKey: ns.key, zoneId, refreshed: false });
        return;
      }
      try {
        const records = await readZoneRecords(clients.route53, zoneId, signal, keptStrings(states.filter((s) => s.target.namespaceKey === ns.key)));
        this.zones.set(zoneId, { ...(ns.zone.recordCount !== undefined ? { count: ns.zone.recordCount } : {}), records, readAt: now });
        zoneRecords.set(ns.key, records);
        zoneReport.push({ namespaceKey: ns.key, zoneId, refreshed: true });
      } catch (err) {
        this.guard(signal, err);
        unreadable.push({ scope: `${ns.key}/records`, reason: reasonOf(err) });
      }
    });

    const findings: DiscoveryFinding[] = [];
    for (const ns of zoneOf.values()) findings.push(...compareNamespace(ns));
    const services: ServiceHealth[] = [];
    const remediations: RemediationRecord[] = [];
    const staleSeen = new Map<string, number>();
    for (const s of states) {
      const t = s.target;
      if (s.error !== undefined || !s.instances || !s.tasks) {
        unreadable.push({ scope: t.key, reason: s.error ?? 'not read' });
        continue;
      }
      const name = serviceRecordName(t);
      const all = t.namespaceType === 'HTTP' ? undefined : zoneRecords.get(t.namespaceKey);
      const records = all?.filter((r) => r.name === name || r.name.endsWith(`.${name}`));
      const stopped = new Map(s.instances.flatMap((i) => (this.stoppedTasks.has(i.id) ? [[i.id, this.stoppedTasks.get(i.id)!] as const] : [])));
      const result = compareService(
        { target: t, tasks: s.tasks, stoppedTasks: stopped, instances: s.instances, ...(records ? { records } : {}) },
        { now, missingGraceMs: this.settings.missingGraceMs, maxUnhealthyPercent: this.settings.maxUnhealthyPercent },
      );
      findings.push(...result.findings);
      for (const st of result.stale) {
        const id = `${t.id}|${st.instanceId}`;
        staleSeen.set(id, this.firstSeenStale.get(id) ?? now);
      }
      services.push({
        key: t.key,
        name: t.name,
        namespace: t.namespace,
        ecsServices: t.ecsServices.map((e) => e.key),
        runningTasks: result.runningTasks,
        instances: result.counts,
        findings: result.findings.length,
        ...(t.serviceConnect ? { serviceConnect: true } : {}),
        refreshed: s.refreshed || s.instancesChanged,
      });
      // ECS owns the instances of a Service Connect service: reported, never deregistered by us.
      if (this.options.remediate?.enabled && this.options.remediate.allowed?.() !== false && !t.serviceConnect) {
        const { due } = remediationCandidates(t, result.stale, now, this.options.remediate.graceMs, (i) => staleSeen.get(`${t.id}|${i}`) ?? now);
        for (const c of due) {
          const done = await this.deregister(t, c.instance.instanceId, c.instance.ip, c.instance.task?.arn, c.stoppedSince, now, signal);
          if (done) remediations.push(done);
        }
      }
    }
    this.firstSeenStale = staleSeen;
    this.forgetGone(live, targets);
    return {
      checkedAt: new Date(now).toISOString(),
      services,
      zones: zoneReport.sort((a, b) => (a.namespaceKey < b.namespaceKey ? -1 : 1)),
      findings: sortFindings(findings),
      remediations,
      unreadable,
    };
  }

  /**
   * InstanceCount of every service in the namespaces where one ListServices sweep costs fewer
   * calls than the per-service reads it can save. A failed sweep only costs those reads.
   */
  private async readCounts(live: LiveSet, targets: readonly DiscoveryTarget[], signal?: AbortSignal): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    await mapLimit(namespacesToSweep(live, targets), this.settings.concurrency, async (namespaceId) => {
      try {
        for (const [arn, n] of await readInstanceCounts(this.options.clients.serviceDiscovery, namespaceId, signal)) counts.set(arn, n);
      } catch (err) {
        this.guard(signal, err);
      }
    });
    return counts;
  }

  private async readInstances(live: LiveSet, target: DiscoveryTarget, count: number | undefined, now: number, signal?: AbortSignal): Promise<TargetState> {
    const sd = this.options.clients.serviceDiscovery;
    const cached = this.services.get(target.id);
    const state: TargetState = { target, instancesChanged: false, refreshed: false, ...(count !== undefined ? { instanceCount: count } : {}) };
    try {
      const old = !cached || now - cached.readAt >= this.settings.fullReadIntervalMs;
      // Nothing moved: same instance count as when last read, same ECS counts. No call at all.
      if (!old && count !== undefined && count === cached!.instanceCount && cached!.ecs === ecsMark(live, target) && followsCounts(target, cached!.instances)) {
        return { ...state, instances: cached!.instances, ...(cached!.revision !== undefined ? { revision: cached!.revision } : {}) };
      }
      if (!old && !target.hasHealthCheck) {
        const revision = await instancesRevision(sd, target.namespace, target.name, signal);
        if (revision === undefined) return { ...state, error: 'the Cloud Map service no longer exists' };
        if (revision === cached!.revision) return { ...state, instances: cached!.instances, revision };
      }
      const read = await discoverAll(sd, target.namespace, target.name, signal);
      if (!read) return { ...state, error: 'the Cloud Map service no longer exists' };
      return {
        ...state,
        instances: read.instances,
        ...(read.revision !== undefined ? { revision: read.revision } : {}),
        instancesChanged: old || read.revision !== cached?.revision,
      };
    } catch (err) {
      this.guard(signal, err);
      return { ...state, error: reasonOf(err) };
    }
  }

  private async readTasks(live: LiveSet, states: TargetState[], now: number, signal?: AbortSignal): Promise<void> {
    const needing: TargetState[] = [];
    for (const s of states) {
      if (s.error !== undefined) continue;
      const cached = this.services.get(s.target.id);
      if (cached && !s.instancesChanged && cached.ecs === ecsMark(live, s.target) && now - cached.readAt < this.settings.fullReadIntervalMs) {
        s.tasks = cached.tasks;
        continue;
      }
      needing.push(s);
    }
    if (needing.length === 0) return;
    const reads = planTaskReads(
      live,
      needing.flatMap((s) => s.target.ecsServices),
    );
    const byService = new Map<string, TaskView[]>();
    const failed = new Map<string, string>();
    await mapLimit(reads, this.settings.concurrency, async (read) => {
      try {
        const tasks = await listAliveTasks(this.options.clients.ecs, read.cluster, read.service, signal);
        for (const name of read.services) byService.set(`${read.cluster}/${name}`, []);
        for (const t of tasks) if (t.service !== undefined) byService.get(`${read.cluster}/${t.service}`)?.push(t);
      } catch (err) {
        this.guard(signal, err);
        for (const name of read.services) failed.set(`${read.cluster}/${name}`, reasonOf(err));
      }
    });
    for (const s of needing) {
      const ids = s.target.ecsServices.map((e) => `${e.cluster}/${e.name}`);
      const error = ids.map((id) => failed.get(id)).find((e) => e !== undefined);
      if (error !== undefined) {
        s.error = error;
        continue;
      }
      // Kept between checks: compact tasks, in an array of exactly their number (map, not push).
      const sameId = instanceIds(s.instances ?? []);
      s.tasks = ids.flatMap((id) => byService.get(id) ?? []).map((t) => this.tasks.keep(t, (id) => sameId.get(id)));
      s.refreshed = true;
      this.services.set(s.target.id, new ServiceCache(s.revision, s.instanceCount, ecsMark(live, s.target), s.tasks, s.instances ?? [], now));
    }
    for (const s of states) {
      const cached = this.services.get(s.target.id);
      if (cached && !s.refreshed && s.instances) {
        cached.instances = s.instances;
        if (s.revision !== undefined) cached.revision = s.revision;
        cached.instanceCount = s.instanceCount;
      }
    }
  }

  /** Describes (once) the tasks of instances no alive task matches, for their stop time and reason. */
  private async readStoppedTasks(states: TargetState[], signal?: AbortSignal): Promise<void> {
    // By cluster: the ids of instances to describe, each by itself (the kept task shares the instance's id string).
    const byCluster = new Map<string, Map<string, string>>();
    for (const s of states) {
      if (!s.instances || !s.tasks) continue;
      const ids = new Set(s.tasks.map((t) => t.id));
      const ips = new Set(s.tasks.flatMap((t) => (t.ip ? [t.ip] : [])));
      for (const i of s.instances) {
        const ip = i.attributes['AWS_INSTANCE_IPV4'];
        if (ids.has(i.id) || (ip !== undefined && ips.has(ip)) || this.stoppedTasks.has(i.id)) continue;
        const cluster = i.attributes['ECS_CLUSTER_NAME'] ?? s.target.ecsServices[0]?.cluster;
        if (cluster === undefined) continue;
        const wanted = byCluster.get(cluster) ?? new Map<string, string>();
        wanted.set(i.id, i.id);
        byCluster.set(cluster, wanted);
      }
    }
    await mapLimit([...byCluster], this.settings.concurrency, async ([cluster, ids]) => {
      try {
        for (const t of await describeTasksById(this.options.clients.ecs, cluster, [...ids.keys()], signal)) {
          // STOPPED is final: cache it. A task still stopping is looked at again next time.
          if (t.lastStatus === 'STOPPED') {
            const kept = this.tasks.keep(t, (id) => ids.get(id));
            this.stoppedTasks.set(kept.id, kept);
          } else for (const s of states) if (s.instances?.some((i) => i.id === t.id)) s.tasks = [...(s.tasks ?? []), t];
        }
      } catch (err) {
        // Without the stop time the finding still stands; remediation falls back to first-seen time.
        this.guard(signal, err);
      }
    });
  }

  private async deregister(
    target: DiscoveryTarget,
    instanceId: string,
    ip: string | undefined,
    taskArn: string | undefined,
    stoppedSince: number,
    now: number,
    signal?: AbortSignal,
  ): Promise<RemediationRecord | undefined> {
    const id = `${target.id}|${instanceId}`;
    const last = this.remediatedAt.get(id);
    // Sent by an earlier check and still in progress: neither sent nor counted again.
    if (last !== undefined && now - last < REMEDIATION_RETRY_MS) return undefined;
    const base = { action: 'DeregisterInstance' as const, key: target.key, instanceId, ...(ip ? { ip } : {}), ...(taskArn ? { taskArn } : {}), stoppedSince };
    const audit = {
      audit: true,
      action: 'DeregisterInstance',
      service: target.key,
      serviceId: target.id,
      instanceId,
      ip,
      taskArn,
      stoppedSince: new Date(stoppedSince).toISOString(),
      ttlSeconds: serviceTtlSeconds(target),
      graceMs: this.options.remediate?.graceMs,
    };
    try {
      const out = await deregisterInstance(this.options.clients.serviceDiscovery, target.id, instanceId, signal);
      this.remediatedAt.set(id, now);
      const cached = this.services.get(target.id);
      if (cached) cached.revision = undefined;
      if (!out) {
        this.options.logger?.info({ ...audit, result: 'gone' }, 'stale Cloud Map instance was already deregistered');
        return { ...base, result: 'gone' };
      }
      this.options.logger?.warn({ ...audit, result: 'submitted', operationId: out.operationId }, 'remediation: deregistered stale Cloud Map instance');
      return { ...base, result: 'submitted', ...(out.operationId ? { operationId: out.operationId } : {}) };
    } catch (err) {
      this.guard(signal, err);
      this.options.logger?.warn({ ...audit, result: 'error', error: reasonOf(err) }, 'remediation failed: could not deregister stale Cloud Map instance');
      return { ...base, result: 'error', error: reasonOf(err) };
    }
  }

  /**
   * Drops what belongs to services and zones no longer checked, so every map here is bounded
   * by what exists: the current targets, their zones and registered instances. A zone's VPC
   * is remembered while its namespace exists (checked again later, the zone is compared with it).
   */
  private forgetGone(live: LiveSet, targets: readonly DiscoveryTarget[]): void {
    const ids = new Set(targets.map((t) => t.id));
    for (const id of [...this.services.keys()]) if (!ids.has(id)) this.services.delete(id);
    const zones = new Set(targets.flatMap((t) => (t.hostedZoneId ? [t.hostedZoneId] : [])));
    for (const z of [...this.zones.keys()]) if (!zones.has(z)) this.zones.delete(z);
    const namespaceZones = new Set([...live.resources.values()].flatMap((r) => (r.kind === 'CloudMapNamespace' && r.hostedZoneId ? [r.hostedZoneId] : [])));
    for (const z of [...this.zoneVpcs.keys()]) if (!namespaceZones.has(z)) this.zoneVpcs.delete(z);
    const instanceIds = new Set([...this.services.values()].flatMap((c) => c.instances.map((i) => i.id)));
    for (const id of [...this.stoppedTasks.keys()]) if (!instanceIds.has(id)) this.stoppedTasks.delete(id);
    for (const [id, at] of [...this.remediatedAt])
      if (!ids.has(id.split('|')[0]!) || at < this.clock.now() - 10 * REMEDIATION_RETRY_MS) this.remediatedAt.delete(id);
    this.tasks.forgetAllBut([...[...this.services.values()].flatMap((c) => c.tasks), ...this.stoppedTasks.values()]);
  }
}

/** The instances' ids by themselves: kept tasks share these strings instead of keeping equal ones. */
function instanceIds(instances: readonly InstanceView[]): Map<string, string> {
  return new Map(instances.map((i) => [i.id, i.id]));
}

/** The strings the checker keeps anyway for these targets (instance ids and IPs), to share with their record sets. */
function keptStrings(states: readonly TargetState[]): (value: string) => string {
  const kept = new Map<string, string>();
  for (const s of states) {
    for (const i of s.instances ?? []) {
      kept.set(i.id, i.id);
      for (const ip of [i.attributes['AWS_INSTANCE_IPV4'], i.attributes['AWS_INSTANCE_IPV6']]) if (ip !== undefined) kept.set(ip, ip);
    }
  }
  return (value) => kept.get(value) ?? value;
}
