import { DEFAULT_CLUSTER } from '../kinds/ecs-service/normalize.js';
import { KINDS } from '../kinds/registry.js';
import type { KindRegistry } from '../kit/kind-module.js';
import type { DesiredResource } from '../manifests/types.js';
import type { LiveCloudMapService, LiveEcsService, LiveResource, LiveRevisionFamily, LiveSet } from '../kit/types.js';
import { scanRevisionFamily } from './revision-scan.js';
import { CallCounter, countCalls } from '../aws/call-counter.js';
import type { AwsClients } from '../aws/clients.js';
import type { ObserveCaches } from './caches.js';
import { scanCloudMap } from './cloudmap-scan.js';
import { convertCloudMapService } from '../kinds/cloudmap-service/convert.js';
import { convertEcsService, primaryTaskDefinition } from '../kinds/ecs-service/convert.js';
import type { NamespaceIdentity } from '../kinds/ecs-service/service-connect.js';
import { convertNamespace } from '../kinds/cloudmap-namespace/convert.js';
import { describeTaskDefinitions, scanCluster, type ScannedService } from './ecs-scan.js';
import { createLimit } from '../util/map-limit.js';
import { nameFromArn } from '../kit/ownership.js';
import { SubtreePool } from '../util/compact.js';
import { previousIfEqual, previousOrCompact } from '../util/previous-if-equal.js';

/**
 * What to read. All Cloud Map namespaces are always listed (one cheap call), so owned
 * resources whose manifests were removed are still found for pruning.
 */
export interface ObserveScope {
  /** ECS clusters (names or ARNs) whose services are all read. */
  clusters: readonly string[];
  /** When given, only these namespaces' services are read; absent = every namespace. */
  namespaces?: readonly string[];
  /**
   * Task definition families whose ACTIVE revisions are read for tidying (LiveSet.revisions);
   * absent = none (no calls). See revisionFamiliesOf.
   */
  revisionFamilies?: readonly string[];
}

export interface ObserveOptions {
  /** AWS calls in flight at once within the whole scan (the rate limiter paces them further). Default 8. */
  concurrency?: number;
  /** The kinds whose own observe parts run after the batched scans (default: the product's registry). */
  kinds?: KindRegistry;
  /**
   * Find owned Cloud Map resources in pages (Resource Groups Tagging API) instead of one tag
   * read per resource; absent = every resource's tags are read (what `import` needs). Unowned
   * resources no manifest names then come back with tags `{}` (see resolveCloudMapTags).
   */
  owners?: OwnersOption;
  /**
   * The live resources of the previous scan: a resource read again unchanged is that object
   * (deep-equal), taken as soon as it is converted, so the scan's own copies die young instead
   * of living in the old generation until the scan ends (~10 MB at 5,000 pairs for a minute).
   */
  previous?: ReadonlyMap<string, LiveResource>;
  /**
   * A new or changed resource is a compact copy (util/compact.ts), for a caller that keeps the
   * live set for long (the controller), so it is not walked again after the scan.
   */
  compact?: boolean;
}

/** Who "we" are and what the manifests name, for ObserveOptions.owners. */
export interface OwnersOption {
  controllerId: string;
  /** Keys of every desired resource (DesiredResource.key), plus those of invalid manifests when known. */
  desiredKeys: ReadonlySet<string>;
}

const DEFAULT_CONCURRENCY = 8;

/**
 * The clusters to scan: those of the desired ECS services plus the configured ones (where
 * owned services whose manifests were removed may still live), deduplicated by name.
 */
export function scopeFromDesired(desired: readonly DesiredResource[], configuredClusters: readonly string[] = []): ObserveScope {
  const clusters = new Set<string>();
  for (const d of desired) if (d.kind === 'EcsService') clusters.add(nameFromArn(d.manifest.spec.cluster ?? DEFAULT_CLUSTER));
  for (const c of configuredClusters) clusters.add(nameFromArn(c));
  return { clusters: [...clusters].sort() };
}

/** ObserveOptions.owners for a controller id and the desired resources (plus keys of manifests that failed to load). */
export function ownersOf(controllerId: string, desired: readonly DesiredResource[], moreKeys: Iterable<string> = []): OwnersOption {
  return { controllerId, desiredKeys: new Set([...desired.map((d) => d.key), ...moreKeys]) };
}

/** The families of the desired inline task definitions, sorted (the families whose revisions are tidied). */
export function revisionFamiliesOf(desired: readonly DesiredResource[]): string[] {
  const families = new Set<string>();
  for (const d of desired) {
    if (d.kind === 'EcsService' && d.manifest.spec.taskDefinition) families.add(d.manifest.spec.taskDefinition.family);
  }
  return [...families].sort();
}

