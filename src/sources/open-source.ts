import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import type { AwsClientHooks } from '../aws/clients.js';
import type { GitAuth } from './git/auth.js';
import type { Source, SourceLimits, SourceLogger } from './source.js';
import { parseSourceUrl } from './url.js';

/** Everything a source may need; each kind uses its part. */
export interface OpenSourceOptions {
  /** Base for relative directory paths (default: the process working directory). */
  readonly cwd?: string;
  readonly limits?: SourceLimits;
  readonly logger?: SourceLogger;
  readonly now?: () => number;
  readonly git?: {
    /** Cache of fetched repositories (default `<tmpdir>/ecs-gitops/git`). */
    readonly cacheDir?: string;
    readonly auth?: GitAuth;
    readonly timeoutMs?: number;
    readonly gitBinary?: string;
    /** PATH for git/ssh children. */
    readonly searchPath?: string;
  };
  readonly s3?: {
    /** SDK settings; an `endpoint` switches to path-style addressing (local emulators, MinIO). */
    readonly clientConfig?: S3ClientConfig;
    /** Rate limiter and call observer the S3 client passes (the controller's, as for its other clients). */
    readonly hooks?: AwsClientHooks;
    /** Time limit of one whole fetch (default 60 s). */
    readonly timeoutMs?: number;
  };
}

/**
 * Opens the source a URL names (see `parseSourceUrl` and docs/sources.md). Throws a
 * SourceError with reason `invalid_url` for a URL it cannot use. Git and S3 code is
 * loaded only when such a URL is used.
 */
export async function openSource(url: string, options: OpenSourceOptions = {}): Promise<Source> {
  const spec = parseSourceUrl(url, options.cwd);
  const common = { limits: options.limits, logger: options.logger, now: options.now };
  switch (spec.kind) {
    case 'directory': {
      const { DirectorySource } = await import('./directory-source.js');
      return new DirectorySource(spec.path, spec.url, common);
    }
    case 'git': {
      const { GitSource } = await import('./git/git-source.js');
      const g = options.git ?? {};
      return new GitSource(spec, { ...common, ...g, cacheDir: g.cacheDir ?? join(tmpdir(), 'ecs-gitops', 'git') });
    }
    case 's3': {
      const { S3Source } = await import('./s3-source.js');
      return new S3Source(spec, { ...common, clientConfig: options.s3?.clientConfig, hooks: options.s3?.hooks, timeoutMs: options.s3?.timeoutMs });
    }
  }
}
