import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from '../../src/manifests/codes.js';
import { loadManifests } from '../../src/reconcile/load.js';
import { readManifestTree } from '../../src/manifests/read-tree.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { SourceLimits } from '../../src/sources/source.js';

const CORPUS = join(PACKAGE_ROOT, 'test/fixtures/invalid');

/** One fixture (a file or a directory) with one mistake, and the diagnostic it must produce. */
interface Expectation {
  readonly fixture: string;
  readonly file: string;
  readonly code: DiagnosticCode;
  readonly line: number;
  readonly col: number;
  readonly resource?: string;
  readonly field?: string;
  /** A fragment the message must contain. */
  readonly message: string;
  /** Source limits to read the fixture with (default: the defaults). */
  readonly limits?: SourceLimits;
  /** Other codes the same mistake legitimately causes (e.g. the invalid dependency itself). */
  readonly also?: readonly DiagnosticCode[];
}

const EXPECTATIONS: readonly Expectation[] = [
  { fixture: 'api-version-typo.yaml', file: 'api-version-typo.yaml', code: 'EGO_API_VERSION', line: 1, col: 13, resource: 'EcsService/web', field: 'apiVersion', message: 'apiVersion "ecs-gitop.io/v1alpha1" is not ecs-gitops.io/v1alpha1 (a' },
  { fixture: 'api-version-missing.yaml', file: 'api-version-missing.yaml', code: 'EGO_API_VERSION', line: 1, col: 1, resource: 'EcsService/web', field: 'apiVersion', message: 'missing "apiVersion: ecs-gitops.io/v1alpha1" (without it this EcsService would be ignored)' },
  { fixture: 'api-version-unknown.yaml', file: 'api-version-unknown.yaml', code: 'EGO_API_VERSION', line: 1, col: 13, resource: 'EcsService/web', field: 'apiVersion', message: 'unsupported apiVersion "ecs-gitops.io/v1beta9" (this release reads' },
  { fixture: 'dependency-invalid-namespace.yaml',  file: 'dependency-invalid-namespace.yaml',  code: 'EGO_DEPENDENCY_INVALID',  line: 13, col: 14, resource: 'CloudMapService/api',  field: 'spec.namespace',  message: 'held back: depends on CloudMapNamespace/internal (dependency-invalid-namespace.yaml:1), which is invalid',  also: ['EGO_VPC_REQUIRED'] },
  { fixture: 'dependency-invalid-service.yaml',  file: 'dependency-invalid-service.yaml',  code: 'EGO_DEPENDENCY_INVALID',  line: 41, col: 14, resource: 'EcsService/web',  field: 'spec.discovery.service',  message: 'held back: depends on CloudMapService/internal/api',  also: ['EGO_CNAME_ROUTING',  'EGO_RECORD_COMBINATION'] },
  { fixture: 'duplicate-across-files', file: 'a.yaml', code: 'EGO_DUPLICATE_RESOURCE', line: 4, col: 9, resource: 'CloudMapNamespace/internal', field: 'metadata.name', message: 'CloudMapNamespace/internal is also defined at b.yaml:5; identities' },
  { fixture: 'duplicate-in-file.yaml', file: 'duplicate-in-file.yaml', code: 'EGO_DUPLICATE_RESOURCE', line: 4, col: 9, resource: 'CloudMapNamespace/internal', field: 'metadata.name', message: 'CloudMapNamespace/internal is also defined at' },
  { fixture: 'ecs-cpu-not-whole.yaml', file: 'ecs-cpu-not-whole.yaml', code: 'EGO_CPU_VALUE', line: 9, col: 10, resource: 'EcsService/web', field: 'spec.taskDefinition.cpu', message: 'cpu "0.1 vCPU" is not a whole number of CPU units (1 vCPU = 1024)' },
  { fixture: 'ecs-discovery-container-not-found.yaml', file: 'ecs-discovery-container-not-found.yaml', code: 'EGO_DISCOVERY_CONTAINER_NOT_FOUND', line: 42, col: 20, resource: 'EcsService/web', field: 'spec.discovery.containerPort', message: 'container "web" has no port mapping for 9090 (mapped: 8080)' },
  { fixture: 'ecs-discovery-container-without-port.yaml', file: 'ecs-discovery-container-without-port.yaml', code: 'EGO_DISCOVERY_PORT', line: 38, col: 3, resource: 'EcsService/web', field: 'spec.discovery.containerPort', message: 'containerName and containerPort go together: add containerPort' },
  { fixture: 'ecs-discovery-port-and-container.yaml', file: 'ecs-discovery-port-and-container.yaml', code: 'EGO_DISCOVERY_PORT', line: 43, col: 5, resource: 'EcsService/web', field: 'spec.discovery.port', message: 'use either port or containerName with containerPort, not both' },
  { fixture: 'ecs-discovery-service-not-found.yaml', file: 'ecs-discovery-service-not-found.yaml', code: 'EGO_DISCOVERY_SERVICE_NOT_FOUND', line: 39, col: 14, resource: 'EcsService/web', field: 'spec.discovery.service', message: 'Cloud Map service not found: no CloudMapService/internal/apii in the' },
  { fixture: 'ecs-duplicate-container.yaml', file: 'ecs-duplicate-container.yaml', code: 'EGO_DUPLICATE_CONTAINER', line: 16, col: 15, resource: 'EcsService/web', field: 'spec.taskDefinition.containers[1].name', message: 'container name "web" is used twice in the task definition' },
  { fixture: 'ecs-fargate-bridge.yaml', file: 'ecs-fargate-bridge.yaml', code: 'EGO_FARGATE_NETWORK_MODE', line: 11, col: 18, resource: 'EcsService/web', field: 'spec.taskDefinition.networkMode', message: 'Fargate requires networkMode awsvpc (got bridge)' },
  { fixture: 'ecs-fargate-cpu.yaml', file: 'ecs-fargate-cpu.yaml', code: 'EGO_FARGATE_CPU_MEMORY', line: 9, col: 10, resource: 'EcsService/web', field: 'spec.taskDefinition.cpu', message: 'cpu 300 is not a Fargate size (allowed: 256, 512, 1024, 2048, 4096,' },
  { fixture: 'ecs-fargate-memory.yaml', file: 'ecs-fargate-memory.yaml', code: 'EGO_FARGATE_CPU_MEMORY', line: 10, col: 13, resource: 'EcsService/web', field: 'spec.taskDefinition.memory', message: 'memory 4096 MiB is not valid with cpu 256 on Fargate (allowed: 512,' },
  { fixture: 'ecs-host-port-awsvpc.yaml', file: 'ecs-host-port-awsvpc.yaml', code: 'EGO_HOST_PORT_AWSVPC', line: 16, col: 23, resource: 'EcsService/web', field: 'spec.taskDefinition.containers[0].portMappings[0].hostPort', message: 'with networkMode awsvpc, hostPort must be omitted or equal' },
  { fixture: 'ecs-launch-type-and-capacity.yaml', file: 'ecs-launch-type-and-capacity.yaml', code: 'EGO_LAUNCH_TYPE_XOR_CAPACITY', line: 17, col: 3, resource: 'EcsService/web', field: 'spec.capacityProviderStrategy', message: 'use either launchType or capacityProviderStrategy, not both' },
  { fixture: 'ecs-lb-container-not-found.yaml', file: 'ecs-lb-container-not-found.yaml', code: 'EGO_LB_CONTAINER_NOT_FOUND', line: 21, col: 22, resource: 'EcsService/web', field: 'spec.loadBalancers[0].containerName', message: 'no container "webapp" in the task definition (containers: web)' },
  { fixture: 'ecs-lb-port-not-found.yaml', file: 'ecs-lb-port-not-found.yaml', code: 'EGO_LB_PORT_NOT_FOUND', line: 22, col: 22, resource: 'EcsService/web', field: 'spec.loadBalancers[0].containerPort', message: 'container "web" has no port mapping for 80 (mapped: 8080)' },
  { fixture: 'ecs-network-configuration-missing.yaml', file: 'ecs-network-configuration-missing.yaml', code: 'EGO_NETWORK_CONFIGURATION_REQUIRED', line: 5, col: 1, resource: 'EcsService/web', field: 'spec.networkConfiguration', message: 'tasks with networkMode awsvpc (and all Fargate tasks) need' },
  { fixture: 'ecs-no-essential-container.yaml', file: 'ecs-no-essential-container.yaml', code: 'EGO_NO_ESSENTIAL_CONTAINER', line: 11, col: 5, resource: 'EcsService/web', field: 'spec.taskDefinition.containers', message: 'at least one container must be essential (every one says essential:' },
  { fixture: 'ecs-srv-without-port.yaml', file: 'ecs-srv-without-port.yaml', code: 'EGO_SRV_PORT_REQUIRED', line: 38, col: 3, resource: 'EcsService/web', field: 'spec.discovery.containerPort', message: 'Cloud Map service "api" has SRV records, which need a port: add' },
  { fixture: 'ecs-task-definition-both.yaml', file: 'ecs-task-definition-both.yaml', code: 'EGO_TASK_DEFINITION_XOR', line: 16, col: 3, resource: 'EcsService/web', field: 'spec.taskDefinitionRef', message: 'use either taskDefinition (managed) or taskDefinitionRef (not' },
  { fixture: 'ecs-task-definition-neither.yaml', file: 'ecs-task-definition-neither.yaml', code: 'EGO_TASK_DEFINITION_XOR', line: 5, col: 1, resource: 'EcsService/web', field: 'spec.taskDefinition', message: 'needs taskDefinition (managed) or taskDefinitionRef (deployed by' },
  { fixture: 'enum-launch-type.yaml', file: 'enum-launch-type.yaml', code: 'EGO_ENUM', line: 16, col: 15, resource: 'EcsService/web', field: 'spec.launchType', message: 'must be one of FARGATE, EC2, EXTERNAL (got "fargate")' },
  { fixture: 'enum-namespace-type.yaml', file: 'enum-namespace-type.yaml', code: 'EGO_ENUM', line: 6, col: 9, resource: 'CloudMapNamespace/internal', field: 'spec.type', message: 'must be one of HTTP, DNS_PRIVATE, DNS_PUBLIC (got "PRIVATE")' },
  { fixture: 'enum-routing-policy.yaml', file: 'enum-routing-policy.yaml', code: 'EGO_ENUM', line: 16, col: 20, resource: 'CloudMapService/api', field: 'spec.dns.routingPolicy', message: 'must be one of MULTIVALUE, WEIGHTED (got "MULTI")' },
  { fixture: 'ignore-pointer-sync-policy.yaml', file: 'ignore-pointer-sync-policy.yaml', code: 'EGO_IGNORE_POINTER', line: 17, col: 14, resource: 'EcsService/web', field: 'spec.syncPolicy.ignore[0]', message: 'ignore pointer "/spec/syncPolicy/mode" points into the sync policy' },
  { fixture: 'ignore-pointer-unknown-field.yaml', file: 'ignore-pointer-unknown-field.yaml', code: 'EGO_IGNORE_POINTER', line: 17, col: 14, resource: 'EcsService/web', field: 'spec.syncPolicy.ignore[0]', message: 'ignore pointer "/spec/desiredCont" names no field of EcsService; did' },
  { fixture: 'kind-unknown.yaml', file: 'kind-unknown.yaml', code: 'EGO_UNKNOWN_KIND', line: 2, col: 7, field: 'kind', message: 'unknown kind "EcsServce" (one of CloudMapNamespace, CloudMapService,' },
  { fixture: 'length-empty-records.yaml', file: 'length-empty-records.yaml', code: 'EGO_LENGTH', line: 16, col: 14, resource: 'CloudMapService/api', field: 'spec.dns.records', message: 'must have at least 1 item' },
  { fixture: 'namespace-name-not-domain.yaml', file: 'namespace-name-not-domain.yaml', code: 'EGO_NAMESPACE_NAME', line: 4, col: 9, resource: 'CloudMapNamespace/-shop-.example.com', field: 'metadata.name', message: '"-shop-.example.com" is not a valid domain name for a DNS_PUBLIC' },
  { fixture: 'namespace-soa-ttl-http.yaml', file: 'namespace-soa-ttl-http.yaml', code: 'EGO_SOA_TTL_NOT_ALLOWED', line: 7, col: 3, resource: 'CloudMapNamespace/api-ns', field: 'spec.soaTtl', message: '"soaTtl" is only for DNS namespaces: an HTTP namespace has no hosted' },
  { fixture: 'namespace-vpc-not-allowed.yaml', file: 'namespace-vpc-not-allowed.yaml', code: 'EGO_VPC_NOT_ALLOWED', line: 7, col: 3, resource: 'CloudMapNamespace/api-ns', field: 'spec.vpc', message: '"vpc" is only for DNS_PRIVATE namespaces (this one is HTTP)' },
  { fixture: 'namespace-vpc-required.yaml', file: 'namespace-vpc-required.yaml', code: 'EGO_VPC_REQUIRED', line: 5, col: 1, resource: 'CloudMapNamespace/internal', field: 'spec.vpc', message: 'a DNS_PRIVATE namespace needs "vpc": the VPC its private hosted zone' },
  { fixture: 'nested-manifest-list.yaml', file: 'nested-manifest-list.yaml', code: 'EGO_NESTED_MANIFEST', line: 1, col: 3, field: '[0]', message: '2 ecs-gitops manifests in a list are not read: give each its own document, separated by ---' },
  { fixture: 'pattern-cluster.yaml', file: 'pattern-cluster.yaml', code: 'EGO_PATTERN', line: 6, col: 12, resource: 'EcsService/web', field: 'spec.cluster', message: 'must be 1-255 letters, digits, _ or - (got "demo/prod")' },
  { fixture: 'pattern-cpu.yaml', file: 'pattern-cpu.yaml', code: 'EGO_PATTERN', line: 9, col: 10, resource: 'EcsService/web', field: 'spec.taskDefinition.cpu', message: 'must be CPU units ("256") or vCPUs ("0.25 vCPU") (got "1 core")' },
  { fixture: 'pattern-ignore-outside-spec.yaml', file: 'pattern-ignore-outside-spec.yaml', code: 'EGO_PATTERN', line: 17, col: 14, resource: 'EcsService/web', field: 'spec.syncPolicy.ignore[0]', message: 'must be a JSON pointer under /spec/, e.g. /spec/desiredCount (got' },
  { fixture: 'pattern-role-arn.yaml', file: 'pattern-role-arn.yaml', code: 'EGO_PATTERN', line: 11, col: 23, resource: 'EcsService/web', field: 'spec.taskDefinition.executionRoleArn', message: 'must be an IAM role ARN (arn:aws:iam::<account>:role/<name>) (got' },
  { fixture: 'pattern-secret-arn.yaml', file: 'pattern-secret-arn.yaml', code: 'EGO_PATTERN', line: 15, col: 45, resource: 'EcsService/web', field: 'spec.taskDefinition.containers[0].secrets[0].valueFrom', message: 'must be a Secrets Manager or SSM parameter ARN' },
  { fixture: 'pattern-service-name.yaml', file: 'pattern-service-name.yaml', code: 'EGO_PATTERN', line: 4, col: 9, resource: 'EcsService/web app', field: 'metadata.name', message: 'must be 1-255 letters, digits, _ or - (got "web app")' },
  { fixture: 'pattern-subnet.yaml', file: 'pattern-subnet.yaml', code: 'EGO_PATTERN', line: 18, col: 15, resource: 'EcsService/web', field: 'spec.networkConfiguration.subnets[0]', message: 'must be a subnet id like subnet-0a1b2c3d4e5f60718 (got "subnet-xyz")' },
  { fixture: 'pattern-tag-key.yaml', file: 'pattern-tag-key.yaml', code: 'EGO_PATTERN', line: 9, col: 5, resource: 'CloudMapNamespace/internal', field: 'spec.tags["team!"]', message: 'key "team!" must be letters, digits, spaces and _ . : / = + - @ (up' },
  { fixture: 'range-route53-failure-threshold.yaml', file: 'range-route53-failure-threshold.yaml', code: 'EGO_RANGE', line: 19, col: 69, resource: 'CloudMapService/api', field: 'spec.healthCheck.route53.failureThreshold', message: 'must be at most 10 (got 11)' },
  { fixture: 'range-ttl-negative.yaml', file: 'range-ttl-negative.yaml', code: 'EGO_RANGE', line: 18, col: 14, resource: 'CloudMapService/api', field: 'spec.dns.records[0].ttl', message: 'must be at least 0 (got -1)' },
  { fixture: 'required-metadata-name.yaml', file: 'required-metadata-name.yaml', code: 'EGO_REQUIRED_FIELD', line: 3, col: 1, field: 'metadata.name', message: 'missing required field "name"' },
  { fixture: 'required-spec.yaml', file: 'required-spec.yaml', code: 'EGO_REQUIRED_FIELD', line: 1, col: 1, resource: 'CloudMapNamespace/internal', field: 'spec', message: 'missing required field "spec"' },
  { fixture: 'schema-duplicate-subnets.yaml', file: 'schema-duplicate-subnets.yaml', code: 'EGO_SCHEMA', line: 18, col: 14, resource: 'EcsService/web', field: 'spec.networkConfiguration.subnets', message: 'must not contain duplicates (items 1 and 0 are equal)' },
  { fixture: 'service-api-only-with-dns.yaml', file: 'service-api-only-with-dns.yaml', code: 'EGO_API_ONLY_DNS', line: 16, col: 3, resource: 'CloudMapService/api', field: 'spec.dns', message: 'an API-only service (type: HTTP) has no DNS config: remove "dns" or' },
  { fixture: 'service-cname-health-check.yaml', file: 'service-cname-health-check.yaml', code: 'EGO_CNAME_HEALTH_CHECK', line: 20, col: 3, resource: 'CloudMapService/api', field: 'spec.healthCheck', message: 'a service with a CNAME record cannot have a health check' },
  { fixture: 'service-cname-multivalue.yaml', file: 'service-cname-multivalue.yaml', code: 'EGO_CNAME_ROUTING', line: 16, col: 20, resource: 'CloudMapService/api', field: 'spec.dns.routingPolicy', message: 'a CNAME record needs routingPolicy WEIGHTED (got MULTIVALUE)' },
  { fixture: 'service-custom-failure-threshold.yaml', file: 'service-custom-failure-threshold.yaml', code: 'EGO_CUSTOM_FAILURE_THRESHOLD', line: 21, col: 25, resource: 'CloudMapService/api', field: 'spec.healthCheck.custom.failureThreshold', message: 'AWS always uses 1 for custom health checks; 3 is ignored (and never' },
  { fixture: 'service-health-check-both.yaml', file: 'service-health-check-both.yaml', code: 'EGO_HEALTH_CHECK_EXCLUSIVE', line: 20, col: 5, resource: 'CloudMapService/api', field: 'spec.healthCheck.route53', message: 'use either healthCheck.custom or healthCheck.route53, not both' },
  { fixture: 'service-health-path-tcp.yaml', file: 'service-health-path-tcp.yaml', code: 'EGO_HEALTH_CHECK_PATH', line: 21, col: 7, resource: 'CloudMapService/api', field: 'spec.healthCheck.route53.resourcePath', message: 'resourcePath is only for HTTP and HTTPS health checks, not TCP' },
  { fixture: 'service-http-namespace-dns.yaml', file: 'service-http-namespace-dns.yaml', code: 'EGO_HTTP_NAMESPACE_DNS', line: 14, col: 3, resource: 'CloudMapService/api', field: 'spec.dns', message: 'namespace "api-ns" is an HTTP namespace (API discovery only): its' },
  { fixture: 'service-namespace-not-found.yaml', file: 'service-namespace-not-found.yaml', code: 'EGO_NAMESPACE_NOT_FOUND', line: 14, col: 14, resource: 'CloudMapService/api', field: 'spec.namespace', message: 'namespace "internl" not found: no CloudMapNamespace/internl in the' },
  { fixture: 'service-record-combination.yaml', file: 'service-record-combination.yaml', code: 'EGO_RECORD_COMBINATION', line: 16, col: 5, resource: 'CloudMapService/api', field: 'spec.dns.records', message: 'record types A, SRV are not an allowed combination (allowed: A; AAAA;' },
  { fixture: 'service-route53-health-private.yaml', file: 'service-route53-health-private.yaml', code: 'EGO_ROUTE53_HEALTH_NAMESPACE', line: 20, col: 5, resource: 'CloudMapService/api', field: 'spec.healthCheck.route53', message: 'a Route 53 health check needs a DNS_PUBLIC or HTTP namespace;' },
  { fixture: 'type-containers-map.yaml', file: 'type-containers-map.yaml', code: 'EGO_TYPE', line: 12, col: 7, resource: 'EcsService/web', field: 'spec.taskDefinition.containers', message: 'must be a list (got a map)' },
  { fixture: 'type-desired-count.yaml', file: 'type-desired-count.yaml', code: 'EGO_TYPE', line: 16, col: 17, resource: 'EcsService/web', field: 'spec.desiredCount', message: 'must be a whole number (got "two")' },
  { fixture: 'type-environment-number.yaml', file: 'type-environment-number.yaml', code: 'EGO_TYPE', line: 15, col: 17, resource: 'EcsService/web', field: 'spec.taskDefinition.containers[0].environment.PORT', message: 'must be a string (got 8080); quote it: "8080"' },
  { fixture: 'unknown-field-port-mapping.yaml', file: 'unknown-field-port-mapping.yaml', code: 'EGO_UNKNOWN_FIELD', line: 16, col: 13, resource: 'EcsService/web', field: 'spec.taskDefinition.containers[0].portMappings[0].prot', message: 'unknown field "prot" (allowed: containerPort, hostPort, protocol,' },
  { fixture: 'unknown-field-spec.yaml', file: 'unknown-field-spec.yaml', code: 'EGO_UNKNOWN_FIELD', line: 16, col: 3, resource: 'EcsService/web', field: 'spec.desiredcount', message: 'unknown field "desiredcount" (allowed: cluster, taskDefinition,' },
  { fixture: 'yaml-alias-across-documents.yaml', file: 'yaml-alias-across-documents.yaml', code: 'EGO_YAML_SYNTAX', line: 27, col: 9, message: 'alias *team refers to no anchor &team before it in this document (anchors do not reach across --- separators)' },
  { fixture: 'yaml-duplicate-key.yaml', file: 'yaml-duplicate-key.yaml', code: 'EGO_YAML_SYNTAX', line: 17, col: 3, message: 'duplicate key "launchType": a key may appear only once in a map (first at line 16); remove one of them' },
  { fixture: 'yaml-not-utf8.yaml', file: 'yaml-not-utf8.yaml', code: 'EGO_ENCODING', line: 13, col: 27, message: 'the file is not valid UTF-8 at line 13, column 27 (byte 0xE9): YAML 1.2 allows UTF-8, UTF-16 and UTF-32' },
  { fixture: 'encoding-binary-nul.yaml', file: 'encoding-binary-nul.yaml', code: 'EGO_ENCODING', line: 7, col: 1, message: 'the file holds a NUL character (a binary file?) at line 7, column 1, which YAML does not allow' },
  { fixture: 'unreadable-dangling-link', file: 'web.yaml', code: 'EGO_FILE_UNREADABLE', line: 1, col: 1, message: 'the file is a symbolic link whose target cannot be read (ENOENT); not read' },
  { fixture: 'file-empty.yaml', file: 'file-empty.yaml', code: 'EGO_FILE_EMPTY', line: 1, col: 1, message: 'the file is empty (0 bytes): a file cut short while it was written looks the same, so it is refused' },
  { fixture: 'file-too-large.yaml', file: 'file-too-large.yaml', code: 'EGO_FILE_TOO_LARGE', line: 1, col: 1, limits: { maxFileBytes: 200 }, message: 'bytes, over the limit of 200 bytes per file (--source-max-file-bytes' },
  { fixture: 'yaml-syntax-unclosed-flow.yaml', file: 'yaml-syntax-unclosed-flow.yaml', code: 'EGO_YAML_SYNTAX', line: 18, col: 14, message: 'this [ is never closed: end the list with ], or indent the lines that continue it more than its key' },
  { fixture: 'yaml-tab-indent.yaml', file: 'yaml-tab-indent.yaml', code: 'EGO_YAML_SYNTAX', line: 6, col: 1, message: 'a tab is used for indentation, which YAML does not allow: indent with spaces' },
  { fixture: 'yaml-unclosed-quote.yaml', file: 'yaml-unclosed-quote.yaml', code: 'EGO_YAML_SYNTAX', line: 13, col: 16, message: 'this quoted string is never closed: add the closing " (without it the string runs on to line 19)' },
  { fixture: 'limit-task-definition-size.yaml', file: 'limit-task-definition-size.yaml', code: 'EGO_TASK_DEFINITION_SIZE', line: 7, col: 3, resource: 'EcsService/web', field: 'spec.taskDefinition', message: 'the RegisterTaskDefinition request would be 70,719 bytes; ECS accepts at most 65,536 (64 KiB). Largest container: "web"' },
  { fixture: 'limit-tag-count.yaml', file: 'limit-tag-count.yaml', code: 'EGO_TAG_COUNT', line: 8, col: 3, resource: 'CloudMapNamespace/internal', field: 'spec.tags', message: '51 tags counting the 2 that ecs-gitops writes (ecs-gitops.io/controller, ecs-gitops.io/resource); AWS allows 50 per resource: remove 1' },
  { fixture: 'limit-tag-reserved.yaml', file: 'limit-tag-reserved.yaml', code: 'EGO_TAG_RESERVED', line: 10, col: 5, resource: 'CloudMapNamespace/internal', field: 'spec.tags["AWS:cost-center"]', message: 'tag key "AWS:cost-center" starts with "AWS:", which AWS reserves' },
  { fixture: 'limit-identity-too-long.yaml', file: 'limit-identity-too-long.yaml', code: 'EGO_IDENTITY_TOO_LONG', line: 4, col: 9, resource: `EcsService/web-${'a'.repeat(36)}…(200 characters)`, field: 'metadata.name', message: `the identity EcsService/prod-${'c'.repeat(24)}…(272 characters) does not fit the ecs-gitops.io/resource tag` },
  { fixture: 'ecs-memory-not-whole.yaml', file: 'ecs-memory-not-whole.yaml', code: 'EGO_MEMORY_VALUE', line: 10, col: 13, resource: 'EcsService/web', field: 'spec.taskDefinition.memory', message: 'memory "0.3 GB" is not a whole number of MiB' },
];

