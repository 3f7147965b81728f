import type { JsonObject } from '../../types.js';
import { OrderedIndex } from '../../ordered-index.js';
import { DeploymentStore } from './deployment-store.js';

/** An ECS resource tag as the ECS API spells it (lowercase members). */
export interface EcsTag {
  key: string;
  value: string;
}

/** A container as far as tasks and service validation need it. */
export interface ContainerInfo {
  readonly name: string;
  readonly containerPorts: readonly number[];
}

/** One registered task definition revision (immutable except status and tags). */
export interface TaskDefinitionRecord {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  deregisteredAt?: number;
  /** The TaskDefinition shape as DescribeTaskDefinition returns it (without status). */
  readonly body: JsonObject;
  readonly networkMode: string;
  readonly compatibilities: readonly string[];
  readonly containers: readonly ContainerInfo[];
  tags: EcsTag[];
}

export interface ClusterRecord {
  readonly arn: string;
  readonly name: string;
  status: 'ACTIVE' | 'INACTIVE';
  tags: EcsTag[];
  readonly settings: JsonObject[];
  readonly capacityProviders: string[];
  /** Service Connect default namespace (ARN), set by CreateCluster/UpdateCluster. */
  serviceConnectDefaults?: { namespace: string };
  /** Every service ever created here by name; INACTIVE ones stay until the name is reused. */
  readonly services: Map<string, ServiceRecord>;
  /** ACTIVE and DRAINING services in creation order, for ListServices paging. */
  readonly listedServices: OrderedIndex<ServiceRecord>;
  /** Tasks by task id (RUNNING, PENDING and recently STOPPED). */
  readonly tasks: Map<string, TaskRecord>;
  readonly listedTasks: OrderedIndex<TaskRecord>;
  activeServicesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
}

export interface ServiceRegistryRef {
  registryArn: string;
  port?: number;
  containerName?: string;
  containerPort?: number;
}

export interface AwsVpcConfig {
  subnets: string[];
  securityGroups?: string[];
  assignPublicIp: 'ENABLED' | 'DISABLED';
}

/** The part of a service UpdateService can change, with AWS's defaults filled in. */
export interface ServiceSpec {
  taskDefinition: TaskDefinitionRecord;
  launchType?: string;
  capacityProviderStrategy?: JsonObject[];
  platformVersion?: string;
  platformFamily?: string;
  loadBalancers: JsonObject[];
  serviceRegistries: ServiceRegistryRef[];
  networkConfiguration?: { awsvpcConfiguration: AwsVpcConfig };
  deploymentConfiguration: JsonObject;
  placementConstraints: JsonObject[];
  placementStrategy: JsonObject[];
  healthCheckGracePeriodSeconds: number;
  enableECSManagedTags: boolean;
  enableExecuteCommand: boolean;
  propagateTags: string;
  availabilityZoneRebalancing: string;
  /** As requested; ECS reports these on the deployments, not on the service. */
  serviceConnectConfiguration?: JsonObject;
  /** What `serviceConnectConfiguration` resolves to (enabled only): namespace and endpoints. */
  serviceConnect?: ServiceConnectPlan;
  volumeConfigurations?: JsonObject[];
  vpcLatticeConfigurations?: JsonObject[];
}

/** One `services[]` entry of an enabled Service Connect configuration, resolved. */
export interface ServiceConnectEndpoint {
  readonly portName: string;
  /** Name of the Cloud Map service (defaults to `portName`). */
  readonly discoveryName: string;
  /** The port tasks register: `ingressPortOverride`, else the named mapping's container port. */
  readonly port: number;
  readonly idleTimeoutSeconds?: number;
  readonly perRequestTimeoutSeconds?: number;
  /** ARN of the Cloud Map service, once ECS has created or found it. */
  discoveryArn?: string;
}

/** An enabled Service Connect configuration, resolved: no endpoints = client-only. */
export interface ServiceConnectPlan {
  readonly namespace: { readonly id: string; readonly arn: string; readonly name: string };
  readonly endpoints: readonly ServiceConnectEndpoint[];
}

