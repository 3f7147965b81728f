import type { CloudMapInstanceRegistry, SandboxWorld, ServiceConnectRegistry } from '../../world.js';
import type { EcsState } from './state.js';

/** What every ECS operation module works with. */
export interface EcsContext {
  readonly world: SandboxWorld;
  readonly state: EcsState;
  /** Cloud Map, when wired; absent = every serviceRegistries ARN is unknown. */
  readonly registry: CloudMapInstanceRegistry | undefined;
  /** Cloud Map for Service Connect, when wired; absent = every namespace is unknown. */
  readonly serviceConnect?: ServiceConnectRegistry | undefined;
}

/** ECS timestamps travel as epoch seconds (JSON 1.1). */
export const epochSeconds = (ms: number): number => ms / 1000;
