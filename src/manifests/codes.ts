/**
 * The catalogue of diagnostic codes. Codes are stable: tools and people match on them, so a
 * code is never renamed or reused. docs/manifests.md lists every code (a test keeps both in step).
 */
export const DIAGNOSTIC_CODES = {
  // ---- reading and parsing
  EGO_ENCODING: 'A manifest file is not text YAML can read (not UTF-8/16/32, or holds NUL or control characters): refused, and no prune runs.',
  EGO_FILE_UNREADABLE:
    'A manifest file could not be read (dangling link, link to a directory, link or submodule in Git, read error): refused, and no prune runs.',
  EGO_FILE_TOO_LARGE: 'A manifest file is over --source-max-file-bytes: refused without being read, and no prune runs.',
  EGO_FILE_EMPTY:
    'A manifest file is empty or only white space (as a file cut short looks): refused, and no prune runs; a comment makes it deliberately empty.',
  EGO_YAML_SYNTAX: 'The file is not valid YAML (only reported for files that mention ecs-gitops.io/).',
  EGO_API_VERSION: 'One of our kinds with a missing or mistyped apiVersion, or an ecs-gitops.io version this release does not know.',
  EGO_UNKNOWN_KIND: 'The document has our apiVersion but a kind that does not exist.',
  EGO_NESTED_MANIFEST: 'Manifests written inside a list (or a Kubernetes List) are not read; each needs its own document.',
  // ---- schema (crds/)
  EGO_UNKNOWN_FIELD: 'A field that the kind does not have (often a typo).',
  EGO_REQUIRED_FIELD: 'A required field is missing.',
  EGO_TYPE: 'A value has the wrong type (e.g. a number where a string is expected).',
  EGO_ENUM: 'A value is not one of the allowed values.',
  EGO_PATTERN: 'A value does not have the required format (names, ids, ARNs).',
  EGO_LENGTH: 'A string, list or map is too short or too long.',
  EGO_RANGE: 'A number is outside its allowed range.',
  EGO_SCHEMA: 'Any other schema violation (e.g. duplicate items in a set).',
  // ---- CloudMapNamespace
  EGO_NAMESPACE_NAME: 'A DNS namespace name is not a valid domain name.',
  EGO_VPC_REQUIRED: 'A DNS_PRIVATE namespace needs spec.vpc.',
  EGO_VPC_NOT_ALLOWED: 'spec.vpc is only for DNS_PRIVATE namespaces.',
  EGO_SOA_TTL_NOT_ALLOWED: 'spec.soaTtl is only for DNS namespaces.',
  // ---- CloudMapService
  EGO_RECORD_COMBINATION: 'The DNS record types are not one of the sets A, AAAA, A+AAAA, SRV, CNAME.',
  EGO_CNAME_ROUTING: 'A CNAME record needs routingPolicy WEIGHTED.',
  EGO_CNAME_HEALTH_CHECK: 'A service with a CNAME record cannot have a health check.',
  EGO_HEALTH_CHECK_EXCLUSIVE: 'healthCheck.custom and healthCheck.route53 cannot be used together.',
  EGO_HEALTH_CHECK_PATH: 'healthCheck.route53.resourcePath is only for HTTP and HTTPS checks.',
  EGO_CUSTOM_FAILURE_THRESHOLD: 'Warning: AWS ignores a custom health failureThreshold other than 1.',
  EGO_API_ONLY_DNS: 'An API-only service (type: HTTP) has no DNS config.',
  EGO_HTTP_NAMESPACE_DNS: 'A service in an HTTP namespace has no DNS config.',
  EGO_ROUTE53_HEALTH_NAMESPACE: 'A Route 53 health check needs a DNS_PUBLIC or HTTP namespace.',
  EGO_NAMESPACE_NOT_FOUND: 'spec.namespace names a CloudMapNamespace that is not in the source.',
  // ---- EcsService
  EGO_TASK_DEFINITION_XOR: 'Exactly one of spec.taskDefinition and spec.taskDefinitionRef is required.',
  EGO_LAUNCH_TYPE_XOR_CAPACITY: 'spec.launchType and spec.capacityProviderStrategy cannot be used together.',
  EGO_CPU_VALUE: 'The task cpu is not a whole number of CPU units.',
  EGO_MEMORY_VALUE: 'The task memory is not a whole number of MiB.',
  EGO_FARGATE_CPU_MEMORY: 'The task cpu/memory pair is not a valid Fargate combination.',
  EGO_FARGATE_NETWORK_MODE: 'Fargate requires networkMode awsvpc.',
  EGO_HOST_PORT_AWSVPC: 'With awsvpc, hostPort must be absent or equal to containerPort.',
  EGO_NETWORK_CONFIGURATION_REQUIRED: 'awsvpc tasks (and Fargate) need spec.networkConfiguration.',
  EGO_DUPLICATE_CONTAINER: 'Two containers of one task definition have the same name.',
  EGO_NO_ESSENTIAL_CONTAINER: 'At least one container must be essential.',
  EGO_LB_CONTAINER_NOT_FOUND: 'A load balancer names a container that is not in the task definition.',
  EGO_LB_PORT_NOT_FOUND: 'A load balancer names a port that the container does not map.',
  EGO_LB_TARGET_XOR: 'A load balancer item needs exactly one of targetGroupArn and loadBalancerName.',
  EGO_DAEMON_DESIRED_COUNT: 'A DAEMON service takes no desiredCount.',
  EGO_STRATEGY_CONTROLLER: 'deploymentConfiguration.strategy BLUE_GREEN, LINEAR or CANARY needs deploymentController ECS.',
  EGO_ADVANCED_CONFIGURATION_STRATEGY: 'loadBalancers[].advancedConfiguration is only for the BLUE_GREEN, LINEAR and CANARY strategies.',
  EGO_ADVANCED_CONFIGURATION_REQUIRED: 'With strategy BLUE_GREEN, LINEAR or CANARY every load balancer item needs advancedConfiguration.',
  EGO_TRAFFIC_SHIFT_REQUIRED: 'Strategy LINEAR or CANARY needs a load balancer with advancedConfiguration or Service Connect.',
  EGO_STEP_PERCENT: 'linearConfiguration.stepPercent or canaryConfiguration.canaryPercent is not a multiple of 0.1.',
  EGO_STRATEGY_SETTING_UNUSED: 'Warning: linearConfiguration, canaryConfiguration or Service Connect testTrafficRules under a strategy that does not use them.',
  EGO_EARLY_SUCCESS_STRATEGY: 'earlySuccessCriteria is only for the ROLLING strategy.',
  EGO_LIFECYCLE_HOOK_TARGET: 'An AWS_LAMBDA lifecycle hook (the default) needs hookTargetArn and roleArn.',
  EGO_LIFECYCLE_HOOK_STAGE: 'A PAUSE lifecycle hook cannot run at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT.',
  EGO_DISCOVERY_PORT: 'discovery: give containerName with containerPort, or port, not both.',
  EGO_DISCOVERY_CONTAINER_NOT_FOUND: 'discovery.containerName/containerPort is not in the task definition.',
  EGO_SRV_PORT_REQUIRED: 'Registering in a service with SRV records needs a port (containerName+containerPort or port).',
  EGO_DISCOVERY_SERVICE_NOT_FOUND: 'spec.discovery names a CloudMapService that is not in the source.',
  EGO_SERVICE_CONNECT_PORT_NAME: 'serviceConnect.services[].portName names no port mapping (portMappings[].name) of the task definition.',
  EGO_SERVICE_CONNECT_TIMEOUT: 'serviceConnect.services[].timeout.perRequestTimeoutSeconds needs a port mapping with an appProtocol.',
  EGO_SERVICE_CONNECT_ACCESS_LOG: 'serviceConnect.accessLogConfiguration needs serviceConnect.logConfiguration.',
  EGO_SERVICE_CONNECT_DISCOVERY_NAME: 'A Service Connect discoveryName is published twice in one namespace across the source.',
  EGO_SERVICE_CONNECT_NAME_TAKEN:
    'A Service Connect discoveryName is also a CloudMapService manifest in that namespace (ECS creates and owns that Cloud Map service).',
  EGO_SECRET_VALUE_FROM:
    'A secret valueFrom is not a Secrets Manager secret ARN (with optional :json-key:version-stage:version-id), an SSM parameter ARN or an SSM parameter name.',
  EGO_PORT_MAPPING: 'A port mapping needs exactly one of containerPort and containerPortRange (a valid range, without hostPort).',
  EGO_FARGATE_UNSUPPORTED: 'A task definition setting Fargate refuses (privileged, links, devices, tmpfs, ipcMode, placementConstraints, ...).',
  EGO_AWSVPC_UNSUPPORTED: 'A container setting the awsvpc network mode refuses (links, hostname, extraHosts).',
  EGO_VOLUME_NOT_FOUND: 'A mount point names a volume that is not in the task definition.',
  EGO_CONTAINER_NOT_FOUND: 'dependsOn or volumesFrom names a container that is not another container of the task definition.',
  // ---- every kind
  EGO_TASK_DEFINITION_SIZE: 'The RegisterTaskDefinition request for the inline task definition is over the 64 KiB ECS accepts.',
  EGO_TAG_COUNT: 'The tags, with the ecs-gitops.io/ tags the controller writes, are more than the 50 AWS allows per resource.',
  EGO_TAG_RESERVED: 'A tag key starts with aws:, which AWS reserves (ECS and Cloud Map refuse it).',
  EGO_IDENTITY_TOO_LONG: 'The identity (Kind/.../name) is over 256 characters, the longest tag value AWS accepts for the ecs-gitops.io/resource tag.',
  EGO_IGNORE_POINTER: 'A syncPolicy.ignore pointer does not name a field of the kind.',
  EGO_DUPLICATE_RESOURCE: 'Two manifests have the same identity.',
  EGO_DEPENDENCY_INVALID: 'The resource depends on a resource that is invalid, so it is held back too.',
  // ---- Overlay (docs/environments.md)
  EGO_OVERLAY: "An Overlay is malformed: two in one directory, or a field its schema refuses; for run, its controllerId is not the controller's.",
  EGO_OVERLAY_BASE: 'An Overlay base is missing, holds no manifests, leaves the source, or forms a cycle.',
  EGO_PATCH_NO_TARGET: 'An Overlay patch selects no resource.',
  EGO_PATCH_FAILED: 'A JSON patch operation does not apply to the resource it selects (path missing, test failed).',
  EGO_IMAGE_UNUSED: 'Warning: an Overlay images entry matches no container image.',
  EGO_VALUE_MISSING: 'A ${name} placeholder names no value declared by the overlays.',
  EGO_VALUE_UNRESOLVED: 'A declared value could not be read (parameter or export not found, SecureString, file missing, environment variable not allowed).',
  EGO_VALUE_TYPE: 'A list value (StringList, a list output) is used inside a string instead of as a whole list item.',
} as const satisfies Record<string, string>;

/** A stable diagnostic code, e.g. `EGO_FARGATE_CPU_MEMORY`. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
