import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ListServicesCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import type { LiveTaskDefinition } from '../kit/types.js';
import { AwsError, call, callOrUndefined } from '../aws/errors.js';
import type { ObserveCaches } from './caches.js';
import { convertTaskDefinition } from '../kinds/ecs-service/task-definition/convert.js';
import { chunk, type CallLimit } from '../util/map-limit.js';
import { STEADY_STATE_EVENT } from '../kinds/ecs-service/convert.js';

const LIST_PAGE_SIZE = 100;
const DESCRIBE_BATCH = 10;

/** A described service as a scan keeps it: everything but `events`, of which at most the newest steady-state one. */
export type ScannedService = Service;

/** The services of one cluster (as `each` made them of the described ones), or why the cluster could not be read. */
export type ClusterScan<T> = { cluster: string; services: T[] } | { cluster: string; unreadable: string; code: string };

/**
 * Lists every service ARN of a cluster (ListServices, 100 per page, all pages) and describes
 * them 10 at a time with tags. Services reported in `failures` (MISSING: deleted meanwhile)
 * and INACTIVE ones are left out. A cluster that does not exist, or that we may not read, is
 * returned as unreadable; throttling and transient failures throw.
 *
 * `each` turns every described batch into what the caller keeps as soon as the batch arrives
 * (observe converts it into live resources), so a scan of 5,000 services never holds every
 * AWS answer until the last one is in (~20 MB at 5,000).
 */
export async function scanCluster<T>(
  ecs: ECSClient,
  cluster: string,
  limit: CallLimit,
  each: (services: ScannedService[]) => T[] | Promise<T[]>,
  /** Describing starts once this settles (what `each` needs), so no answer waits for it. */
  describeAfter?: Promise<unknown>,
): Promise<ClusterScan<T>> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const token = nextToken;
      const page = await limit(() =>
        call('ecs', 'ListServices', () => ecs.send(new ListServicesCommand({ cluster, maxResults: LIST_PAGE_SIZE, ...(token ? { nextToken: token } : {}) }))),
      );
      arns.push(...(page.serviceArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (err) {
    if (err instanceof AwsError && (err.category === 'not-found' || err.category === 'access-denied')) {
      return { cluster, unreadable: `${err.code}: ${err.message}`, code: err.code };
    }
    throw err;
  }
  await describeAfter;
  const batches = await Promise.all(
    chunk(arns, DESCRIBE_BATCH).map(async (services) => {
      const out = await limit(() => call('ecs', 'DescribeServices', () => ecs.send(new DescribeServicesCommand({ cluster, services, include: ['TAGS'] }))));
      return each((out.services ?? []).filter((s) => s.status !== 'INACTIVE').map(withoutEvents));
    }),
  );
  return { cluster, services: batches.flat() };
}

/**
 * The service without its event stream: DescribeServices returns up to 100 events per service
 * (most of a long-lived service's answer). Only the newest event is looked at, and kept only
 * when it is ECS's "has reached a steady state" (rollout health), as a small copy. Dropped as
 * each batch arrives, so a scan holds one batch's events at a time, not every service's until the end.
 */
export function withoutEvents(svc: Service): ScannedService {
  const { events, ...rest } = svc;
  const newest = events?.[0];
  if (newest?.message === undefined || !STEADY_STATE_EVENT.test(newest.message)) return rest;
  return { ...rest, events: [{ message: newest.message, ...(newest.createdAt ? { createdAt: new Date(newest.createdAt.getTime()) } : {}) }] };
}

/**
 * Describes (with tags) the task definitions not yet in the cache, each ARN once, and returns
 * every requested one that is known. A revision that no longer exists is simply absent.
 */
export async function describeTaskDefinitions(
  ecs: ECSClient,
  arns: Iterable<string>,
  caches: ObserveCaches,
  limit: CallLimit,
  /** Reads under way, by ARN, shared by calls that run at once (batches of one scan): each ARN is read once. */
  inFlight: Map<string, Promise<void>> = new Map(),
): Promise<Map<string, LiveTaskDefinition>> {
  const wanted = [...new Set(arns)].filter((a) => a !== '');
  const missing = wanted.filter((a) => caches.taskDefinition(a) === undefined);
  await Promise.all(
    missing.map((arn) => {
      let read = inFlight.get(arn);
      if (!read) {
        read = (async () => {
          const out = await limit(() =>
            callOrUndefined('ecs', 'DescribeTaskDefinition', () => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }))),
          );
          const td = out?.taskDefinition ? convertTaskDefinition(out.taskDefinition, out.tags) : undefined;
          if (td) caches.rememberTaskDefinition(td);
        })();
        inFlight.set(arn, read);
      }
      return read;
    }),
  );
  const result = new Map<string, LiveTaskDefinition>();
  for (const arn of wanted) {
    const td = caches.taskDefinition(arn);
    if (td) result.set(arn, td);
  }
  return result;
}
