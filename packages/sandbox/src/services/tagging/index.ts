import { SandboxError } from '../../errors.js';
import type { JsonService } from '../../protocol/types.js';
import type { JsonObject } from '../../types.js';
import type { SandboxWorld } from '../../world.js';
import { TaggingIndex, type TaggedResource } from './tagging-index.js';

export type { TaggedResource } from './tagging-index.js';

/** Where the tagging API's index reads tags from (the sandbox's ECS and Cloud Map). */
export interface TaggedResourceSource {
  /** Every existing resource with at least one tag. */
  taggedResources(): Iterable<TaggedResource>;
}

const MAX_PER_PAGE = 100;
const MAX_TAG_FILTERS = 50;
const MAX_FILTER_VALUES = 20;
const MAX_TYPE_FILTERS = 100;

const invalid = (message: string): SandboxError => new SandboxError('InvalidParameterException', message, 400);

/**
 * The Resource Groups Tagging API's GetResources (JSON 1.1, target prefix
 * `ResourceGroupsTaggingAPI_20170126`) over the tags of the sandbox's ECS and Cloud Map
 * resources. The answer comes from an index that can lag the services' own tags
 * (`setVisibilityLag`), as AWS's does (docs/aws-behaviour.md "Finding owned resources in pages").
 */
export class TaggingService implements JsonService {
  readonly name = 'tagging' as const;
  readonly targetPrefix = 'ResourceGroupsTaggingAPI_20170126';
  readonly operations: Readonly<Record<string, (input: JsonObject) => unknown>>;
  private readonly index: TaggingIndex;

  constructor(world: SandboxWorld, sources: readonly TaggedResourceSource[]) {
    this.index = new TaggingIndex(
      () => world.now(),
      () => sources.flatMap((s) => [...s.taggedResources()]),
    );
    this.operations = { GetResources: (input) => this.getResources(input) };
  }

  /**
   * How long a tag change (or a deleted resource) takes to show in GetResources answers,
   * counted from the first GetResources after the change; 0 (the default) = at once,
   * `Infinity` = hold the index as it is until the lag is lowered again.
   */
  setVisibilityLag(ms: number): void {
    this.index.lagMs = ms;
  }

  private getResources(input: JsonObject): JsonObject {
    const arnList = input['ResourceARNList'];
    const tagFilters = parseTagFilters(input['TagFilters']);
    const typeFilters = parseTypeFilters(input['ResourceTypeFilters']);
    const perPage = input['ResourcesPerPage'];
    const token = input['PaginationToken'];
    if (arnList !== undefined) {
      if (tagFilters.length > 0 || typeFilters.length > 0 || perPage !== undefined || (token !== undefined && token !== '')) {
        throw invalid('ResourceARNList cannot be combined with TagFilters, ResourceTypeFilters or pagination parameters.');
      }
    }
    if (perPage !== undefined && (typeof perPage !== 'number' || !Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE)) {
      throw invalid(`ResourcesPerPage must be between 1 and ${MAX_PER_PAGE}.`);
    }
    const wanted = Array.isArray(arnList) ? new Set(arnList.filter((a): a is string => typeof a === 'string')) : undefined;
    const matching = this.index
      .visible()
      .filter((r) => (wanted ? wanted.has(r.arn) : matchesType(r.arn, typeFilters) && matchesTags(r.tags, tagFilters)))
      .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    const start = parseToken(token, matching.length);
    const size = typeof perPage === 'number' ? perPage : MAX_PER_PAGE;
    const page = wanted ? matching : matching.slice(start, start + size);
    const next = wanted || start + size >= matching.length ? '' : Buffer.from(String(start + size)).toString('base64');
    return {
      PaginationToken: next,
      ResourceTagMappingList: page.map((r) => ({ ResourceARN: r.arn, Tags: [...r.tags].map(([Key, Value]) => ({ Key, Value })) })),
    };
  }
}

interface TagFilter {
  key: string;
  values: readonly string[];
}

function parseTagFilters(raw: unknown): TagFilter[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > MAX_TAG_FILTERS) throw invalid(`TagFilters must be a list of at most ${MAX_TAG_FILTERS} filters.`);
  return raw.map((f) => {
    const o = (f ?? {}) as JsonObject;
    const key = o['Key'];
    const values = o['Values'] ?? [];
    if (typeof key !== 'string' || key.length < 1 || key.length > 128) throw invalid('Each TagFilter needs a Key of 1-128 characters.');
    if (!Array.isArray(values) || values.length > MAX_FILTER_VALUES || values.some((v) => typeof v !== 'string')) {
      throw invalid(`A TagFilter can have at most ${MAX_FILTER_VALUES} values.`);
    }
    return { key, values: values as string[] };
  });
}

function parseTypeFilters(raw: unknown): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > MAX_TYPE_FILTERS || raw.some((t) => typeof t !== 'string')) {
    throw invalid(`ResourceTypeFilters must be a list of at most ${MAX_TYPE_FILTERS} strings.`);
  }
  return raw as string[];
}

function parseToken(token: unknown, total: number): number {
  if (token === undefined || token === '') return 0;
  const n = typeof token === 'string' ? Number(Buffer.from(token, 'base64').toString('utf8')) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > total) throw invalid('The PaginationToken is not valid.');
  return n;
}

/** `service[:resourceType]` against the ARN's service and resource type (`arn:aws:ecs:r:a:service/c/n` -> `ecs`, `service`). */
function matchesType(arn: string, filters: readonly string[]): boolean {
  if (filters.length === 0) return true;
  const parts = arn.split(':');
  const service = parts[2] ?? '';
  const resource = parts.slice(5).join(':');
  const type = resource.split(/[/:]/)[0] ?? '';
  return filters.some((f) => f === service || f === `${service}:${type}`);
}

/** Every filter must match: a key with any value when it lists none, else one of its values. */
function matchesTags(tags: ReadonlyMap<string, string>, filters: readonly TagFilter[]): boolean {
  return filters.every((f) => {
    const value = tags.get(f.key);
    return value !== undefined && (f.values.length === 0 || f.values.includes(value));
  });
}
