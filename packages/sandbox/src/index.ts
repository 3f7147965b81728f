/**
 * @ecs-gitops/sandbox: a local stand-in for the ECS, Cloud Map, Route 53 and S3 APIs that
 * ecs-gitops calls, for development and tests. It imports nothing from the product.
 */
export { startSandbox, type SandboxHandle } from './server.js';
export type { SandboxOptions, SandboxServiceName } from './types.js';
