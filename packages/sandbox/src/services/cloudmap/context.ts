import type { SandboxWorld } from '../../world.js';
import type { HostedZones } from '../route53/zones.js';
import type { OperationTracker } from './operations.js';
import type { CloudMapLimits, CloudMapState } from './state.js';

/** What every Cloud Map handler module works with. */
export interface CloudMapContext {
  readonly world: SandboxWorld;
  readonly state: CloudMapState;
  readonly zones: HostedZones;
  readonly operations: OperationTracker;
  readonly limits: CloudMapLimits;
}
