import { createHash } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeArtifact, refetched, type Artifact, type SourceFile } from '../artifact.js';
import { SourceError, toSourceError, type SourceFailureReason } from '../errors.js';
import { LimitCounter } from '../limits.js';
import { fileFromBytes, isManifestPath, unreadableFile } from '../manifest-files.js';
import { serialize } from '../serialize.js';
import { DEFAULT_FETCH_TIMEOUT_MS, SILENT_LOGGER, type Source, type SourceLimits, type SourceLogger } from '../source.js';
import { redactUserinfo, type GitSpec } from '../url.js';
import { openAuthSession, type GitAuth } from './auth.js';
import { readBlobs } from './read-blobs.js';
import { GitCommandError, runGit } from './run-git.js';

export interface GitSourceOptions {
  /** Directory for the local repository caches (one bare repository per URL and ref). */
  readonly cacheDir: string;
  readonly auth?: GitAuth;
  /** Time limit of one whole fetch, all git children included (default 60 s). */
  readonly timeoutMs?: number;
  readonly limits?: SourceLimits;
  /** The git executable (default `git`, looked up in `searchPath`). */
  readonly gitBinary?: string;
  /** PATH for git and ssh children (default `/usr/local/bin:/usr/bin:/bin`). */
  readonly searchPath?: string;
  /** Prune objects of old revisions after this many new revisions (default 20). */
  readonly gcEvery?: number;
  readonly now?: () => number;
  readonly logger?: SourceLogger;
}

const FETCHED_REF = 'refs/ecs-gitops/fetched';
// Settings every call gets, so no user or system git config is needed or read.
const GIT_CONFIG = ['-c', 'gc.auto=0', '-c', 'maintenance.auto=false', '-c', 'credential.helper=', '-c', 'protocol.version=2'];

/**
 * A Git repository read with the `git` command: the real protocols (smart HTTP, SSH,
 * git://, local), git's own auth prompts and SSH, and shallow fetches, with no native
 * module to build. Each fetch is `git fetch --depth 1` of the ref into a private ref
 * (forced, so a force-pushed branch simply moves), then `ls-tree` + `cat-file --batch`
 * of the commit's tree under the sub-path; revision = commit SHA.
 */
export class GitSource implements Source {
  readonly kind = 'git' as const;
  readonly url: string;
  private readonly repoDir: string;
  private readonly now: () => number;
  private readonly logger: SourceLogger;
  private last: Artifact | undefined;
  private newRevisions = 0;

  constructor(
    private readonly spec: GitSpec,
    private readonly options: GitSourceOptions,
  ) {
    this.url = spec.url;
    const id = createHash('sha256')
      .update(`${spec.remote}\0${spec.ref ?? 'HEAD'}`)
      .digest('hex')
      .slice(0, 16);
    this.repoDir = join(options.cacheDir, id);
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? SILENT_LOGGER;
  }

  readonly fetch = serialize((signal?: AbortSignal): Promise<Artifact> => this.fetchNow(signal));

  private async fetchNow(signal?: AbortSignal): Promise<Artifact> {
    const deadline = this.now() + (this.options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS);
    const baseEnv = this.baseEnv();
    let session: Awaited<ReturnType<typeof openAuthSession>> | undefined;
    try {
      await this.ensureRepo(baseEnv, deadline, signal);
      session = await openAuthSession(this.spec, this.options.auth ?? {}, this.options.cacheDir);
      const env = { ...baseEnv, ...session.env };
      const ref = this.spec.ref ?? 'HEAD';
      await this.git(
        ['fetch', '--quiet', '--no-tags', '--no-recurse-submodules', '--depth=1', '--', this.spec.remote, `+${ref}:${FETCHED_REF}`],
        env,
        deadline,
        signal,
      );
      const sha = (await this.git(['rev-parse', '--verify', '--quiet', `${FETCHED_REF}^{commit}`], baseEnv, deadline, signal)).stdout.toString('utf8').trim();
      if (this.last?.revision === sha) return (this.last = refetched(this.last, this.now()));

      const files = await this.readTree(sha, baseEnv, deadline, signal);
      const artifact = makeArtifact(this.url, sha, files, this.now());
      this.logger.debug({ source: this.url, revision: sha, files: files.length }, 'fetched git revision');
      this.last = artifact;
      await this.maybeGc(baseEnv, deadline, signal);
      return artifact;
    } catch (err) {
      throw this.classify(err, signal);
    } finally {
      await session?.cleanup();
    }
  }