/**
 * One scan: reads ECS services of the scope's clusters and all Cloud Map namespaces and
 * services in batches (see docs/aws-behaviour.md "Minimum calls"), and returns them in manifest shape
 * keyed like desired resources, owned or not. Task definitions and Cloud Map tags come from
 * `caches` when known. `calls` counts this scan's HTTP attempts by `service:Operation`.
 * A cluster that does not exist or may not be read lands in `unreadable`; throttling and
 * transient failures (after the SDK's retries) reject with an AwsError.
 */
export async function observe(clients: AwsClients, scope: ObserveScope, caches: ObserveCaches, options: ObserveOptions = {}): Promise<LiveSet> {
  const limit = createLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  const counter = new CallCounter();
  const resources = new Map<string, LiveResource>();
  const unreadable: LiveSet['unreadable'] = [];
  const previous = options.previous;
  const pool = options.compact ? new SubtreePool() : undefined;
  const settle = <T extends LiveResource>(live: T): T => {
    const before = previous?.get(live.key) as T | undefined;
    return pool ? previousOrCompact(before, live, pool) : previousIfEqual(before, live);
  };
  let revisions: LiveRevisionFamily[] | undefined;

  await countCalls(counter, async () => {
    const clusters = [...new Set(scope.clusters.map(nameFromArn))];
    const only = scope.namespaces ? new Set(scope.namespaces) : undefined;
    const registries = new Map<string, LiveCloudMapService>();
    const namespaces = new Map<string, NamespaceIdentity>();
    const cloudMapScan = scanCloudMap(
      clients.serviceDiscovery,
      clients.route53,
      caches,
      limit,
      only,
      options.owners ? { tagging: clients.tagging, ...options.owners } : undefined,
    ).then((cloudMap) => {
      unreadable.push(...cloudMap.unreadable);
      for (const ns of cloudMap.namespaces) {
        const converted = convertNamespace(ns.namespace, ns.tags, ns.vpc);
        if (!converted) continue;
        const liveNs = settle(converted);
        resources.set(liveNs.key, liveNs);
        namespaces.set(liveNs.arn, liveNs).set(liveNs.name, liveNs);
        for (const s of ns.services) {
          const converted = convertCloudMapService(s.summary, { id: liveNs.id, name: liveNs.name, type: liveNs.spec.type }, s.tags);
          if (!converted) continue;
          const live = settle(converted);
          resources.set(live.key, live);
          registries.set(live.arn, live);
        }
      }
    });
    // Each batch of described services becomes live resources as soon as it arrives, so the
    // AWS answers die young: describing starts once the Cloud Map services they register into
    // are known (listing the ECS services runs meanwhile), so no answer waits for them.
    const tdReads = new Map<string, Promise<void>>();
    const toLive = async (batch: ScannedService[]): Promise<LiveEcsService[]> => {
      const taskDefinitions = await describeTaskDefinitions(
        clients.ecs,
        batch.flatMap((s) => primaryTaskDefinition(s) ?? []),
        caches,
        limit,
        tdReads,
      );
      await cloudMapScan;
      return batch.flatMap((svc) => {
        const tdArn = primaryTaskDefinition(svc);
        const live = convertEcsService(
          svc,
          (arn) => registries.get(arn),
          tdArn ? taskDefinitions.get(tdArn) : undefined,
          (ns) => namespaces.get(ns),
        );
        return live ? [settle(live)] : [];
      });
    };
    const [, clusterScans] = await Promise.all([cloudMapScan, Promise.all(clusters.map((c) => scanCluster(clients.ecs, c, limit, toLive, cloudMapScan)))]);
    for (const scan of clusterScans) {
      if ('unreadable' in scan) unreadable.push({ scope: `EcsCluster/${scan.cluster}`, reason: scan.unreadable, code: scan.code });
      else for (const live of scan.services) resources.set(live.key, live);
    }

    if (scope.revisionFamilies) {
      const families = [...new Set(scope.revisionFamilies)].sort();
      revisions = await Promise.all(families.map((f) => scanRevisionFamily(clients.ecs, f, caches, limit)));
    }

    // Kinds that read their own resources (none of the product's kinds today).
    for (const kind of (options.kinds ?? KINDS).modules) {
      if (!kind.observe) continue;
      const found = await kind.observe({
        found: resources,
        unreadable: (scope, reason, code) => void unreadable.push({ scope, reason, ...(code ? { code } : {}) }),
      });
      for (const live of found) resources.set(live.key, settle(live));
    }
  });

  const live: LiveSet = { resources, calls: counter.snapshot(), unreadable };
  if (revisions) live.revisions = revisions;
  return live;
}
