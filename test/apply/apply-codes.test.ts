import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isNotFound } from '../../src/aws/errors.js';
import { APPLY_ERROR_CODES, type ApplyErrorCode } from '../../src/kit/apply-codes.js';
import { ApplyError, toErrorInfo } from '../../src/kit/apply-errors.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { errorMessage } from '../../src/util/errors.js';

const CODES = Object.keys(APPLY_ERROR_CODES) as ApplyErrorCode[];

describe('apply error codes: one catalogue, documented, carried by ApplyError', () => {
  const docs = readFileSync(join(PACKAGE_ROOT, 'docs/plan.md'), 'utf8');

  it('documents every code in docs/plan.md', () => {
    assert.deepEqual(
      CODES.filter((code) => !docs.includes(`\`${code}\``)),
      [],
    );
  });

  it('documents no apply code that does not exist', () => {
    const documented = [...docs.matchAll(/`(EGO_APPLY_[A-Z0-9_]+)`/g)].map((m) => m[1] ?? '');
    assert.ok(documented.length >= CODES.length);
    assert.deepEqual(
      documented.filter((c) => !(c in APPLY_ERROR_CODES)),
      [],
    );
  });

  it('gives every ApplyError the category of its code, and the controller the code to act on', () => {
    for (const code of CODES) {
      const info = toErrorInfo(new ApplyError(code, 'm'));
      assert.equal(info.category, APPLY_ERROR_CODES[code].category, code);
      assert.equal(info.applyCode, code);
      assert.equal(info.code, code);
    }
  });

  it("reports AWS's own code of a failed Cloud Map operation while keeping the catalogue code", () => {
    const info = toErrorInfo(new ApplyError('EGO_APPLY_OPERATION_FAILED', 'operation failed', { awsCode: 'CANNOT_CREATE_HOSTED_ZONE' }));
    assert.equal(info.code, 'CANNOT_CREATE_HOSTED_ZONE');
    assert.equal(info.applyCode, 'EGO_APPLY_OPERATION_FAILED');
    assert.equal(info.category, 'invalid');
  });

  it("has one isNotFound for AWS errors and apply's own, and one errorMessage for both message spellings", () => {
    assert.equal(isNotFound(new ApplyError('EGO_APPLY_DEPENDENCY_MISSING', 'x')), true);
    assert.equal(isNotFound(new ApplyError('EGO_APPLY_NOT_OWNED', 'x')), false);
    assert.equal(isNotFound(Object.assign(new Error('gone'), { name: 'ServiceNotFoundException' })), true);
    assert.equal(errorMessage({ Message: 'from the body' }), 'from the body');
    assert.equal(errorMessage(new Error('plain')), 'plain');
    assert.equal(errorMessage('text'), 'text');
  });

  it('only the dependency code makes the controller wait instead of counting a failure', () => {
    assert.deepEqual(
      CODES.filter((c) => APPLY_ERROR_CODES[c].waitsForDependency),
      ['EGO_APPLY_DEPENDENCY_MISSING'],
    );
  });
});
