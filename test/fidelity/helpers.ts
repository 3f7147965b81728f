/**
 * Set-up for the fidelity suite: manifests built as objects, written as YAML and read back
 * through the real loader (schema + rules), then applied and planned against the sandbox
 * through the real SDK clients. Plans are scoped to the resources of one test (prune off),
 * so many variants share one sandbox.
 */
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { loadManifests } from '../../src/reconcile/load.js';
import type { DesiredResource, Manifest } from '../../src/manifests/types.js';
import type { FieldChange, Plan, ResourcePlan } from '../../src/kit/types.js';
import { cycle, planFor, type Cycle, type Env } from '../apply/helpers.js';

export { useEnv, type Env } from '../apply/helpers.js';

/** Manifests -> YAML (one file, `---` separated) -> loader; fails the test on any error diagnostic. */
export function load(manifests: readonly Manifest[]): DesiredResource[] {
  const content = manifests.map((m) => stringify(m)).join('---\n');
  const result = loadManifests([{ path: 'fidelity.yaml', content }]);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, [], `manifests must be valid:\n${content}`);
  assert.equal(result.resources.length, manifests.length);
  return result.resources;
}

/** Only the plans of these desired resources (others in the shared sandbox are not this test's). */
function scoped(plan: Plan, desired: readonly DesiredResource[]): ResourcePlan[] {
  const keys = new Set(desired.map((d) => d.key));
  return plan.resources.filter((r) => keys.has(r.key));
}

/** One apply pass (observe -> plan -> apply) without prune; asserts that every write succeeded. */
export async function converge(env: Env, manifests: readonly Manifest[]): Promise<Cycle> {
  const run = await cycle(env, load(manifests), { pruneEnabled: false });
  assert.equal(run.result.ok, true, JSON.stringify(run.result.resources, null, 2));
  return run;
}

/** The plan of these manifests against the sandbox as it is now (prune off), scoped to them. */
export async function planOf(env: Env, manifests: readonly Manifest[]): Promise<ResourcePlan[]> {
  const desired = load(manifests);
  const { plan } = await planFor(env, desired, { pruneEnabled: false });
  return scoped(plan, desired);
}

/** `key action` lines plus every change, for readable assertion messages. */
export function describePlan(plans: readonly ResourcePlan[]): string {
  return plans.map((r) => [`${r.key} ${r.action}${r.reason ? ` (${r.reason})` : ''}`, ...r.changes.map(describeChange)].join('\n')).join('\n');
}

function describeChange(c: FieldChange): string {
  return `  ${c.path} [${c.effect}]: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`;
}

/** Asserts that every resource of the plan is a noop without changes. */
export function assertNoop(plans: readonly ResourcePlan[], context: string): void {
  const drift = plans.filter((r) => r.action !== 'noop' || r.changes.length > 0);
  assert.deepEqual(
    drift.map((r) => r.key),
    [],
    `${context}: false drift\n${describePlan(plans)}`,
  );
}

/** `path effect` of every change of one resource. */
export function changesOf(plans: readonly ResourcePlan[], key: string): string[] {
  const r = plans.find((p) => p.key === key);
  assert.ok(r, `no plan for ${key}\n${describePlan(plans)}`);
  return r.changes.map((c) => `${c.path} ${c.effect}`);
}

/** A deep copy that a variant may mutate freely. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** A middleware step name unique per installation (the SDK refuses duplicate names). */
let captures = 0;

/** What an SDK client sent, per command name, until `stop()`. */
export interface Capture {
  readonly inputs: { command: string; input: unknown }[];
  stop(): void;
}

interface StackOwner {
  middlewareStack: {
    add(mw: unknown, options: { step: 'initialize'; name: string }): void;
    remove(name: string): boolean;
  };
}

/**
 * Records the input of every command the client sends (before serialization), so a test can
 * assert a request body the sandbox call log abbreviates.
 */
export function captureInputs(client: StackOwner): Capture {
  const name = `fidelityCapture${++captures}`;
  const inputs: Capture['inputs'] = [];
  const middleware =
    (next: (args: { input: unknown }) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: { input: unknown }): Promise<unknown> => {
      inputs.push({ command: context.commandName ?? '?', input: structuredClone(args.input) });
      return next(args);
    };
  client.middlewareStack.add(middleware, { step: 'initialize', name });
  return { inputs, stop: () => void client.middlewareStack.remove(name) };
}
