// tsc writes files without the execute bit; the CLI entry points named in package.json `bin`
// must be executable so `npx ecs-gitops` (and `./dist/src/cli/bin.js`) run in a checkout.
import { chmodSync, readFileSync, statSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
for (const file of bins) {
  chmodSync(file, statSync(file).mode | 0o111);
}
