/**
 * AWS facts about task-level cpu and memory on ECS, shared by manifest validation and the diff
 * layer: the forms RegisterTaskDefinition accepts and the cpu/memory pairs
 * Fargate runs. No policy here: callers decide what to do with a fractional result.
 */

/** CPU units in one vCPU. */
export const CPU_UNITS_PER_VCPU = 1024;
/** MiB in one GB as ECS counts it ("1 GB" registers as 1024). */
export const MIB_PER_GB = 1024;

const WHOLE_RE = /^\d+$/;
const VCPU_RE = /^(\d+(?:\.\d+)?)\s*vcpu$/i;
const GB_RE = /^(\d+(?:\.\d+)?)\s*(?:gb|gib)$/i;
const MB_RE = /^(\d+)\s*(?:mb|mib)$/i;

/**
 * CPU units a task-level cpu string stands for: whole units ("256") or vCPUs ("0.25 vCPU",
 * "2vcpu"). The result can be fractional ("0.1 vCPU" -> 102.4); undefined for any other form.
 */
export function cpuUnitsOf(raw: string): number | undefined {
  const s = raw.trim();
  if (WHOLE_RE.test(s)) return Number(s);
  const m = VCPU_RE.exec(s);
  return m ? Number(m[1]) * CPU_UNITS_PER_VCPU : undefined;
}

/**
 * MiB a task-level memory string stands for: whole MiB ("512") or GB ("1 GB", "0.5 gb"), as
 * AWS documents, and leniently "512 MiB"/"512 MB"/"1 GiB". The result can be fractional ("0.3 GB" -> 307.2); undefined for any other form.
 */
export function memoryMiBOf(raw: string): number | undefined {
  const s = raw.trim();
  if (WHOLE_RE.test(s)) return Number(s);
  const gb = GB_RE.exec(s);
  if (gb) return Number(gb[1]) * MIB_PER_GB;
  const mb = MB_RE.exec(s);
  return mb ? Number(mb[1]) : undefined;
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
