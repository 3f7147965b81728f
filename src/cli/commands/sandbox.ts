import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.js';
import { parseDuration } from '../../util/duration.js';

const HELP = `Usage: ecs-gitops sandbox [options]

Runs the local AWS sandbox: a development tool that speaks the AWS wire protocols of
ECS and Cloud Map (JSON 1.1), DynamoDB and SQS (JSON 1.0), Route 53 and S3 (REST-XML) and
STS (query) for the calls ecs-gitops makes, with state in memory; credentials from STS
AssumeRole act in the role's account, each account with its own state. Request signatures are accepted without being checked. It is not
AWS and makes no claim to be: use it for demos, tests and benchmarks.

Options:
  --port <n>               port to listen on; 0 picks a free one (default 4566)
  --host <addr>            address to listen on (default 127.0.0.1)
  --region <name>          region in ARNs (default us-east-1)
  --operation-delay <dur>  time an async Cloud Map operation takes (default 1s)
  --task-start-delay <dur> time an ECS task takes to reach RUNNING (default 2s)
  --drain-delay <dur>      time a deleted ECS service stays DRAINING (default 2s)
  --enforce-rate-limits    throttle with AWS's documented token buckets
  --events-queue <name>    SQS queue that receives the change events of ECS, Cloud Map and
                           Route 53 writes (pass its URL to run --events-queue)

Point clients at it with AWS_ENDPOINT_URL=http://127.0.0.1:<port> and any credentials.
Admin API: GET /_sandbox/calls, GET /_sandbox/counters, POST /_sandbox/faults,
POST /_sandbox/reset (see docs/sandbox.md).
`;

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'Run the local AWS sandbox (development tool)',
  help: HELP,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', default: '4566' },
        host: { type: 'string', default: '127.0.0.1' },
        region: { type: 'string', default: 'us-east-1' },
        'operation-delay': { type: 'string', default: '1s' },
        'task-start-delay': { type: 'string', default: '2s' },
        'drain-delay': { type: 'string', default: '2s' },
        'enforce-rate-limits': { type: 'boolean', default: false },
        'events-queue': { type: 'string' },
      },
      strict: true,
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535 (got "${values.port}")`);
    let delays: { operationDelayMs: number; taskStartDelayMs: number; drainDelayMs: number };
    try {
      delays = {
        operationDelayMs: parseDuration(values['operation-delay']),
        taskStartDelayMs: parseDuration(values['task-start-delay']),
        drainDelayMs: parseDuration(values['drain-delay']),
      };
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { startSandbox } = await loadSandboxPackage();
    const eventsQueue = values['events-queue'];
    if (eventsQueue !== undefined && !/^[A-Za-z0-9_-]{1,80}$/.test(eventsQueue)) {
      throw new UsageError(`--events-queue must be an SQS queue name: letters, digits, - and _, up to 80 (got "${eventsQueue}")`);
    }
    const sandbox = await startSandbox({ port, host: values.host, region: values.region, ...delays, ...(eventsQueue !== undefined ? { eventsQueue } : {}) });
    if (values['enforce-rate-limits']) sandbox.world.faults.enforceRateLimits(true);
    // One write, so a reader that sees the first line sees the whole banner.
    const banner = [
      `ecs-gitops sandbox (development tool, not AWS) listening on ${sandbox.endpoint}`,
      // AWS_REGION for the SDKs, AWS_DEFAULT_REGION for the AWS CLI (v1 reads only that one).
      `  export AWS_ENDPOINT_URL=${sandbox.endpoint} AWS_REGION=${values.region} AWS_DEFAULT_REGION=${values.region} AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox`,
      ...(eventsQueue !== undefined ? [`  change events: ecs-gitops run --events-queue ${sandbox.endpoint}/123456789012/${eventsQueue}`] : []),
    ];
    io.stdout(`${banner.join('\n')}\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await sandbox.stop();
    return 0;
  },
};

/** The part of @ecs-gitops/sandbox this command uses (the product does not depend on its types). */
interface SandboxPackage {
  startSandbox(options: {
    port: number;
    host: string;
    region: string;
    operationDelayMs: number;
    taskStartDelayMs: number;
    drainDelayMs: number;
    eventsQueue?: string;
  }): Promise<{ endpoint: string; world: { faults: { enforceRateLimits(on: boolean): void } }; stop(): Promise<void> }>;
}

/** The sandbox is a separate development package, absent from the controller image and npm installs. */
const SANDBOX_PACKAGE = '@ecs-gitops/sandbox';

async function loadSandboxPackage(): Promise<SandboxPackage> {
  try {
    // A name in a variable keeps the compiler from requiring the package when the product builds alone.
    return (await import(SANDBOX_PACKAGE)) as SandboxPackage;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new UsageError(
        `the sandbox is a development tool in its own package (${SANDBOX_PACKAGE}), which this installation does not include: run it from a checkout of the repository (npm ci, then npx ecs-gitops sandbox)`,
      );
    }
    throw err;
  }
}
