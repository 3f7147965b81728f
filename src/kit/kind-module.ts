/**
 * What one kind tells the engine. Each kind is one folder (src/kinds/<kind>/) exporting one
 * KindModule; src/kinds/registry.ts lists them in dependency order. The engine (load, plan,
 * apply) iterates the registry and never names a kind; the kinds build on this toolkit.
 */
import type { Reporter } from '../manifests/diagnostics.js';
import type { Rule } from '../manifests/rules/rule.js';
import type { DesiredOf, Manifest, ManifestKind } from '../manifests/types.js';
import type { ApplyRun } from './apply-run.js';
import type { FieldChange, LiveResource, LiveSet, PlanAction, ResourcePlan, TidyPlan } from './types.js';
import type { DesiredResource } from '../manifests/types.js';

/** The live resource of kind K. */
export type LiveOf<K extends ManifestKind> = Extract<LiveResource, { kind: K }>;
/** The manifest of kind K. */
export type ManifestOfKind<K extends ManifestKind> = Extract<Manifest, { kind: K }>;

/** A document on its way through the loader, as a kind's reference check sees it. */
export interface LoadedDocument {
  readonly kind: string;
  readonly key: string | undefined;
  /** Set when the document matches its schema. */
  readonly manifest?: Manifest | undefined;
  readonly reporter: Reporter;
}

/** What a kind's cross-manifest check reads besides the documents of its own kind. */
export interface ReferenceContext {
  /** Every document of the source, in source order. */
  readonly documents: readonly LoadedDocument[];
  /** The first document with this key. */
  find(key: string): LoadedDocument | undefined;
  /**
   * Whether `target` may be checked against: valid. When not, reports on `doc` (at `path`)
   * that it is held back by an invalid dependency.
   */
  usable(doc: LoadedDocument, target: LoadedDocument, path: readonly string[]): boolean;
}

/** What the in-use check (prune) reads besides the resource itself. */
export interface UsageContext {
  /** Every live resource of the scan, owned or not. */
  readonly live: readonly LiveResource[];
  /** The plans of the desired resources (creates, updates, noops, blocked). */
  readonly forward: readonly ResourcePlan[];
  /** Keys a planned desired resource references (its kind's `references`); [] without one. */
  references(rp: ResourcePlan): readonly string[];
}

/** What a kind's tidy planning reads: the whole scan and source, and the guards. */
export interface TidyContext {
  readonly live: LiveSet;
  readonly desired: readonly DesiredResource[];
  readonly controllerId: string;
  /** How many leftovers of one resource to keep (`--keep-revisions`). */
  readonly keepRevisions: number;
  /** False with `--no-prune` or `--prune-max-deletions 0`. */
  readonly pruneEnabled: boolean;
  /** Most deletions in one pass; above it none is made. */
  readonly maxDeletions: number;
  readonly sourceIsEmpty: boolean;
}

/** A kind's housekeeping of what its resources leave behind (task definition revisions). */
export interface TidyPart {
  /** Pure: what to tidy, from the live set (which holds what the observe scope asked for). */
  plan(ctx: TidyContext): TidyPlan[];
  /** Carries out one `deregister` entry after the resources; returns a reason when it refuses. */
  apply(run: ApplyRun, entry: TidyPlan): Promise<string | undefined>;
}

/** `blockedBy` code of a write that would drop live settings (a kind's `stripped`). */
export const UNEXPRESSIBLE_FIELDS = 'unexpressible-fields';

/** What a blocked write would drop: the reason and every path. */
export interface StrippedSettings {
  reason: string;
  fields: string[];
}

export interface KindModule<K extends ManifestKind = ManifestKind> {
  readonly kind: K;
  /** Where the kind is documented (docs/manifests.md section). */
  readonly docs: string;

  // ---- identity
  /** Key of a document as written, before validation; undefined when a field it needs is missing. */
  keyOfDocument(name: string, spec: Readonly<Record<string, unknown>>): string | undefined;
  /** Key of a valid manifest. */
  keyOf(manifest: ManifestOfKind<K>): string;

  // ---- load: semantic rules (schema: crds/, src/manifests/schemas.ts)
  /** Runs the kind's semantic rules (src/manifests/rules) on a manifest that matched its schema. */
  checkRules(manifest: ManifestOfKind<K>, reporter: Reporter): void;
  /** Checks this kind's references to other documents (runs after every document's own checks, in registry order). */
  checkReferences?(documents: readonly LoadedDocument[], ctx: ReferenceContext): void;

