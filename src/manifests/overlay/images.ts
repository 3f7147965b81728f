/**
 * Kustomize-style image changes: an image reference `name[:tag][@digest]` whose name matches
 * gets a new name, tag or digest.
 */

export interface ImageChange {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

/** Splits `registry:5000/repo/app:1.2@sha256:...` into name, tag and digest. */
export function splitImage(ref: string): { name: string; tag?: string; digest?: string } {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  // A tag follows the last colon after the last slash (a colon before it is a registry port).
  const colon = rest.lastIndexOf(':');
  const slash = rest.lastIndexOf('/');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), ...(digest ? { digest } : {}) };
  return { name: rest, ...(digest ? { digest } : {}) };
}

/** The image after `change`, or undefined when its name does not match. */
export function changeImage(ref: string, change: ImageChange): string | undefined {
  const image = splitImage(ref);
  if (image.name !== change.name) return undefined;
  const name = change.newName ?? image.name;
  if (change.digest !== undefined) return `${name}@${change.digest}`;
  if (change.newTag !== undefined) return `${name}:${change.newTag}`;
  return `${name}${image.tag !== undefined ? `:${image.tag}` : ''}${image.digest !== undefined ? `@${image.digest}` : ''}`;
}
