import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; bin: Record<string, string> };

describe('the built CLI file', () => {
  for (const [name, file] of Object.entries(pkg.bin)) {
    it(`${name} (${file}) is executable and runs without naming node`, async () => {
      assert.notEqual(statSync(file).mode & 0o111, 0, `${file} has no execute bit`);
      const { stdout } = await run(file, ['--version']);
      assert.equal(stdout.trim(), pkg.version);
    });
  }
});
