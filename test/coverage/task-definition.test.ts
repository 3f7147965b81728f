/**
 * Every member of RegisterTaskDefinition's request (and of everything nested in it) and of
 * DescribeTaskDefinition's TaskDefinition is either modelled by the manifest, set by AWS
 * alone, or listed as deliberately unsupported with its reason: read from the SDK's runtime
 * API model, so a member AWS adds fails this test the day the SDK is upgraded.
 *
 * The table in docs/manifests.md (between the coverage:task-definition markers) is generated
 * from the rows; `COVERAGE_WRITE=1 node scripts/run-tests.mjs coverage/task-definition.test`
 * rewrites it after a build.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RegisterTaskDefinitionRequest$, TaskDefinition$ } from '@aws-sdk/client-ecs';
import { TASK_DEFINITION_MODEL } from '../../src/kinds/ecs-service/task-definition/model.js';
import type { FieldModel } from '../../src/kit/unexpressed.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { countsByShape, coverage, markdownTable, shapeOf, type CoverageRow } from '../helpers/aws-shapes.js';

/** The request carries the tags DescribeTaskDefinition returns beside the task definition. */
const REQUEST_MODEL: FieldModel =
  typeof TASK_DEFINITION_MODEL === 'object' && 'fields' in TASK_DEFINITION_MODEL
    ? { fields: { ...TASK_DEFINITION_MODEL.fields, tags: 'modelled' } }
    : TASK_DEFINITION_MODEL;

const requestRows = coverage(shapeOf(RegisterTaskDefinitionRequest$), REQUEST_MODEL);
const responseRows = coverage(shapeOf(TaskDefinition$), TASK_DEFINITION_MODEL);

const BEGIN = '<!-- coverage:task-definition:begin -->';
const END = '<!-- coverage:task-definition:end -->';

function countsLine(rows: readonly CoverageRow[]): string {
  return [...countsByShape(rows)].map(([shape, c]) => `${shape} ${c.modelled}/${c.total}`).join(', ');
}

/** The generated section: request rows, then the members only the response has. */
function section(): string {
  const requestPaths = new Set(requestRows.map((r) => r.path));
  const responseOnly = responseRows.filter((r) => !requestPaths.has(r.path));
  return [
    BEGIN,
    '',
    `RegisterTaskDefinition (modelled or read-only / members per shape): ${countsLine(requestRows)}.`,
    '',
    markdownTable(requestRows),
    '',
    'DescribeTaskDefinition members the request does not have (set by AWS):',
    '',
    markdownTable(responseOnly),
    '',
    END,
  ].join('\n');
}

function unclassified(rows: readonly CoverageRow[]): string[] {
  return rows.filter((r) => r.status === 'unclassified').map((r) => r.path);
}

describe('task definition coverage of the AWS API model', () => {
  it('classifies every member of RegisterTaskDefinitionRequest and everything nested', () => {
    assert.ok(requestRows.length > 150, `expected the whole request tree, got ${requestRows.length} rows`);
    assert.deepEqual(unclassified(requestRows), []);
    const counts = countsByShape(requestRows);
    // Everything but the retired Elastic Inference accelerators is modelled.
    const notModelled = requestRows.filter((r) => r.status !== 'modelled');
    assert.deepEqual(
      notModelled.map((r) => `${r.path} ${r.status}`),
      ['inferenceAccelerators unsupported'],
    );
    assert.ok(
      notModelled.every((r) => (r.reason ?? '').length > 20),
      'an unsupported member says why',
    );
    assert.deepEqual(counts.get('ContainerDefinition'), { modelled: 42, total: 42 });
  });

  it('classifies every member of the described TaskDefinition; AWS-set members are read-only', () => {
    assert.deepEqual(unclassified(responseRows), []);
    const readOnly = responseRows.filter((r) => r.status === 'read-only').map((r) => r.path);
    for (const member of ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy']) {
      assert.ok(readOnly.includes(member), `${member} is read-only`);
    }
  });

  it('is published in docs/manifests.md (COVERAGE_WRITE=1 regenerates it)', () => {
    const file = join(PACKAGE_ROOT, 'docs/manifests.md');
    const docs = readFileSync(file, 'utf8');
    const start = docs.indexOf(BEGIN);
    const end = docs.indexOf(END);
    assert.ok(start >= 0 && end > start, `docs/manifests.md has the ${BEGIN} ... ${END} markers`);
    const current = docs.slice(start, end + END.length);
    if (process.env['COVERAGE_WRITE'] === '1' && current !== section()) {
      writeFileSync(file, docs.slice(0, start) + section() + docs.slice(end + END.length));
      return;
    }
    assert.equal(current, section(), 'the coverage table is stale: run COVERAGE_WRITE=1 node scripts/run-tests.mjs coverage/task-definition.test');
  });
});
