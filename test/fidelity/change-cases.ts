/**
 * The table-driven change tests of the fidelity suite: one real change of an applied manifest
 * shows up as exactly that change with the right effect, and applying it converges.
 */
import assert from 'node:assert/strict';
import type { Manifest } from '../../src/manifests/types.js';
import type { PlanAction } from '../../src/kit/types.js';
import { assertNoop, changesOf, clone, converge, describePlan, planOf, type Env } from './helpers.js';

/** Edits a manifest in place. */
export type ManifestEdit<M extends Manifest> = (m: M) => void;

/** One row of a change table. */
export interface ChangeCase<M extends Manifest> {
  readonly name: string;
  /** Applied first (on top of the base manifest). */
  readonly base?: ManifestEdit<M>;
  readonly change: ManifestEdit<M>;
  /** `path effect` of every expected change, in plan order. */
  readonly expect: string[];
  readonly action: PlanAction;
  /** allowReplace on the changed manifest, so a replacement is applied too. */
  readonly replace?: boolean;
}

/** What a change table is about. */
export interface ChangeSubject<M extends Manifest> {
  /** A fresh base manifest with this name. */
  manifest(name: string): M;
  /** The resource key of a manifest. */
  key(m: M): string;
  /** The documents applied and planned together with `m` (default: `m` alone). */
  documents?(m: M): Manifest[];
}

/**
 * Applies `chg-<name>` with the case's base edit, changes it, and asserts that the plan shows
 * exactly the expected changes and action. Unless the action is `blocked`, applies the change
 * and asserts that the next plan is a noop (AWS now has the new value).
 */
export async function assertChangeApplies<M extends Manifest>(env: Env, subject: ChangeSubject<M>, c: ChangeCase<M>): Promise<void> {
  const documents = (m: M): Manifest[] => subject.documents?.(m) ?? [m];
  const before = clone(subject.manifest(`chg-${c.name}`));
  c.base?.(before);
  await converge(env, documents(before));
  const after = clone(before);
  c.change(after);
  if (c.replace) after.spec.syncPolicy = { allowReplace: true };

  const plan = await planOf(env, documents(after));
  const key = subject.key(after);
  assert.deepEqual(changesOf(plan, key), c.expect, describePlan(plan));
  assert.equal(plan.find((p) => p.key === key)?.action, c.action, describePlan(plan));
  if (c.action === 'blocked') return;

  await converge(env, documents(after));
  assertNoop(await planOf(env, documents(after)), `${c.name} after apply`);
}
