import { randomUUID } from 'node:crypto';
import type { QueueStore } from '../services/sqs/queues.js';
import type { JsonObject, SandboxServiceName } from '../types.js';
import type { SandboxWorld } from '../world.js';

/** Where change events go: an SQS queue of this sandbox, after a delay. */
export interface EventsTarget {
  readonly queueName: string;
  /** Time from the API call to the event becoming receivable (ms). */
  readonly delayMs: number;
}

/** CloudTrail's eventSource and EventBridge's source of each service whose writes are sent. */
const SOURCES: Partial<Record<SandboxServiceName, { eventSource: string; source: string }>> = {
  ecs: { eventSource: 'ecs.amazonaws.com', source: 'aws.ecs' },
  servicediscovery: { eventSource: 'servicediscovery.amazonaws.com', source: 'aws.servicediscovery' },
  route53: { eventSource: 'route53.amazonaws.com', source: 'aws.route53' },
};

/** Read-only calls: CloudTrail records them too, but the EventBridge rules (write calls only) do not match them. */
const READ_ONLY = /^(Describe|List|Get|Discover|Test)/;

/** `TTL` -> `tTL`, `Id` -> `id`: CloudTrail records the request of PascalCase APIs with the first letter lowered. */
function lowerFirstKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(lowerFirstKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as JsonObject).map(([k, x]) => [k.charAt(0).toLowerCase() + k.slice(1), lowerFirstKeys(x)]));
  }
  return v;
}

/**
 * The sandbox's EventBridge: turns successful write calls of ECS, Cloud Map and Route 53 into
 * the events the deploy template's rules send to SQS ("AWS API Call via CloudTrail", and for ECS
 * service writes "ECS Deployment State Change" SERVICE_DEPLOYMENT_IN_PROGRESS), each receivable
 * after `delayMs`. Route 53 events carry region us-east-1, where that global service records them.
 */
export class ChangeEvents {
  private target: EventsTarget | undefined;

  constructor(
    private readonly world: SandboxWorld,
    private readonly queues: QueueStore,
  ) {}

  configure(target: EventsTarget | undefined): void {
    this.target = target;
  }

  current(): EventsTarget | undefined {
    return this.target;
  }

  /** Called after every successful API call; sends nothing for reads or when no queue is set. */
  apiCall(service: SandboxServiceName, operation: string, request: JsonObject, response: unknown): void {
    const target = this.target;
    const src = SOURCES[service];
    if (!target || !src || READ_ONLY.test(operation)) return;
    const queue = this.queues.byName(target.queueName);
    if (!queue) return;
    const pascal = service !== 'ecs';
    const region = service === 'route53' ? 'us-east-1' : this.world.options.region;
    const send = (event: JsonObject): void => void this.queues.send(queue, JSON.stringify(event), target.delayMs);
    send(
      this.envelope('AWS API Call via CloudTrail', src.source, region, [], {
        eventVersion: '1.08',
        userIdentity: { type: 'IAMUser', accountId: this.world.options.accountId, arn: `arn:aws:iam::${this.world.options.accountId}:user/sandbox` },
        eventTime: this.time(),
        eventSource: src.eventSource,
        eventName: operation,
        awsRegion: region,
        sourceIPAddress: '127.0.0.1',
        userAgent: 'ecs-gitops-sandbox',
        requestParameters: pascal ? lowerFirstKeys(request) : request,
        responseElements: pascal ? lowerFirstKeys(response ?? null) : (response ?? null),
        requestID: randomUUID(),
        eventID: randomUUID(),
        readOnly: false,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: this.world.options.accountId,
        eventCategory: 'Management',
      }),
    );
    if (service === 'ecs' && (operation === 'CreateService' || operation === 'UpdateService')) {
      const svc = ((response ?? {}) as JsonObject)['service'] as JsonObject | undefined;
      const arn = svc?.['serviceArn'];
      const deployments = (svc?.['deployments'] ?? []) as JsonObject[];
      const primary = deployments.find((d) => d['status'] === 'PRIMARY');
      if (typeof arn === 'string') {
        send(
          this.envelope('ECS Deployment State Change', 'aws.ecs', region, [arn], {
            eventType: 'INFO',
            eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS',
            deploymentId: typeof primary?.['id'] === 'string' ? primary['id'] : `ecs-svc/${this.world.hexId(19)}`,
            updatedAt: this.time(),
            reason: 'ECS deployment in progress.',
          }),
        );
      }
    }
  }

  private envelope(detailType: string, source: string, region: string, resources: string[], detail: JsonObject): JsonObject {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      account: this.world.options.accountId,
      time: this.time(),
      region,
      resources,
      detail,
    };
  }

  private time(): string {
    return new Date(this.world.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}
