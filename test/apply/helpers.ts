/** Shared set-up for apply tests: a fast sandbox, real SDK clients, and one observe -> plan -> apply cycle. */
import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../../src/aws/clients.js';
import { createObserveCaches, observe, scopeFromDesired, type ObserveCaches } from '../../src/observe/index.js';
import { resolvePolicy, type DesiredResource, type Manifest } from '../../src/manifests/types.js';
import { KINDS } from '../../src/kinds/registry.js';
import { applyPlan } from '../../src/reconcile/apply.js';
import type { ApplyActionEvent, ApplyResult, ApplyWaits } from '../../src/kit/apply-types.js';
import { computePlan, type PlanOptions } from '../../src/reconcile/plan.js';
import type { LiveSet, Plan } from '../../src/kit/types.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import type { SandboxOptions } from '@ecs-gitops/sandbox';
import { startClientsFixture, useSuiteFixture } from '../helpers/sandbox.js';

export const CONTROLLER_ID = 'ecs-gitops-test';

/** Small waits: the sandbox finishes operations in ~20 ms. */
export const FAST_WAITS: ApplyWaits = {
  operation: { initialDelayMs: 10, maxDelayMs: 50, factor: 2, timeoutMs: 3_000 },
  instances: { initialDelayMs: 10, maxDelayMs: 50, factor: 2, timeoutMs: 3_000 },
  ecsInactive: { initialDelayMs: 10, maxDelayMs: 50, factor: 2, timeoutMs: 3_000 },
  inUse: { initialDelayMs: 10, maxDelayMs: 50, factor: 2, timeoutMs: 3_000 },
};

export interface Env {
  sandbox: SandboxHandle;
  clients: AwsClients;
  caches: ObserveCaches;
  stop(): Promise<void>;
}

export async function startEnv(clusters: readonly string[] = ['demo'], delays: SandboxOptions = {}): Promise<Env> {
  const { sandbox, clients, stop } = await startClientsFixture({ sandbox: delays, maxAttempts: 5 });
  for (const c of clusters) await clients.ecs.send(new CreateClusterCommand({ clusterName: c }));
  return { sandbox, clients, caches: createObserveCaches(), stop };
}

/** {@link startEnv} for the whole enclosing suite: started before its tests, stopped after. */
export function useEnv(clusters: readonly string[] = ['demo'], delays: SandboxOptions = {}): Env {
  return useSuiteFixture(() => startEnv(clusters, delays));
}

/** Desired resources from manifests, as the loader would produce them. */
export function desiredOf(manifests: readonly Manifest[]): DesiredResource[] {
  return manifests.map(
    (m) =>
      ({
        kind: m.kind,
        key: KINDS.get(m.kind).keyOf(m),
        name: m.metadata.name,
        manifest: m,
        policy: resolvePolicy(m.spec.syncPolicy),
        source: { file: 'test.yaml', line: 1, col: 1 },
      }) as DesiredResource,
  );
}

export async function observeFor(env: Env, desired: readonly DesiredResource[], clusters: readonly string[] = ['demo']): Promise<LiveSet> {
  return observe(env.clients, scopeFromDesired(desired, clusters), env.caches);
}

export async function planFor(env: Env, desired: readonly DesiredResource[], options: Partial<PlanOptions> = {}): Promise<{ plan: Plan; live: LiveSet }> {
  const live = await observeFor(env, desired);
  const plan = computePlan(desired, live, { controllerId: CONTROLLER_ID, pruneEnabled: true, ...options });
  return { plan, live };
}

export interface Cycle {
  plan: Plan;
  result: ApplyResult;
  events: ApplyActionEvent[];
}

/** observe -> plan -> apply, like one `ecs-gitops apply`. */
export async function cycle(
  env: Env,
  desired: readonly DesiredResource[],
  options: Partial<PlanOptions> = {},
  waits: Partial<ApplyWaits> = FAST_WAITS,
): Promise<Cycle> {
  const { plan, live } = await planFor(env, desired, options);
  const events: ApplyActionEvent[] = [];
  const result = await applyPlan(plan, {
    clients: env.clients,
    live,
    controllerId: CONTROLLER_ID,
    waits,
    onAction: (e) => events.push(e),
    onTagsChanged: (arn) => env.caches.forgetTags(arn),
  });
  return { plan, result, events };
}

/** Keys of the resources a plan would still write (empty = converged). */
export function pendingWrites(plan: Plan): string[] {
  return plan.resources.filter((r) => r.action !== 'noop' && r.action !== 'blocked').map((r) => `${r.action} ${r.key}`);
}

/** Calls the sandbox recorded for one operation that changed state. */
export function writes(env: Env, service: 'ecs' | 'servicediscovery', operation: string): number {
  return env.sandbox.world.calls.calls().filter((c) => c.service === service && c.operation === operation && c.outcome === 'ok').length;
}
