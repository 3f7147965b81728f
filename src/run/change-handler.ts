/**
 * Turns a batch of change events into re-observes of just the managed resources they name,
 * puts the results into the newest snapshot, and enqueues those keys. Events that name nothing
 * managed cost no AWS call; repeated events only re-read (the plan of an unchanged resource is
 * a no-op). The periodic resync stays the safety net for events that never arrive.
 */
import type { Logger } from 'pino';
import type { AwsClients } from '../aws/clients.js';
import { AwsError } from '../aws/errors.js';
import type { LiveCloudMapService, LiveNamespace, LiveResource } from '../kit/types.js';
import { cloudMapServiceKey, ecsServiceKey } from '../manifests/keys.js';
import type { ControllerMetrics } from '../observability/metrics.js';
import type { ObserveCaches } from '../observe/index.js';
import { parseChangeEvent, type ChangeRef } from '../observe/change-events.js';
import { observeCloudMapService, observeEcsService, type ObservedOne } from '../observe/observe-one.js';
import type { Snapshot } from './scanner.js';
import { mapLimit } from '../util/map-limit.js';
import { errorMessage } from '../util/errors.js';

export interface ChangeHandlerDeps {
  readonly latest: () => Snapshot | undefined;
  readonly clients: AwsClients;
  readonly caches: ObserveCaches;
  /** Puts re-observed resources (undefined: gone) into the newest snapshot. */
  readonly patch: (updates: ReadonlyMap<string, LiveResource | undefined>, observedAt: number) => void;
  readonly enqueue: (key: string) => void;
  /** A full (debounced) re-observe, for changes one read cannot place (a namespace, a service not seen yet). */
  readonly requestRescan: () => void;
  readonly metrics: ControllerMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** One read to make: what it reads and the managed key it refreshes. */
type Target =
  | { readonly type: 'ecs'; readonly key: string; readonly cluster: string; readonly service: string }
  | { readonly type: 'cloudmap'; readonly key: string; readonly id: string; tagsChanged: boolean }
  | { readonly type: 'rescan'; readonly key: string };

interface SnapshotIndex {
  readonly serviceById: Map<string, LiveCloudMapService>;
  readonly serviceByArn: Map<string, LiveCloudMapService>;
  readonly namespaceById: Map<string, LiveNamespace>;
  readonly namespaceByZone: Map<string, LiveNamespace>;
}

function indexOf(snap: Snapshot): SnapshotIndex {
  const idx: SnapshotIndex = { serviceById: new Map(), serviceByArn: new Map(), namespaceById: new Map(), namespaceByZone: new Map() };
  for (const r of snap.live.resources.values()) {
    if (r.kind === 'CloudMapService') {
      idx.serviceById.set(r.id, r);
      idx.serviceByArn.set(r.arn, r);
    } else if (r.kind === 'CloudMapNamespace') {
      idx.namespaceById.set(r.id, r);
      if (r.hostedZoneId) idx.namespaceByZone.set(r.hostedZoneId, r);
    }
  }
  return idx;
}

const RE_OBSERVE_CONCURRENCY = 4;

export class ChangeHandler {
  private readonly indexes = new WeakMap<Snapshot, SnapshotIndex>();
  private readonly now: () => number;

