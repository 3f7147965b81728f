/**
 * The published coverage tables of the service scope (ECS service and Cloud Map requests):
 * rows per request shape from test/helpers/aws-shapes.ts, rendered as one Markdown section
 * between `<!-- coverage:<scope>:begin -->` and `<!-- coverage:<scope>:end -->` in
 * docs/manifests.md. `COVERAGE_WRITE=1 node scripts/run-tests.mjs coverage/` rewrites them.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { FieldModel } from '../../src/kit/unexpressed.js';
import { countsByShape, coverage, markdownTable, shapeOf, type CoverageRow } from '../helpers/aws-shapes.js';

/** One request shape and the model table it is checked against. */
export interface ShapeGroup {
  /** Heading, e.g. `CreateServiceRequest`. */
  readonly title: string;
  /** The SDK schema export (e.g. `CreateServiceRequest$`). */
  readonly schema: unknown;
  readonly model: FieldModel;
  readonly aliases?: Readonly<Record<string, string>>;
}

export function rowsOf(group: ShapeGroup): CoverageRow[] {
  return coverage(shapeOf(group.schema), group.model, group.aliases ?? {});
}

/** `Shape: modelled/total` for every structure of the group, in first-seen order. */
export function countLines(rows: readonly CoverageRow[]): string[] {
  return [...countsByShape(rows)].map(([shape, c]) => `${shape} ${c.modelled}/${c.total}`);
}

/** The Markdown of the groups: a heading, the per-shape counts and the member table each. */
export function renderSection(groups: readonly ShapeGroup[]): string {
  const parts: string[] = [];
  for (const g of groups) {
    const rows = rowsOf(g);
    parts.push(`#### ${g.title}`, '', `Modelled (or set by AWS alone) / members: ${countLines(rows).join(', ')}.`, '', markdownTable(rows), '');
  }
  return parts.join('\n');
}

const DOCS = join(PACKAGE_ROOT, 'docs/manifests.md');

/** Asserts that docs/manifests.md holds `body` between the scope's markers (rewrites it with COVERAGE_WRITE=1). */
export function assertPublished(scope: string, body: string): void {
  const begin = `<!-- coverage:${scope}:begin -->`;
  const end = `<!-- coverage:${scope}:end -->`;
  const docs = readFileSync(DOCS, 'utf8');
  const from = docs.indexOf(begin);
  const to = docs.indexOf(end);
  assert.ok(from >= 0 && to > from, `docs/manifests.md needs the markers ${begin} ... ${end}`);
  const want = `${begin}\n\n${body}\n${end}`;
  const have = docs.slice(from, to + end.length);
  if (have !== want && process.env['COVERAGE_WRITE'] === '1') {
    writeFileSync(DOCS, docs.slice(0, from) + want + docs.slice(to + end.length));
    return;
  }
  assert.equal(
    have,
    want,
    `the ${scope} coverage table in docs/manifests.md is out of date: run COVERAGE_WRITE=1 node scripts/run-tests.mjs coverage/${scope}`,
  );
}

/** Asserts that no member of the rows is unclassified (neither modelled nor listed with a reason). */
export function assertClassified(rows: readonly CoverageRow[]): void {
  const open = rows.filter((r) => r.status === 'unclassified').map((r) => r.path);
  assert.deepEqual(open, [], 'members neither modelled nor listed as unsupported with a reason');
  const silent = rows.filter((r) => (r.status === 'unsupported' || r.status === 'default-only') && !r.reason).map((r) => r.path);
  assert.deepEqual(silent, [], 'unsupported or default-only members need a reason');
}
