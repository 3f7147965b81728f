import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpuUnitsOf, isValidFargateSize, memoryMiBOf } from '../../src/util/fargate.js';

describe('the Fargate cpu/memory table', () => {
  it('accepts the documented edges of every cpu size and rejects what lies between or beyond', () => {
    const valid: [number, number][] = [
      [256, 512],
      [256, 2048],
      [512, 4096],
      [1024, 8192],
      [2048, 16384],
      [4096, 30720],
      [8192, 16384],
      [8192, 61440],
      [16384, 122880],
    ];
    const invalid: [number, number][] = [
      [256, 4096],
      [512, 512],
      [1024, 1024],
      [4096, 31744],
      [8192, 18432],
      [16384, 36864],
      [300, 512],
    ];
    for (const [cpu, mem] of valid) assert.ok(isValidFargateSize(cpu, mem), `${cpu}/${mem} should be valid`);
    for (const [cpu, mem] of invalid) assert.ok(!isValidFargateSize(cpu, mem), `${cpu}/${mem} should be invalid`);
  });
});

describe('cpuUnitsOf', () => {
  const cases: [string, number | undefined][] = [
    ['256', 256],
    [' 1024 ', 1024],
    ['0.25 vCPU', 256],
    ['2vcpu', 2048],
    ['0.1 vCPU', 102.4],
    ['256.0', undefined],
    ['1 core', undefined],
  ];
  for (const [input, expected] of cases) {
    it(`reads ${JSON.stringify(input)} as ${String(expected)}`, () => assert.equal(cpuUnitsOf(input), expected));
  }
});

describe('memoryMiBOf', () => {
  const cases: [string, number | undefined][] = [
    ['512', 512],
    ['1 GB', 1024],
    ['0.5gb', 512],
    ['2 GiB', 2048],
    ['512 MiB', 512],
    ['0.3 GB', 307.2],
    ['1.5 MB', undefined],
    ['1 TB', undefined],
  ];
  for (const [input, expected] of cases) {
    it(`reads ${JSON.stringify(input)} as ${String(expected)}`, () => assert.equal(memoryMiBOf(input), expected));
  }
});
