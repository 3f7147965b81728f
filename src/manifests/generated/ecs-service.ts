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
    /**
     * Blue/green traffic shifting through this load balancer (deploymentConfiguration.strategy BLUE_GREEN, LINEAR or CANARY only, and then required on every load balancer item): ECS registers the new revision's tasks in the alternate target group and moves the listener rules between the two.
     */
    advancedConfiguration?: {
      /**
       * ARN of the second target group, which takes the new (green) revision's tasks (not managed by ecs-gitops).
       */
      alternateTargetGroupArn: string;
      /**
       * ARN of the listener rule (Application Load Balancer) or listener (Network Load Balancer) that carries production traffic.
       */
      productionListenerRule: string;
      /**
       * ARN of the listener rule or listener that carries test traffic to the new revision before production traffic moves (optional).
       */
      testListenerRule?: string;
      /**
       * IAM role that lets ECS change the listener rules and target groups (the ECS infrastructure role for load balancers).
       */
      roleArn: string;
    };
  }[];
  /**
   * How ECS rolls out a new revision: the strategy (ROLLING by default; BLUE_GREEN, LINEAR or CANARY with the ECS deployment controller), its bake time, steps and lifecycle hooks, the task limits of a rolling update, the circuit breaker and the alarms that stop a deployment.
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
     * ROLLING (default): replace tasks within minimumHealthyPercent/maximumPercent. BLUE_GREEN: start the new revision beside the old one, move test then production traffic at once, bake, stop the old one. LINEAR: move production traffic in equal steps (linearConfiguration). CANARY: move a canary share first, then the rest (canaryConfiguration). Strategies other than ROLLING need deploymentController ECS; LINEAR and CANARY need a load balancer with advancedConfiguration or Service Connect.
     */
    strategy?: "ROLLING" | "BLUE_GREEN" | "LINEAR" | "CANARY";
    /**
     * Minutes both revisions keep running after production traffic has moved, before the old one stops (BLUE_GREEN, LINEAR, CANARY); 0 to 1440. AWS asks for it with BLUE_GREEN.
     */
    bakeTimeInMinutes?: number;
    /**
     * Steps of a LINEAR deployment (strategy LINEAR only).
     */
    linearConfiguration?: {
      /**
       * Percent of production traffic moved per step: a multiple of 0.1 from 3.0 to 100.0 (ECS default 10.0).
       */
      stepPercent?: number;
      /**
       * Minutes between steps, 0 to 1440 (ECS default 6; not applied after the last step).
       */
      stepBakeTimeInMinutes?: number;
    };
    /**
     * The canary step of a CANARY deployment (strategy CANARY only).
     */
    canaryConfiguration?: {
      /**
       * Percent of production traffic moved first: a multiple of 0.1 from 0.1 to 100.0 (ECS default 5.0).
       */
      canaryPercent?: number;
      /**
       * Minutes before the rest of the traffic moves, 0 to 1440 (ECS default 10).
       */
      canaryBakeTimeInMinutes?: number;
    };
    /**
     * Lambda functions to run, or pauses, at stages of a BLUE_GREEN, LINEAR or CANARY deployment.
     *
     * Items: One hook: a Lambda function (AWS_LAMBDA, the default: hookTargetArn and roleArn required) or a PAUSE that waits for ContinueServiceDeployment.
     */
    lifecycleHooks?: {
      /**
       * AWS_LAMBDA (default) invokes hookTargetArn; PAUSE stops the deployment until it is continued or rolled back.
       */
      targetType?: "AWS_LAMBDA" | "PAUSE";
      /**
       * The Lambda function to invoke (AWS_LAMBDA hooks only).
       */
      hookTargetArn?: string;
      /**
       * IAM role that lets ECS invoke the function (AWS_LAMBDA hooks only).
       */
      roleArn?: string;
      /**
       * Stages the hook runs at. PAUSE hooks cannot use TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT.
       *
       * @minItems 1
       *
       * Items: A lifecycle stage of the deployment.
       */
      lifecycleStages: (
        | "RECONCILE_SERVICE"
        | "PRE_SCALE_UP"
        | "POST_SCALE_UP"
        | "TEST_TRAFFIC_SHIFT"
        | "POST_TEST_TRAFFIC_SHIFT"
        | "PRE_PRODUCTION_TRAFFIC_SHIFT"
        | "PRODUCTION_TRAFFIC_SHIFT"
        | "POST_PRODUCTION_TRAFFIC_SHIFT"
      )[];
      /**
       * A JSON object ECS passes to the function on each invocation (not used by PAUSE hooks).
       */
      hookDetails?: {
        [k: string]: unknown;
      };
      /**
       * How long ECS waits for the hook, and what it does then.
       */
      timeoutConfiguration?: {
        /**
         * Minutes to wait, 1 to 1440 (ECS default 1440).
         */
        timeoutInMinutes?: number;
        /**
         * CONTINUE to the next stage or ROLLBACK (ECS default) when the hook times out.
         */
        action?: "CONTINUE" | "ROLLBACK";
      };
    }[];
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
   * ECS Service Connect (ECS serviceConnectConfiguration, same member names): ECS creates a Cloud Map service per discoveryName in the namespace, registers every task there, and gives clients in the namespace a proxied name. Those Cloud Map services belong to ECS: ecs-gitops never diffs, adopts or prunes them. A change starts a new deployment.
   */
  serviceConnect?: {
    /**
     * Whether the service uses Service Connect. false removes it (ECS keeps the Cloud Map services it created).
     */
    enabled: boolean;
    /**
     * Cloud Map namespace: metadata.name of a CloudMapNamespace of the source (applied before this service), or the name or ARN of an existing one. Absent = the cluster's serviceConnectDefaults namespace.
     */
    namespace?: string;
    /**
     * Ports of this service that others reach through Service Connect (server mode). Absent or empty = client-only: the tasks reach the namespace's services but publish none.
     *
     * Items: One port published in the namespace.
     */
    services?: {
      /**
       * name of a port mapping of the task definition (portMappings[].name).
       */
      portName: string;
      /**
       * Name of the Cloud Map service ECS creates for this port, unique in the namespace. Absent = portName.
       */
      discoveryName?: string;
      /**
       * The name and port clients use (at most one). Absent = discoveryName.namespace on the container port.
       *
       * @maxItems 1
       *
       * Items: A client endpoint of this port.
       */
      clientAliases?: {
        /**
         * Port the Service Connect proxy listens on in every client task of the namespace.
         */
        port: number;
        /**
         * Name clients use. Absent = discoveryName.namespace.
         */
        dnsName?: string;
        /**
         * Blue/green deployments: requests with this header go to the new revision (test traffic).
         */
        testTrafficRules?: {
          /**
           * The HTTP header that marks test traffic.
           */
          header: {
            /**
             * Header name, e.g. x-test-traffic.
             */
            name: string;
            /**
             * The header value to match.
             */
            value?: {
              /**
               * The exact header value.
               */
              exact: string;
            };
          };
        };
      }[];
      /**
       * Port the Service Connect proxy listens on for this service's traffic (absent = the container port).
       */
      ingressPortOverride?: number;
      /**
       * Proxy timeouts; 0 disables one.
       */
      timeout?: {
        /**
         * How long a connection may stay idle.
         */
        idleTimeoutSeconds?: number;
        /**
         * How long one request may take; only for port mappings with an appProtocol (http, http2, grpc).
         */
        perRequestTimeoutSeconds?: number;
      };
      /**
       * TLS between Service Connect proxies.
       */
      tls?: {
        /**
         * The signer certificate authority.
         */
        issuerCertificateAuthority: {
          /**
           * ARN of the AWS Private CA certificate authority.
           */
          awsPcaAuthorityArn?: string;
        };
        /**
         * KMS key (ARN or id) that encrypts the private key.
         */
        kmsKey?: string;
        /**
         * IAM role ECS uses to manage the certificates.
         */
        roleArn?: string;
      };
    }[];
    /**
     * Where the Service Connect proxy container's output goes (the task definition's logConfiguration shape).
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
         * A Secrets Manager secret ARN (optionally :json-key:version-stage:version-id), an SSM parameter ARN, or the name of an SSM parameter in the same Region.
         */
        valueFrom: string;
      }[];
    };
    /**
     * Access logs of the Service Connect proxy (needs logConfiguration).
     */
    accessLogConfiguration?: {
      /**
       * TEXT (readable) or JSON (structured).
       */
      format: "TEXT" | "JSON";
      /**
       * Whether request query strings are logged (ECS default DISABLED).
       */
      includeQueryParameters?: "DISABLED" | "ENABLED";
    };
    /**
     * Settings of the Service Connect proxy container, each item one setting.
     *
     * Items: One proxy setting.
     */
    containerConfigurations?: {
      /**
       * Log level of the proxy.
       */
      logLevel: "debug" | "info";
    }[];
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
  runtimePlatform?: RuntimePlatform;
  ephemeralStorage?: EphemeralStorage;
  /**
   * Data volumes the containers mount (mountPoints).
   */
  volumes?: Volume[];
  /**
   * Placement constraints for the tasks (EC2 and EXTERNAL; up to 10).
   *
   * @maxItems 10
   */
  placementConstraints?: TaskDefinitionPlacementConstraint[];
  /**
   * Process namespace: host, or task (shared by the containers of the task). Fargate supports task only.
   */
  pidMode?: "host" | "task";
  /**
   * IPC namespace (not on Fargate).
   */
  ipcMode?: "host" | "task" | "none";
  proxyConfiguration?: ProxyConfiguration;
  /**
   * Accept fault injection requests from the task's containers (AWS FIS).
   */
  enableFaultInjection?: boolean;
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
     * A Secrets Manager secret ARN (optionally :json-key:version-stage:version-id), an SSM parameter ARN, or the name of an SSM parameter in the same Region.
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
       * A Secrets Manager secret ARN (optionally :json-key:version-stage:version-id), an SSM parameter ARN, or the name of an SSM parameter in the same Region.
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
  /**
   * Credentials for a private registry (not ECR).
   */
  repositoryCredentials?: {
    /**
     * ARN of the Secrets Manager secret holding the registry credentials.
     */
    credentialsParameter: string;
  };
  /**
   * Legacy Docker links to other containers (bridge network mode only; not with awsvpc or on Fargate).
   *
   * Items: name or name:alias of another container.
   */
  links?: string[];
  restartPolicy?: ContainerRestartPolicy;
  /**
   * Environment variable files in S3 (up to 10), read in order.
   *
   * @maxItems 10
   *
   * Items: A file of environment variables.
   */
  environmentFiles?: {
    /**
     * ARN of the S3 object (a .env file).
     */
    value: string;
    /**
     * Where the file is stored.
     */
    type: "s3";
  }[];
  /**
   * Task volumes mounted in the container.
   */
  mountPoints?: MountPoint[];
  /**
   * Mount the volumes of other containers of the task.
   */
  volumesFrom?: VolumeFrom[];
  linuxParameters?: LinuxParameters;
  /**
   * Start order: containers this one waits for.
   */
  dependsOn?: ContainerDependency[];
  /**
   * Seconds to wait for dependencies to be met before giving up on this container.
   */
  startTimeout?: number;
  /**
   * Seconds before the container is killed after SIGTERM (Fargate: up to 120; default 30).
   */
  stopTimeout?: number;
  /**
   * enabled (ECS default): pin the image tag to its digest for the deployment; disabled: resolve the tag at every task start.
   */
  versionConsistency?: "enabled" | "disabled";
  /**
   * Hostname of the container (not with awsvpc).
   */
  hostname?: string;
  /**
   * Turn off networking in the container.
   */
  disableNetworking?: boolean;
  /**
   * Run with elevated privileges (root on the host). Not on Fargate.
   */
  privileged?: boolean;
  /**
   * Mount the root file system read-only.
   */
  readonlyRootFilesystem?: boolean;
  /**
   * DNS servers (not with awsvpc).
   *
   * Items: An IP address.
   */
  dnsServers?: string[];
  /**
   * DNS search domains (not with awsvpc).
   *
   * Items: A domain.
   */
  dnsSearchDomains?: string[];
  /**
   * Extra /etc/hosts entries (not with awsvpc).
   */
  extraHosts?: HostEntry[];
  /**
   * Docker security options (SELinux, AppArmor labels; not on Fargate).
   *
   * Items: An option, e.g. label:type:...
   */
  dockerSecurityOptions?: string[];
  /**
   * Keep stdin open (docker run -i).
   */
  interactive?: boolean;
  /**
   * Allocate a TTY (docker run -t).
   */
  pseudoTerminal?: boolean;
  /**
   * Docker labels (name: value).
   */
  dockerLabels?: {
    /**
     * Label value.
     */
    [k: string]: string;
  };
  /**
   * Resource limits (ulimits) of the container.
   */
  ulimits?: Ulimit[];
  /**
   * Namespaced kernel parameters (sysctls).
   */
  systemControls?: SystemControl[];
  /**
   * GPUs or accelerators reserved for the container (EC2).
   */
  resourceRequirements?: ResourceRequirement[];
  firelensConfiguration?: FirelensConfiguration;
  /**
   * Active Directory credential specs (gMSA), e.g. credentialspecdomainless:arn:aws:s3:::bucket/spec.json.
   *
   * Items: A credential spec.
   */
  credentialSpecs?: string[];
}
/**
 * A port the container listens on.
 */
