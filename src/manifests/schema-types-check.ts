/**
 * Compile-time proof that the hand-written model in types.ts is exactly what the JSON Schemas
 * in crds/ describe (through the types generated from them in generated/). If a schema and
 * types.ts disagree on any field, optionality or literal, this file stops compiling.
 * It has no runtime content.
 */
import type * as Gen from './generated/ecs-service.js';
import type * as GenNs from './generated/cloud-map-namespace.js';
import type * as GenSvc from './generated/cloud-map-service.js';
import type {
  CloudMapNamespaceManifest,
  CloudMapServiceManifest,
  ContainerDefinition,
  DnsRecord,
  EcsServiceManifest,
  InlineTaskDefinition,
  Metadata,
  PortMapping,
  SyncPolicy,
  Tags,
} from './types.js';

/** True when A and B are identical types (not merely mutually assignable). */
type Exact<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Deep structural identity that ignores only how a type is spelled (interface, alias,
 * generic instance): object keys, optional markers and leaf types must match.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? DeepKeys<A, B> : false) : false;
type DeepKeys<A, B> = A extends readonly (infer EA)[]
  ? B extends readonly (infer EB)[]
    ? Same<EA, EB>
    : false
  : A extends object
    ? B extends object
      ? string extends keyof A
        ? string extends keyof B
          ? Same<A[string & keyof A], B[string & keyof B]>
          : false
        : Exact<keyof A, keyof B> extends true
          ? Exact<OptionalKeys<A>, OptionalKeys<B>> extends true
            ? { [K in keyof A & keyof B]-?: Same<NonNullable<A[K]>, NonNullable<B[K]>> }[keyof A & keyof B] extends true
              ? true
              : false
            : false
          : false
      : false
    : true;
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

type Assert<T extends true> = T;

export type SchemaTypeChecks = [
  Assert<Same<CloudMapNamespaceManifest, GenNs.CloudMapNamespace>>,
  Assert<Same<CloudMapServiceManifest, GenSvc.CloudMapService>>,
  Assert<Same<EcsServiceManifest, Gen.EcsService>>,
  Assert<Same<Metadata, Gen.Metadata>>,
  Assert<Same<SyncPolicy, Gen.SyncPolicy>>,
  Assert<Same<Tags, Gen.Tags>>,
  Assert<Same<DnsRecord, GenSvc.DnsRecord>>,
  Assert<Same<InlineTaskDefinition, Gen.InlineTaskDefinition>>,
  Assert<Same<ContainerDefinition, Gen.ContainerDefinition>>,
  Assert<Same<PortMapping, Gen.PortMapping>>,
];
