import type { AdminRoutes, JsonService, RestService } from './protocol/types.js';
import { CloudMapService } from './services/cloudmap/index.js';
import { EcsSandboxService } from './services/ecs/index.js';
import { Route53Service } from './services/route53/index.js';
import { S3Service } from './services/s3/index.js';
import { TaggingService } from './services/tagging/index.js';
import { SqsService } from './services/sqs/index.js';
import { SsmService } from './services/ssm/index.js';
import { CloudFormationService } from './services/cloudformation/index.js';
import { DynamoDbService } from './services/dynamodb/index.js';
import { StsService } from './services/sts/index.js';
import { ChangeEvents } from './events/change-events.js';
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
  /** S3 (path-style): buckets and objects for the S3 source. */
  readonly s3: S3Service;
  /** Resource Groups Tagging API: GetResources over ECS and Cloud Map tags, with a lag knob. */
  readonly tagging: TaggingService;
  /** SQS (JSON protocol): the queues change events are sent to. */
  readonly sqs: SqsService;
  /** The EventBridge stand-in: change events of write calls, sent to the configured queue. */
  readonly events: ChangeEvents;
  /** SSM Parameter Store (JSON protocol): parameters Overlays read. */
  readonly ssm: SsmService;
  /** CloudFormation (query protocol): stacks reduced to their exports, for ListExports. */
  readonly cloudformation: CloudFormationService;
  /** DynamoDB (JSON 1.0): tables and items with condition and update expressions. */
  readonly dynamodb: DynamoDbService;
  /** STS (query protocol): AssumeRole into other accounts, GetCallerIdentity. */
  readonly sts: StsService;
}

export function createServices(world: SandboxWorld): SandboxServices {
  const route53 = new Route53Service();
  const cloudmap = new CloudMapService(world, route53.zones);
  const ecs = new EcsSandboxService(world, cloudmap, cloudmap);
  const s3 = new S3Service(world);
  const tagging = new TaggingService(world, [ecs, cloudmap]);
  const sqs = new SqsService(world);
  const events = new ChangeEvents(world, sqs.queues);
  const ssm = new SsmService(world);
  const cloudformation = new CloudFormationService(world);
  const dynamodb = new DynamoDbService(world);
  const sts = new StsService(world);
  const { eventsQueue, eventDelayMs } = world.options;
  if (eventsQueue !== undefined) {
    sqs.queues.create(eventsQueue);
    events.configure({ queueName: eventsQueue, delayMs: eventDelayMs });
  }
  return {
    json: [cloudmap, ecs, tagging, sqs, ssm, dynamodb],
    // Route 53, CloudFormation and STS first: S3 answers every path it does not own.
    rest: [route53.rest, cloudformation, sts, s3.rest],
    admin: { servicediscovery: cloudmap, route53, ecs, s3, sqs, ssm, dynamodb, sts },
    cloudmap,
    route53,
    ecs,
    s3,
    tagging,
    sqs,
    events,
    ssm,
    cloudformation,
    dynamodb,
    sts,
  };
}
