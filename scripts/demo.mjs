// The README demo: the local AWS sandbox, the platform prerequisites, `ecs-gitops plan`, then
// the controller on examples/, one drift made by hand and reverted. Runs until Ctrl-C.
// Usage: npm run demo   (after `npm ci`; `npm run demo` builds first)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const SANDBOX_PORT = 4566;
const CONTROLLER_PORT = 9464;
const REGION = 'us-east-1';
const CLI = 'dist/src/cli/bin.js';
const DRIFT_LABELS = '{kind="CloudMapService",name="internal/name"}';
const DETECTED_SERIES = `ecs_gitops_drift_detected_total${DRIFT_LABELS}`;
const REVERTED_SERIES = `ecs_gitops_drift_reverted_total${DRIFT_LABELS}`;

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const step = (s) => console.log(`\n${bold(`==> ${s}`)}`);

let sandbox;
let controller;
let stopping = false;

async function main() {
  // The AWS SDK warns about the Node version on every start; the demo output does not need it.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm ci\` then \`npm run demo\` (it builds first)`);
  const { startSandbox } = await import('@ecs-gitops/sandbox');
  const { ECSClient, CreateClusterCommand, RegisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  const sd = await import('@aws-sdk/client-servicediscovery');

  step('Starting the local AWS sandbox (a development tool that speaks the AWS protocols; not AWS)');
  const options = { host: '127.0.0.1', operationDelayMs: 1_000, taskStartDelayMs: 2_000, drainDelayMs: 2_000 };
  try {
    sandbox = await startSandbox({ ...options, port: SANDBOX_PORT });
  } catch (err) {
    if (err?.code !== 'EADDRINUSE') throw err;
    console.log(dim(`port ${SANDBOX_PORT} is busy; using a free port`));
    sandbox = await startSandbox({ ...options, port: 0 });
  }
  const endpoint = sandbox.endpoint;
  console.log(`sandbox: ${endpoint}`);
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'sandbox',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const clientConfig = sandbox.clientConfig();

  step('Creating what the platform team\'s Terraform would: ECS cluster "demo", task definition family "orders"');
  const ecs = new ECSClient(clientConfig);
  await ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'orders',
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [{ name: 'orders', image: 'public.ecr.aws/example/orders:1.0', portMappings: [{ containerPort: 8080 }] }],
    }),
  );
  ecs.destroy();
  console.log('cluster demo, task definition orders:1');

  step('ecs-gitops plan --source examples');
  const plan = await runCli(['plan', '--source', 'examples', '--hide-unchanged'], env);
  process.stdout.write(plan.stdout);
  if (plan.code !== 2) throw new Error(`plan exited ${plan.code} (expected 2: changes pending)\n${plan.stderr}`);

  const port = (await portFree(CONTROLLER_PORT)) ? CONTROLLER_PORT : 0;
  step(`ecs-gitops run --source examples --listen 127.0.0.1:${port || '<free port>'} --resync 10s`);
  const url = await startController(env, port);
  console.log(`controller: ${url}`);

  await waitFor(
    async () => {
      const status = await getJson(`${url}/status`);
      const left = status.resources.filter((r) => r.syncStatus !== 'Synced');
      return status.controller.ready && status.resources.length > 0 && left.length === 0 ? status : undefined;
    },
    90_000,
    'every resource to be Synced',
  );
  const ready = await fetch(`${url}/readyz`);
  step(`Converged: every resource is Synced, /readyz answers ${ready.status}`);
  console.log(`${await driftLine(url, DETECTED_SERIES)}\n${await driftLine(url, REVERTED_SERIES)}`);

  step('Making drift by hand: TTL of Cloud Map service "name" (namespace internal) 60 -> 300, through the SDK');
  const sdc = new sd.ServiceDiscoveryClient({ ...clientConfig, disableHostPrefix: true });
  const ns = (await sdc.send(new sd.ListNamespacesCommand({}))).Namespaces.find((n) => n.Name === 'internal');
  const svc = (await sdc.send(new sd.ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [ns.Id], Condition: 'EQ' }] }))).Services.find(
    (s) => s.Name === 'name',
  );
  await sdc.send(new sd.UpdateServiceCommand({ Id: svc.Id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 300 }] } } }));
  sdc.destroy();
  const changedAt = Date.now();
  console.log(`UpdateService ${svc.Id}: TTL 300 (the controller sees it at its next resync, within ~11 s)`);
  await waitFor(async () => ((await driftLine(url, DETECTED_SERIES)).endsWith(' 1') ? true : undefined), 30_000, `${DETECTED_SERIES} 1`);
  console.log(`${await driftLine(url, DETECTED_SERIES)}   ${dim(`drift detected after ${((Date.now() - changedAt) / 1000).toFixed(1)} s`)}`);
  await waitFor(async () => ((await driftLine(url, REVERTED_SERIES)).endsWith(' 1') ? true : undefined), 30_000, `${REVERTED_SERIES} 1`);
  console.log(`${await driftLine(url, REVERTED_SERIES)}   ${dim(`reverted to the TTL in Git after ${((Date.now() - changedAt) / 1000).toFixed(1)} s`)}`);

  step('Running. Try it yourself:');
  const aws = `aws --endpoint-url ${endpoint}`;
  console.log(`  metrics:  curl -s ${url}/metrics | grep ecs_gitops_drift_
  status:   curl -s ${url}/status      (or: node ${CLI} status --url ${url})

  Make drift with the AWS CLI (any credentials work against the sandbox):
    export AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox AWS_DEFAULT_REGION=${REGION}
    ${aws} servicediscovery update-service --id ${svc.Id} --service 'DnsConfig={DnsRecords=[{Type=A,TTL=120}]}'
    ${aws} ecs update-service --cluster demo --service name --desired-count 5
  Within one resync (10 s) ${DETECTED_SERIES} goes up by 1, and
  ${REVERTED_SERIES} too once the controller has reverted it (enforce);
  /status lists the change in the resource's driftHistory. A manifest with
  "syncPolicy: {mode: observe}" (or run --default-mode observe) only counts and reports it.

Press Ctrl-C to stop.`);
  await new Promise(() => {});
}