export interface PortMapping {
  /**
   * Port the container listens on (or give containerPortRange).
   */
  containerPort?: number;
  /**
   * Host port. With awsvpc and host omit it or make it equal to containerPort; with bridge omit it (or 0) for a dynamic host port.
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
  /**
   * A range of container ports, e.g. "8000-8100" (instead of containerPort; awsvpc and host, without hostPort).
   */
  containerPortRange?: string;
}
/**
 * Restart the container in place when it exits, instead of stopping the task.
 */
export interface ContainerRestartPolicy {
  /**
   * Restart the container when it exits.
   */
  enabled: boolean;
  /**
   * Exit codes that do not trigger a restart (up to 50).
   *
   * @maxItems 50
   *
   * Items: An exit code.
   */
  ignoredExitCodes?: number[];
  /**
   * Seconds the container must run before a restart is attempted (60-1800, default 300).
   */
  restartAttemptPeriod?: number;
}
/**
 * A task volume mounted in the container.
 */
export interface MountPoint {
  /**
   * Name of a task volume.
   */
  sourceVolume: string;
  /**
   * Path in the container.
   */
  containerPath: string;
  /**
   * Mount read-only.
   */
  readOnly?: boolean;
}
/**
 * The volumes of another container.
 */
export interface VolumeFrom {
  /**
   * Name of the other container.
   */
  sourceContainer: string;
  /**
   * Mount read-only.
   */
  readOnly?: boolean;
}
/**
 * Linux-specific options of the container.
 */
