import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeFargateMemory, parseCpu, parseMemory } from '../../src/manifests/units.js';

describe('parseCpu', () => {
  const cases: [string | number, number | undefined][] = [
    ['256', 256],
    [512, 512],
    ['0.25 vCPU', 256],
    ['1 vcpu', 1024],
    ['2vCPU', 2048],
    ['0.1 vCPU', undefined],
    ['1.5', undefined],
    ['abc', undefined],
    [-1, undefined],
  ];
  for (const [input, expected] of cases) {
    it(`reads ${JSON.stringify(input)} as ${String(expected)}`, () => assert.equal(parseCpu(input), expected));
  }
});

describe('parseMemory', () => {
  const cases: [string | number, number | undefined][] = [
    ['512', 512],
    [2048, 2048],
    ['1 GB', 1024],
    ['0.5 GB', 512],
    ['2gb', 2048],
    ['0.3 GB', undefined],
    ['1 TB', undefined],
  ];
  for (const [input, expected] of cases) {
    it(`reads ${JSON.stringify(input)} as ${String(expected)}`, () => assert.equal(parseMemory(input), expected));
  }
});

describe('describeFargateMemory', () => {
  it('describes the allowed memory for a cpu in words', () => {
    assert.equal(describeFargateMemory(256), '512, 1024, 2048 MiB');
    assert.equal(describeFargateMemory(8192), '16384-61440 MiB in steps of 4096');
    assert.equal(describeFargateMemory(3), undefined);
  });
});
