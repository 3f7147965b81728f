// Commit -> converged latency of `ecs-gitops run` against the in-process sandbox, with a
// webhook and with polling. Prints figures; asserts nothing.
//   npm run build && node dist/bench/latency.js [--rounds 5] [--interval 5s] [--resync 30s]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signBody } from '../src/webhooks/signature.js';
import type { RunningController } from '../src/run/app.js';
import { createGitRepo } from '../test/helpers/git-repo.js';
import { exampleRepoFiles, liveTtl, nameYamlWithTtl, startExampleSandbox, startTestController, waitConverged, waitFor } from '../test/run/helpers.js';

const NAME_YAML = 'hello-name/name.yaml';
const SECRET = 'bench-secret';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, interval: { type: 'string', default: '5s' }, resync: { type: 'string', default: '30s' } },
});
const rounds = Number(values.rounds);

function stats(ms: readonly number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `median ${(s[Math.floor(s.length / 2)]! / 1000).toFixed(2)} s, mean ${(mean / 1000).toFixed(2)} s, min ${(s[0]! / 1000).toFixed(2)} s, max ${(s[s.length - 1]! / 1000).toFixed(2)} s`;
}

async function measure(mode: 'webhook' | 'polling'): Promise<number[]> {
  const sandbox = await startExampleSandbox();
  const files = await exampleRepoFiles();
  const name = files[NAME_YAML]!;
  const repo = await createGitRepo(files);
  const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-bench-'));
  const secretFile = join(dir, 'secret');
  await writeFile(secretFile, SECRET);
  const interval = mode === 'webhook' ? '1h' : values.interval;
  let running: RunningController | undefined;
  const out: number[] = [];
  try {
    ({ running } = await startTestController(
      sandbox,
      [
        '--source',
        repo.fileUrl({ ref: 'main' }),
        '--interval',
        interval,
        '--resync',
        values.resync,
        '--log-level',
        'warn',
        '--webhook-secret-file',
        secretFile,
      ],
      { source: { git: { cacheDir: join(dir, 'cache') } } },
    ));
    await waitConverged(running, 60_000);
    for (let i = 0; i < rounds; i++) {
      const ttl = 100 + i;
      const sha = await repo.commit({ [NAME_YAML]: nameYamlWithTtl(name, ttl) }, `TTL ${ttl}`);
      const t0 = Date.now();
      if (mode === 'webhook') {
        const body = JSON.stringify({ ref: 'refs/heads/main', after: sha, repository: { default_branch: 'main' } });
        await fetch(`${running.url}/hooks/github`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signBody(SECRET, body) },
          body,
        });
      }
      await waitFor(async () => (await liveTtl(sandbox, 'internal', 'name')) === ttl, 120_000, `TTL ${ttl}`);
      out.push(Date.now() - t0);
    }
  } finally {
    await running?.stop(2_000);
    await sandbox.stop();
    await repo.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

console.log(`commit -> TTL live in the sandbox (git+file source, ${rounds} commits each; sandbox operations take 20 ms)`);
const webhook = await measure('webhook');
console.log(`webhook (GitHub push):      ${stats(webhook)}`);
const polling = await measure('polling');
console.log(`polling (--interval ${values.interval}):   ${stats(polling)}`);
