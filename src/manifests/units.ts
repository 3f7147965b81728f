/**
 * Task-level cpu and memory as a manifest may write them: CPU units or "N vCPU", MiB or "N GB"
 * (ECS converts 1 GB to 1024 MiB). A value counts only when it is a whole number of units.
 * Used by validation and by the diff layer; the AWS facts live in util/fargate.ts.
 */
import { cpuUnitsOf, FARGATE_MEMORY_BY_CPU, memoryMiBOf } from '../util/fargate.js';

/** CPU units (1024 = 1 vCPU) of a manifest cpu value, or undefined when it is not a whole number of units. */
export function parseCpu(value: string | number): number | undefined {
  return wholeOrUndefined(typeof value === 'number' ? value : cpuUnitsOf(value));
}

/** MiB of a manifest memory value, or undefined when it is not a whole number of MiB. */
export function parseMemory(value: string | number): number | undefined {
  return wholeOrUndefined(typeof value === 'number' ? value : memoryMiBOf(value));
}

function wholeOrUndefined(n: number | undefined): number | undefined {
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Human summary of the memory Fargate allows for a cpu, e.g. "1024-4096 MiB in steps of 1024". */
export function describeFargateMemory(cpu: number): string | undefined {
  const options = FARGATE_MEMORY_BY_CPU.get(cpu);
  if (!options || options.length === 0) return undefined;
  const first = options[0];
  const second = options[1];
  const last = options[options.length - 1];
  if (first === undefined || second === undefined || last === undefined) return `${String(first)} MiB`;
  const step = second - first;
  const evenSteps = options.every((v, i) => v === first + i * step);
  return evenSteps && options.length > 3 ? `${first}-${last} MiB in steps of ${step}` : `${options.join(', ')} MiB`;
}
