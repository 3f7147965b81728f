/* Generated from crds/ecs-service.schema.json by `npm run generate:types`. Do not edit. */

/**
 * An ECS service with its task definition (inline and managed, or referenced). Identity: EcsService/<spec.cluster>/<metadata.name>.
 */
export interface EcsService {
  /**
   * API group and version of ecs-gitops manifests.
   */
  apiVersion: "ecs-gitops.io/v1alpha1";
  /**
   * The kind of resource this document describes.
   */
  kind: "EcsService";
  metadata: Metadata;
  spec: EcsServiceSpec;
}
/**
 * Standard object metadata.
 */
export interface Metadata {
  /**
   * Service name in AWS, unique in its cluster: 1-255 letters, digits, _ or -. Immutable.
   */
  name: string;
  /**
   * Key/value pairs for grouping and selecting manifests; not sent to AWS.
   */
  labels?: {
    /**
     * Label value.
     */
    [k: string]: string;
  };
  /**
   * Free-form key/value notes for people and tools; not sent to AWS.
   */
  annotations?: {
    /**
     * Annotation value.
     */
    [k: string]: string;
  };
}
/**
 * Desired state of the ECS service.
 */
export interface EcsServiceSpec {
  /**
   * Name of the ECS cluster (not managed by ecs-gitops). Immutable.
   */
  cluster?: string;
  taskDefinition?: InlineTaskDefinition;
  /**
   * A task definition deployed by someone else (family, family:revision or ARN); not managed, so a team whose CI rolls images is never reverted. Exactly one of taskDefinition and taskDefinitionRef.
   */
  taskDefinitionRef?: string;
  /**
   * Number of tasks to keep running. Absent = not managed (Application Auto Scaling owns it).
   */
  desiredCount?: number;
  /**
   * Where tasks run. Not together with capacityProviderStrategy. Changing it re-creates the service.
   */
  launchType?: "FARGATE" | "EC2" | "EXTERNAL";
  /**
   * Capacity providers to spread tasks over (e.g. FARGATE and FARGATE_SPOT). Not together with launchType.
   *
   * @minItems 1
   * @maxItems 20
   *
   * Items: One capacity provider and its share.
   */
  capacityProviderStrategy?: {
    /**
     * Capacity provider name, e.g. FARGATE or FARGATE_SPOT.
     */
    capacityProvider: string;
    /**
     * Relative share of tasks after base is satisfied.
     */
    weight?: number;
    /**
     * Tasks that run on this provider first.
     */
    base?: number;
  }[];
  /**
   * Fargate platform version.
   */
  platformVersion?: string;
  /**
   * awsvpc networking of the tasks (required with awsvpc).
   */
  networkConfiguration?: {
    /**
     * Subnet ids the tasks are placed in (a set: order does not matter).
     *
     * @minItems 1
     * @maxItems 16
     *
     * Items: A subnet id.
     */
    subnets: string[];
    /**
     * Security group ids of the task's network interface (a set).
     *
     * @maxItems 5
     *
     * Items: A security group id.
     */
    securityGroups?: string[];
    /**
     * Give each task a public IP (public subnets without NAT).
     */
    assignPublicIp?: "ENABLED" | "DISABLED";
  };
  /**
   * Target groups the tasks are registered in.
   *
   * @maxItems 5
   *
   * Items: One target group (or Classic Load Balancer) and the container port it sends traffic to.
   */
  loadBalancers?: {
    /**
     * ARN of the target group (not managed by ecs-gitops). Exactly one of targetGroupArn and loadBalancerName.
     */
    targetGroupArn?: string;
    /**
     * Container that receives the traffic (must exist in the inline task definition).
     */
    containerName: string;
    /**
     * Port of that container (must be one of its portMappings).
     */
    containerPort: number;
    /**
     * Name of a Classic Load Balancer (EC2 launch type only; not managed by ecs-gitops). Exactly one of targetGroupArn and loadBalancerName.
     */
    loadBalancerName?: string;
  }[];
  /**
   * Rolling deployment settings.
   */
  deploymentConfiguration?: {
    /**
     * Lower limit of running tasks during a deployment, in percent of desiredCount.
     */
    minimumHealthyPercent?: number;
    /**
     * Upper limit of running tasks during a deployment, in percent of desiredCount.
     */
    maximumPercent?: number;
    /**
     * Stop a failing deployment (and optionally roll back).
     */
    circuitBreaker?: {
      /**
       * Stop a deployment whose tasks keep failing.
       */
      enable: boolean;
      /**
       * Roll back to the last completed deployment when stopped.
       */
      rollback: boolean;
      /**
       * Reset the failure count to 0 when a task becomes healthy (ECS default true).
       */
      resetOnHealthyTask?: boolean;
      /**
       * How many failed tasks stop the deployment (ECS default BOUNDED_PERCENT 50).
       */
      thresholdConfiguration?: {
        /**
         * COUNT: value is the number of failures; BOUNDED_PERCENT / UNBOUNDED_PERCENT: value is a percentage of desiredCount.
         */
        type: "COUNT" | "BOUNDED_PERCENT" | "UNBOUNDED_PERCENT";
        /**
         * The count or percentage (see type).
         */
        value: number;
      };
    };
    /**
     * CloudWatch alarms that fail a deployment (and optionally roll it back).
     */
    alarms?: {
      /**
       * Names of the CloudWatch alarms watched during a deployment.
       *
       * Items: A CloudWatch alarm name.
       */
      alarmNames: string[];
      /**
       * Fail the deployment when one of the alarms goes into ALARM.
       */
      enable: boolean;
      /**
       * Roll back to the last completed deployment when an alarm fails it.
       */
      rollback: boolean;
    };
    /**
     * When a rolling deployment counts as successful before every old task is gone.
     */
    earlySuccessCriteria?: {
      /**
       * Use early success criteria (ECS default false).
       */
      enable: boolean;
      /**
       * Percent of desiredCount that must be healthy on the new revision (at least minimumHealthyPercent).
       */
      healthyPercent?: number;
      /**
       * BLOCKING: the deployment completes only after the old revision's tasks are gone; DEFERRED: they are removed after it completes.
       */
      sourceServiceRevisionCleanup?: "BLOCKING" | "DEFERRED";
    };
  };
  /**
   * Seconds load balancer health checks are ignored after a task starts.
   */
  healthCheckGracePeriodSeconds?: number;
  /**
   * Allow ECS Exec into the tasks.
   */
  enableExecuteCommand?: boolean;
  /**
   * Let ECS tag tasks with cluster and service names.
   */
  enableECSManagedTags?: boolean;
  /**
   * Copy tags from the service or the task definition to the tasks.
   */
  propagateTags?: "NONE" | "SERVICE" | "TASK_DEFINITION";
  /**
   * Registers each task in a Cloud Map service (ECS serviceRegistries).
   */
  discovery?: {
    /**
     * metadata.name of the CloudMapService (a manifest in the same source).
     */
    service: string;
    /**
     * spec.namespace of that CloudMapService.
     */
    namespace: string;
    /**
     * For SRV records: the container whose port is registered (with containerPort).
     */
    containerName?: string;
    /**
     * For SRV records: the port of containerName that is registered.
     */
    containerPort?: number;
    /**
     * For SRV records: the port to register (instead of containerName and containerPort).
     */
    port?: number;
  };
  /**
   * IAM role (name or ARN) ECS uses to register tasks with a load balancer; only for services whose task definition does not use awsvpc. Absent = the service-linked role. Cannot change in place (the service is re-created).
   */
  role?: string;
  /**
   * REPLICA (default): keep desiredCount tasks; DAEMON: one task per container instance (EC2 only, no desiredCount). Cannot change in place.
   */
  schedulingStrategy?: "REPLICA" | "DAEMON";
  /**
   * Who deploys new revisions. ECS (default): UpdateService rolls them out. CODE_DEPLOY and EXTERNAL: UpdateService changes only counts, deployment settings, placement, grace period and tag settings, so a change of task definition, network, load balancers or platform version re-creates the service. Changing the controller re-creates the service.
   */
  deploymentController?: {
    /**
     * ECS, CODE_DEPLOY or EXTERNAL.
     */
    type: "ECS" | "CODE_DEPLOY" | "EXTERNAL";
  };
  /**
   * ENABLED: ECS moves tasks to keep them balanced across Availability Zones (the default of new services); DISABLED: it does not. Absent = not managed.
   */
  availabilityZoneRebalancing?: "ENABLED" | "DISABLED";
  /**
   * Rules for the container instances tasks may run on (EC2 and EXTERNAL launch types; an empty list removes them).
   *
   * @maxItems 10
   *
   * Items: One placement constraint.
   */
  placementConstraints?: {
    /**
     * distinctInstance: each task on a different instance; memberOf: instances matching expression.
     */
    type: "distinctInstance" | "memberOf";
    /**
     * Cluster query language expression (memberOf only).
     */
    expression?: string;
  }[];
  /**
   * How tasks are spread over container instances (EC2 launch type; an empty list removes it). Order matters.
   *
   * @maxItems 5
   *
   * Items: One placement strategy.
   */
  placementStrategy?: {
    /**
     * random, spread (over field) or binpack (on field).
     */
    type: "random" | "spread" | "binpack";
    /**
     * spread: instanceId or attribute:<name> (e.g. attribute:ecs.availability-zone); binpack: CPU or MEMORY.
     */
    field?: string;
  }[];
  /**
   * Volumes created when each task starts, for task definition volumes with configuredAtLaunch (REPLICA services only). ECS reports them on the deployment; a change starts a new deployment; an empty list removes them.
   *
   * @maxItems 1
   *
   * Items: One volume configuration.
   */
  volumeConfigurations?: {
    /**
     * Name of the task definition volume (configuredAtLaunch: true).
     */
    name: string;
    /**
     * An Amazon EBS volume ECS creates for each task.
     */
    managedEBSVolume?: {
      /**
       * Infrastructure role ECS uses to manage the volume.
       */
      roleArn: string;
      /**
       * Encrypt the volume.
       */
      encrypted?: boolean;
      /**
       * KMS key (id, alias or ARN) for encryption.
       */
      kmsKeyId?: string;
      /**
       * EBS volume type, e.g. gp3, gp2, io1, io2, st1, sc1, standard.
       */
      volumeType?: "gp2" | "gp3" | "io1" | "io2" | "sc1" | "st1" | "standard";
      /**
       * Size in GiB (required unless snapshotId is given).
       */
      sizeInGiB?: number;
      /**
       * Snapshot the volume is created from.
       */
      snapshotId?: string;
      /**
       * MiB/s at which a volume created from a snapshot is initialized.
       */
      volumeInitializationRate?: number;
      /**
       * Provisioned I/O operations per second (io1, io2, gp3).
       */
      iops?: number;
      /**
       * Throughput in MiB/s (gp3 only).
       */
      throughput?: number;
      /**
       * Tags for the created volumes.
       *
       * Items: Tags for the volumes ECS creates.
       */
      tagSpecifications?: {
        /**
         * Always volume.
         */
        resourceType: "volume";
        /**
         * Tags as key/value items (as in the ECS API).
         *
         * @maxItems 50
         *
         * Items: One tag.
         */
        tags?: {
          /**
           * Tag key.
           */
          key: string;
          /**
           * Tag value.
           */
          value: string;
        }[];
        /**
         * Also copy the tags of the task definition or the service onto the volume.
         */
        propagateTags?: "TASK_DEFINITION" | "SERVICE" | "NONE";
      }[];
      /**
       * File system of the volume: ext3, ext4, xfs (Linux) or ntfs (Windows).
       */
      filesystemType?: "ext3" | "ext4" | "xfs" | "ntfs";
    };
  }[];
  /**
   * VPC Lattice target groups the tasks are registered in. ECS reports them on the deployment; a change starts a new deployment; an empty list removes them.
   *
   * Items: One VPC Lattice target group.
   */
  vpcLatticeConfigurations?: {
    /**
     * Infrastructure role ECS uses to register targets.
     */
    roleArn: string;
    /**
     * ARN of the VPC Lattice target group (not managed by ecs-gitops).
     */
    targetGroupArn: string;
    /**
     * Name of the port mapping (in the task definition) the target group sends traffic to.
     */
    portName: string;
  }[];
  tags?: Tags;
  syncPolicy?: SyncPolicy;
}
/**
 * A task definition managed by ecs-gitops: a new revision is registered whenever its content changes.
 */
