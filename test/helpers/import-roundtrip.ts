// The round-trip guarantee of `ecs-gitops import`, as tests check it: snapshots of every live
// setting (DescribeServices, DescribeTaskDefinition, GetService, GetNamespace), ownership
// tags taken off so an estate looks created by another tool, and import -> plan -> apply -> plan.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServicesCommand as ListEcsServicesCommand,
  UntagResourceCommand as UntagEcsCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import {
  GetNamespaceCommand,
  GetServiceCommand,
  ListNamespacesCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  UntagResourceCommand as UntagCloudMapCommand,
  type ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';
import { runCli, type CliResult } from './examples.js';

const OWNER_PREFIX = 'ecs-gitops.io/';

/** Every live setting of an estate, by resource, as AWS describes it (tags apart). */
export interface EstateSnapshot {
  readonly settings: Record<string, unknown>;
  readonly tags: Record<string, Record<string, string>>;
}

/** Members that are status or bookkeeping, not settings: they may change on their own. */
const VOLATILE = new Set([
  'events',
  'runningCount',
  'pendingCount',
  'failedTasks',
  'rolloutState',
  'rolloutStateReason',
  'InstanceCount',
  'ServiceCount',
  'tags',
  'Tags',
  '$metadata',
]);

function settingsOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(settingsOnly);
  if (value instanceof Date) return undefined;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (VOLATILE.has(k) || /(At|Date)$/.test(k)) continue;
      const s = settingsOnly(v);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
  return value;
}

function tagRecord(tags: readonly ({ key?: string; value?: string } | { Key?: string; Value?: string })[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) {
    const key = 'key' in t ? t.key : 'Key' in t ? t.Key : undefined;
    const value = 'value' in t ? t.value : 'Value' in t ? t.Value : undefined;
    if (key !== undefined) out[key] = value ?? '';
  }
  return out;
}

/** Reads every service of `cluster` with its task definition, and every Cloud Map namespace and service. */
export async function snapshotEstate(ecs: ECSClient, sd: ServiceDiscoveryClient, cluster: string): Promise<EstateSnapshot> {
  const settings: Record<string, unknown> = {};
  const tags: Record<string, Record<string, string>> = {};
  const arns = (await ecs.send(new ListEcsServicesCommand({ cluster, maxResults: 100 }))).serviceArns ?? [];
  for (let i = 0; i < arns.length; i += 10) {
    const described = await ecs.send(new DescribeServicesCommand({ cluster, services: arns.slice(i, i + 10), include: ['TAGS'] }));
    for (const svc of described.services ?? []) {
      const key = `EcsService/${svc.serviceName}`;
      settings[key] = settingsOnly(svc);
      tags[key] = tagRecord(svc.tags);
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: svc.taskDefinition, include: ['TAGS'] }));
      settings[`TaskDefinition/${svc.serviceName}`] = settingsOnly(td.taskDefinition);
      tags[`TaskDefinition/${svc.serviceName}`] = tagRecord(td.tags);
    }
  }
  for (const ns of (await sd.send(new ListNamespacesCommand({}))).Namespaces ?? []) {
    const key = `CloudMapNamespace/${ns.Name}`;
    settings[key] = settingsOnly((await sd.send(new GetNamespaceCommand({ Id: ns.Id }))).Namespace);
    tags[key] = tagRecord((await sd.send(new ListTagsForResourceCommand({ ResourceARN: ns.Arn }))).Tags);
    const services = await sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [ns.Id ?? ''], Condition: 'EQ' }] }));
    for (const s of services.Services ?? []) {
      const skey = `CloudMapService/${ns.Name}/${s.Name}`;
      settings[skey] = settingsOnly((await sd.send(new GetServiceCommand({ Id: s.Id }))).Service);
      tags[skey] = tagRecord((await sd.send(new ListTagsForResourceCommand({ ResourceARN: s.Arn }))).Tags);
    }
  }
  return { settings, tags };
}

