import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fargateRuns, taskCpuUnits, taskMemoryMiB } from '../src/aws-rules/fargate.js';

describe('sandbox Fargate task sizes (AWS documentation, "Task CPU and memory")', () => {
  it('reads cpu as units or vCPUs and memory as MiB or GB, and nothing else', () => {
    assert.equal(taskCpuUnits('1024'), 1024);
    assert.equal(taskCpuUnits('1 vCPU'), 1024);
    assert.equal(taskCpuUnits('0.25 vcpu'), 256);
    assert.equal(taskCpuUnits('2vCPU'), 2048);
    assert.equal(taskCpuUnits('one'), undefined);
    assert.equal(taskCpuUnits('1 core'), undefined);
    assert.equal(taskMemoryMiB('2048'), 2048);
    assert.equal(taskMemoryMiB('2 GB'), 2048);
    assert.equal(taskMemoryMiB('0.5GB'), 512);
    assert.equal(taskMemoryMiB('512 MiB'), undefined);
    assert.equal(taskMemoryMiB('lots'), undefined);
  });

  const runs: [number, number][] = [
    [256, 512],
    [256, 1024],
    [256, 2048],
    [512, 1024],
    [512, 4096],
    [1024, 2048],
    [1024, 8192],
    [2048, 4096],
    [2048, 16384],
    [4096, 8192],
    [4096, 30720],
    [8192, 16384],
    [8192, 20480],
    [8192, 61440],
    [16384, 32768],
    [16384, 40960],
    [16384, 122880],
  ];
  const refused: [number, number][] = [
    [256, 3072],
    [256, 256],
    [512, 512],
    [512, 5120],
    [1024, 1024],
    [1024, 9216],
    [2048, 17408],
    [4096, 31744],
    [8192, 17408],
    [8192, 65536],
    [16384, 36864],
    [16384, 131072],
    [128, 512],
    [3072, 8192],
    [32768, 65536],
  ];
  for (const [cpu, mem] of runs) it(`runs cpu ${cpu} with ${mem} MiB`, () => assert.equal(fargateRuns(cpu, mem), true));
  for (const [cpu, mem] of refused) it(`refuses cpu ${cpu} with ${mem} MiB`, () => assert.equal(fargateRuns(cpu, mem), false));
});