export interface InlineTaskDefinition {
  /**
   * Task definition family (revisions are numbered within it).
   */
  family: string;
  /**
   * Task CPU: units (256 = 0.25 vCPU) as a number or string, or vCPUs like "0.25 vCPU". Fargate allows 256, 512, 1024, 2048, 4096, 8192, 16384.
   */
  cpu: string | number;
  /**
   * Task memory: MiB as a number or string, or GB like "2 GB" (1 GB = 1024 MiB). On Fargate it must suit the cpu (see docs/manifests.md).
   */
  memory: string | number;
  /**
   * Docker network mode; Fargate requires awsvpc.
   */
  networkMode?: "awsvpc" | "bridge" | "host" | "none";
  /**
   * Launch types the task definition is validated for.
   *
   * Items: A launch type.
   */
  requiresCompatibilities?: ("FARGATE" | "EC2" | "EXTERNAL")[];
  /**
   * Role the ECS agent uses to pull images, write logs and read secrets.
   */
  executionRoleArn?: string;
  /**
   * Role the application in the task assumes.
   */
  taskRoleArn?: string;
  /**
   * The containers of the task (1-10).
   *
   * @minItems 1
   * @maxItems 10
   */
  containers: ContainerDefinition[];
  tags?: Tags;
}
/**
 * One container of the task.
 */
