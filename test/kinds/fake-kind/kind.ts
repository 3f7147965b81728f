/**
 * A tiny kind that exists only in the test suite: `FakeParameter`, a named string value in an
 * in-memory store with tags. It follows the "Adding a kind" checklist of CONTRIBUTING.md
 * (a module and a registry line; its "AWS service" is the store below), and proves that the
 * engine plans, applies and prunes a kind it has never heard of.
 */
import { registered, type KindModule } from '../../../src/kit/kind-module.js';
import { ownerTags } from '../../../src/kit/apply-tags.js';
import { fieldChange } from '../../../src/kit/diff-walk.js';
import { ownerFromTags } from '../../../src/kit/ownership.js';
import type { ApplyKind } from '../../../src/kit/apply-types.js';
import type { FieldChange, LiveResource, ResourcePlan } from '../../../src/kit/types.js';
import { resolvePolicy, type DesiredResource, type ManifestKind, type SyncPolicy } from '../../../src/manifests/types.js';

export const FAKE_KIND = 'FakeParameter';

export interface FakeParameterSpec {
  value: string;
  syncPolicy?: SyncPolicy;
}

/** The fake service: parameters by name, with their tags, and every write it took. */
export class FakeParameterStore {
  readonly items = new Map<string, { value: string; tags: Record<string, string> }>();
  readonly writes: string[] = [];
}

export function fakeParameterKey(name: string): string {
  return `${FAKE_KIND}/${name}`;
}

/** A desired FakeParameter as the loader would make it (the engine's types know only the product's kinds). */
export function fakeDesired(name: string, spec: FakeParameterSpec): DesiredResource {
  const manifest = { apiVersion: 'ecs-gitops.io/v1alpha1', kind: FAKE_KIND, metadata: { name }, spec };
  const desired = {
    kind: FAKE_KIND,
    key: fakeParameterKey(name),
    name,
    manifest,
    policy: resolvePolicy(spec.syncPolicy),
    source: { file: `${name}.yaml`, line: 1, col: 1 },
  };
  return desired as unknown as DesiredResource;
}

function specOf(r: DesiredResource | LiveResource): FakeParameterSpec {
  return ('manifest' in r ? r.manifest.spec : r.spec) as unknown as FakeParameterSpec;
}

function liveOf(store: FakeParameterStore, name: string): LiveResource {
  const item = store.items.get(name)!;
  const owner = ownerFromTags(item.tags);
  const live = {
    kind: FAKE_KIND,
    key: fakeParameterKey(name),
    name,
    arn: `fake:parameter/${name}`,
    tags: { ...item.tags },
    spec: { value: item.value },
    ...(owner ? { owner } : {}),
  };
  return live as unknown as LiveResource;
}

async function apply(store: FakeParameterStore, run: Parameters<KindModule['apply']>[0], plan: ResourcePlan): Promise<void> {
  const kind = FAKE_KIND as ApplyKind;
  if (plan.action === 'delete') {
    await run.act(kind, plan.key, 'delete', async () => {
      store.items.delete(plan.name);
      store.writes.push(`delete ${plan.name}`);
    });
    return;
  }
  const desired = plan.desired!;
  const tags = ownerTags(run.controllerId, plan.key, desired.policy);
  const operation = plan.action === 'create' ? 'create' : 'update';
  await run.act(kind, plan.key, operation, async () => {
    store.items.set(plan.name, { value: specOf(desired).value, tags });
    store.writes.push(`${operation} ${plan.name}=${specOf(desired).value}`);
  });
}

export function fakeParameterKind(store: FakeParameterStore): KindModule {
  return registered({
    kind: FAKE_KIND as ManifestKind,
    docs: 'test/kinds/fake-kind/kind.ts',
    keyOfDocument: (name: string) => fakeParameterKey(name),
    keyOf: (m: { metadata: { name: string } }) => fakeParameterKey(m.metadata.name),
    checkRules: () => {},
    references: () => [],
    diff: (desired: DesiredResource, live: LiveResource): FieldChange[] => {
      const [from, to] = [specOf(live).value, specOf(desired).value];
      return from === to ? [] : [fieldChange(['spec', 'value'], from, to, { effect: 'in-place' })];
    },
    apply: (run: Parameters<KindModule['apply']>[0], plan: ResourcePlan) => apply(store, run, plan),
    observe: async () => [...store.items.keys()].map((name) => liveOf(store, name)),
  } as unknown as KindModule);
}
