import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceError } from './errors.js';

/** Transports git is allowed to use; anything else (e.g. `ext::`) is refused. */
export type GitTransport = 'https' | 'http' | 'ssh' | 'file' | 'git';

/** A parsed source URL. `url` is always the display form without credentials. */
export type SourceSpec = DirectorySpec | GitSpec | S3Spec;

export interface DirectorySpec {
  readonly kind: 'directory';
  readonly url: string;
  /** Absolute directory path. */
  readonly path: string;
}

export interface GitSpec {
  readonly kind: 'git';
  readonly url: string;
  readonly transport: GitTransport;
  /** The URL handed to git: no `git+` prefix, no credentials, no sub-path, no ref. */
  readonly remote: string;
  /** Branch, tag, full commit SHA or full ref name; undefined = the remote's HEAD. */
  readonly ref: string | undefined;
  /** Directory inside the repository, without leading/trailing slashes; '' = root. */
  readonly subPath: string;
  /** Credentials found in the URL's userinfo (moved out of every URL and argv). */
  readonly urlCredentials: { readonly username?: string; readonly password?: string } | undefined;
}

export interface S3Spec {
  readonly kind: 's3';
  readonly url: string;
  readonly bucket: string;
  /** Key prefix, '' or ending with '/'. */
  readonly prefix: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Parses a source URL (see docs/sources.md):
 * - `./manifests`, `/srv/manifests`, `file:///srv/manifests`: a directory;
 * - `git+https://host/org/repo.git//sub/path#ref`, `git+http://...`, `git+ssh://git@host/org/repo.git#ref`,
 *   `git+file:///srv/repo.git//deploy#main`, `git://host/repo.git#ref` (git daemon): a Git repository,
 *   `//` separating an optional sub-path, `#` an optional ref (branch, tag, full commit SHA);
 * - `s3://bucket/prefix`: the `*.yaml`/`*.yml` objects under a prefix.
 * Relative directory paths resolve against `cwd`.
 */
export function parseSourceUrl(raw: string, cwd = '.'): SourceSpec {
  const text = raw.trim();
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (text === '') throw invalid(raw, 'the source URL is empty');
    if (/^(git\+|git:|s3:|file:)|^[a-z][a-z0-9+.-]*::/i.test(text)) throw invalid(raw, 'not a supported URL form (missing "://"?)');
    const path = isAbsolute(text) ? text : resolve(cwd, text);
    return { kind: 'directory', url: path, path };
  }
  if (scheme === 'file') {
    const path = fileURLToPath(text);
    return { kind: 'directory', url: `file://${path}`, path };
  }
  if (scheme === 's3') return parseS3(text);
  if (scheme === 'git' || scheme.startsWith('git+')) return parseGit(text, scheme);
  throw invalid(raw, `unsupported scheme "${scheme}://" (use a directory, file://, git+https://, git+ssh://, git+file://, git:// or s3://)`);
}

/** The ref of a git source URL (branch, tag or commit), for webhooks to match pushes; undefined for other sources or a bad URL. */
export function gitRefOf(source: string): string | undefined {
  try {
    const spec = parseSourceUrl(source);
    return spec.kind === 'git' ? spec.ref : undefined;
  } catch {
    return undefined;
  }
}

/** `s3://bucket/key` as bucket and key (one object, not a prefix); undefined when it is not one. */
export function s3ObjectOf(url: string): { bucket: string; key: string } | undefined {
  try {
    const { bucket, path } = s3Parts(url);
    return path !== '' && !path.endsWith('/') ? { bucket, key: path } : undefined;
  } catch {
    return undefined;
  }
}

/** Bucket and path (no leading slash) of an `s3://` URL. */
function s3Parts(text: string): { bucket: string; path: string } {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw invalid(text, 'not a valid s3:// URL');
  }
  const bucket = u.hostname;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw invalid(text, `"${bucket}" is not a valid bucket name`);
  return { bucket, path: decodeURIComponent(u.pathname).replace(/^\/+/, '') };
}