export interface LinuxParameters {
  capabilities?: KernelCapabilities;
  /**
   * Host devices exposed to the container (not on Fargate).
   */
  devices?: Device[];
  /**
   * Run an init process that forwards signals and reaps processes (docker run --init).
   */
  initProcessEnabled?: boolean;
  /**
   * Size of /dev/shm in MiB (not on Fargate).
   */
  sharedMemorySize?: number;
  /**
   * tmpfs mounts (not on Fargate).
   */
  tmpfs?: Tmpfs[];
  /**
   * Swap the container may use, in MiB (0: none; not on Fargate).
   */
  maxSwap?: number;
  /**
   * Swappiness 0-100 (default 60; used with maxSwap; not on Fargate).
   */
  swappiness?: number;
}
/**
 * Linux capabilities added to or dropped from the Docker default.
 */
export interface KernelCapabilities {
  /**
   * Capabilities added to the Docker default.
   *
   * Items: A capability, e.g. SYS_PTRACE.
   */
  add?: string[];
  /**
   * Capabilities dropped from the Docker default.
   *
   * Items: A capability, e.g. NET_RAW.
   */
  drop?: string[];
}
/**
 * A host device.
 */
export interface Device {
  /**
   * Path on the host.
   */
  hostPath: string;
  /**
   * Path in the container (default: the host path).
   */
  containerPath?: string;
  /**
   * cgroup permissions (default all three).
   *
   * Items: A permission.
   */
  permissions?: ("read" | "write" | "mknod")[];
}
/**
 * A tmpfs mount.
 */
