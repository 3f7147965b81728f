/**
 * Whether a request's Accept-Encoding admits gzip (RFC 9110 12.5.3): `gzip` or `x-gzip` listed
 * with a non-zero weight, or `*` with a non-zero weight and gzip not refused by name.
 */
export function acceptsGzip(header: string | readonly string[] | undefined): boolean {
  if (header === undefined) return false;
  let named: boolean | undefined;
  let any = false;
  for (const item of (typeof header === 'string' ? header : header.join(',')).split(',')) {
    const [coding = '', ...params] = item.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    const admitted = Number.isFinite(weight) && weight > 0;
    if (coding === 'gzip' || coding === 'x-gzip') named = (named ?? false) || admitted;
    else if (coding === '*') any = admitted;
  }
  return named ?? any;
}