export interface ContainerDefinition {
  /**
   * Container name, unique in the task; referenced by loadBalancers and discovery.
   */
  name: string;
  /**
   * Image reference, e.g. public.ecr.aws/org/app:1.2.3 or an ECR URI with a digest.
   */
  image: string;
  /**
   * CPU units reserved for the container (1024 = 1 vCPU).
   */
  cpu?: number;
  /**
   * Hard memory limit in MiB; the container is killed above it.
   */
  memory?: number;
  /**
   * Soft memory limit in MiB.
   */
  memoryReservation?: number;
  /**
   * If this container stops, the whole task stops. At least one container must be essential.
   */
  essential?: boolean;
  /**
   * Ports the container listens on.
   */
  portMappings?: PortMapping[];
  /**
   * Environment variables (name: value). Quote values that look like numbers or booleans.
   */
  environment?: {
    /**
     * Value of the variable.
     */
    [k: string]: string;
  };
  /**
   * Environment variables filled from Secrets Manager or SSM Parameter Store.
   *
   * Items: A value read from Secrets Manager or SSM Parameter Store at task start.
   */
  secrets?: {
    /**
     * Name of the environment variable (or log option) that receives the value.
     */
    name: string;
    /**
     * ARN of the Secrets Manager secret or the SSM parameter.
     */
    valueFrom: string;
  }[];
  /**
   * Where the container's output goes.
   */
  logConfiguration?: {
    /**
     * Log driver; Fargate supports awslogs, splunk and awsfirelens.
     */
    logDriver: "awslogs" | "awsfirelens" | "splunk" | "json-file" | "syslog" | "journald" | "gelf" | "fluentd";
    /**
     * Driver options, e.g. awslogs-group, awslogs-region, awslogs-stream-prefix.
     */
    options?: {
      /**
       * Option value.
       */
      [k: string]: string;
    };
    /**
     * Driver options read from Secrets Manager or SSM Parameter Store.
     *
     * Items: A value read from Secrets Manager or SSM Parameter Store at task start.
     */
    secretOptions?: {
      /**
       * Name of the environment variable (or log option) that receives the value.
       */
      name: string;
      /**
       * ARN of the Secrets Manager secret or the SSM parameter.
       */
      valueFrom: string;
    }[];
  };
  /**
   * Container health check run by the ECS agent.
   */
  healthCheck?: {
    /**
     * CMD or CMD-SHELL followed by the command, e.g. [CMD-SHELL, curl -f http://localhost/ || exit 1].
     *
     * @minItems 1
     *
     * Items: One argument.
     */
    command: string[];
    /**
     * Seconds between checks.
     */
    interval?: number;
    /**
     * Seconds before a check counts as failed.
     */
    timeout?: number;
    /**
     * Consecutive failures before the container is unhealthy.
     */
    retries?: number;
    /**
     * Grace period in seconds before failures count.
     */
    startPeriod?: number;
  };
  /**
   * Command (overrides the image's CMD).
   *
   * Items: One argument.
   */
  command?: string[];
  /**
   * Entry point (overrides the image's ENTRYPOINT).
   *
   * Items: One argument.
   */
  entryPoint?: string[];
  /**
   * Working directory of the command.
   */
  workingDirectory?: string;
  /**
   * User (name, uid, uid:gid, ...) the command runs as.
   */
  user?: string;
}
/**
 * A port the container listens on.
 */
