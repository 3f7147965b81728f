import type { Command } from '../command.js';

/**
 * The command registry, in the order `--help` lists them. Commands are loaded lazily so
 * that, for example, `validate` never loads the AWS SDK and the controller never loads
 * the development sandbox.
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary: 'Check manifests (YAML, schemas, semantic rules) without touching AWS',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'render',
    summary: 'Print the final manifests of a source (Overlays rendered, values substituted) as YAML',
    load: async () => (await import('./render.js')).renderCommand,
  },
  {
    name: 'plan',
    summary: 'Show what apply would change (exit 0 in sync, 2 drift, 1 error)',
    load: async () => (await import('./plan.js')).planCommand,
  },
  {
    name: 'apply',
    summary: 'Apply the source to AWS in one pass, printing each action (exit 0 converged, 2 drift left, 1 error)',
    load: async () => (await import('./apply.js')).applyCommand,
  },
  {
    name: 'import',
    summary: 'Write minimal manifests from live ECS services and Cloud Map resources (exit 0 all imported, 1 otherwise)',
    load: async () => (await import('./import.js')).importCommand,
  },
  {
    name: 'run',
    summary: 'Run the controller: reconcile continuously, serve /metrics, /status and probes',
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    name: 'status',
    summary: 'Show the status of a running controller (resources, drift, revisions)',
    load: async () => (await import('./status.js')).statusCommand,
  },
  {
    name: 'rollout',
    summary: 'Show and steer ECS service deployments: status, continue, rollback, abort, retry',
    load: async () => (await import('./rollout.js')).rolloutCommand,
  },
  {
    name: 'set',
    summary: 'Edit an Overlay in place for CI: set image <dir> <image>=<tag>',
    load: async () => (await import('./set.js')).setCommand,
  },
  {
    name: 'sandbox',
    summary: 'Run the local AWS sandbox (ECS, Cloud Map, Route 53, S3) for development and tests',
    load: async () => (await import('./sandbox.js')).sandboxCommand,
  },
];
