import type { AdminRoutes, JsonService, RestService } from './protocol/types.js';
import type { SandboxServiceName } from './types.js';
import type { SandboxWorld } from './world.js';

/** The simulated services of one sandbox, wired together. Recreated on reset. */
export interface SandboxServices {
  readonly json: readonly JsonService[];
  readonly rest: readonly RestService[];
  readonly admin: Partial<Record<SandboxServiceName, AdminRoutes>>;
}

export function createServices(_world: SandboxWorld): SandboxServices {
  return { json: [], rest: [], admin: {} };
}