export interface Tmpfs {
  /**
   * Path in the container.
   */
  containerPath: string;
  /**
   * Size in MiB.
   */
  size: number;
  /**
   * Mount options.
   *
   * Items: A mount option, e.g. rw, noexec.
   */
  mountOptions?: string[];
}
/**
 * A container that must reach a condition before this one starts.
 */
export interface ContainerDependency {
  /**
   * Name of the container depended on.
   */
  containerName: string;
  /**
   * What the other container must reach first.
   */
  condition: "START" | "COMPLETE" | "SUCCESS" | "HEALTHY";
}
/**
 * An /etc/hosts entry.
 */
export interface HostEntry {
  /**
   * Host name.
   */
  hostname: string;
  /**
   * IP address.
   */
  ipAddress: string;
}
/**
 * A resource limit.
 */
export interface Ulimit {
  /**
   * The limit.
   */
  name:
    | "core"
    | "cpu"
    | "data"
    | "fsize"
    | "locks"
    | "memlock"
    | "msgqueue"
    | "nice"
    | "nofile"
    | "nproc"
    | "rss"
    | "rtprio"
    | "rttime"
    | "sigpending"
    | "stack";
  /**
   * Soft limit.
   */
  softLimit: number;
  /**
   * Hard limit.
   */
  hardLimit: number;
}
/**
 * A kernel parameter (sysctl).
 */
