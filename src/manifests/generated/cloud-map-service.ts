/* Generated from crds/cloud-map-service.schema.json by `npm run generate:types`. Do not edit. */

/**
 * A Cloud Map service in a namespace. Identity: CloudMapService/<spec.namespace>/<metadata.name>.
 */
export interface CloudMapService {
  /**
   * API group and version of ecs-gitops manifests.
   */
  apiVersion: "ecs-gitops.io/v1alpha1";
  /**
   * The kind of resource this document describes.
   */
  kind: "CloudMapService";
  metadata: Metadata;
  spec: CloudMapServiceSpec;
}
/**
 * Standard object metadata.
 */
export interface Metadata {
  /**
   * Service name in AWS; the DNS name is <name>.<namespace>. Labels of letters, digits, _ and -, separated by dots, up to 127 characters. Immutable.
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
 * Desired state of the Cloud Map service.
 */
export interface CloudMapServiceSpec {
  /**
   * metadata.name of the CloudMapNamespace this service lives in (a manifest in the same source). Immutable.
   */
  namespace: string;
  /**
   * Free text shown in the Cloud Map console (up to 1024 characters).
   */
  description?: string;
  /**
   * HTTP: an API-only service, discoverable with DiscoverInstances but without DNS records. Services in an HTTP namespace are always API-only. Immutable.
   */
  type?: "HTTP";
  /**
   * DNS records Cloud Map maintains for each instance. DNS namespaces only.
   */
  dns?: {
    /**
     * MULTIVALUE: answers with up to 8 healthy records; WEIGHTED: answers with one random healthy record (required for CNAME). Immutable.
     */
    routingPolicy?: "MULTIVALUE" | "WEIGHTED";
    /**
     * Record types and their TTLs. Allowed sets: A; AAAA; A and AAAA; SRV; CNAME.
     *
     * @minItems 1
     * @maxItems 2
     */
    records: DnsRecord[];
  };
  /**
   * Health checking: custom (reported by ECS) or a Route 53 health check, not both.
   */
  healthCheck?: {
    /**
     * Custom health checking: ECS reports task health to Cloud Map. Cannot be added or removed after creation.
     */
    custom?: {
      /**
       * Deprecated by AWS, which always uses 1; another value is reported as a warning and never as drift.
       */
      failureThreshold?: number;
    };
    /**
     * A billed Route 53 health check against each instance. Public DNS and HTTP namespaces only.
     */
    route53?: {
      /**
       * Protocol Route 53 uses to check each instance. Immutable.
       */
      type: "HTTP" | "HTTPS" | "TCP";
      /**
       * Path Route 53 requests (HTTP and HTTPS only), e.g. /health.
       */
      resourcePath?: string;
      /**
       * Consecutive failed checks before an instance is unhealthy (1-10).
       */
      failureThreshold?: number;
    };
  };
  tags?: Tags;
  syncPolicy?: SyncPolicy;
}
/**
 * One record type Cloud Map creates for each instance.
 */
export interface DnsRecord {
  /**
   * Record type. The set of types is immutable.
   */
  type: "A" | "AAAA" | "SRV" | "CNAME";
  /**
   * Time to live in seconds that resolvers cache the record.
   */
  ttl: number;
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
