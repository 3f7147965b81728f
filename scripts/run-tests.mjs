// Runs every compiled test file under dist/test and packages/*/dist/test with node's test
// runner (spec reporter),
// so the output ends with the runner's summary. Extra arguments filter files by substring:
//   npm test -- sandbox        runs only test files whose path contains "sandbox".
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (name.endsWith('.test.js')) out.push(full);
  }
  return out;
}

const filters = process.argv.slice(2);
// A compiled test whose TypeScript source is gone (renamed or deleted) is stale: skip it.
const roots = ['dist/test', ...readdirSync('packages').map((p) => join('packages', p, 'dist', 'test'))].filter((d) => existsSync(d));
const files = roots
  .flatMap((root) => walk(root))
  .filter((f) => existsSync(f.replace(/(^|[\\/])dist[\\/]/, '$1').replace(/\.js$/, '.ts')))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const child = spawn(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  // The SDK's Node 20 end-of-support notice would repeat in every test process.
  { stdio: 'inherit', env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env } },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
