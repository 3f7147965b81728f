import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where JSON lines go (default stdout); tests pass a capturing stream. */
  readonly destination?: DestinationStream;
  /** Fields on every line, e.g. `{ controllerId }`. */
  readonly base?: Record<string, unknown>;
}

const SECRET_KEYS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-hub-signature-256',
  'x-signature',
  'x-amz-security-token',
  'token',
  'accessToken',
  'sessionToken',
  'secretAccessKey',
  'secret',
  'webhookSecret',
  'password',
  'privateKey',
  'credentials',
];

/**
 * Paths pino replaces with `[Redacted]`: the keys above at the top level, one level down
 * (`*.token`) and in request/response headers.
 */
export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((k) => {
  const seg = /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `["${k}"]`;
  const top = seg.startsWith('.') ? k : seg;
  return [top, `*${seg}`, `*.headers${seg}`, `*.*.headers${seg}`];
});

// Up to the last '@' before the path: a password may hold a literal '@' (the URL parser
// splits at the last one), and stopping at the first would log the rest of it.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;
const BEARER = /\b(Bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

/** Removes URL userinfo (`https://user:pass@host` -> `https://***@host`) and bearer tokens. */
export function scrubSecrets(text: string): string {
  return text.replace(USERINFO, '$1***@').replace(BEARER, '$1 ***');
}

function scrubDeep(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth <= 0 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrubSecrets(value.message), ...(value.stack ? { stack: scrubSecrets(value.stack) } : {}) };
  }
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth - 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, depth - 1);
  return out;
}

/**
 * A pino JSON logger with credentials redacted: secret-looking keys become `[Redacted]`,
 * URL userinfo and bearer tokens are removed from every string field and from the message.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: options.base ?? {},
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACT_PATHS], censor: '[Redacted]' },
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => scrubDeep(obj, 6) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
