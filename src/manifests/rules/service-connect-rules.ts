/**
 * Rules over an EcsService's `spec.serviceConnect` on its own, as ECS enforces them
 * (docs/aws-behaviour.md "Service Connect"). The rules across the source (a discoveryName
 * unique in its namespace, no CloudMapService of that name) are in
 * src/kinds/ecs-service/references.ts. Alias and override ports are ranged by the schema.
 */
import type { EcsServiceManifest, PortMapping } from '../types.js';
import type { Rule } from './rule.js';

/** The named port mappings of the inline task definition, by name. */
function namedPorts(m: EcsServiceManifest): Map<string, PortMapping> {
  const out = new Map<string, PortMapping>();
  for (const c of m.spec.taskDefinition?.containers ?? []) {
    for (const pm of c.portMappings ?? []) if (pm.name !== undefined && !out.has(pm.name)) out.set(pm.name, pm);
  }
  return out;
}

/** Each services[].portName is the name of a port mapping of the task definition (a referenced one is not ours to check). */
export const serviceConnectPortName: Rule<EcsServiceManifest> = (m, r) => {
  const sc = m.spec.serviceConnect;
  if (!sc?.enabled || !m.spec.taskDefinition) return;
  const ports = namedPorts(m);
  sc.services?.forEach((s, i) => {
    const pm = ports.get(s.portName);
    if (!pm) {
      const names = [...ports.keys()];
      r.report(
        'EGO_SERVICE_CONNECT_PORT_NAME',
        ['spec', 'serviceConnect', 'services', i, 'portName'],
        `portName "${s.portName}" names no port mapping of the task definition (named port mappings: ${names.join(', ') || 'none; give one a name'})`,
        { target: 'value' },
      );
    } else if (s.timeout?.perRequestTimeoutSeconds !== undefined && pm.appProtocol === undefined) {
      r.report(
        'EGO_SERVICE_CONNECT_TIMEOUT',
        ['spec', 'serviceConnect', 'services', i, 'timeout', 'perRequestTimeoutSeconds'],
        `perRequestTimeoutSeconds needs a port mapping with an appProtocol (http, http2 or grpc); port mapping "${s.portName}" has none`,
      );
    }
  });
};

/** Access logs are written through the proxy's log configuration: ECS refuses one without the other. */
export const serviceConnectAccessLog: Rule<EcsServiceManifest> = (m, r) => {
  const sc = m.spec.serviceConnect;
  if (sc?.accessLogConfiguration !== undefined && sc.logConfiguration === undefined) {
    r.report('EGO_SERVICE_CONNECT_ACCESS_LOG', ['spec', 'serviceConnect', 'accessLogConfiguration'], 'accessLogConfiguration needs logConfiguration too');
  }
};

export const SERVICE_CONNECT_RULES: readonly Rule<EcsServiceManifest>[] = [serviceConnectPortName, serviceConnectAccessLog];
