import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreatePublicDnsNamespaceCommand,
  CreateServiceCommand,
  GetOperationCommand,
  type ServiceDiscoveryClient,
  type CreateServiceCommandInput,
  type Operation,
} from '@aws-sdk/client-servicediscovery';

/** Polls GetOperation until the operation has finished (SUCCESS or FAIL). */
export async function waitForOperation(sd: ServiceDiscoveryClient, operationId: string): Promise<Operation> {
  for (let i = 0; i < 500; i++) {
    const { Operation: op } = await sd.send(new GetOperationCommand({ OperationId: operationId }));
    if (op?.Status === 'SUCCESS' || op?.Status === 'FAIL') return op;
    await sleep(5);
  }
  throw new Error(`operation ${operationId} did not finish`);
}

/** A clock tests move by hand, so asynchronous operations advance only when told. */
export class ManualClock {
  constructor(public time = 1_700_000_000_000) {}
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

export type NamespaceKind = 'http' | 'private' | 'public';

/** Creates a namespace and waits for it; returns its id. */
export async function createNamespace(
  sd: ServiceDiscoveryClient,
  kind: NamespaceKind,
  name: string,
  extra: { CreatorRequestId?: string; soaTtl?: number } = {},
): Promise<string> {
  const properties = extra.soaTtl === undefined ? undefined : { DnsProperties: { SOA: { TTL: extra.soaTtl } } };
  const common = { Name: name, CreatorRequestId: extra.CreatorRequestId };
  const out =
    kind === 'http'
      ? await sd.send(new CreateHttpNamespaceCommand(common))
      : kind === 'private'
        ? await sd.send(new CreatePrivateDnsNamespaceCommand({ ...common, Vpc: 'vpc-0abc1234', Properties: properties }))
        : await sd.send(new CreatePublicDnsNamespaceCommand({ ...common, Properties: properties }));
  const op = await waitForOperation(sd, out.OperationId!);
  if (op.Status !== 'SUCCESS') throw new Error(`namespace ${name}: ${op.ErrorCode} ${op.ErrorMessage}`);
  return op.Targets!.NAMESPACE!;
}

/** Creates a service with A records (MULTIVALUE, TTL 60) unless told otherwise; returns its id. */
export async function createService(
  sd: ServiceDiscoveryClient,
  namespaceId: string,
  name: string,
  extra: Partial<CreateServiceCommandInput> = {},
): Promise<string> {
  const out = await sd.send(
    new CreateServiceCommand({
      Name: name,
      NamespaceId: namespaceId,
      DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 60 }] },
      ...extra,
    }),
  );
  return out.Service!.Id!;
}

/** Asserts a rejection with the given AWS error name; returns the error for more checks. */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

/** Sends a raw JSON 1.1 Cloud Map call (for members the SDK model would drop). */
export async function rawCloudMapCall(endpoint: string, operation: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Route53AutoNaming_v20170314.${operation}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
