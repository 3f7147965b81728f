/* Generated from crds/overlay.schema.json by `npm run generate:types`. Do not edit. */

/**
 * One environment built from bases: other directories of the same source, patched, with image tags, common tags and ${name} values set. Not a resource: the loader renders it into the manifests of its directory. See docs/environments.md.
 */
export interface Overlay {
  /**
   * API group and version of ecs-gitops manifests.
   */
  apiVersion: "ecs-gitops.io/v1alpha1";
  /**
   * The kind of document: an overlay, rendered by the loader, never applied itself.
   */
  kind: "Overlay";
  metadata: OverlayMetadata;
  spec: OverlaySpec;
}
/**
 * Standard object metadata.
 */
export interface OverlayMetadata {
  /**
   * Name of the environment, e.g. prod (shown in messages only).
   */
  name: string;
  /**
   * Key/value pairs for people and tools; not sent to AWS.
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
 * What the overlay takes and what it changes, applied in this order: bases and the overlay directory's own manifests, patches, images, commonTags, then ${name} values.
 */
export interface OverlaySpec {
  /**
   * The controller id (owner tag value) the resources of this environment belong to, e.g. prod. plan and apply use it when --controller-id / ECS_GITOPS_CONTROLLER_ID is not given (given and different: an error); run refuses a revision whose Overlay names another id than its own. Only the Overlay the source points at counts; a base Overlay's is ignored. See docs/environments.md.
   */
  controllerId?: string;
  /**
   * Directories (relative to this file's directory, inside the source) whose manifests this overlay starts from. A base may itself hold an overlay.
   *
   * Items: A directory, e.g. ../base.
   */
  bases?: string[];
  /**
   * Changes to the resources selected by kind and name, in order.
   */
  patches?: Patch[];
  /**
   * Image changes by image name (as Kustomize images:): every container whose image name is name gets the new name, tag or digest.
   */
  images?: Image[];
  /**
   * AWS tags added to every resource of the overlay (the overlay's value wins over a resource's own).
   */
  commonTags?: {
    /**
     * Tag value.
     */
    [k: string]: string;
  };
  /**
   * Values for ${name} placeholders in the string fields of the rendered manifests, by name. Each names exactly one source. A placeholder with no value is an error; $${ writes a literal ${.
   */
  values?: {
    [k: string]: Value;
  };
}
/**
 * One patch: exactly one of merge (a JSON merge patch, RFC 7386) or json (a JSON patch, RFC 6902), applied to each selected resource.
 */
export interface Patch {
  target: PatchTarget;
  /**
   * JSON merge patch (RFC 7386) of the whole manifest: maps merge, null removes a field, anything else replaces.
   */
  merge?: {};
  /**
   * JSON patch (RFC 6902) operations on the whole manifest, in order.
   */
  json?: JsonPatchOperation[];
}
/**
 * The resources a patch applies to: every resource of this kind and name.
 */
export interface PatchTarget {
  /**
   * Kind of the resources to patch.
   */
  kind: "CloudMapNamespace" | "CloudMapService" | "EcsService";
  /**
   * metadata.name of the resources to patch.
   */
  name: string;
}
/**
 * One RFC 6902 operation.
 */
export interface JsonPatchOperation {
  /**
   * The operation.
   */
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  /**
   * JSON pointer (RFC 6901) of the target location, e.g. /spec/desiredCount.
   */
  path: string;
  /**
   * JSON pointer of the source location (move and copy).
   */
  from?: string;
  /**
   * The value (add, replace, test).
   */
  value?: {
    [k: string]: unknown;
  };
}
/**
 * A change to every container image with this name.
 */
export interface Image {
  /**
   * Image name without tag or digest, e.g. public.ecr.aws/example/hello.
   */
  name: string;
  /**
   * Replaces the image name (registry and repository).
   */
  newName?: string;
  /**
   * Replaces the tag (and drops a digest).
   */
  newTag?: string;
  /**
   * Pins a digest (sha256:...) instead of a tag.
   */
  digest?: string;
}
/**
 * Where one value comes from: exactly one of value, file, env, ssm, cloudFormationExport, tfstate.
 */
export interface Value {
  /**
   * A literal: a string, or a list of strings (used as a whole list item, "${name}").
   */
  value?: string | string[];
  /**
   * A file of the source, relative to the overlay's directory; its content without the final line break.
   */
  file?: string;
  /**
   * An environment variable of the controller (or the CLI); it must be listed in --values-env / ECS_GITOPS_VALUES_ENV.
   */
  env?: string;
  /**
   * An SSM Parameter Store parameter (name or ARN) of type String or StringList (a list). SecureString is refused: reference secrets in a container's secrets instead.
   */
  ssm?: string;
  /**
   * The value of a CloudFormation export of this account and Region (ListExports).
   */
  cloudFormationExport?: string;
  tfstate?: TfstateValue;
}
/**
 * An output of a Terraform state file kept in S3 (the state's outputs.<output>.value).
 */
export interface TfstateValue {
  /**
   * s3://bucket/key of the state file.
   */
  url: string;
  /**
   * Name of the output. A string gives a string; a list of strings gives a list (for a whole list item "${name}").
   */
  output: string;
}
