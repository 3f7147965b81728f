import type { Command, CommandIO } from '../command.js';
import { ConfigError, readOptionsAndPositionals, renderOptionsHelp, textValue, type OptionSpec } from '../../config/options.js';
import { parseIdentity, reconcileOption } from '../../config/reconcile-options.js';
import { errorCodeOf } from '../../aws/errors.js';
import { OWNER_TAGS } from '../../kit/types.js';
import { tagMap } from '../../kit/ownership.js';
import type { AwsClients } from '../../aws/clients.js';
import type { ServiceRollout } from '../../kinds/ecs-service/rollout.js';
import { openAwsClients } from './plan.js';
import { renderRolloutText, type RolloutReport } from './rollout-render.js';
import { errorMessage } from '../../util/errors.js';

const ACTIONS = ['status', 'continue', 'rollback', 'abort', 'retry'] as const;
type Action = (typeof ACTIONS)[number];

const shared = reconcileOption;

export const ROLLOUT_OPTIONS: readonly OptionSpec[] = [
  { name: 'cluster', type: 'string', placeholder: '<name>', required: true, description: 'ECS cluster of the service (name or ARN)' },
  { name: 'service', type: 'string', placeholder: '<name>', required: true, description: 'ECS service name' },
  { name: 'output', type: 'string', placeholder: 'text|json', default: 'text', description: 'status: text (default) or json' },
  { name: 'limit', type: 'string', placeholder: '<n>', default: '5', description: 'status: how many recent service deployments to show (1-20)' },
  { name: 'hook', type: 'string', placeholder: '<id>', description: 'continue: the lifecycle hook to continue (default: every waiting hook)' },
  shared('controller-id'),
  shared('region'),
];

const HELP = `Usage: ecs-gitops rollout <status|continue|rollback|abort|retry> --cluster <name> --service <name> [options]

ECS service deployments of one service (rolling, BLUE_GREEN, LINEAR, CANARY):
  status    current and recent service deployments: strategy, lifecycle stage, production
            traffic on the new revision, bake time left, result (ECS's reason)
  continue  continue a deployment paused at a lifecycle hook (ContinueServiceDeployment)
  rollback  stop the deployment in progress and return to the previous revision
            (StopServiceDeployment ROLLBACK)
  abort     stop the deployment in progress where it is (StopServiceDeployment ABORT)
  retry     lift the controller's hold on a rolled-back revision: the controller deploys it
            again at its next reconcile (it tags the service ecs-gitops.io/rollout-retry=<deployment id>)

continue, rollback, abort and retry write only to services ecs-gitops owns, as apply does:
the service must carry ${OWNER_TAGS.controller}=<--controller-id>. See docs/operations.md
"Rollouts and rollbacks".

Options (flags win over environment variables):
${renderOptionsHelp(ROLLOUT_OPTIONS)}

Exit codes:
  0  status: the newest deployment succeeded or is in progress; other actions: done
  1  error: bad arguments, the service not found, AWS not reachable or refused the call
  2  status: the newest deployment failed, was rolled back or stopped; other actions:
     nothing to act on (no deployment in progress, no hook waiting, nothing rolled back)
  3  refused: the service is not owned by this controller id

AWS endpoints and credentials follow the SDK conventions (AWS_ENDPOINT_URL, AWS_PROFILE, ...).
`;

interface RolloutArgs {
  action: Action;
  cluster: string;
  service: string;
  output: 'text' | 'json';
  limit: number;
  hook?: string;
  controllerId: string;
  region?: string;
}

export function parseRolloutArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): RolloutArgs {
  const { raw, positionals } = readOptionsAndPositionals(ROLLOUT_OPTIONS, argv, env);
  const action = positionals[0];
  if (positionals.length !== 1 || !(ACTIONS as readonly string[]).includes(action ?? '')) {
    throw new ConfigError(`expected one action: ${ACTIONS.join(', ')} (got ${positionals.length === 0 ? 'none' : positionals.join(' ')}) (see --help)`);
  }
  const output = textValue(raw, 'output');
  if (output !== 'text' && output !== 'json') throw new ConfigError(`--output must be text or json (got "${output}")`);
  const limit = Number(textValue(raw, 'limit'));
  if (!Number.isInteger(limit) || limit < 1 || limit > 20)
    throw new ConfigError(`--limit must be a whole number from 1 to 20 (got "${textValue(raw, 'limit')}")`);
  const { controllerId, region } = parseIdentity(raw);
  const args: RolloutArgs = {
    action: action as Action,
    cluster: textValue(raw, 'cluster')!,
    service: textValue(raw, 'service')!,
    output,
    limit,
    controllerId,
  };
  const hook = textValue(raw, 'hook');
  if (hook !== undefined) args.hook = hook;
  if (region !== undefined) args.region = region;
  return args;
}

/** A one-line message for an AWS error. */
function awsMessage(err: unknown): string {
  return `${errorCodeOf(err)}: ${errorMessage(err)}`;
}

