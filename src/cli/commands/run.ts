import type { Command, CommandIO } from '../command.js';
import { controllerOptionsHelp, parseControllerConfig } from '../../config/controller-config.js';

const HELP = `Usage: ecs-gitops run --source <dir|url> [options]

The controller: polls the source, observes ECS, Cloud Map and Route 53 every resync, applies
what differs (owned resources only; observe-mode resources are only reported) and serves:

  GET  /metrics        Prometheus metrics (ecs_gitops_*)
  GET  /status         JSON status: source, revision, one entry per resource
  GET  /healthz        200 while the loop is alive
  GET  /readyz         200 after the first source read and the first observe
  POST /hooks/github   GitHub push webhook (X-Hub-Signature-256)
  POST /hooks/generic  signed trigger for any CI (X-Signature-256)

The webhooks need a secret (ECS_GITOPS_WEBHOOK_SECRET or --webhook-secret-file); without
one they answer 404. With --webhook-listen they are served only on that address (with
/healthz), so --listen can stay private. SIGTERM/SIGINT stop it within --shutdown-grace,
exit code 0.

Options (flags win over environment variables):
${controllerOptionsHelp()}

AWS region, credentials and endpoints follow the SDK conventions (AWS_REGION,
AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECS, ...). Git credentials: ECS_GITOPS_GIT_TOKEN,
ECS_GITOPS_GIT_SSH_KEY_FILE, ... (docs/sources.md). More in docs/operations.md.
`;

/** Resolves on the first SIGTERM or SIGINT, with its name. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

async function run(argv: readonly string[], io: CommandIO): Promise<number> {
  const config = parseControllerConfig(argv, io.env);
  const { startController } = await import('../../run/app.js');
  const { awsConfigFromEnv, sourceOptionsFromEnv, valueReaderOptionsFromEnv } = await import('../../run/env.js');
  const signal = nextSignal();
  let running;
  try {
    const aws = { ...awsConfigFromEnv(io.env), ...(config.region !== undefined ? { region: config.region } : {}) };
    const deps = { aws, source: sourceOptionsFromEnv(io.env), values: valueReaderOptionsFromEnv(io.env, config.region) };
    // With --targets: one controller per account and region behind one listener.
    // (Loaded only then: it brings the STS SDK along.)
    running = config.targets ? await (await import('../../run/targets.js')).startTargets(config, deps) : await startController(config, deps);
  } catch (err) {
    io.stderr(`error: the controller could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const received = await signal;
  running.logger.info({ signal: received }, 'signal received');
  const report = await running.stop();
  running.logger.flush();
  // Abandoned AWS calls or git children must not hold the process past the grace period.
  setTimeout(() => process.exit(0), Math.max(100, config.shutdownGraceMs - report.durationMs)).unref();
  return 0;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the controller: reconcile continuously, serve /metrics, /status and probes',
  help: HELP,
  run,
};
