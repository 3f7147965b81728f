import type { AdminRoutes, JsonService, RestService } from './protocol/types.js';
import { CloudMapService } from './services/cloudmap/index.js';
import { EcsSandboxService } from './services/ecs/index.js';
import { Route53Service } from './services/route53/index.js';
import type { SandboxServiceName } from './types.js';
import type { SandboxWorld } from './world.js';

/** The simulated services of one sandbox, wired together. Recreated on reset. */
export interface SandboxServices {
  readonly json: readonly JsonService[];
  readonly rest: readonly RestService[];
  readonly admin: Partial<Record<SandboxServiceName, AdminRoutes>>;
  /** Cloud Map: state, admin switches, and the instance registry ECS task simulation uses. */
  readonly cloudmap: CloudMapService;
  /** Route 53: hosted zones (created by Cloud Map) and admin switches for out-of-band edits. */
  readonly route53: Route53Service;
  /** ECS: clusters, task definitions, services and simulated tasks (stale-instance switch). */
  readonly ecs: EcsSandboxService;
}

export function createServices(world: SandboxWorld): SandboxServices {
  const route53 = new Route53Service();
  const cloudmap = new CloudMapService(world, route53.zones);
  const ecs = new EcsSandboxService(world, cloudmap);
  return {
    json: [cloudmap, ecs],
    rest: [route53.rest],
    admin: { servicediscovery: cloudmap, route53, ecs },
    cloudmap,
    route53,
    ecs,
  };
}
