import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Environment for test git commands: no user or system git config is read or needed. */
export function gitTestEnv(home: string): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  };
}

/** Runs git with a fixed identity; resolves to trimmed stdout. */
export function git(args: readonly string[], cwd: string, home = cwd): Promise<string> {
  const all = [
    '-c',
    'user.name=ecs-gitops test',
    '-c',
    'user.email=test@ecs-gitops.invalid',
    '-c',
    'init.defaultBranch=main',
    '-c',
    'commit.gpgsign=false',
    ...args,
  ];
  return new Promise((resolve, reject) => {
    execFile('git', all, { cwd, env: gitTestEnv(home), maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** Files to write: path -> content; `null` deletes the file. */
export type RepoFiles = Readonly<Record<string, string | null>>;

/**
 * A temporary Git setup: a bare repository (what servers serve) and a work tree that
 * commits and pushes into it, as a developer would.
 */
export interface TempGitRepo {
  /** Temp directory holding everything (base path for git daemon / http-backend). */
  readonly root: string;
  /** Name of the bare repository inside `root` (`repo.git`). */
  readonly name: string;
  readonly bareDir: string;
  readonly workDir: string;
  readonly branch: string;
  /** `git+file://<bareDir>[//subPath][#ref]` */
  fileUrl(options?: { subPath?: string; ref?: string }): string;
  /** Writes/deletes files, commits and pushes to the branch; resolves to the new commit SHA. */
  commit(files: RepoFiles, message?: string): Promise<string>;
  /** Rewrites the last commit with these changes and force-pushes it; resolves to the new SHA. */
  forcePush(files: RepoFiles, message?: string): Promise<string>;
  /** Creates a lightweight (or annotated, with a message) tag at HEAD and pushes it. */
  tag(name: string, message?: string): Promise<void>;
  /** The branch's commit in the bare repository. */
  head(): Promise<string>;
  cleanup(): Promise<void>;
}

/** Creates a bare repository whose `branch` (default `main`) holds `files` in one commit. */
export async function createGitRepo(files: RepoFiles, options: { branch?: string; name?: string } = {}): Promise<TempGitRepo> {
  const branch = options.branch ?? 'main';
  const name = options.name ?? 'repo.git';
  const root = await mkdtemp(join(tmpdir(), 'ecs-gitops-repo-'));
  const bareDir = join(root, name);
  const workDir = join(root, 'work');
  await git(['init', '--quiet', '--bare', bareDir], root);
  await git(['init', '--quiet', '-b', branch, workDir], root);
  await git(['remote', 'add', 'origin', bareDir], workDir);

  const write = async (changes: RepoFiles): Promise<void> => {
    for (const [path, content] of Object.entries(changes)) {
      const full = join(workDir, path);
      if (content === null) {
        await rm(full, { force: true });
      } else {
        await mkdir(dirname(full), { recursive: true });
        await writeFile(full, content);
      }
    }
    await git(['add', '--all'], workDir);
  };

  const repo: TempGitRepo = {
    root,
    name,
    bareDir,
    workDir,
    branch,
    fileUrl: (o = {}) => `git+file://${bareDir}${o.subPath ? `//${o.subPath}` : ''}${o.ref ? `#${o.ref}` : ''}`,
    async commit(changes, message = 'update manifests') {
      await write(changes);
      await git(['commit', '--quiet', '--allow-empty', '-m', message], workDir);
      await git(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], workDir);
      return git(['rev-parse', 'HEAD'], workDir);
    },
    async forcePush(changes, message = 'rewrite manifests') {
      await write(changes);
      await git(['commit', '--quiet', '--amend', '--allow-empty', '-m', message], workDir);
      await git(['push', '--quiet', '--force', 'origin', `HEAD:refs/heads/${branch}`], workDir);
      return git(['rev-parse', 'HEAD'], workDir);
    },
    async tag(tagName, message) {
      await git(message ? ['tag', '-a', tagName, '-m', message] : ['tag', tagName], workDir);
      await git(['push', '--quiet', 'origin', `refs/tags/${tagName}`], workDir);
    },
    head: () => git(['rev-parse', `refs/heads/${branch}`], bareDir),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
  await repo.commit(files, 'initial manifests');
  return repo;
}