export interface SystemControl {
  /**
   * Kernel parameter, e.g. net.core.somaxconn.
   */
  namespace: string;
  /**
   * Its value.
   */
  value: string;
}
/**
 * A GPU or other accelerator the container needs.
 */
export interface ResourceRequirement {
  /**
   * The resource.
   */
  type: "GPU" | "InferenceAccelerator" | "NeuronDevice";
  /**
   * How many (GPU, NeuronDevice) or the accelerator name.
   */
  value?: string;
  sharingStrategy?: SharingStrategy;
}
/**
 * How a GPU is shared between containers.
 */
export interface SharingStrategy {
  nvidiaMps?: NvidiaMpsAllocation;
}
/**
 * NVIDIA Multi-Process Service sharing.
 */
export interface NvidiaMpsAllocation {
  /**
   * GPU memory in MiB.
   */
  memory: number;
  /**
   * Share of GPU compute in percent.
   */
  maxComputePercent?: number;
}
/**
 * Makes this container the FireLens log router of the task.
 */
export interface FirelensConfiguration {
  /**
   * The log router.
   */
  type: "fluentbit" | "fluentd";
  /**
   * Router options, e.g. enable-ecs-log-metadata, config-file-type, config-file-value.
   */
  options?: {
    /**
     * Option value.
     */
    [k: string]: string;
  };
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
 * Operating system and CPU architecture (required on Fargate for ARM64 or Windows).
 */
export interface RuntimePlatform {
  /**
   * CPU architecture (default X86_64).
   */
  cpuArchitecture?: "X86_64" | "ARM64";
  /**
   * LINUX (default) or a Windows Server family, e.g. WINDOWS_SERVER_2022_CORE.
   */
  operatingSystemFamily?: string;
}
/**
 * Ephemeral storage of a Fargate task beyond the default 20 GiB.
 */
export interface EphemeralStorage {
  /**
   * Size in GiB (21-200; Fargate gives 20 without it).
   */
  sizeInGiB: number;
}
/**
 * A data volume of the task; give at most one configuration (none: a bind mount).
 */
export interface Volume {
  /**
   * Volume name, referenced by mountPoints.sourceVolume.
   */
  name: string;
  host?: HostVolumeProperties;
  dockerVolumeConfiguration?: DockerVolumeConfiguration;
  efsVolumeConfiguration?: EFSVolumeConfiguration;
  fsxWindowsFileServerVolumeConfiguration?: FSxWindowsFileServerVolumeConfiguration;
  s3filesVolumeConfiguration?: S3FilesVolumeConfiguration;
  /**
   * The volume is configured when the service or task is created (EBS volumes, volumeConfigurations of the service).
   */
  configuredAtLaunch?: boolean;
}
/**
 * A bind mount; an empty host (or no configuration at all) is a task-scoped bind mount, e.g. on Fargate.
 */
export interface HostVolumeProperties {
  /**
   * Path on the host (EC2); without it Docker picks one (a bind mount living as long as the task).
   */
  sourcePath?: string;
}
/**
 * A Docker volume (EC2).
 */
export interface DockerVolumeConfiguration {
  /**
   * task (default): removed with the task; shared: kept.
   */
  scope?: "task" | "shared";
  /**
   * Create a shared volume if it does not exist.
   */
  autoprovision?: boolean;
  /**
   * Docker volume driver, e.g. local.
   */
  driver?: string;
  /**
   * Driver options.
   */
  driverOpts?: {
    /**
     * Option value.
     */
    [k: string]: string;
  };
  /**
   * Docker volume labels.
   */
  labels?: {
    /**
     * Label value.
     */
    [k: string]: string;
  };
}
/**
 * An Amazon EFS file system.
 */
export interface EFSVolumeConfiguration {
  /**
   * EFS file system id (fs-...).
   */
  fileSystemId: string;
  /**
   * Directory of the file system to mount (default /; with an access point, / or absent).
   */
  rootDirectory?: string;
  /**
   * Encrypt traffic to EFS (required with IAM authorization).
   */
  transitEncryption?: "ENABLED" | "DISABLED";
  /**
   * Port for the encrypted traffic (default: chosen by the EFS mount helper).
   */
  transitEncryptionPort?: number;
  authorizationConfig?: EFSAuthorizationConfig;
}
/**
 * EFS access point and IAM authorization.
 */
export interface EFSAuthorizationConfig {
  /**
   * EFS access point id (fsap-...).
   */
  accessPointId?: string;
  /**
   * Use the task role for EFS IAM authorization.
   */
  iam?: "ENABLED" | "DISABLED";
}
/**
 * An FSx for Windows File Server file system (Windows tasks).
 */
export interface FSxWindowsFileServerVolumeConfiguration {
  /**
   * FSx for Windows File Server file system id.
   */
  fileSystemId: string;
  /**
   * Directory of the file system to mount.
   */
  rootDirectory: string;
  authorizationConfig: FSxWindowsFileServerAuthorizationConfig;
}
/**
 * How the task authenticates to the file system.
 */
export interface FSxWindowsFileServerAuthorizationConfig {
  /**
   * ARN of the Secrets Manager secret or SSM parameter holding the credentials.
   */
  credentialsParameter: string;
  /**
   * Fully qualified domain name of the Active Directory.
   */
  domain: string;
}
/**
 * An Amazon S3 Files file system.
 */
export interface S3FilesVolumeConfiguration {
  /**
   * ARN of the S3 Files file system.
   */
  fileSystemArn: string;
  /**
   * Directory of the file system to mount.
   */
  rootDirectory?: string;
  /**
   * Port for the encrypted traffic.
   */
  transitEncryptionPort?: number;
  /**
   * ARN of the access point.
   */
  accessPointArn?: string;
}
/**
 * Where tasks may be placed (EC2).
 */
export interface TaskDefinitionPlacementConstraint {
  /**
   * The constraint type.
   */
  type: "memberOf";
  /**
   * Cluster query language expression, e.g. attribute:ecs.instance-type =~ t3.*.
   */
  expression?: string;
}
/**
 * App Mesh proxy configuration.
 */
export interface ProxyConfiguration {
  /**
   * Name of the proxy container.
   */
  containerName: string;
  /**
   * Proxy type.
   */
  type?: "APPMESH";
  /**
   * Proxy properties.
   */
  properties?: ProxyProperty[];
}
/**
 * A proxy property.
 */
export interface ProxyProperty {
  /**
   * Property name, e.g. IgnoredUID, AppPorts, ProxyIngressPort.
   */
  name: string;
  /**
   * Its value.
   */
  value: string;
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
