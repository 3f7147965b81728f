import type { AwsClients } from '../aws/clients.js';
import type { StatusStore } from '../controller/status.js';
import type { ControllerMetrics } from '../observability/metrics.js';
import type { LiveSet } from '../kit/types.js';
import type { RemediationOptions } from './remediation.js';
import type { DiscoveryReport } from './types.js';

/** The logging the checker does (a pino Logger fits). */
export interface DiscoveryLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

/** Everything a checker needs; only `clients` is required. */
export interface DiscoveryCheckerOptions {
  /** Clients from createAwsClients, with the controller's rate limiter: discovery shares its budget. */
  readonly clients: AwsClients;
  /** Only services owned by this controller id (see discoveryTargets); absent = all linked services. */
  readonly controllerId?: string;
  /** When given, every report is published: discovery_findings, discovery_instances, discovery_aws_calls_total. */
  readonly metrics?: ControllerMetrics;
  /** When given, every report sets the `Healthy` condition of the resources checked and the snapshot's `discovery`. */
  readonly status?: StatusStore;
  /** Audit lines of remediations (warn) and read problems (debug). */
  readonly logger?: DiscoveryLogger;
  readonly clock?: { now(): number };
  /** Deregistration of stale instances; off by default. */
  readonly remediate?: RemediationOptions;
  /** A RUNNING task may go this long without an instance before MissingInstance (default 60 s). */
  readonly missingGraceMs?: number;
  /** UnhealthyInstances above this share of UNHEALTHY instances (default 25 %). */
  readonly maxUnhealthyPercent?: number;
  /**
   * Cached reads are reused while nothing signals a change (Cloud Map revision, ECS counts,
   * zone record count), but never longer than this (default 5 min): a record TTL edited by
   * hand changes neither.
   */
  readonly fullReadIntervalMs?: number;
  /** AWS calls in flight at once (default 4; the rate limiter paces them further). */
  readonly concurrency?: number;
  /**
   * The checker runs one check only (`plan`): it skips the reads that only make later checks
   * cheaper (the namespaces' instance counts).
   */
  readonly singleCheck?: boolean;
}

/**
 * Runs discovery health checks; keeps its caches between checks (not its reports: the caller
 * has each one, and publishing hands it to the status store and metrics).
 */
export interface DiscoveryChecker {
  /**
   * Checks every managed Cloud Map service linked to an ECS service in `live`, publishes the
   * report (when metrics/status were given) and returns it. Rejects only when `signal` aborts;
   * AWS failures land in `report.unreadable`.
   */
  check(live: LiveSet, signal?: AbortSignal): Promise<DiscoveryReport>;
}