  private async ensureRepo(env: Record<string, string>, deadline: number, signal?: AbortSignal): Promise<void> {
    const exists = await access(join(this.repoDir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (exists) return;
    await mkdir(this.options.cacheDir, { recursive: true, mode: 0o700 });
    await runGit([...GIT_CONFIG, 'init', '--bare', '--quiet', '--', this.repoDir], { ...this.runOptions(env, deadline, signal), cwd: this.options.cacheDir });
  }

  private async readTree(sha: string, env: Record<string, string>, deadline: number, signal?: AbortSignal): Promise<SourceFile[]> {
    const treeish = this.spec.subPath ? `${sha}:${this.spec.subPath}` : `${sha}^{tree}`;
    const type = await this.git(['cat-file', '-t', treeish], env, deadline, signal).catch((err: unknown) => {
      if (err instanceof GitCommandError && err.kind === 'exit') {
        throw new SourceError('not_found', `${this.url}: path "${this.spec.subPath}" does not exist at ${sha}`, this.url);
      }
      throw err;
    });
    if (type.stdout.toString('utf8').trim() !== 'tree') {
      throw new SourceError('not_found', `${this.url}: path "${this.spec.subPath}" is not a directory at ${sha}`, this.url);
    }
    const listing = await this.git(['ls-tree', '-r', '-z', '--long', treeish], env, deadline, signal, 64 * 1024 * 1024);
    const limits = new LimitCounter(this.url, this.options.limits);
    const wanted: { path: string; oid: string }[] = [];
    const refused: SourceFile[] = [];
    let totalBytes = 0;
    for (const entry of listing.stdout.toString('utf8').split('\0')) {
      if (!entry) continue;
      const tab = entry.indexOf('\t');
      const [mode, objType, oid, size] = entry.slice(0, tab).split(/ +/);
      const path = entry.slice(tab + 1);
      if (!isManifestPath(path)) continue;
      // Regular files only: a symbolic link (120000) or a submodule (commit) is not content,
      // but one named like a manifest is refused rather than skipped.
      if (objType !== 'blob' || (mode !== '100644' && mode !== '100755') || !oid) {
        limits.add(path, 0);
        const what = mode === '120000' ? 'a symbolic link' : objType === 'commit' ? 'a submodule' : `a ${objType ?? 'non-file'} entry (mode ${mode ?? '?'})`;
        refused.push(unreadableFile(path, `is ${what} in Git; Git sources read regular files only; not read`));
        continue;
      }
      const bytes = Number(size);
      const refusal = limits.add(path, bytes);
      if (refusal) {
        refused.push({ path, content: '', refused: refusal });
        continue;
      }
      totalBytes += bytes;
      wanted.push({ path, oid });
    }
    const blobs = await readBlobs(
      wanted.map((w) => w.oid),
      (args, input, maxStdout) => this.git(args, env, deadline, signal, maxStdout, input),
      totalBytes,
    );
    return [...wanted.map((w) => fileFromBytes(w.path, blobs.get(w.oid)!)), ...refused];
  }

  private async maybeGc(env: Record<string, string>, deadline: number, signal?: AbortSignal): Promise<void> {
    this.newRevisions++;
    if (this.newRevisions % (this.options.gcEvery ?? 20) !== 0) return;
    // Best effort: a failed gc only means a bigger cache.
    await this.git(['gc', '--quiet', '--prune=now'], env, deadline, signal).catch((err: unknown) => {
      this.logger.warn({ source: this.url, err: errorText(err) }, 'git gc of the source cache failed');
    });
  }

  private git(args: string[], env: Record<string, string>, deadline: number, signal?: AbortSignal, maxStdoutBytes?: number, input?: string) {
    return runGit([...GIT_CONFIG, ...args], { ...this.runOptions(env, deadline, signal), cwd: this.repoDir, maxStdoutBytes, input });
  }

  private runOptions(env: Record<string, string>, deadline: number, signal?: AbortSignal) {
    const timeoutMs = Math.max(1, deadline - this.now());
    return { gitBinary: this.options.gitBinary ?? 'git', env, timeoutMs, signal };
  }

  private baseEnv(): Record<string, string> {
    return {
      PATH: this.options.searchPath ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: this.options.cacheDir,
      LC_ALL: 'C',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ALLOW_PROTOCOL: this.spec.transport,
      GIT_SSH_VARIANT: 'ssh',
    };
  }

  private classify(err: unknown, signal?: AbortSignal): SourceError {
    if (err instanceof SourceError) return err;
    if (!(err instanceof GitCommandError)) return toSourceError(err, this.url, signal);
    const stderr = redactUserinfo(err.stderr).trim();
    const reason: SourceFailureReason =
      err.kind === 'timeout' ? 'timeout' : err.kind === 'aborted' ? 'aborted' : err.kind === 'output' ? 'too_large' : classifyStderr(stderr);
    const detail = err.kind === 'exit' ? lastLines(stderr) : redactUserinfo(err.message);
    return new SourceError(reason, `git fetch of ${this.url} failed (${reason}): ${detail}`, this.url, { cause: err });
  }
}

const PATTERNS: [RegExp, SourceFailureReason][] = [
  [
    /authentication failed|could not read (username|password)|permission denied|invalid username or password|http 401|http 403|returned error: 40[13]|host key verification failed/i,
    'auth',
  ],
  [
    /couldn't find remote ref|not our ref|does not appear to be a git repository|repository not found|not found|no such (file|repository)|unadvertised object|returned error: 404/i,
    'not_found',
  ],
  [
    /connection refused|could not resolve|unable to connect|connection timed out|network is unreachable|failed to connect|connection reset|unable to access|the remote end hung up|early eof/i,
    'unreachable',
  ],
];

function classifyStderr(stderr: string): SourceFailureReason {
  for (const [re, reason] of PATTERNS) if (re.test(stderr)) return reason;
  return 'failed';
}

function lastLines(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.slice(-3).join(' | ') || 'no output';
}

function errorText(err: unknown): string {
  return redactUserinfo(err instanceof Error ? err.message : String(err));
}
