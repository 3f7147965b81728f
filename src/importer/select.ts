/**
 * Which live resources one import writes, and into which file: an ECS service with the Cloud
 * Map service it registers with, the namespaces in their own file, Cloud Map services no
 * imported ECS service uses per namespace. Resources that cannot be imported are reported
 * with the reason; nothing is left out silently.
 */
import type { LiveCloudMapService, LiveEcsService, LiveNamespace, LiveResource, LiveSet } from '../kit/types.js';
import { cloudMapServiceKey, ecsServiceKey, namespaceKey } from '../manifests/keys.js';
import { nameFromArn } from '../kit/ownership.js';

/** What to import. */
export interface ImportSelection {
  readonly cluster: string;
  /** ECS services of the cluster to import; absent or empty = all of them. */
  readonly services?: readonly string[];
  /** Namespaces to import besides those the services need, each with its other Cloud Map services. */
  readonly namespaces?: readonly string[];
  /** Every namespace and Cloud Map service too. */
  readonly all?: boolean;
  /** Resources owned by another controller id are skipped. */
  readonly controllerId: string;
}

/** One output file: its path below the output directory and its resources, in document order. */
export interface PlannedFile {
  readonly path: string;
  readonly resources: LiveResource[];
}

/**
 * A resource not imported. `skipped`: owned by another controller (expected, not an error);
 * `failed`: it should have been imported but cannot be (the exit code says so).
 */
export interface ImportProblem {
  readonly resource: string;
  readonly severity: 'skipped' | 'failed';
  readonly message: string;
}

export interface ImportPlan {
  readonly files: PlannedFile[];
  readonly problems: ImportProblem[];
}

/** File of the namespaces. ECS service files are under services/, so no service name can collide with it. */
export const NAMESPACES_FILE = 'namespaces.yaml';

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function foreignOwner(live: LiveResource, controllerId: string): string | undefined {
  const owner = live.owner?.controllerId;
  return owner !== undefined && owner !== controllerId ? owner : undefined;
}

function ownedElsewhere(live: LiveResource, controllerId: string): string | undefined {
  const owner = foreignOwner(live, controllerId);
  return owner === undefined ? undefined : `${live.key} is owned by controller "${owner}" (ecs-gitops.io/controller tag)`;
}

/** Why a Cloud Map service (and so whatever registers with it) cannot be imported, if it cannot. */
function cloudMapBlocker(svc: LiveCloudMapService, set: LiveSet, controllerId: string): string | undefined {
  const own = ownedElsewhere(svc, controllerId);
  if (own) return own;
  const ns = set.resources.get(namespaceKey(svc.spec.namespace));
  if (!ns) return `its namespace ${svc.spec.namespace} was not found`;
  return ownedElsewhere(ns, controllerId);
}

/** The import of one ECS service: its file, or the problem that stops it. */
function planService(svc: LiveEcsService, set: LiveSet, controllerId: string, taken: Set<string>): PlannedFile | ImportProblem {
  const fail = (message: string): ImportProblem => ({ resource: svc.key, severity: 'failed', message });
  const own = ownedElsewhere(svc, controllerId);
  if (own) return { resource: svc.key, severity: 'skipped', message: `skipped: ${own}` };
  const unexpressed = [...(svc.unexpressed ?? []), ...(svc.taskDefinition?.unexpressed ?? []).map((p) => `taskDefinition.${p}`)];
  if (unexpressed.length > 0) {
    return fail(`not imported: live settings the manifest model cannot express: ${unexpressed.join(', ')}`);
  }
  if (!svc.taskDefinition) return fail(`not imported: its task definition ${svc.taskDefinitionArn || '(none)'} could not be described`);
  if (svc.serviceRegistryArns.length > 1) {
    return fail(`not imported: it registers with ${svc.serviceRegistryArns.length} Cloud Map services; a manifest names one (spec.discovery)`);
  }
  const resources: LiveResource[] = [];
  const discovery = svc.spec.discovery;
  if (svc.serviceRegistryArns.length === 1 && !discovery) {
    return fail(`not imported: its Cloud Map service ${svc.serviceRegistryArns[0]} was not found in any readable namespace`);
  }
  if (discovery) {
    const key = cloudMapServiceKey(discovery.namespace, discovery.service);
    const cm = set.resources.get(key);
    if (cm?.kind !== 'CloudMapService') return fail(`not imported: its Cloud Map service ${key} was not found`);
    const blocker = cloudMapBlocker(cm, set, controllerId);
    if (blocker) return { resource: svc.key, severity: 'skipped', message: `skipped: it registers with ${key}, and ${blocker}` };
    if (!taken.has(cm.key)) resources.push(cm);
    taken.add(cm.key);
  }
  resources.push(svc);
  return { path: `services/${svc.name}.yaml`, resources };
}