function parseS3(text: string): S3Spec {
  const { bucket, path } = s3Parts(text);
  let prefix = path;
  if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
  return { kind: 's3', url: `s3://${bucket}/${prefix}`, bucket, prefix };
}

function parseGit(text: string, scheme: string): GitSpec {
  const transportName = scheme === 'git' ? 'git' : scheme.slice('git+'.length);
  if (!isTransport(transportName)) throw invalid(redactUserinfo(text), `unsupported git transport "${transportName}"`);
  const bare = scheme === 'git' ? text : text.slice('git+'.length);
  // The sub-path is cut from the raw text: URL parsing would resolve its `..` segments away.
  const hashAt = bare.indexOf('#');
  const noHash = hashAt < 0 ? bare : bare.slice(0, hashAt);
  const authorityAt = noHash.indexOf('://') + 3;
  const split = noHash.indexOf('//', authorityAt);
  const repoText = (split < 0 ? noHash : noHash.slice(0, split)) + (hashAt < 0 ? '' : bare.slice(hashAt));
  const subPath = normalizeSubPath(split < 0 ? '' : decodeURIComponent(noHash.slice(split + 2)), text);
  let u: URL;
  try {
    u = new URL(repoText);
  } catch {
    throw invalid(redactUserinfo(text), 'not a valid URL');
  }
  const ref = u.hash ? decodeURIComponent(u.hash.slice(1)) : undefined;
  if (ref !== undefined && !isSafeRef(ref)) throw invalid(redactUserinfo(text), `"${ref}" is not a valid branch, tag or commit`);

  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  // An ssh user name (git@) is an address, not a secret; HTTP userinfo is a credential.
  const keepUser = transportName === 'ssh' && username !== undefined && password === undefined;
  const credentials = keepUser || (username === undefined && password === undefined) ? undefined : { username, password };
  if (credentials && transportName !== 'https' && transportName !== 'http') {
    throw invalid(redactUserinfo(text), 'credentials in the URL are only supported for git+https:// (use an SSH key for git+ssh://)');
  }

  const remoteUrl = new URL(repoText);
  remoteUrl.hash = '';
  remoteUrl.password = '';
  if (!keepUser) remoteUrl.username = '';
  const remote = remoteUrl.toString();
  if (remote.startsWith('-')) throw invalid(redactUserinfo(text), 'URL must not start with "-"');

  const display = `${scheme === 'git' ? '' : 'git+'}${remote}${subPath ? `//${subPath}` : ''}${ref !== undefined ? `#${ref}` : ''}`;
  return { kind: 'git', url: display, transport: transportName, remote, ref, subPath, urlCredentials: credentials };
}

function isTransport(t: string): t is GitTransport {
  return t === 'https' || t === 'http' || t === 'ssh' || t === 'file' || t === 'git';
}

/** A ref that is safe to pass to git as an argument and plausible as a branch, tag or SHA. */
export function isSafeRef(ref: string): boolean {
  if (FULL_SHA.test(ref)) return true;
  return (
    /^[A-Za-z0-9._/+@-]+$/.test(ref) &&
    !ref.startsWith('-') &&
    !ref.startsWith('/') &&
    !ref.endsWith('/') &&
    !ref.endsWith('.lock') &&
    !ref.includes('..') &&
    !ref.includes('//') &&
    !ref.includes('@{')
  );
}

/** Whether a ref is a full commit SHA (fetched by id, pinned). */
export function isCommitSha(ref: string): boolean {
  return FULL_SHA.test(ref);
}

function normalizeSubPath(sub: string, raw: string): string {
  const parts = sub.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw invalid(redactUserinfo(raw), 'the sub-path must not contain ".."');
  return parts.join('/');
}

/** Removes `user:password@` from any URL-like text (also inside error messages). */
export function redactUserinfo(text: string): string {
  // Greedy up to the last '@' of the authority: a password may hold a literal '@'.
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, '$1');
}

function invalid(url: string, message: string): SourceError {
  return new SourceError('invalid_url', `invalid source URL ${redactUserinfo(url)}: ${message}`, redactUserinfo(url));
}