describe('the invalid manifest corpus', () => {
  it('has at least 40 fixtures, each with an expectation', () => {
    const fixtures = readdirSync(CORPUS).sort();
    assert.ok(fixtures.length >= 40, `only ${fixtures.length} fixtures`);
    assert.deepEqual(fixtures, EXPECTATIONS.map((e) => e.fixture).sort());
  });

  it('exercises every diagnostic code of the catalogue', () => {
    const covered = new Set(EXPECTATIONS.flatMap((e) => [e.code, ...(e.also ?? [])]));
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((c) => !covered.has(c as DiagnosticCode));
    assert.deepEqual(missing, []);
  });

  for (const e of EXPECTATIONS) {
    it(`${e.fixture}: reports ${e.code} at ${e.file}:${e.line}:${e.col}${e.field ? ` on ${e.field}` : ''}`, async () => {
      const tree = await readManifestTree(join(CORPUS, e.fixture), e.limits);
      const result = loadManifests(tree.files);
      const found = result.diagnostics.find((d) => d.code === e.code && d.file === e.file && d.line === e.line);
      assert.ok(found, `no ${e.code} at ${e.file}:${e.line}; got:\n${result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.col} ${d.message}`).join('\n')}`);
      assert.equal(found.col, e.col);
      assert.equal(found.resource, e.resource);
      assert.equal(found.field, e.field);
      assert.ok(found.message.includes(e.message), `message "${found.message}" lacks "${e.message}"`);
      const allowed = new Set<string>([e.code, ...(e.also ?? [])]);
      const unexpected = result.diagnostics.filter((d) => !allowed.has(d.code));
      assert.deepEqual(unexpected, [], 'one mistake must not cause unrelated diagnostics');
      const expectError = DIAGNOSTIC_CODES[e.code].startsWith('Warning') ? 'warning' : 'error';
      assert.equal(found.severity, expectError);
    });
  }

  it('names both locations of a duplicate identity across files', async () => {
    const tree = await readManifestTree(join(CORPUS, 'duplicate-across-files'));
    const dups = loadManifests(tree.files).diagnostics.filter((d) => d.code === 'EGO_DUPLICATE_RESOURCE');
    assert.deepEqual(
      dups.map((d) => [d.file, d.line, d.message.includes(d.file === 'a.yaml' ? 'b.yaml:5' : 'a.yaml:4')]),
      [
        ['a.yaml', 4, true],
        ['b.yaml', 5, true],
      ],
    );
  });

  it('holds back only the broken manifest and its dependents', async () => {
    const ns = loadManifests((await readManifestTree(join(CORPUS, 'dependency-invalid-namespace.yaml'))).files);
    assert.deepEqual(ns.resources.map((r) => r.key), []);
    const svc = loadManifests((await readManifestTree(join(CORPUS, 'dependency-invalid-service.yaml'))).files);
    assert.deepEqual(svc.resources.map((r) => r.key), ['CloudMapNamespace/internal']);
    const warning = loadManifests((await readManifestTree(join(CORPUS, 'service-custom-failure-threshold.yaml'))).files);
    assert.deepEqual(warning.resources.map((r) => r.key), ['CloudMapNamespace/internal', 'CloudMapService/internal/api']);
  });
});
