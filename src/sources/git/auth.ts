import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitSpec } from '../url.js';

/**
 * Git credentials. They reach git only through its environment and private files: never
 * through argv (visible in `ps`), never in a URL git stores, never in logs or errors.
 */
export interface GitAuth {
  /** HTTPS token (or password), answered to git's password prompt via GIT_ASKPASS. */
  readonly token?: string;
  /** A file holding the token (first line), re-read on every fetch so rotation just works. */
  readonly tokenFile?: string;
  /** HTTPS user name sent with the token (default `x-access-token`, accepted by GitHub and Gitea). */
  readonly username?: string;
  /** SSH private key (PEM/OpenSSH text); written to a 0600 file for the duration of a fetch. */
  readonly sshKey?: string;
  /** Path of an SSH private key file. */
  readonly sshKeyFile?: string;
  /** known_hosts lines for the SSH server; without these (or a file) the first key seen is trusted and kept. */
  readonly knownHosts?: string;
  readonly knownHostsFile?: string;
}

/**
 * Reads Git credentials from an environment map (the CLI passes `process.env`):
 * `ECS_GITOPS_GIT_TOKEN`, `ECS_GITOPS_GIT_TOKEN_FILE`, `ECS_GITOPS_GIT_USERNAME`,
 * `ECS_GITOPS_GIT_SSH_KEY`, `ECS_GITOPS_GIT_SSH_KEY_FILE`, `ECS_GITOPS_GIT_KNOWN_HOSTS`,
 * `ECS_GITOPS_GIT_KNOWN_HOSTS_FILE`.
 */
export function gitAuthFromEnv(env: Readonly<Record<string, string | undefined>>): GitAuth {
  const pick = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const auth: Record<string, string> = {};
  const set = (key: keyof GitAuth, name: string): void => {
    const v = pick(name);
    if (v !== undefined) auth[key] = v;
  };
  set('token', 'ECS_GITOPS_GIT_TOKEN');
  set('tokenFile', 'ECS_GITOPS_GIT_TOKEN_FILE');
  set('username', 'ECS_GITOPS_GIT_USERNAME');
  set('sshKey', 'ECS_GITOPS_GIT_SSH_KEY');
  set('sshKeyFile', 'ECS_GITOPS_GIT_SSH_KEY_FILE');
  set('knownHosts', 'ECS_GITOPS_GIT_KNOWN_HOSTS');
  set('knownHostsFile', 'ECS_GITOPS_GIT_KNOWN_HOSTS_FILE');
  return auth;
}

/** Environment additions for one fetch, and the cleanup that removes its private files. */
export interface AuthSession {
  readonly env: Record<string, string>;
  cleanup(): Promise<void>;
}

// Answers git's prompts from its environment; it holds no secret itself.
const ASKPASS_SCRIPT = `#!/bin/sh
case "$1" in
  [Uu]sername*) printf '%s\\n' "$ECS_GITOPS_ASKPASS_USER" ;;
  *) if [ -n "$ECS_GITOPS_ASKPASS_FILE" ]; then IFS= read -r t < "$ECS_GITOPS_ASKPASS_FILE"; printf '%s\\n' "$t"; else printf '%s\\n' "$ECS_GITOPS_ASKPASS_PASS"; fi ;;
esac
`;

/**
 * Prepares the environment for one fetch: GIT_ASKPASS for HTTPS credentials, and
 * GIT_SSH_COMMAND (pointing at 0600 files in a private 0700 directory) for SSH.
 * `stateDir` keeps the trust-on-first-use known_hosts file between fetches.
 */
export async function openAuthSession(spec: GitSpec, auth: GitAuth, stateDir: string): Promise<AuthSession> {
  const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-git-'));
  await chmod(dir, 0o700);
  const cleanup = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const env: Record<string, string> = {};
    const askpass = join(dir, 'askpass.sh');
    await writeFile(askpass, ASKPASS_SCRIPT, { mode: 0o700 });
    env['GIT_ASKPASS'] = askpass;
    // An empty answer fails the login at once instead of hanging on a prompt.
    env['ECS_GITOPS_ASKPASS_USER'] = spec.urlCredentials?.username ?? auth.username ?? 'x-access-token';
    if (auth.tokenFile !== undefined) env['ECS_GITOPS_ASKPASS_FILE'] = auth.tokenFile;
    env['ECS_GITOPS_ASKPASS_PASS'] = spec.urlCredentials?.password ?? auth.token ?? '';

    if (spec.transport === 'ssh') env['GIT_SSH_COMMAND'] = await sshCommand(auth, dir, stateDir);
    return { env, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function sshCommand(auth: GitAuth, dir: string, stateDir: string): Promise<string> {
  const opts = ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'ConnectTimeout=15'];
  let keyFile = auth.sshKeyFile;
  if (auth.sshKey !== undefined) {
    keyFile = join(dir, 'id');
    const text = auth.sshKey.endsWith('\n') ? auth.sshKey : `${auth.sshKey}\n`;
    await writeFile(keyFile, text, { mode: 0o600 });
  }
  if (keyFile !== undefined) opts.push('-i', keyFile);
  if (auth.knownHosts !== undefined) {
    const kh = join(dir, 'known_hosts');
    await writeFile(kh, auth.knownHosts.endsWith('\n') ? auth.knownHosts : `${auth.knownHosts}\n`, { mode: 0o600 });
    opts.push('-o', `UserKnownHostsFile=${kh}`, '-o', 'StrictHostKeyChecking=yes');
  } else if (auth.knownHostsFile !== undefined) {
    opts.push('-o', `UserKnownHostsFile=${auth.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes');
  } else {
    opts.push('-o', `UserKnownHostsFile=${join(stateDir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=accept-new');
  }
  return ['ssh', ...opts].map(shellQuote).join(' ');
}

/** Quotes one word for /bin/sh (git runs GIT_SSH_COMMAND through the shell). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=:@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