function runCli(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `ecs-gitops run` and prints its log lines that say something (writes, failures). */
function startController(env, port) {
  const args = ['run', '--source', 'examples', '--listen', `127.0.0.1:${port}`, '--resync', '10s', '--interval', '30s'];
  controller = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: controller.stderr }).on('line', (l) => console.log(dim(`  [controller] ${l}`)));
  return new Promise((resolve, reject) => {
    controller.once('exit', (code) => {
      if (!stopping) reject(new Error(`the controller exited with code ${code}`));
    });
    createInterface({ input: controller.stdout }).on('line', (line) => {
      let l;
      try {
        l = JSON.parse(line);
      } catch {
        console.log(`  [controller] ${line}`);
        return;
      }
      if (l.msg === 'controller running') resolve(l.url);
      const shown = formatLog(l);
      if (shown) console.log(`  ${dim(l.time.slice(11, 23))} ${shown}`);
    });
  });
}

function formatLog(l) {
  if (l.msg === 'reconciled' || l.msg === 'reconcile failed') {
    if (l.outcome === 'success' && l.actions.length === 0) return undefined; // in sync: nothing to show
    if (l.outcome === 'waiting') return undefined; // the next attempt says what happened
    const what = l.actions.length > 0 ? l.actions.join('; ') : `${l.outcome}${l.reason ? ` (${l.reason})` : ''}${l.error ? `: ${l.error}` : ''}`;
    return `${l.key.padEnd(42)} ${what}`;
  }
  if (['controller starting', 'loaded source revision', 'new source revision', 'shutting down', 'stopped'].includes(l.msg)) {
    const extra = l.msg === 'loaded source revision' ? ` ${l.resources} resources, revision ${l.revision.slice(0, 19)}` : '';
    return `${l.msg}${extra}`;
  }
  if (l.level === 'warn' || l.level === 'error') return `${l.level}: ${l.msg}`;
  return undefined;
}

async function driftLine(url, series) {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split('\n').find((l) => l.startsWith(`${series} `)) ?? `${series} (absent)`;
}

async function getJson(u) {
  const res = await fetch(u);
  if (!res.ok) throw new Error(`${u}: HTTP ${res.status}`);
  return res.json();
}

async function waitFor(check, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (${last.message})` : ''}`);
    await sleep(200);
  }
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  if (controller && controller.exitCode === null) {
    // Wait for its last log lines too ("stopped"), not only for the exit.
    const closed = new Promise((resolve) => controller.stdout.once('close', resolve));
    controller.kill('SIGTERM');
    await closed;
    console.log('controller stopped (SIGTERM, exit 0)');
  }
  await sandbox?.stop();
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((err) => {
  console.error(`\ndemo failed: ${err?.message ?? err}`);
  void shutdown(1);
});
