import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeFargateMemory, isValidFargateSize, parseCpu, parseMemory } from '../../src/manifests/units.js';

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

describe('the Fargate cpu/memory table', () => {
  it('accepts the documented edges of every cpu size and rejects what lies between or beyond', () => {
    const valid: [number, number][] = [[256, 512], [256, 2048], [512, 4096], [1024, 8192], [2048, 16384], [4096, 30720], [8192, 16384], [8192, 61440], [16384, 122880]];
    const invalid: [number, number][] = [[256, 4096], [512, 512], [1024, 1024], [4096, 31744], [8192, 18432], [16384, 36864], [300, 512]];
    for (const [cpu, mem] of valid) assert.ok(isValidFargateSize(cpu, mem), `${cpu}/${mem} should be valid`);
    for (const [cpu, mem] of invalid) assert.ok(!isValidFargateSize(cpu, mem), `${cpu}/${mem} should be invalid`);
  });

  it('describes the allowed memory for a cpu in words', () => {
    assert.equal(describeFargateMemory(256), '512, 1024, 2048 MiB');
    assert.equal(describeFargateMemory(8192), '16384-61440 MiB in steps of 4096');
    assert.equal(describeFargateMemory(3), undefined);
  });
});
