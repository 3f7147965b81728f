/**
 * The observation checkpoint: the live set of the last full scan, written by the controller so
 * that its next start (a deploy, a replaced task) reports from it at once instead of waiting
 * minutes for a cold scan at thousands of services. Gzipped JSON lines: a header, each task
 * definition once (services share them), then one live resource per line. Encoding streams
 * one resource at a time, so writing costs little memory beyond the compressed bytes.
 *
 * A checkpoint is a report of the past, never a reason to write: the controller reports drift
 * from it, but writes only what it has read again (docs/operations.md "Restarting from a
 * checkpoint"). Decoding is defensive: anything unexpected rejects the whole checkpoint.
 */
import { createGunzip } from 'node:zlib';
import { gzipPieces } from '../http/gzip-pieces.js';
import type { LiveEcsService, LiveResource, LiveTaskDefinition } from '../kit/types.js';

export const CHECKPOINT_FORMAT = 'ecs-gitops-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** Who wrote a checkpoint and what it saw. */
export interface CheckpointHeader {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: typeof CHECKPOINT_VERSION;
  readonly controllerId: string;
  /** AWS region of the clients that read it ('' when unknown). */
  readonly region: string;
  /** When the observe began (ms epoch): changes after it are not in the checkpoint. */
  readonly observedAt: number;
  /** When it was written (ms epoch). */
  readonly writtenAt: number;
  readonly resources: number;
}

export interface Checkpoint {
  readonly header: CheckpointHeader;
  readonly resources: ReadonlyMap<string, LiveResource>;
}

const LIVE_KINDS: ReadonlySet<string> = new Set(['CloudMapNamespace', 'CloudMapService', 'EcsService']);

/** The JSON lines of a checkpoint, one at a time (each after the first starts with its line break). */
function* checkpointLines(header: Omit<CheckpointHeader, 'format' | 'version' | 'resources'>, list: readonly LiveResource[]): Generator<string> {
  yield JSON.stringify({ format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, ...header, resources: list.length });
  const written = new Set<string>();
  for (const r of list) {
    if (r.kind === 'EcsService' && r.taskDefinition && !written.has(r.taskDefinition.arn)) {
      written.add(r.taskDefinition.arn);
      yield `\n${JSON.stringify({ td: r.taskDefinition })}`;
    }
  }
  for (const r of list) {
    if (r.kind === 'EcsService' && r.taskDefinition) {
      const { taskDefinition, ...rest } = r;
      yield `\n${JSON.stringify({ r: rest, tdArn: taskDefinition.arn })}`;
    } else yield `\n${JSON.stringify({ r })}`;
  }
}

/**
 * Encodes live resources, task definitions once each (shared again on decoding). Streams line
 * by line through gzip, so the only large buffer is the compressed result.
 */
export async function encodeCheckpoint(header: Omit<CheckpointHeader, 'format' | 'version' | 'resources'>, resources: Iterable<LiveResource>): Promise<Buffer> {
  return gzipPieces(checkpointLines(header, [...resources]));
}

export class CheckpointError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function header(v: unknown): CheckpointHeader {
  if (!isRecord(v) || v['format'] !== CHECKPOINT_FORMAT) throw new CheckpointError('not an ecs-gitops checkpoint');
  if (v['version'] !== CHECKPOINT_VERSION) throw new CheckpointError(`checkpoint version ${String(v['version'])}, this controller reads ${CHECKPOINT_VERSION}`);
  const { controllerId, region, observedAt, writtenAt, resources } = v;
  if (typeof controllerId !== 'string' || typeof region !== 'string') throw new CheckpointError('checkpoint header without controllerId or region');
  if (typeof observedAt !== 'number' || typeof writtenAt !== 'number' || typeof resources !== 'number')
    throw new CheckpointError('checkpoint header without times');
  return { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, controllerId, region, observedAt, writtenAt, resources };
}

function liveResource(v: unknown, line: number): LiveResource {
  if (!isRecord(v) || typeof v['kind'] !== 'string' || !LIVE_KINDS.has(v['kind'])) throw new CheckpointError(`line ${line}: not a live resource`);
  if (typeof v['key'] !== 'string' || typeof v['name'] !== 'string' || typeof v['arn'] !== 'string' || !isRecord(v['spec']) || !isRecord(v['tags'])) {
    throw new CheckpointError(`line ${line}: a live resource without key, name, arn, spec or tags`);
  }
  // Shape checked above; the rest is what encodeCheckpoint wrote from a LiveResource.
  return v as unknown as LiveResource;
}

/** The lines of gzipped text, one at a time, without holding the whole text. */
async function* gunzipLines(bytes: Uint8Array): AsyncGenerator<string> {
  const gunzip = createGunzip();
  gunzip.end(bytes);
  let rest = '';
  try {
    for await (const chunk of gunzip) {
      const text = rest + (chunk as Buffer).toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      yield* lines;
    }
  } catch (err) {
    throw new CheckpointError(`not gzip: ${(err as Error).message}`);
  }
  if (rest !== '') yield rest;
}

function parseLine(text: string, line: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new CheckpointError(`line ${line}: not JSON`);
  }
  if (!isRecord(v)) throw new CheckpointError(`line ${line}: not an object`);
  return v;
}

/** Decodes a checkpoint; rejects with CheckpointError when it is not one this controller wrote whole. */
export async function decodeCheckpoint(bytes: Uint8Array): Promise<Checkpoint> {
  let head: CheckpointHeader | undefined;
  const taskDefinitions = new Map<string, LiveTaskDefinition>();
  const resources = new Map<string, LiveResource>();
  let line = 0;
  for await (const text of gunzipLines(bytes)) {
    line++;
    const entry = parseLine(text, line);
    if (!head) {
      head = header(entry);
      continue;
    }
    if (isRecord(entry['td'])) {
      const td = entry['td'];
      if (typeof td['arn'] !== 'string' || !isRecord(td['spec'])) throw new CheckpointError(`line ${line}: a task definition without arn or spec`);
      taskDefinitions.set(td['arn'], td as unknown as LiveTaskDefinition);
      continue;
    }
    const r = liveResource(entry['r'], line);
    if (typeof entry['tdArn'] === 'string') {
      const td = taskDefinitions.get(entry['tdArn']);
      if (!td || r.kind !== 'EcsService') throw new CheckpointError(`line ${line}: task definition ${entry['tdArn']} is not in the checkpoint`);
      (r as LiveEcsService).taskDefinition = td;
    }
    resources.set(r.key, r);
  }
  if (!head) throw new CheckpointError('empty checkpoint');
  if (resources.size !== head.resources)
    throw new CheckpointError(`checkpoint holds ${resources.size} resources, its header says ${head.resources}: truncated`);
  return { header: head, resources };
}
