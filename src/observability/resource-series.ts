/**
 * The per-resource metric families (resource_info, drifted, drift_fields, the drift and
 * rollback counters, rollout_in_progress, discovery_instances) kept as one small row of numbers
 * and shared constant strings per resource key, and turned into series only when the registry
 * is scraped. prom-client's own Gauge and Counter would keep, per series, a labels object, a
 * value object and a label-hash string: about 15 series per ECS + Cloud Map pair, which grew
 * the heap by ~1 KiB per resource between scrapes.
 */
import type { Metric } from 'prom-client';
import { qualifiedName } from '../controller/status.js';

/**
 * The `kind` and `name` labels of a resource key; `name` is the qualified name
 * (`internal/api`), so same-named resources in two namespaces or clusters are two series.
 */
export function resourceLabels(key: string): { kind: string; name: string } {
  const slash = key.indexOf('/');
  return { kind: slash < 0 ? key : key.slice(0, slash), name: qualifiedName(key) };
}

/** The resource_info labels besides kind and name. */
export interface ResourceInfo {
  readonly syncStatus: string;
  readonly healthStatus: string;
  readonly mode: string;
}

/** One series as the registry reads it (`getMetricsAsJSON`, text exposition, aggregation). */
export interface SeriesValue {
  labels: Record<string, string>;
  value: number;
}

/** What `get()` of a family returns: the shape prom-client's own metrics return. */
export interface FamilySnapshot {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly aggregator: 'sum';
  readonly values: SeriesValue[];
}

/**
 * The state of one resource. A field left `undefined` has no series; every string is a shared
 * constant (see `intern`), so a row costs its object and nothing else.
 */
class ResourceRow {
  syncStatus: string | undefined = undefined;
  healthStatus: string | undefined = undefined;
  mode: string | undefined = undefined;
  /** drift_fields (drifted is derived); undefined while drift is unknown. */
  driftFields: number | undefined = undefined;
  driftDetected: number | undefined = undefined;
  driftReverted: number | undefined = undefined;
  lastDriftSeconds: number | undefined = undefined;
  rollbacks: number | undefined = undefined;
  rolloutStage: string | undefined = undefined;
  /** discovery_instances: the state names (an interned list shared by every row) and their counts. */
  instanceStates: readonly string[] | undefined = undefined;
  instanceCounts: readonly number[] | undefined = undefined;

  isEmpty(): boolean {
    return (
      this.syncStatus === undefined &&
      this.driftFields === undefined &&
      this.driftDetected === undefined &&
      this.driftReverted === undefined &&
      this.lastDriftSeconds === undefined &&
      this.rollbacks === undefined &&
      this.rolloutStage === undefined &&
      this.instanceStates === undefined
    );
  }
}

/** Most distinct label values kept as shared constants; beyond, a value is stored as given. */
const INTERN_LIMIT = 256;

/** Per-resource rows, by key, in the order resources first appeared. */
export class ResourceSeries {
  private readonly rows = new Map<string, ResourceRow>();
  private readonly strings = new Map<string, string>();
  private readonly stateLists = new Map<string, readonly string[]>();
  /** The series of each family this table made, by the family object the registry holds. */
  private readonly families = new Map<object, () => Iterable<SeriesValue>>();

  /** Resources (or removed resources with discovery instance counts) with at least one series. */
  get size(): number {
    return this.rows.size;
  }

  /** resource_info with these labels (one series per resource); the drift counters start at 0. */
  setInfo(key: string, info: ResourceInfo): void {
    const row = this.row(key);
    row.syncStatus = this.intern(info.syncStatus);
    row.healthStatus = this.intern(info.healthStatus);
    row.mode = this.intern(info.mode);
    // From 0 at the first scrape, so the first drift is an increase() for the alerts.
    row.driftDetected ??= 0;
    row.driftReverted ??= 0;
  }

  /** drifted and drift_fields; `undefined` removes both (drift unknown). */
  setDriftFields(key: string, count: number | undefined): void {
    this.row(key).driftFields = count;
  }

