import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxError } from '../errors.js';
import type { JsonObject, SandboxServiceName } from '../types.js';

/** A service spoken over AWS JSON 1.1 (`POST /`, `X-Amz-Target: <prefix>.<Operation>`). */
export interface JsonService {
  readonly name: SandboxServiceName;
  readonly targetPrefix: string;
  /** Content type of answers (default AWS JSON 1.1; SQS speaks 1.0). */
  readonly contentType?: string;
  /** Written before the error code in `__type` (DynamoDB: `com.amazonaws.dynamodb.v20120810#`). */
  readonly errorTypePrefix?: string;
  /** Operations by name; an operation not listed answers UnknownOperationException. */
  readonly operations: Readonly<Record<string, (input: JsonObject) => unknown>>;
}

export interface RestRequest {
  readonly method: string;
  /** Decoded path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RestResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: string | Buffer;
}

/** A matched REST operation, ready to run. */
export interface RestCall {
  readonly operation: string;
  /** Identifying fields for the call log. */
  readonly logInput: JsonObject;
  run(): RestResponse | Promise<RestResponse>;
}

/** A service spoken over REST-XML (Route 53, S3). */
export interface RestService {
  readonly name: SandboxServiceName;
  /** Whether this service owns the request (by path prefix or host). */
  owns(req: RestRequest): boolean;
  /** The operation for the request; undefined = not implemented. */
  route(req: RestRequest): RestCall | undefined;
  renderError(err: SandboxError, requestId: string): RestResponse;
}

/** Optional admin routes a service adds under `/_sandbox/<service>/...`. */
export interface AdminRoutes {
  /** Handles `method` `/_sandbox/<service>/<path>`; returns undefined when not found. */
  admin(method: string, path: string, body: JsonObject): unknown;
}