/**
 * Chooses the resources to import from a scan and groups them into files: one per ECS
 * service (`services/<name>.yaml`: its Cloud Map service, then the ECS service with its
 * inline task definition), `namespaces.yaml`, and `cloud-map-services/<namespace>.yaml` for
 * Cloud Map services of selected namespaces that no imported ECS service registers with.
 * Everything is in name order, so the same estate gives the same files.
 */
export function planImport(set: LiveSet, sel: ImportSelection): ImportPlan {
  const problems: ImportProblem[] = [];
  const files: PlannedFile[] = [];
  const live = [...set.resources.values()];
  const cluster = nameFromArn(sel.cluster);
  const ecs = live.filter((r): r is LiveEcsService => r.kind === 'EcsService' && r.cluster === cluster && r.status === 'ACTIVE').sort(byName);
  const wanted = sel.services && sel.services.length > 0 ? new Set(sel.services) : undefined;
  if (wanted) {
    for (const name of [...wanted].sort()) {
      if (!ecs.some((s) => s.name === name))
        problems.push({ resource: ecsServiceKey(cluster, name), severity: 'failed', message: 'not found (no ACTIVE service of that name in the cluster)' });
    }
  }
  const taken = new Set<string>();
  for (const svc of ecs) {
    if (wanted && !wanted.has(svc.name)) continue;
    const planned = planService(svc, set, sel.controllerId, taken);
    if ('path' in planned) files.push(planned);
    else problems.push(planned);
  }

  const namespaces = live.filter((r): r is LiveNamespace => r.kind === 'CloudMapNamespace').sort(byName);
  const named = new Set(sel.namespaces ?? []);
  for (const name of [...named].sort()) {
    if (!namespaces.some((n) => n.name === name)) problems.push({ resource: namespaceKey(name), severity: 'failed', message: 'not found' });
  }
  const extra = (ns: LiveNamespace): boolean => sel.all === true || named.has(ns.name);
  const usedNamespaces = new Set(files.flatMap((f) => f.resources.flatMap((r) => (r.kind === 'CloudMapService' ? [r.spec.namespace] : []))));
  const nsFile: LiveResource[] = [];
  for (const ns of namespaces) {
    if (!usedNamespaces.has(ns.name) && !extra(ns)) continue;
    const own = ownedElsewhere(ns, sel.controllerId);
    if (own) {
      if (!usedNamespaces.has(ns.name)) problems.push({ resource: ns.key, severity: 'skipped', message: `skipped: ${own}` });
      continue;
    }
    nsFile.push(ns);
    if (!extra(ns)) continue;
    const rest = live
      .filter((r): r is LiveCloudMapService => r.kind === 'CloudMapService' && r.spec.namespace === ns.name && !taken.has(r.key) && r.managedBy === undefined)
      .sort(byName);
    const standalone: LiveResource[] = [];
    for (const cm of rest) {
      const blocker = ownedElsewhere(cm, sel.controllerId);
      if (blocker) problems.push({ resource: cm.key, severity: 'skipped', message: `skipped: ${blocker}` });
      else standalone.push(cm);
    }
    if (standalone.length > 0) files.push({ path: `cloud-map-services/${ns.name}.yaml`, resources: standalone });
  }
  if (nsFile.length > 0) files.unshift({ path: NAMESPACES_FILE, resources: nsFile });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems };
}