  recordDriftDetected(key: string, atSeconds: number): void {
    const row = this.row(key);
    row.driftDetected = (row.driftDetected ?? 0) + 1;
    row.lastDriftSeconds = atSeconds;
  }

  recordDriftReverted(key: string): void {
    const row = this.row(key);
    row.driftReverted = (row.driftReverted ?? 0) + 1;
  }

  initRollbacks(key: string): void {
    this.row(key).rollbacks ??= 0;
  }

  recordRollback(key: string): void {
    const row = this.row(key);
    row.rollbacks = (row.rollbacks ?? 0) + 1;
  }

  /** rollout_in_progress at this stage, or none (`undefined`). */
  setRollout(key: string, stage: string | undefined): void {
    if (stage === undefined) {
      const row = this.rows.get(key);
      if (!row) return;
      row.rolloutStage = undefined;
      this.dropIfEmpty(key, row);
      return;
    }
    this.row(key).rolloutStage = this.intern(stage);
  }

  /**
   * Removes every series of the resource except discovery_instances, which only
   * `setInstances` replaces.
   */
  remove(key: string): void {
    const row = this.rows.get(key);
    if (!row) return;
    row.syncStatus = row.healthStatus = row.mode = row.rolloutStage = undefined;
    row.driftFields = row.driftDetected = row.driftReverted = row.lastDriftSeconds = row.rollbacks = undefined;
    this.dropIfEmpty(key, row);
  }

  /** Replaces every resource's discovery_instances: counts by state, by key (absent: no series). */
  setInstances(byKey: ReadonlyMap<string, Readonly<Record<string, number>>>): void {
    for (const [key, row] of this.rows) {
      row.instanceStates = row.instanceCounts = undefined;
      this.dropIfEmpty(key, row);
    }
    for (const [key, byState] of byKey) {
      const states = Object.keys(byState);
      const row = this.row(key);
      row.instanceStates = this.stateList(states);
      row.instanceCounts = states.map((s) => byState[s] ?? 0);
    }
  }

  /**
   * A family rendered from one column of the rows, to register once in the registry. Its
   * series are labelled `kind` and `name` (discovery_instances: `name` and `state`).
   */
  family(name: string, help: string, column: Column): Metric {
    const type: FamilySnapshot['type'] = COUNTERS.has(column) ? 'counter' : 'gauge';
    const collect = this.collector(column);
    const family = {
      name,
      help,
      type,
      aggregator: 'sum' as const,
      async get(): Promise<FamilySnapshot> {
        // The registry starts every family's get() at once and turns each into text when it
        // resolves: resolving on a macrotask of our own lets it write one family's text before
        // the next family's series objects are built, so a scrape holds the objects of one
        // family at a time, not of all of them.
        await new Promise<void>((resolve) => setImmediate(resolve));
        // family.name: the registry may rename a counter (OpenMetrics drops `_total`).
        return { name: family.name, help, type, aggregator: 'sum', values: [...collect()] };
      },
    };
    this.families.set(family, collect);
    return asMetric(family);
  }

  /**
   * A family of this table in pieces of at most `size` series each, every piece a family of
   * the same name, help and type (undefined: `metric` is not a family of this table). The
   * rows are read as the pieces are taken, so a scrape holds one piece's series at a time.
   */
  pieces(metric: object, size: number): Iterable<Metric> | undefined {
    const collect = this.families.get(metric);
    if (!collect) return undefined;
    const family = metric as unknown as FamilySnapshot;
    return (function* () {
      const series = collect()[Symbol.iterator]();
      for (let done = false; !done; ) {
        const values: SeriesValue[] = [];
        while (values.length < size) {
          const next = series.next();
          if (next.done) {
            done = true;
            break;
          }
          values.push(next.value);
        }
        const piece: FamilySnapshot = { name: family.name, help: family.help, type: family.type, aggregator: 'sum', values };
        yield asMetric({ ...piece, get: async () => piece });
      }
    })();
  }