  // ---- references and dependency order
  /** Keys of resources a desired one needs first (created before it; a failure skips it). */
  references(desired: DesiredOf<K>): string[];
  /** Keys of live resources to be deleted before this one may be deleted. */
  deleteAfter?(run: ApplyRun, live: LiveOf<K>): string[];

  // ---- plan
  /** Whether a live resource counts as existing (default: yes). */
  isPresent?(live: LiveOf<K>): boolean;
  /** A blocked plan for an absent resource that cannot be created now (e.g. its cluster is missing). */
  planAbsent?(desired: DesiredOf<K>, live: LiveSet): ResourcePlan | undefined;
  /** Field changes, normalized on both sides, declared fields only, before `ignore`. */
  diff(desired: DesiredOf<K>, live: LiveOf<K>): FieldChange[];
  /** Live settings a write would drop because the manifest cannot express them. */
  stripped?(desired: DesiredOf<K>, live: LiveOf<K>, action: PlanAction, changes: readonly FieldChange[]): StrippedSettings | undefined;
  /** Delete blocker: why deleting `live` now breaks something that stays; undefined when it may go. */
  inUse?(live: LiveOf<K>, deleting: ReadonlySet<string>, ctx: UsageContext): string | undefined;

  // ---- apply
  /** Records where a live resource is before any write (ids/ARNs the run's later steps look up). */
  seed?(run: ApplyRun, live: LiveOf<K>): void;
  /** Carries out one resource plan (create, update, replace, delete). */
  apply(run: ApplyRun, plan: ResourcePlan): Promise<void>;

  /** Housekeeping after the apply (e.g. unused task definition revisions). */
  readonly tidy?: TidyPart;

  // ---- observe
  /**
   * Reads this kind's live resources. Kinds without it are read by the observe stage's
   * batched scans (Cloud Map tree, ECS clusters), which convert through the kind's converter.
   */
  observe?(read: ObserveRead): Promise<LiveResource[]>;
}

/** What a kind's own observe part gets. */
export interface ObserveRead {
  /** Resources the batched scans found so far (e.g. to resolve references). */
  readonly found: ReadonlyMap<string, LiveResource>;
  /** Reports a scope that could not be read. */
  unreadable(scope: string, reason: string, code?: string): void;
}

/**
 * A kind's module as the registry holds it. The engine calls a module only with resources of
 * its own kind (it dispatches on `kind`), which the compiler cannot see through a union of
 * modules: this is the one place that widens K.
 */
export function registered(module: { readonly kind: ManifestKind }): KindModule {
  return module as KindModule;
}

/** The kinds the engine knows, in dependency order (creates run in this order, deletes in reverse). */
export class KindRegistry {
  private readonly byKind: ReadonlyMap<string, KindModule>;
  readonly order: readonly string[];

  constructor(readonly modules: readonly KindModule[]) {
    this.byKind = new Map(modules.map((m) => [m.kind, m]));
    if (this.byKind.size !== modules.length) throw new Error(`kind registered twice: ${modules.map((m) => m.kind).join(', ')}`);
    this.order = modules.map((m) => m.kind);
  }

  /** The module of `kind`; throws for a kind nobody registered (a caller bug: keys and plans come from registered kinds). */
  get(kind: string): KindModule {
    const m = this.byKind.get(kind);
    if (!m) throw new Error(`no kind module registered for ${kind} (registered: ${this.order.join(', ')})`);
    return m;
  }

  has(kind: string): boolean {
    return this.byKind.has(kind);
  }

  /** Position in dependency order; -1 when not registered. */
  rank(kind: string): number {
    return this.order.indexOf(kind);
  }

  /** A registry with `extra` kinds after these (tests register kinds the product does not have). */
  with(...extra: readonly KindModule[]): KindRegistry {
    return new KindRegistry([...this.modules, ...extra]);
  }
}

/** Runs `rules` in order (a kind's `checkRules`). */
export function runRules<M>(rules: readonly Rule<M>[], manifest: M, reporter: Reporter): void {
  for (const rule of rules) rule(manifest, reporter);
}

/** `a, b, c and N more`: lists keys in a reason without making it unbounded. */
export function listKeys(keys: readonly string[], max = 5): string {
  return keys.length <= max ? keys.join(', ') : `${keys.slice(0, max).join(', ')} and ${keys.length - max} more`;
}
