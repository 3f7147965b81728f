/**
 * The manifest model (v1alpha1). The JSON Schemas in crds/ are the source of truth; these
 * types mirror them and are checked against them (see docs/manifests.md).
 */

import type * as G from './generated/ecs-service.js';

export const API_VERSION = 'ecs-gitops.io/v1alpha1';

export type ManifestKind = 'CloudMapNamespace' | 'CloudMapService' | 'EcsService';

/** Order in which kinds are created; deletes run in reverse. */
export const KIND_ORDER = ['CloudMapNamespace', 'CloudMapService', 'EcsService'] as const satisfies readonly ManifestKind[];

export type Tags = Record<string, string>;

export interface SyncPolicy {
  /** enforce (default): write to converge; observe: report drift, never write. */
  mode?: 'enforce' | 'observe';
  /** JSON pointers into the manifest (e.g. `/spec/desiredCount`) whose drift is expected. */
  ignore?: string[];
  /** false: never delete the resource when its manifest disappears. Default true. */
  prune?: boolean;
  /** true: allow delete + re-create for changes AWS cannot make in place. Default false. */
  allowReplace?: boolean;
  /** true: take ownership of a same-named resource not created by ecs-gitops. Default false. */
  adopt?: boolean;
}

/** SyncPolicy with defaults applied. */
export interface ResolvedSyncPolicy {
  mode: 'enforce' | 'observe';
  ignore: string[];
  prune: boolean;
  allowReplace: boolean;
  adopt: boolean;
}