  private collector(column: Column): () => Iterable<SeriesValue> {
    switch (column) {
      case 'info':
        return this.collect(
          (row) => (row.syncStatus === undefined ? undefined : 1),
          (row, kind, name) => ({ kind, name, sync_status: row.syncStatus ?? '', health_status: row.healthStatus ?? '', mode: row.mode ?? '' }),
        );
      case 'drifted':
        return this.collect((row) => (row.driftFields === undefined ? undefined : row.driftFields > 0 ? 1 : 0));
      case 'driftFields':
        return this.collect((row) => row.driftFields);
      case 'driftDetected':
        return this.collect((row) => row.driftDetected);
      case 'driftReverted':
        return this.collect((row) => row.driftReverted);
      case 'lastDrift':
        return this.collect((row) => row.lastDriftSeconds);
      case 'rollbacks':
        return this.collect((row) => row.rollbacks);
      case 'rollout':
        return this.collect(
          (row) => (row.rolloutStage === undefined ? undefined : 1),
          (row, kind, name) => ({ kind, name, stage: row.rolloutStage ?? '' }),
        );
      case 'instances':
        return () => this.instanceSeries();
    }
  }

  /** One series per row whose `value` is defined, labelled kind and name (or as `labels` says). */
  private collect(
    value: (row: ResourceRow) => number | undefined,
    labels: (row: ResourceRow, kind: string, name: string) => Record<string, string> = (_row, kind, name) => ({ kind, name }),
  ): () => Iterable<SeriesValue> {
    const rows = this.rows;
    return function* () {
      for (const [key, row] of rows) {
        const v = value(row);
        if (v === undefined) continue;
        const { kind, name } = resourceLabels(key);
        yield { labels: labels(row, kind, name), value: v };
      }
    };
  }

  private *instanceSeries(): Generator<SeriesValue> {
    for (const [key, row] of this.rows) {
      const { instanceStates: states, instanceCounts: counts } = row;
      if (!states || !counts) continue;
      const name = qualifiedName(key);
      for (let i = 0; i < states.length; i++) yield { labels: { name, state: states[i] ?? '' }, value: counts[i] ?? 0 };
    }
  }

  private row(key: string): ResourceRow {
    let row = this.rows.get(key);
    if (!row) {
      row = new ResourceRow();
      this.rows.set(key, row);
    }
    return row;
  }

  private dropIfEmpty(key: string, row: ResourceRow): void {
    if (row.isEmpty()) this.rows.delete(key);
  }

  /** The shared copy of a label value (statuses, modes, stages, states are a small vocabulary). */
  private intern(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    if (this.strings.size < INTERN_LIMIT) this.strings.set(value, value);
    return value;
  }

  /** The shared list of these state names (every Cloud Map service reports the same ones). */
  private stateList(states: readonly string[]): readonly string[] {
    const id = states.join('\n');
    const known = this.stateLists.get(id);
    if (known) return known;
    const list = states.map((s) => this.intern(s));
    if (this.stateLists.size < INTERN_LIMIT) this.stateLists.set(id, list);
    return list;
  }
}

/**
 * A family as the registry reads it. prom-client's typings list only its own metric classes,
 * but its Registry (text and JSON exposition, AggregatorRegistry.aggregate) needs only name,
 * help, type, aggregator and get().
 */
function asMetric(family: Omit<FamilySnapshot, 'values'> & { get(): Promise<FamilySnapshot> }): Metric {
  return family as unknown as Metric;
}

/** The per-resource families, by the row field they are rendered from. */
export type Column = 'info' | 'drifted' | 'driftFields' | 'driftDetected' | 'driftReverted' | 'lastDrift' | 'rollbacks' | 'rollout' | 'instances';
const COUNTERS: ReadonlySet<Column> = new Set(['driftDetected', 'driftReverted', 'rollbacks']);