export interface PortMapping {
  /**
   * Port the container listens on.
   */
  containerPort: number;
  /**
   * Host port. With awsvpc (and so on Fargate) omit it or make it equal to containerPort.
   */
  hostPort?: number;
  /**
   * Transport protocol.
   */
  protocol?: "tcp" | "udp";
  /**
   * Name of the port mapping (used by Service Connect).
   */
  name?: string;
  /**
   * Application protocol of the port (used by Service Connect).
   */
  appProtocol?: "http" | "http2" | "grpc";
}
/**
 * AWS resource tags (key: value). Keys starting with aws: are reserved by AWS.
 */
export interface Tags {
  /**
   * Tag value (up to 256 characters).
   */
  [k: string]: string;
}
/**
 * How ecs-gitops reconciles this resource. Every field is optional.
 */
export interface SyncPolicy {
  /**
   * enforce: write to AWS to converge on the manifest; observe: only report drift, never write.
   */
  mode?: "enforce" | "observe";
  /**
   * JSON pointers into this manifest (e.g. /spec/desiredCount) whose drift is expected and never reported or reverted.
   *
   * Items: A JSON pointer starting with /spec/.
   */
  ignore?: string[];
  /**
   * false: never delete the AWS resource when its manifest disappears from the source.
   */
  prune?: boolean;
  /**
   * true: allow delete and re-create for changes AWS cannot make in place (e.g. a new routing policy).
   */
  allowReplace?: boolean;
  /**
   * true: take ownership of an existing same-named resource that ecs-gitops did not create.
   */
  adopt?: boolean;
}
