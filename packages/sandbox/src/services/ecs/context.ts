import type { CloudMapInstanceRegistry, SandboxWorld } from '../../world.js';
import type { EcsState } from './state.js';

/** What every ECS operation module works with. */
export interface EcsContext {
  readonly world: SandboxWorld;
  readonly state: EcsState;
  /** Cloud Map, when wired; absent = every serviceRegistries ARN is unknown. */
  readonly registry: CloudMapInstanceRegistry | undefined;
}

/** ECS timestamps travel as epoch seconds (JSON 1.1). */
export const epochSeconds = (ms: number): number => ms / 1000;
