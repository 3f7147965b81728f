/**
 * One short line per delivery event, for people (Slack text, commit status description), and
 * the identity of an event for de-duplication.
 */
import type { DeliveryEvent, EventResource } from '../controller/delivery-events.js';
import { stableStringify } from '../util/deep-equal.js';

const SHOWN_ITEMS = 3;
const MAX_VALUE = 40;

/** `abc1234` for a commit SHA, the first 12 characters of anything else. */
export function shortRevision(revision: string): string {
  return /^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(revision) ? revision.slice(0, 7) : revision.slice(0, 19);
}

/**
 * The Git commit of a revision: the revision itself, or the commit of a rendering with Overlay
 * values (`<sha>+values.<digest>`, reconcile/overlay-values.ts); undefined for anything else.
 */
export function commitOf(revision: string | undefined): string | undefined {
  const m = revision === undefined ? null : /^([0-9a-f]{40}|[0-9a-f]{64})(?:\+values\.[0-9a-f]+)?$/.exec(revision);
  return m ? m[1] : undefined;
}

function value(v: unknown): string {
  if (v === undefined) return '(absent)';
  const text = stableStringify(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 3)}...` : text;
}

function list<T>(items: readonly T[], show: (item: T) => string): string {
  const head = items.slice(0, SHOWN_ITEMS).map(show).join(', ');
  return items.length > SHOWN_ITEMS ? `${head} and ${items.length - SHOWN_ITEMS} more` : head;
}

function keys(resources: readonly EventResource[]): string {
  return list(resources, (r) => r.key);
}

/** The failing resources of a revision as `key (reason)`, for a one-line reason. */
export function failingList(event: Extract<DeliveryEvent, { type: 'revision-failed' }>): string {
  return list(event.failing, (f) => `${f.key} (${f.reason})`);
}

/** One line saying what happened, without the time. */
export function describeEvent(event: DeliveryEvent): string {
  switch (event.type) {
    case 'revision-started':
      return `Revision ${shortRevision(event.revision)} started`;
    case 'revision-applied':
      return event.changed.length === 0
        ? `Revision ${shortRevision(event.revision)} applied: nothing to change`
        : `Revision ${shortRevision(event.revision)} applied: ${event.changed.length} changed (${keys(event.changed)})`;
    case 'revision-succeeded':
      return `Revision ${shortRevision(event.revision)} deployed: every resource Synced and Healthy`;
    case 'revision-failed':
      return `Revision ${shortRevision(event.revision)} failed: ${event.reason}${event.failing.length > 0 ? `; failing: ${failingList(event)}` : ''}`;
    case 'rollout-failed':
      return `Rollout of ${event.resource.key} failed: ${event.reason}`;
    case 'drift-detected':
      return `Drift on ${event.resource.key} (${event.mode}): ${list(event.fields, (f) => `${f.path} is ${value(f.from)} (manifest: ${value(f.to)})`)}`;
    case 'drift-reverted':
      return `Drift reverted on ${event.resource.key}: ${list(event.fields, (f) => `${f.path} ${value(f.from)} -> ${value(f.to)}`)}`;
    case 'resource-stalled':
      return `${event.resource.key} stalled: ${event.reason}`;
    case 'prune-blocked':
      return `Prune blocked: ${event.reason}${event.resources.length > 0 ? ` (${keys(event.resources)})` : ''}`;
  }
}

/** What makes two events "the same": everything but the time they were seen. */
export function eventIdentity(event: DeliveryEvent): string {
  const { at: _at, ...rest } = event;
  return stableStringify(rest);
}