/** Takes every `ecs-gitops.io/*` tag off the estate's resources, as if another tool had made them. */
export async function stripOwnership(ecs: ECSClient, sd: ServiceDiscoveryClient, cluster: string): Promise<void> {
  const arns = (await ecs.send(new ListEcsServicesCommand({ cluster, maxResults: 100 }))).serviceArns ?? [];
  for (let i = 0; i < arns.length; i += 10) {
    const described = await ecs.send(new DescribeServicesCommand({ cluster, services: arns.slice(i, i + 10), include: ['TAGS'] }));
    for (const svc of described.services ?? []) {
      const own = Object.keys(tagRecord(svc.tags)).filter((k) => k.startsWith(OWNER_PREFIX));
      if (own.length > 0) await ecs.send(new UntagEcsCommand({ resourceArn: svc.serviceArn, tagKeys: own }));
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: svc.taskDefinition, include: ['TAGS'] }));
      const tdOwn = Object.keys(tagRecord(td.tags)).filter((k) => k.startsWith(OWNER_PREFIX));
      if (tdOwn.length > 0) await ecs.send(new UntagEcsCommand({ resourceArn: td.taskDefinition?.taskDefinitionArn, tagKeys: tdOwn }));
    }
  }
  const untag = async (arn: string | undefined): Promise<void> => {
    const t = tagRecord((await sd.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags);
    const own = Object.keys(t).filter((k) => k.startsWith(OWNER_PREFIX));
    if (own.length > 0) await sd.send(new UntagCloudMapCommand({ ResourceARN: arn, TagKeys: own }));
  };
  for (const ns of (await sd.send(new ListNamespacesCommand({}))).Namespaces ?? []) {
    await untag(ns.Arn);
    const services = await sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [ns.Id ?? ''], Condition: 'EQ' }] }));
    for (const s of services.Services ?? []) await untag(s.Arn);
  }
}

/**
 * Field by field: every setting is as before, and the tags are the same apart from the
 * ownership tags apply added.
 */
export function assertSameEstate(before: EstateSnapshot, after: EstateSnapshot): void {
  assert.deepEqual(Object.keys(after.settings).sort(), Object.keys(before.settings).sort(), 'the same resources');
  for (const key of Object.keys(before.settings)) {
    assert.deepEqual(after.settings[key], before.settings[key], `${key}: every live setting unchanged`);
    const { tags: beforeTags = {} } = { tags: before.tags[key] };
    const afterTags = Object.fromEntries(Object.entries(after.tags[key] ?? {}).filter(([k]) => !k.startsWith(OWNER_PREFIX)));
    assert.deepEqual(afterTags, beforeTags, `${key}: tags unchanged apart from ownership tags`);
  }
}

/** A fresh temporary directory for import output. */
export async function tempOutput(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-import-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Every file below `dir`, path -> content. */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    out[full.slice(dir.length + 1)] = await readFile(full, 'utf8');
  }
  return out;
}

type Cli = (...argv: string[]) => Promise<CliResult>;

/**
 * The guarantee: `import` then `plan --source DIR` shows only ownership-tag changes, `apply`
 * then `plan` exits 0, and every live setting is unchanged. Returns the import's output.
 * Plan and apply run with --no-prune: earlier imports of the same estate may own resources
 * this one leaves out.
 */
export async function assertRoundTrip(
  cli: Cli,
  ecs: ECSClient,
  sd: ServiceDiscoveryClient,
  cluster: string,
  dir: string,
  extra: readonly string[] = [],
): Promise<CliResult> {
  const before = await snapshotEstate(ecs, sd, cluster);
  const imported = await cli('import', '--cluster', cluster, '--output', dir, ...extra);
  assert.equal(imported.code, 0, `import: ${imported.out}\n${imported.err}`);
  const validated = await runCli(['validate', dir], {});
  assert.equal(validated.code, 0, `validate: ${validated.out}\n${validated.err}`);

  const planned = await cli('plan', '--source', dir, '--output', 'json', '--no-discovery', '--no-prune');
  assert.equal(planned.code, 2, `plan before apply: ${planned.out}\n${planned.err}`);
  const plan = JSON.parse(planned.out) as { resources: { key: string; action: string; changes: { path: string }[] }[] };
  assert.ok(plan.resources.length > 0);
  for (const r of plan.resources) {
    assert.equal(r.action, 'update', `${r.key}: ${JSON.stringify(r)}`);
    assert.deepEqual(
      r.changes.map((c) => c.path),
      ['owner'],
      `${r.key}: only the ownership tags change: ${JSON.stringify(r.changes)}`,
    );
  }

  const applied = await cli('apply', '--source', dir, '--wait', '5s', '--no-prune');
  assert.equal(applied.code, 0, `apply: ${applied.out}\n${applied.err}`);
  const again = await cli('plan', '--source', dir, '--no-discovery', '--no-prune');
  assert.equal(again.code, 0, `plan after apply: ${again.out}\n${again.err}`);
  assertSameEstate(before, await snapshotEstate(ecs, sd, cluster));
  return imported;
}
