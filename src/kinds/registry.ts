/**
 * The kinds of ecs-gitops, in dependency order: a kind may reference only kinds listed
 * before it (creates run in this order, deletes in reverse). Adding a kind is one folder
 * under src/kinds and one line here (see CONTRIBUTING.md "Adding a kind").
 */
import { KindRegistry, registered } from '../kit/kind-module.js';
import type { KIND_ORDER } from '../manifests/types.js';
import { cloudMapNamespaceKind } from './cloudmap-namespace/kind.js';
import { cloudMapServiceKind } from './cloudmap-service/kind.js';
import { ecsServiceKind } from './ecs-service/kind.js';

/** One line per kind, in dependency order. */
const MODULES = [cloudMapNamespaceKind, cloudMapServiceKind, ecsServiceKind] as const;

/** The product's kinds. */
export const KINDS = new KindRegistry(MODULES.map(registered));

// The manifest model (ManifestKind, KIND_ORDER in src/manifests/types.ts, from crds/) and the
// registry are kept in step by the compiler: same kinds, same order.
type KindsOf<T extends readonly unknown[]> = { readonly [I in keyof T]: T[I] extends { kind: infer K } ? K : never };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameOrder: Same<KindsOf<typeof MODULES>, typeof KIND_ORDER> = true;
void sameOrder;
