/**
 * An AWS-style error raised by a sandbox operation. The protocol layer renders it in the
 * service's wire format (JSON `__type` or XML `<Code>`).
 */
export class SandboxError extends Error {
  constructor(
    /** AWS error code, e.g. `ServiceNotFound`, `ClientException`. */
    readonly code: string,
    message: string,
    /** HTTP status; 400 for client faults by default. */
    readonly status = 400,
    /** Extra members serialized next to the message (e.g. `NamespaceId`, `CreatorRequestId`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

export const notImplemented = (service: string, operation: string): SandboxError =>
  new SandboxError(
    'UnknownOperationException',
    `The ecs-gitops sandbox does not implement ${service} ${operation}. It is a development tool that covers only the calls ecs-gitops makes.`,
    400,
  );

/** Helpers for validating JSON inputs with AWS-style messages. */
export function requireString(input: Record<string, unknown>, field: string, code = 'InvalidInput'): string {
  const v = input[field];
  if (typeof v !== 'string' || v.length === 0) {
    throw new SandboxError(code, `1 validation error detected: Value at '${lowerFirst(field)}' failed to satisfy constraint: Member must not be null`);
  }
  return v;
}

export function optionalString(input: Record<string, unknown>, field: string, code = 'InvalidInput'): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new SandboxError(code, `Value at '${lowerFirst(field)}' must be a string`);
  return v;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