async function runRollout(args: RolloutArgs, io: CommandIO): Promise<number> {
  const { DescribeServicesCommand } = await import('@aws-sdk/client-ecs');
  const { readServiceRollouts } = await import('../../kinds/ecs-service/rollout.js');
  const { ROLLOUT_RETRY_TAG } = await import('../../kinds/ecs-service/rollout-gate.js');
  const { clients, close } = await openAwsClients(args.region, io);
  try {
    let serviceArn: string;
    let tags: Record<string, string>;
    try {
      const out = await clients.ecs.send(new DescribeServicesCommand({ cluster: args.cluster, services: [args.service], include: ['TAGS'] }));
      const svc = out.services?.find((s) => s.status !== 'INACTIVE');
      if (!svc?.serviceArn) {
        io.stderr(`error: service ${args.service} not found in cluster ${args.cluster}\n`);
        return 1;
      }
      serviceArn = svc.serviceArn;
      tags = tagMap(svc.tags);
    } catch (err) {
      io.stderr(`error: cannot read service ${args.cluster}/${args.service}: ${awsMessage(err)}\n`);
      return 1;
    }
    if (args.action !== 'status' && tags[OWNER_TAGS.controller] !== args.controllerId) {
      const owner = tags[OWNER_TAGS.controller];
      io.stderr(
        `refused: ${args.cluster}/${args.service} is ${owner ? `owned by controller id "${owner}"` : 'not owned by ecs-gitops'}, not by "${args.controllerId}" (apply's ownership rules; see --controller-id)\n`,
      );
      return 3;
    }
    let deployments: ServiceRollout[];
    try {
      deployments = await readServiceRollouts(clients.ecs, args.cluster, args.service, { max: args.action === 'status' ? args.limit : 1 });
    } catch (err) {
      io.stderr(`error: cannot read the service deployments of ${args.cluster}/${args.service}: ${awsMessage(err)}\n`);
      return 1;
    }
    const retried = tags[ROLLOUT_RETRY_TAG];
    if (args.action === 'status') {
      const report: RolloutReport = { cluster: args.cluster, service: args.service, serviceArn, deployments, ...(retried ? { retried } : {}) };
      io.stdout(args.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderRolloutText(report));
      const latest = deployments[0];
      return latest === undefined || latest.status === 'SUCCESSFUL' || ['PENDING', 'IN_PROGRESS'].includes(latest.status) ? 0 : 2;
    }
    try {
      return await act(args, clients, serviceArn, deployments[0], io);
    } catch (err) {
      io.stderr(`error: ${args.action} failed: ${awsMessage(err)}\n`);
      return 1;
    }
  } finally {
    close();
  }
}

/** continue, rollback, abort or retry on the newest deployment. */
async function act(args: RolloutArgs, clients: AwsClients, serviceArn: string, latest: ServiceRollout | undefined, io: CommandIO): Promise<number> {
  const { ContinueServiceDeploymentCommand, StopServiceDeploymentCommand, TagResourceCommand } = await import('@aws-sdk/client-ecs');
  const { isActive, isRolledBack } = await import('../../kinds/ecs-service/rollout.js');
  const { ROLLOUT_RETRY_TAG } = await import('../../kinds/ecs-service/rollout-gate.js');
  const name = `${args.cluster}/${args.service}`;
  if (args.action === 'retry') {
    if (!latest || !isRolledBack(latest)) {
      io.stderr(`nothing to retry: the newest deployment of ${name} is ${latest ? latest.status : 'missing'}, not rolled back\n`);
      return 2;
    }
    await clients.ecs.send(new TagResourceCommand({ resourceArn: serviceArn, tags: [{ key: ROLLOUT_RETRY_TAG, value: latest.id }] }));
    io.stdout(`retry requested for ${name}: the controller deploys the revision of deployment ${latest.id} again at its next reconcile\n`);
    return 0;
  }
  if (!latest || !isActive(latest)) {
    io.stderr(`nothing to ${args.action}: no deployment of ${name} is in progress${latest ? ` (the newest is ${latest.status})` : ''}\n`);
    return 2;
  }
  if (args.action === 'continue') {
    const hooks = latest.waitingHooks.filter((h) => args.hook === undefined || h.hookId === args.hook);
    if (hooks.length === 0) {
      io.stderr(`nothing to continue: deployment ${latest.id} of ${name} has no lifecycle hook ${args.hook ?? ''} waiting\n`.replace('  ', ' '));
      return 2;
    }
    for (const h of hooks) {
      await clients.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: latest.arn, hookId: h.hookId, action: 'CONTINUE' }));
      io.stdout(`continued deployment ${latest.id} of ${name} at hook ${h.hookId}\n`);
    }
    return 0;
  }
  const stopType = args.action === 'rollback' ? 'ROLLBACK' : 'ABORT';
  await clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: latest.arn, stopType }));
  io.stdout(
    args.action === 'rollback'
      ? `rollback requested for deployment ${latest.id} of ${name}: ECS returns to the previous revision\n`
      : `deployment ${latest.id} of ${name} aborted where it is\n`,
  );
  return 0;
}

export const rolloutCommand: Command = {
  name: 'rollout',
  summary: 'Show and steer ECS service deployments: status, continue, rollback, abort, retry',
  help: HELP,
  run: async (argv, io) => runRollout(parseRolloutArgs(argv, io.env), io),
};
