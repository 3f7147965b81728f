/**
 * The sandbox's own reading of the AWS documentation on task size ("Task CPU and memory" in
 * the Amazon ECS Developer Guide, and the cpu/memory members of RegisterTaskDefinition). It
 * is written apart from the product's table on purpose: a mistake in one is caught by the
 * other instead of being agreed on by both.
 */

/**
 * RegisterTaskDefinition's task-level `cpu`: an integer number of CPU units ("1024") or a
 * number of vCPUs ("1 vCPU", "0.25 vcpu"). Returns whole units, or undefined when AWS would
 * refuse the text.
 */
export function taskCpuUnits(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number.parseInt(trimmed, 10);
  const vcpu = /^([0-9]+(?:\.[0-9]+)?) ?vcpu$/i.exec(trimmed);
  if (!vcpu?.[1]) return undefined;
  return Math.round(Number.parseFloat(vcpu[1]) * 1024);
}

/**
 * RegisterTaskDefinition's task-level `memory`: an integer number of MiB ("2048") or a number
 * of GB ("2 GB", "0.5GB"). Returns whole MiB, or undefined when AWS would refuse the text.
 */
export function taskMemoryMiB(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number.parseInt(trimmed, 10);
  const gb = /^([0-9]+(?:\.[0-9]+)?) ?gb$/i.exec(trimmed);
  if (!gb?.[1]) return undefined;
  return Math.round(Number.parseFloat(gb[1]) * 1024);
}

/** One row of the documented table: a task cpu and the memory values Fargate pairs with it. */
interface FargateRow {
  readonly cpu: number;
  /** Either listed values ... */
  readonly memory?: readonly number[];
  /** ... or a range in GB with its increment. */
  readonly fromGb?: number;
  readonly toGb?: number;
  readonly stepGb?: number;
}

const GB = 1024;

/** The table as the documentation writes it (memory in GB, as there). */
const FARGATE_ROWS: readonly FargateRow[] = [
  { cpu: 256, memory: [512, 1 * GB, 2 * GB] },
  { cpu: 512, fromGb: 1, toGb: 4, stepGb: 1 },
  { cpu: 1024, fromGb: 2, toGb: 8, stepGb: 1 },
  { cpu: 2048, fromGb: 4, toGb: 16, stepGb: 1 },
  { cpu: 4096, fromGb: 8, toGb: 30, stepGb: 1 },
  { cpu: 8192, fromGb: 16, toGb: 60, stepGb: 4 },
  { cpu: 16384, fromGb: 32, toGb: 120, stepGb: 8 },
];

/** True when Fargate runs a task of this cpu (units) and memory (MiB). */
export function fargateRuns(cpu: number, memoryMiB: number): boolean {
  const row = FARGATE_ROWS.find((r) => r.cpu === cpu);
  if (!row) return false;
  if (row.memory) return row.memory.includes(memoryMiB);
  const { fromGb = 0, toGb = 0, stepGb = 1 } = row;
  const gb = memoryMiB / GB;
  return Number.isInteger(gb) && gb >= fromGb && gb <= toGb && (gb - fromGb) % stepGb === 0;
}
