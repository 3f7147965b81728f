import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gitTestEnv } from './git-repo.js';

/** A free TCP port on 127.0.0.1 (the OS picks it; released before use). */
export async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`git daemon exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`git daemon did not listen on ${port}`);
    await sleep(25);
  }
}

/** A running `git daemon` serving every repository under a base directory over git://. */
export interface GitDaemon {
  readonly port: number;
  /** `git://127.0.0.1:<port>/<repo>` */
  url(repo: string): string;
  /** Stops the daemon (an outage); `start()` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Starts the real `git daemon` on 127.0.0.1 (read-only, all repositories exported). */
export async function startGitDaemon(basePath: string): Promise<GitDaemon> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const c = spawn(
      'git',
      ['daemon', '--reuseaddr', `--base-path=${basePath}`, '--export-all', `--port=${port}`, '--listen=127.0.0.1', '--informative-errors', basePath],
      {
        env: gitTestEnv(basePath),
        stdio: 'ignore',
      },
    );
    child = c;
    await waitForPort(port, c);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    await exited;
  };
  await start();
  return { port, url: (repo) => `git://127.0.0.1:${port}/${repo}`, stop, start };
}

/** Git smart HTTP (`git http-backend` as CGI) behind a node server, with optional Basic auth. */
export interface GitHttpServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>/<repo>` (prefix with `git+` for a source URL). */
  url(repo: string): string;
  /** Authorization headers received, in order (tests check what was sent). */
  readonly authorizations: readonly (string | undefined)[];
  stop(): Promise<void>;
}

/**
 * Serves the repositories under `projectRoot` over smart HTTP. With `auth`, every request
 * without the right Basic credentials gets 401 (as GitHub answers), so git asks for them.
 */
export async function startGitHttpServer(projectRoot: string, auth?: { username: string; password: string }): Promise<GitHttpServer> {
  const authorizations: (string | undefined)[] = [];
  const expected = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : undefined;
  const server: Server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (expected && req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"', 'content-type': 'text/plain' });
      res.end('authentication required');
      return;
    }
    cgi(projectRoot, req, res, auth?.username);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (repo) => `http://127.0.0.1:${port}/${repo}`,
    authorizations,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function cgi(projectRoot: string, req: IncomingMessage, res: ServerResponse, user: string | undefined): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const env: Record<string, string> = {
    ...gitTestEnv(projectRoot),
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: '127.0.0.1',
  };
  if (user) env['REMOTE_USER'] = user;
  if (typeof req.headers['git-protocol'] === 'string') env['GIT_PROTOCOL'] = req.headers['git-protocol'];
  if (typeof req.headers['content-encoding'] === 'string') env['HTTP_CONTENT_ENCODING'] = req.headers['content-encoding'];
  const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const sep = head.indexOf('\r\n\r\n');
    if (sep < 0) return;
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, sep).toString('latin1').split('\r\n')) {
      const i = line.indexOf(':');
      const name = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    res.write(head.subarray(sep + 4));
  });
  child.on('close', () => {
    if (!headersDone) res.writeHead(502).end();
    else res.end();
  });
}
