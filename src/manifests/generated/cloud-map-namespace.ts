/* Generated from crds/cloud-map-namespace.schema.json by `npm run generate:types`. Do not edit. */

/**
 * A Cloud Map namespace (HTTP, private DNS or public DNS). Identity: CloudMapNamespace/<metadata.name>.
 */
export interface CloudMapNamespace {
  /**
   * API group and version of ecs-gitops manifests.
   */
  apiVersion: "ecs-gitops.io/v1alpha1";
  /**
   * The kind of resource this document describes.
   */
  kind: "CloudMapNamespace";
  metadata: Metadata;
  spec: CloudMapNamespaceSpec;
}
/**
 * Standard object metadata.
 */
export interface Metadata {
  /**
   * Namespace name in AWS, e.g. internal or example.com. DNS namespaces: a domain name (up to 253 characters); HTTP: printable ASCII without spaces. Immutable.
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
 * Desired state of the Cloud Map namespace.
 */
export interface CloudMapNamespaceSpec {
  /**
   * HTTP: API discovery only; DNS_PRIVATE: a Route 53 private hosted zone in a VPC; DNS_PUBLIC: a public hosted zone. Immutable.
   */
  type: "HTTP" | "DNS_PRIVATE" | "DNS_PUBLIC";
  /**
   * VPC id the private hosted zone is associated with. Required for DNS_PRIVATE, not allowed otherwise. Immutable.
   */
  vpc?: string;
  /**
   * Free text shown in the Cloud Map console (up to 1024 characters).
   */
  description?: string;
  /**
   * TTL in seconds of the zone's SOA record (negative caching). DNS namespaces only; absent = not managed.
   */
  soaTtl?: number;
  tags?: Tags;
  syncPolicy?: SyncPolicy;
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
