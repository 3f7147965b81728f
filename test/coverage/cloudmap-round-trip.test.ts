/**
 * Every modelled member of the Cloud Map service and namespace update shapes round-trips
 * through the real SDK and the sandbox, one table row per field: the resource is applied
 * from a base manifest, the field is set to a sample value through the SDK (UpdateService /
 * Update*Namespace, waiting for the operation), the plan of a manifest with the same value is
 * a noop, and a change of the value plans as exactly that change, applies and converges.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  GetOperationCommand,
  ListNamespacesCommand,
  ListServicesCommand,
  UpdatePrivateDnsNamespaceCommand,
  UpdateServiceCommand,
  type ServiceChange,
} from '@aws-sdk/client-servicediscovery';
import type { CloudMapNamespaceManifest, CloudMapServiceManifest, Manifest } from '../../src/manifests/types.js';
import { assertNoop, changesOf, clone, converge, describePlan, planOf, useEnv, type Env } from '../fidelity/helpers.js';
import { CLUSTER, NAMESPACE, PUBLIC_NAMESPACE, cloudMapService, namespaces, privateNamespace } from '../fidelity/manifests.js';

interface Case<M extends Manifest> {
  readonly name: string;
  readonly base?: (m: M) => void;
  readonly value: (m: M) => void;
  /** Sets the same value through the SDK on the resource with this id; returns the operation id. */
  readonly sdk: (env: Env, id: string) => Promise<string | undefined>;
  readonly change: (m: M) => void;
  readonly expect: string[];
}

async function waitForOperation(env: Env, operationId: string | undefined): Promise<void> {
  assert.ok(operationId, 'the update returns an operation id');
  for (let i = 0; i < 500; i++) {
    const { Operation } = await env.clients.serviceDiscovery.send(new GetOperationCommand({ OperationId: operationId }));
    if (Operation?.Status === 'SUCCESS') return;
    assert.notEqual(Operation?.Status, 'FAIL', Operation?.ErrorMessage);
  }
  assert.fail(`operation ${operationId} did not finish`);
}

async function updateService(env: Env, id: string, change: ServiceChange): Promise<string | undefined> {
  return (await env.clients.serviceDiscovery.send(new UpdateServiceCommand({ Id: id, Service: change }))).OperationId;
}

const SERVICE_CASES: Case<CloudMapServiceManifest>[] = [
  {
    name: 'description',
    value: (m) => void (m.spec.description = 'set through the SDK'),
    sdk: (env, id) => updateService(env, id, { Description: 'set through the SDK', DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] } }),
    change: (m) => void (m.spec.description = 'changed in the manifest'),
    expect: ['spec.description in-place'],
  },
  {
    name: 'record-ttl',
    value: (m) => void (m.spec.dns!.records = [{ type: 'A', ttl: 120 }]),
    sdk: (env, id) => updateService(env, id, { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 120 }] } }),
    change: (m) => void (m.spec.dns!.records = [{ type: 'A', ttl: 30 }]),
    expect: ['spec.dns.records[0].ttl in-place'],
  },
  {
    name: 'route53-check',
    base: (m) => {
      m.spec.namespace = PUBLIC_NAMESPACE;
      m.spec.healthCheck = { route53: { type: 'HTTP', resourcePath: '/health', failureThreshold: 3 } };
    },
    value: (m) => void (m.spec.healthCheck = { route53: { type: 'HTTP', resourcePath: '/ready', failureThreshold: 5 } }),
    sdk: (env, id) =>
      updateService(env, id, {
        DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] },
        HealthCheckConfig: { Type: 'HTTP', ResourcePath: '/ready', FailureThreshold: 5 },
      }),
    change: (m) => void (m.spec.healthCheck = { route53: { type: 'HTTP', resourcePath: '/ready', failureThreshold: 2 } }),
    expect: ['spec.healthCheck.route53.failureThreshold in-place'],
  },
];

const NAMESPACE_CASES: Case<CloudMapNamespaceManifest>[] = [
  {
    name: 'ns-description',
    value: (m) => void (m.spec.description = 'set through the SDK'),
    sdk: async (env, id) =>
      (await env.clients.serviceDiscovery.send(new UpdatePrivateDnsNamespaceCommand({ Id: id, Namespace: { Description: 'set through the SDK' } })))
        .OperationId,
    change: (m) => void (m.spec.description = 'changed in the manifest'),
    expect: ['spec.description in-place'],
  },
  {
    name: 'ns-soa-ttl',
    value: (m) => void (m.spec.soaTtl = 300),
    sdk: async (env, id) =>
      (
        await env.clients.serviceDiscovery.send(
          new UpdatePrivateDnsNamespaceCommand({ Id: id, Namespace: { Properties: { DnsProperties: { SOA: { TTL: 300 } } } } }),
        )
      ).OperationId,
    change: (m) => void (m.spec.soaTtl = 15),
    expect: ['spec.soaTtl in-place'],
  },
];

async function serviceId(env: Env, name: string): Promise<string> {
  const out = await env.clients.serviceDiscovery.send(new ListServicesCommand({}));
  const id = out.Services?.find((s) => s.Name === name)?.Id;
  assert.ok(id, `service ${name} exists`);
  return id;
}

async function namespaceId(env: Env, name: string): Promise<string> {
  const out = await env.clients.serviceDiscovery.send(new ListNamespacesCommand({}));
  const id = out.Namespaces?.find((n) => n.Name === name)?.Id;
  assert.ok(id, `namespace ${name} exists`);
  return id;
}

/** Apply base, set the value through the SDK, same value = noop, change = that change, apply, noop. */
async function roundTrip<M extends Manifest>(
  env: Env,
  c: Case<M>,
  base: M,
  documents: (m: M) => Manifest[],
  key: (m: M) => string,
  id: (m: M) => Promise<string>,
): Promise<void> {
  c.base?.(base);
  await converge(env, documents(base));
  await waitForOperation(env, await c.sdk(env, await id(base)));
  const same = clone(base);
  c.value(same);
  assertNoop(await planOf(env, documents(same)), `${c.name}: the same value`);
  const changed = clone(same);
  c.change(changed);
  const plan = await planOf(env, documents(changed));
  assert.deepEqual(changesOf(plan, key(changed)), c.expect, describePlan(plan));
  await converge(env, documents(changed));
  assertNoop(await planOf(env, documents(changed)), `${c.name}: after apply`);
}

describe('round trip of every modelled Cloud Map setting', () => {
  const env = useEnv([CLUSTER]);
  before(async () => {
    await converge(env, namespaces());
  });

  for (const c of SERVICE_CASES) {
    it(c.name, () =>
      roundTrip(
        env,
        c,
        cloudMapService(`rt-${c.name}`),
        (m) => [...namespaces(), m],
        (m) => `CloudMapService/${m.spec.namespace}/${m.metadata.name}`,
        (m) => serviceId(env, m.metadata.name),
      ),
    );
  }

  for (const c of NAMESPACE_CASES) {
    it(c.name, () => {
      const ns = privateNamespace();
      return roundTrip(
        env,
        c,
        ns,
        (m) => [m],
        () => `CloudMapNamespace/${NAMESPACE}`,
        () => namespaceId(env, NAMESPACE),
      );
    });
  }
});
