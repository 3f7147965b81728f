/**
 * Pure unit helpers for task-level cpu and memory as ECS accepts them: CPU units or "N vCPU",
 * MiB or "N GB" (ECS converts 1 GB to 1024 MiB). Used by validation and by the diff layer.
 */

const CPU_RE = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(vcpu)?\s*$/i;
const MEMORY_RE = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(gb)?\s*$/i;

/** CPU units (1024 = 1 vCPU) of a manifest cpu value, or undefined when it is not a whole number of units. */
export function parseCpu(value: string | number): number | undefined {
  return parseScaled(value, CPU_RE, 1024);
}

/** MiB of a manifest memory value, or undefined when it is not a whole number of MiB. */
export function parseMemory(value: string | number): number | undefined {
  return parseScaled(value, MEMORY_RE, 1024);
}

function parseScaled(value: string | number, re: RegExp, unitFactor: number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const m = re.exec(value);
  if (!m?.[1]) return undefined;
  const n = Number(m[1]) * (m[2] ? unitFactor : 1);
  return Number.isInteger(n) ? n : undefined;
}

/** Valid Fargate task memory (MiB) for each task cpu (units), from the AWS documentation. */
export const FARGATE_MEMORY_BY_CPU: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** True when Fargate accepts this task cpu (units) and memory (MiB). */
export function isValidFargateSize(cpu: number, memoryMiB: number): boolean {
  return FARGATE_MEMORY_BY_CPU.get(cpu)?.includes(memoryMiB) ?? false;
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
  return evenSteps && options.length > 3
    ? `${first}-${last} MiB in steps of ${step}`
    : `${options.join(', ')} MiB`;
}