  constructor(private readonly deps: ChangeHandlerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Handles one batch of message bodies; resolves to whether each message is done with (to be
   * deleted). A message whose re-observe failed is kept, so the queue delivers it again.
   */
  async handle(bodies: readonly string[]): Promise<boolean[]> {
    const { metrics } = this.deps;
    const snap = this.deps.latest();
    const done = bodies.map(() => true);
    const targets = new Map<string, Target>();
    const needs = bodies.map(() => [] as string[]);
    bodies.forEach((body, i) => {
      const parsed = parseChangeEvent(body);
      if (parsed.kind !== 'change') {
        metrics.recordEventIgnored(parsed.kind === 'malformed' ? 'malformed' : 'irrelevant');
        if (parsed.kind === 'malformed') this.deps.logger.warn({ reason: parsed.reason }, 'malformed message on the events queue; deleted');
        return;
      }
      // Before the first scan nothing is known to be managed, and that scan reads everything anyway.
      const found = snap ? parsed.refs.flatMap((ref) => this.resolve(snap, ref, parsed.tagsChanged)) : [];
      if (found.length === 0) {
        metrics.recordEventIgnored('unmanaged');
        return;
      }
      metrics.recordEventHandled();
      for (const t of found) {
        const id = `${t.type}:${t.key}`;
        const known = targets.get(id);
        if (known?.type === 'cloudmap' && t.type === 'cloudmap') known.tagsChanged ||= t.tagsChanged;
        else if (!known) targets.set(id, t);
        needs[i]?.push(id);
      }
    });
    if (targets.size === 0 || !snap) return done;

    const startedAt = this.now();
    const updates = new Map<string, LiveResource | undefined>();
    const failed = new Set<string>();
    let rescan = false;
    await mapLimit([...targets.entries()], RE_OBSERVE_CONCURRENCY, async ([id, t]) => {
      try {
        const result = await this.observe(snap, t);
        if ('found' in result) updates.set(t.key, result.found);
        else if ('absent' in result) updates.set(t.key, undefined);
        else rescan = true;
      } catch (err) {
        failed.add(id);
        this.deps.logger.warn(
          { key: t.key, error: err instanceof AwsError ? `${err.code}: ${err.message}` : errorMessage(err) },
          'could not re-observe a changed resource; its event is kept for another delivery',
        );
      }
    });
    if (updates.size > 0) this.deps.patch(updates, startedAt);
    if (rescan) this.deps.requestRescan();
    for (const [id, t] of targets) if (!failed.has(id) && t.type !== 'rescan') this.deps.enqueue(t.key);
    return done.map((d, i) => d && !(needs[i] ?? []).some((id) => failed.has(id)));
  }

  private async observe(snap: Snapshot, t: Target): Promise<ObservedOne<LiveResource>> {
    const { clients, caches } = this.deps;
    switch (t.type) {
      case 'ecs':
        return observeEcsService(clients, caches, snap.live, t.cluster, t.service);
      case 'cloudmap':
        return observeCloudMapService(clients, caches, snap.live, t.id, t.tagsChanged);
      case 'rescan':
        return { unplaced: t.key };
    }
  }

  /** The managed resources a reference names, with no AWS call; none when it names nothing managed. */
  private resolve(snap: Snapshot, ref: ChangeRef, tagsChanged: boolean): Target[] {
    const managed = (key: string): boolean => snap.byKey.has(key);
    let idx = this.indexes.get(snap);
    if (!idx) {
      idx = indexOf(snap);
      this.indexes.set(snap, idx);
    }
    switch (ref.type) {
      case 'ecs-service': {
        const key = ecsServiceKey(ref.cluster, ref.service);
        return managed(key) ? [{ type: 'ecs', key, cluster: ref.cluster, service: ref.service }] : [];
      }
      case 'cloudmap-service': {
        const live = (ref.id !== undefined ? idx.serviceById.get(ref.id) : undefined) ?? (ref.arn !== undefined ? idx.serviceByArn.get(ref.arn) : undefined);
        const ns = ref.namespaceId !== undefined ? idx.namespaceById.get(ref.namespaceId) : undefined;
        const key = live?.key ?? (ns && ref.name !== undefined ? cloudMapServiceKey(ns.name, ref.name) : undefined);
        if (key === undefined || !managed(key)) return [];
        const id = ref.id ?? live?.id;
        return id !== undefined ? [{ type: 'cloudmap', key, id, tagsChanged }] : [{ type: 'rescan', key }];
      }
      case 'cloudmap-namespace': {
        const ns = (ref.id !== undefined ? idx.namespaceById.get(ref.id) : undefined) ?? [...idx.namespaceById.values()].find((n) => n.arn === ref.arn);
        return ns && managed(ns.key) ? [{ type: 'rescan', key: ns.key }] : [];
      }
      case 'route53-records': {
        const ns = idx.namespaceByZone.get(ref.zoneId);
        if (!ns) return [];
        const suffix = `.${ns.name}`;
        return ref.names.flatMap((name): Target[] => {
          const fqdn = name.replace(/\.$/, '');
          if (!fqdn.endsWith(suffix)) return [];
          const key = cloudMapServiceKey(ns.name, fqdn.slice(0, -suffix.length));
          const live = snap.live.resources.get(key);
          return managed(key) && live?.kind === 'CloudMapService' ? [{ type: 'cloudmap', key, id: live.id, tagsChanged: false }] : [];
        });
      }
    }
  }
}
