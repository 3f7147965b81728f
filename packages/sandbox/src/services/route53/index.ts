import type { AdminRoutes } from '../../protocol/types.js';
import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import type { RecordSet } from './records.js';
import { Route53Rest } from './rest.js';
import { HostedZones } from './zones.js';

export { HostedZones, stripZonePrefix, type HostedZone, type ZoneVpc } from './zones.js';
export { fqdn, type RecordSet } from './records.js';

/**
 * The sandbox's Route 53: hosted zones (created by Cloud Map for DNS namespaces), the REST-XML
 * API, and admin switches that simulate out-of-band changes.
 */
export class Route53Service implements AdminRoutes {
  readonly zones = new HostedZones();
  readonly rest = new Route53Rest(this.zones);

  /** Out-of-band edit: sets one record set's TTL (someone changed it in the console). */
  setRecordTtl(hostedZoneId: string, name: string, type: string, setIdentifier: string | undefined, ttl: number): RecordSet {
    return this.zones.setRecordTtl(hostedZoneId, name, type, setIdentifier, ttl);
  }

  /** Out-of-band edit: removes a VPC association from a private zone. */
  disassociateVpc(hostedZoneId: string, vpcId: string): void {
    this.zones.disassociateVpc(hostedZoneId, vpcId);
  }

  /**
   * `POST /_sandbox/route53/record-ttl` `{hostedZoneId, name, type, setIdentifier?, ttl}`;
   * `POST /_sandbox/route53/disassociate-vpc` `{hostedZoneId, vpcId}`.
   */
  admin(method: string, path: string, body: JsonObject): unknown {
    if (method === 'POST' && path === 'record-ttl') {
      const ttl = body['ttl'];
      if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0) throw new SandboxError('InvalidInput', 'ttl must be a non-negative integer');
      const setIdentifier = typeof body['setIdentifier'] === 'string' ? body['setIdentifier'] : undefined;
      return this.setRecordTtl(str(body, 'hostedZoneId'), str(body, 'name'), str(body, 'type'), setIdentifier, ttl);
    }
    if (method === 'POST' && path === 'disassociate-vpc') {
      this.disassociateVpc(str(body, 'hostedZoneId'), str(body, 'vpcId'));
      return { ok: true };
    }
    return undefined;
  }
}

function str(body: JsonObject, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '') throw new SandboxError('InvalidInput', `${field} is required`);
  return v;
}