export interface DeploymentRecord {
  readonly id: string;
  status: 'PRIMARY' | 'ACTIVE';
  /** What this deployment runs; a copy of the service spec when it started. */
  readonly spec: ServiceSpec;
  desiredCount: number;
  readonly createdAt: number;
  updatedAt: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  /** Tasks of this deployment that failed (stopped by a task failure, see task-failures.ts). */
  failedTasks?: number;
}

export interface ServiceEventRecord {
  readonly id: string;
  readonly createdAt: number;
  readonly message: string;
}

export interface ServiceRecord {
  readonly arn: string;
  readonly name: string;
  readonly cluster: ClusterRecord;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  spec: ServiceSpec;
  desiredCount: number;
  readonly schedulingStrategy: string;
  readonly deploymentController: JsonObject;
  readonly roleArn?: string;
  readonly createdAt: number;
  readonly clientToken?: string;
  /** Canonical JSON of the CreateService request, for clientToken idempotency. */
  readonly createRequest: string;
  tags: EcsTag[];
  /** PRIMARY first. */
  deployments: DeploymentRecord[];
  /** Newest first, bounded. */
  events: ServiceEventRecord[];
  /** Tasks of this service that are not STOPPED, by task id. */
  readonly tasks: Map<string, TaskRecord>;
  /** All tasks of this service still kept (STOPPED ones for a while), for ListTasks paging. */
  readonly listedTasks: OrderedIndex<TaskRecord>;
  /** Tasks ever started, for round-robin subnet placement. */
  tasksStarted: number;
  /** Handle in the cluster's listedServices while ACTIVE or DRAINING. */
  listHandle?: number;
}

/** A registration this task holds in a Cloud Map service. */
export interface InstanceRegistration {
  readonly registryArn: string;
  readonly instanceId: string;
}

export interface TaskRecord {
  readonly id: string;
  readonly arn: string;
  readonly cluster: ClusterRecord;
  readonly service?: ServiceRecord;
  readonly deploymentId?: string;
  readonly taskDefinition: TaskDefinitionRecord;
  readonly spec?: ServiceSpec;
  lastStatus: 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  readonly createdAt: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  readonly launchType: string;
  readonly platformVersion?: string;
  readonly availabilityZone: string;
  readonly subnetId?: string;
  readonly privateIp: string;
  readonly eniId: string;
  readonly attachmentId: string;
  readonly macAddress: string;
  readonly group: string;
  readonly startedBy?: string;
  registrations: InstanceRegistration[];
  /** Set when a task failure rule (task-failures.ts) dooms this task: it never counts as healthy. */
  failure?: 'exit' | 'unhealthy';
  /** Handles in the cluster's and the service's listedTasks. */
  listHandle?: number;
  serviceListHandle?: number;
}

/** Address plan of one subnet the sandbox has placed tasks in. */
export interface SubnetInfo {
  readonly index: number;
  readonly availabilityZone: string;
  nextHost: number;
}

export function newCluster(arn: string, name: string, tags: EcsTag[], settings: JsonObject[], capacityProviders: string[]): ClusterRecord {
  return {
    arn,
    name,
    status: 'ACTIVE',
    tags,
    settings,
    capacityProviders,
    services: new Map(),
    listedServices: new OrderedIndex<ServiceRecord>(),
    tasks: new Map(),
    listedTasks: new OrderedIndex<TaskRecord>(),
    activeServicesCount: 0,
    runningTasksCount: 0,
    pendingTasksCount: 0,
  };
}

/** All ECS state of one sandbox. */
export class EcsState {
  readonly clusters = new Map<string, ClusterRecord>();
  readonly clusterOrder = new OrderedIndex<ClusterRecord>();
  /** Task definition families by name; revisions[i] has revision i + 1. */
  readonly families = new Map<string, TaskDefinitionRecord[]>();
  /** Family names sorted ascending (binary-searched by ListTaskDefinitions). */
  readonly sortedFamilies: string[] = [];
  readonly taskDefinitionsByArn = new Map<string, TaskDefinitionRecord>();
  readonly subnets = new Map<string, SubnetInfo>();
  /** Service deployments, service revisions and task failure rules. */
  readonly deploys = new DeploymentStore();
}
