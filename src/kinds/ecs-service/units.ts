/**
 * Canonical task-level cpu and memory, as ECS stores them: cpu in CPU units (1 vCPU = 1024)
 * and memory in MiB, both as decimal strings. ECS converts "1 vCPU" and "2 GB" itself when a
 * task definition is registered and always returns the numeric form, so both sides of a diff
 * go through these functions.
 */

const CPU = /^(\d+(?:\.\d+)?)\s*(vcpu|cpu)?$/i;
const MEMORY = /^(\d+(?:\.\d+)?)\s*(gb|gib|mb|mib)?$/i;

/** "0.25 vCPU" -> "256", 512 -> "512", "1024" -> "1024". Unparseable text is returned trimmed, unchanged. */
export function canonicalCpu(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const m = CPU.exec(value.trim());
  if (!m) return value.trim();
  const n = Number(m[1]);
  return String(m[2] ? Math.round(n * 1024) : n);
}

/** "1 GB" -> "1024", "512 MiB" -> "512", 2048 -> "2048". Unparseable text is returned trimmed, unchanged. */
export function canonicalMemory(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const m = MEMORY.exec(value.trim());
  if (!m) return value.trim();
  const n = Number(m[1]);
  const unit = m[2]?.toLowerCase();
  return String(unit === 'gb' || unit === 'gib' ? Math.round(n * 1024) : n);
}
