// The V8 flags the container image starts the controller with, read from the Dockerfile's
// ENTRYPOINT (the options between `node` and the script), so a benchmark measures the
// controller as it is shipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function imageNodeOptions(dockerfile = join(import.meta.dirname, '..', '..', 'Dockerfile')): string[] {
  const line = readFileSync(dockerfile, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ENTRYPOINT '));
  if (!line) throw new Error(`no ENTRYPOINT in ${dockerfile}`);
  const argv = JSON.parse(line.slice('ENTRYPOINT '.length)) as string[];
  const node = argv.indexOf('node');
  if (node < 0) throw new Error(`the ENTRYPOINT of ${dockerfile} does not run node`);
  return argv.slice(node + 1).filter((a) => a.startsWith('--'));
}
