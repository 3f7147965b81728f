import { spawn } from 'node:child_process';

/** One git invocation's result. */
export interface GitResult {
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface RunGitOptions {
  readonly gitBinary: string;
  /** The complete child environment (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Written to stdin, then stdin is closed. */
  readonly input?: string;
  /** Most stdout bytes kept before the child is killed (default 1 MiB). */
  readonly maxStdoutBytes?: number;
}

/** Why a git child did not succeed. */
export class GitCommandError extends Error {
  override readonly name = 'GitCommandError';
  constructor(
    message: string,
    readonly kind: 'exit' | 'timeout' | 'aborted' | 'output' | 'spawn',
    readonly stderr: string,
  ) {
    super(message);
  }
}

const MAX_STDERR = 16 * 1024;

/**
 * Runs git with arguments that never carry secrets. The child runs in its own process
 * group so a timeout or abort kills its helpers too (`ssh`, `git-remote-https`), not
 * only the git parent.
 */
export function runGit(args: readonly string[], o: RunGitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) {
      reject(new GitCommandError('aborted before start', 'aborted', ''));
      return;
    }
    const child = spawn(o.gitBinary, args, { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const maxStdout = o.maxStdoutBytes ?? 1024 * 1024;
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let failure: GitCommandError | undefined;

    const kill = (err: GitCommandError): void => {
      failure ??= err;
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
    };
    const timer = setTimeout(() => kill(new GitCommandError(`git ${args[0] ?? ''} timed out after ${o.timeoutMs} ms`, 'timeout', stderr)), o.timeoutMs);
    const onAbort = (): void => kill(new GitCommandError(`git ${args[0] ?? ''} was cancelled`, 'aborted', stderr));
    o.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > maxStdout) kill(new GitCommandError(`git ${args[0] ?? ''} produced more than ${maxStdout} bytes`, 'output', stderr));
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += b.toString('utf8');
    });
    child.stdin.on('error', () => {
      // The child may exit before reading stdin; its exit status tells what happened.
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      reject(new GitCommandError(`cannot run ${o.gitBinary}: ${err.message}`, 'spawn', ''));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (failure) reject(failure);
      else if (code !== 0) reject(new GitCommandError(`git ${args[0] ?? ''} exited with ${code ?? sig}: ${stderr.trim()}`, 'exit', stderr));
      else resolve({ stdout: Buffer.concat(out), stderr });
    });
    child.stdin.end(o.input ?? '');
  });
}
