/**
 * Wraps an async function so that its calls run one after another: each call starts once the
 * previous one has settled, whether it resolved or failed. Sources use it to keep the
 * `Source` contract (callers may fetch concurrently; fetches never share a cache or
 * repository half-way).
 */
export function serialize<A extends unknown[], T>(fn: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (...args) => {
    const run = tail.then(() => fn(...args));
    // A failed call must not stop the next one: it gets its own error from `run`.
    tail = run.catch(() => undefined);
    return run;
  };
}