export interface Metadata {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

// ---------------------------------------------------------------- CloudMapNamespace

export type NamespaceType = 'HTTP' | 'DNS_PRIVATE' | 'DNS_PUBLIC';

export interface CloudMapNamespaceSpec {
  type: NamespaceType;
  vpc?: string;
  description?: string;
  soaTtl?: number;
  tags?: Tags;
  syncPolicy?: SyncPolicy;
}

// ---------------------------------------------------------------- CloudMapService

export type RoutingPolicy = 'MULTIVALUE' | 'WEIGHTED';
export type DnsRecordType = 'A' | 'AAAA' | 'SRV' | 'CNAME';

export interface DnsRecord {
  type: DnsRecordType;
  ttl: number;
}

export interface CloudMapServiceSpec {
  namespace: string;
  description?: string;
  /** API-only service (no DNS records). */
  type?: 'HTTP';
  dns?: {
    routingPolicy?: RoutingPolicy;
    records: DnsRecord[];
  };
  healthCheck?: {
    custom?: { failureThreshold?: number };
    route53?: { type: 'HTTP' | 'HTTPS' | 'TCP'; resourcePath?: string; failureThreshold?: number };
  };
  tags?: Tags;
  syncPolicy?: SyncPolicy;
}

// ---------------------------------------------------------------- EcsService

export interface PortMapping {
  /** Required unless containerPortRange is given (rule EGO_PORT_MAPPING). */
  containerPort?: number;
  hostPort?: number;
  protocol?: 'tcp' | 'udp';
  name?: string;
  appProtocol?: 'http' | 'http2' | 'grpc';
  containerPortRange?: string;
}

/*
 * Nested task definition settings whose manifest shape is exactly the AWS API shape (member
 * names and nesting as in RegisterTaskDefinition): their types are the ones generated from
 * the schema, so there is one spelling of each.
 */
export type LinuxParameters = G.LinuxParameters;
export type ContainerRestartPolicy = G.ContainerRestartPolicy;
export type MountPoint = G.MountPoint;
export type VolumeFrom = G.VolumeFrom;
export type ContainerDependency = G.ContainerDependency;
export type HostEntry = G.HostEntry;
export type Ulimit = G.Ulimit;
export type SystemControl = G.SystemControl;
export type ResourceRequirement = G.ResourceRequirement;
export type FirelensConfiguration = G.FirelensConfiguration;
export type RuntimePlatform = G.RuntimePlatform;
export type EphemeralStorage = G.EphemeralStorage;
export type Volume = G.Volume;
export type TaskDefinitionPlacementConstraint = G.TaskDefinitionPlacementConstraint;
export type ProxyConfiguration = G.ProxyConfiguration;

/** ECS log drivers; Fargate supports awslogs, splunk and awsfirelens. */
export type LogDriver = 'awslogs' | 'awsfirelens' | 'splunk' | 'json-file' | 'syslog' | 'journald' | 'gelf' | 'fluentd';

export interface ContainerDefinition {
  name: string;
  image: string;
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
  essential?: boolean;
  portMappings?: PortMapping[];
  environment?: Record<string, string>;
  secrets?: { name: string; valueFrom: string }[];
  logConfiguration?: {
    logDriver: LogDriver;
    options?: Record<string, string>;
    secretOptions?: { name: string; valueFrom: string }[];
  };
  healthCheck?: {
    command: string[];
    interval?: number;
    timeout?: number;
    retries?: number;
    startPeriod?: number;
  };
  command?: string[];
  entryPoint?: string[];
  workingDirectory?: string;
  user?: string;
  repositoryCredentials?: { credentialsParameter: string };
  links?: string[];
  restartPolicy?: ContainerRestartPolicy;
  environmentFiles?: { value: string; type: 's3' }[];
  mountPoints?: MountPoint[];
  volumesFrom?: VolumeFrom[];
  linuxParameters?: LinuxParameters;
  dependsOn?: ContainerDependency[];
  startTimeout?: number;
  stopTimeout?: number;
  versionConsistency?: 'enabled' | 'disabled';
  hostname?: string;
  disableNetworking?: boolean;
  privileged?: boolean;
  readonlyRootFilesystem?: boolean;
  dnsServers?: string[];
  dnsSearchDomains?: string[];
  extraHosts?: HostEntry[];
  dockerSecurityOptions?: string[];
  interactive?: boolean;
  pseudoTerminal?: boolean;
  dockerLabels?: Record<string, string>;
  ulimits?: Ulimit[];
  systemControls?: SystemControl[];
  resourceRequirements?: ResourceRequirement[];
  firelensConfiguration?: FirelensConfiguration;
  credentialSpecs?: string[];
}

export interface InlineTaskDefinition {
  family: string;
  /** CPU units as a string ("256") or number, or "0.25 vCPU"; normalized to units. */
  cpu: string | number;
  /** MiB as a string ("512") or number, or "1 GB"; normalized to MiB. */
  memory: string | number;
  networkMode?: 'awsvpc' | 'bridge' | 'host' | 'none';
  requiresCompatibilities?: ('FARGATE' | 'EC2' | 'EXTERNAL')[];
  executionRoleArn?: string;
  taskRoleArn?: string;
  containers: ContainerDefinition[];
  tags?: Tags;
  runtimePlatform?: RuntimePlatform;
  ephemeralStorage?: EphemeralStorage;
  volumes?: Volume[];
  placementConstraints?: TaskDefinitionPlacementConstraint[];
  pidMode?: 'host' | 'task';
  ipcMode?: 'host' | 'task' | 'none';
  proxyConfiguration?: ProxyConfiguration;
  enableFaultInjection?: boolean;
}

export interface EcsServiceSpec {
  cluster?: string;
  taskDefinition?: InlineTaskDefinition;
  /** family, family:revision, or a task definition ARN; not managed by ecs-gitops. */
  taskDefinitionRef?: string;
  desiredCount?: number;
  launchType?: 'FARGATE' | 'EC2' | 'EXTERNAL';
  capacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
  platformVersion?: string;
  networkConfiguration?: {
    subnets: string[];
    securityGroups?: string[];
    assignPublicIp?: 'ENABLED' | 'DISABLED';
  };
  /** Exactly one of targetGroupArn and loadBalancerName (Classic Load Balancer) per item (a rule checks it). */
  loadBalancers?: {
    targetGroupArn?: string;
    loadBalancerName?: string;
    containerName: string;
    containerPort: number;
    advancedConfiguration?: LoadBalancerAdvancedConfiguration;
  }[];
  deploymentConfiguration?: {
    minimumHealthyPercent?: number;
    maximumPercent?: number;
    strategy?: DeploymentStrategy;
    bakeTimeInMinutes?: number;
    linearConfiguration?: { stepPercent?: number; stepBakeTimeInMinutes?: number };
    canaryConfiguration?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number };
    lifecycleHooks?: DeploymentLifecycleHook[];
    circuitBreaker?: {
      enable: boolean;
      rollback: boolean;
      resetOnHealthyTask?: boolean;
      thresholdConfiguration?: { type: 'COUNT' | 'BOUNDED_PERCENT' | 'UNBOUNDED_PERCENT'; value: number };
    };
    alarms?: { alarmNames: string[]; enable: boolean; rollback: boolean };
    earlySuccessCriteria?: { enable: boolean; healthyPercent?: number; sourceServiceRevisionCleanup?: 'BLOCKING' | 'DEFERRED' };
  };
  healthCheckGracePeriodSeconds?: number;
  enableExecuteCommand?: boolean;
  enableECSManagedTags?: boolean;
  propagateTags?: 'NONE' | 'SERVICE' | 'TASK_DEFINITION';
  discovery?: {
    service: string;
    namespace: string;
    containerName?: string;
    containerPort?: number;
    port?: number;
  };
  serviceConnect?: ServiceConnect;
  /** IAM role name or ARN for load balancer registration (non-awsvpc services). */
  role?: string;
  schedulingStrategy?: 'REPLICA' | 'DAEMON';
  deploymentController?: { type: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL' };
  availabilityZoneRebalancing?: 'ENABLED' | 'DISABLED';
  placementConstraints?: PlacementConstraint[];
  placementStrategy?: PlacementStrategy[];
  volumeConfigurations?: ServiceVolumeConfiguration[];
  vpcLatticeConfigurations?: VpcLatticeConfiguration[];
  tags?: Tags;
  syncPolicy?: SyncPolicy;
}

export interface PlacementConstraint {
  type: 'distinctInstance' | 'memberOf';
  expression?: string;
}

export interface PlacementStrategy {
  type: 'random' | 'spread' | 'binpack';
  field?: string;
}

/** A managed EBS volume for a task definition volume with configuredAtLaunch (ECS API shape). */
export interface ServiceVolumeConfiguration {
  name: string;
  managedEBSVolume?: {
    roleArn: string;
    encrypted?: boolean;
    kmsKeyId?: string;
    volumeType?: 'gp2' | 'gp3' | 'io1' | 'io2' | 'sc1' | 'st1' | 'standard';
    sizeInGiB?: number;
    snapshotId?: string;
    volumeInitializationRate?: number;
    iops?: number;
    throughput?: number;
    tagSpecifications?: {
      resourceType: 'volume';
      tags?: { key: string; value: string }[];
      propagateTags?: 'TASK_DEFINITION' | 'SERVICE' | 'NONE';
    }[];
    filesystemType?: 'ext3' | 'ext4' | 'xfs' | 'ntfs';
  };
}

/** ECS Service Connect (ECS serviceConnectConfiguration, same member names). */
export interface ServiceConnect {
  enabled: boolean;
  /** A CloudMapNamespace of the source, or the name or ARN of an existing namespace. */
  namespace?: string;
  services?: ServiceConnectService[];
  logConfiguration?: NonNullable<ContainerDefinition['logConfiguration']>;
  accessLogConfiguration?: { format: 'TEXT' | 'JSON'; includeQueryParameters?: 'DISABLED' | 'ENABLED' };
  containerConfigurations?: { logLevel: 'debug' | 'info' }[];
}

export interface ServiceConnectService {
  portName: string;
  /** Absent = portName. */
  discoveryName?: string;
  clientAliases?: ServiceConnectClientAlias[];
  ingressPortOverride?: number;
  timeout?: { idleTimeoutSeconds?: number; perRequestTimeoutSeconds?: number };
  tls?: { issuerCertificateAuthority: { awsPcaAuthorityArn?: string }; kmsKey?: string; roleArn?: string };
}

export interface ServiceConnectClientAlias {
  port: number;
  dnsName?: string;
  testTrafficRules?: { header: { name: string; value?: { exact: string } } };
}

export interface VpcLatticeConfiguration {
  roleArn: string;
  targetGroupArn: string;
  portName: string;
}

/** ECS's deployment strategies (deploymentConfiguration.strategy). */
export type DeploymentStrategy = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

/** The stages a deployment lifecycle hook can run at (ECS API shape). */
export type LifecycleStage =
  | 'RECONCILE_SERVICE'
  | 'PRE_SCALE_UP'
  | 'POST_SCALE_UP'
  | 'TEST_TRAFFIC_SHIFT'
  | 'POST_TEST_TRAFFIC_SHIFT'
  | 'PRE_PRODUCTION_TRAFFIC_SHIFT'
  | 'PRODUCTION_TRAFFIC_SHIFT'
  | 'POST_PRODUCTION_TRAFFIC_SHIFT';

/** A deployment lifecycle hook (ECS API shape). */
export interface DeploymentLifecycleHook {
  targetType?: 'AWS_LAMBDA' | 'PAUSE';
  hookTargetArn?: string;
  roleArn?: string;
  lifecycleStages: LifecycleStage[];
  hookDetails?: { [k: string]: unknown };
  timeoutConfiguration?: { timeoutInMinutes?: number; action?: 'CONTINUE' | 'ROLLBACK' };
}

/** Blue/green traffic shifting through a load balancer (ECS API shape, AdvancedConfiguration). */
export interface LoadBalancerAdvancedConfiguration {
  alternateTargetGroupArn: string;
  productionListenerRule: string;
  testListenerRule?: string;
  roleArn: string;
}

// ---------------------------------------------------------------- documents

interface ManifestOf<K extends ManifestKind, S> {
  apiVersion: typeof API_VERSION;
  kind: K;
  metadata: Metadata;
  spec: S;
}

export type CloudMapNamespaceManifest = ManifestOf<'CloudMapNamespace', CloudMapNamespaceSpec>;
export type CloudMapServiceManifest = ManifestOf<'CloudMapService', CloudMapServiceSpec>;
export type EcsServiceManifest = ManifestOf<'EcsService', EcsServiceSpec>;
export type Manifest = CloudMapNamespaceManifest | CloudMapServiceManifest | EcsServiceManifest;

/** Where something was written: file path relative to the source root, 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/**
 * A validated manifest, ready for planning. `key` is the identity, unique in a source:
 * `CloudMapNamespace/<name>`, `CloudMapService/<namespace>/<name>`, `EcsService/<cluster>/<name>`.
 */
export type DesiredResource = {
  [K in Manifest as K['kind']]: {
    kind: K['kind'];
    key: string;
    name: string;
    manifest: K;
    policy: ResolvedSyncPolicy;
    source: SourceLocation;
  };
}[Manifest['kind']];

export type DesiredOf<K extends ManifestKind> = Extract<DesiredResource, { kind: K }>;

/** A problem found in a manifest. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable code, e.g. `EGO_SCHEMA`, `EGO_FARGATE_CPU_MEMORY`. */
  code: string;
  file: string;
  line: number;
  col: number;
  /** `Kind/name` when known. */
  resource?: string;
  /** Dotted field path, e.g. `spec.taskDefinition.memory`. */
  field?: string;
  message: string;
}

export function resolvePolicy(p: SyncPolicy | undefined): ResolvedSyncPolicy {
  return {
    mode: p?.mode ?? 'enforce',
    ignore: p?.ignore ?? [],
    prune: p?.prune ?? true,
    allowReplace: p?.allowReplace ?? false,
    adopt: p?.adopt ?? false,
  };
}
