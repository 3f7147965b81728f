import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { copyExamples, countResources, isWrite } from '../run/helpers.js';
import { useExamplesCli } from '../helpers/examples.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> };
const BIN = pkg.bin['ecs-gitops']!;

/** Runs the built CLI as a process; resolves to its exit code and output. */
function runBuilt(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(BIN, [...argv], { env: { PATH: process.env['PATH'] ?? '' } }, (err, out, errText) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out, err: errText });
    });
  });
}

/** Bytes no YAML reader can take: a PNG header and junk. */
const BINARY_JUNK = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe, 0x00]);

describe('the built CLI reads every encoding YAML allows and refuses the rest by name', () => {
  let dir: string;
  before(async () => {
    dir = await copyExamples();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('validate counts every resource of the examples with one file re-encoded as UTF-16 LE without BOM; invalid bytes fail naming the file', async () => {
    const original = await runBuilt(['validate', dir]);
    assert.equal(original.code, 0, original.out);
    const summary = /^(\d+) resources valid, 0 errors, 0 warnings$/m.exec(original.out);
    assert.ok(summary, original.out);
    assert.equal(Number(summary[1]), 25);

    const file = join(dir, 'hello-name', 'name.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, Buffer.from(text, 'utf16le'));
    assert.equal(readFileSync(file)[1], 0x00, 'the file is UTF-16 LE without a byte order mark');
    const reencoded = await runBuilt(['validate', dir, '--output', 'json']);
    assert.equal(reencoded.code, 0, reencoded.out);
    const doc = JSON.parse(reencoded.out) as { resources: { key: string; file: string }[] };
    assert.equal(doc.resources.length, 25, 'the same count as the original');
    assert.ok(doc.resources.some((r) => r.key === 'CloudMapService/internal/name' && r.file === file));

    writeFileSync(file, Buffer.concat([Buffer.from(text.slice(0, 40)), Buffer.from([0xc3, 0x28]), Buffer.from(text.slice(40))]));
    const invalid = await runBuilt(['validate', dir]);
    assert.equal(invalid.code, 1);
    assert.match(
      invalid.out,
      new RegExp(`^${file}:\\d+:\\d+: the file is not valid UTF-8 at line \\d+, column \\d+ \\(byte 0xC3\\).*\\[EGO_ENCODING\\]$`, 'm'),
    );
    writeFileSync(file, text);
  });
});

describe('apply on the applied examples, then a revision with a refused file: nothing is deleted (sandbox)', () => {
  const f = useExamplesCli();
  let dir: string;
  before(async () => {
    dir = await copyExamples();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 naming the file, sends no write, and the resources the file held stay', async () => {
    const applied = await f.cli('apply', '--source', dir, '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    const before = await countResources(f.sandbox);
    const since = Date.now();

    const file = join(dir, 'hello-name', 'name.yaml');
    writeFileSync(file, BINARY_JUNK);
    const refused = await f.cli('apply', '--source', dir, '--wait', '5s');
    assert.equal(refused.code, 1, refused.out);
    assert.match(refused.err, new RegExp(`^${file}:1:1: the file is not valid UTF-8 at line 1, column 1 \\(byte 0x89\\).*\\[EGO_ENCODING\\]$`, 'm'));
    assert.match(refused.err, /1 problem in the manifests; nothing was applied/);
    const planned = await f.cli('plan', '--source', dir);
    assert.equal(planned.code, 1);
    assert.match(planned.err, /nothing was planned/);

    const writes = f.sandbox.world.calls
      .calls(since)
      .filter((c) => isWrite(c.operation))
      .map((c) => `${c.service}:${c.operation}`);
    assert.deepEqual(writes, []);
    assert.deepEqual(await countResources(f.sandbox), before);
    assert.equal(before.cloudMapServices > 0, true);
  });
});
