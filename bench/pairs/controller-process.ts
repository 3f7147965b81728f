// The controller as a child process (`ecs-gitops run`), so its memory is its own: starts it,
// reads its JSON log lines, samples its resident memory and answers /readyz.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { imageNodeOptions } from '../image-node-options.js';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/** One structured log line, with its time in epoch ms. */
export interface LogLine {
  readonly at: number;
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

export interface ControllerProcessOptions {
  readonly bin: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** The log lines the benchmark reads: scans, and the phases of a start. */
const KEPT = new Set(['scan finished', 'controller starting', 'controller running', 'loaded source revision', 'checkpoint read', 'checkpoint written']);

function timeOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Date.parse(v);
  return Number.NaN;
}

export class ControllerProcess {
  readonly lines: LogLine[] = [];
  private rssPeak = 0;
  /** V8's heap (total and used) at the scrape that reported the highest RSS. */
  private heapAtPeak: { total: number; used: number; rss: number } | undefined;
  /** When the peak was sampled (epoch ms). */
  private rssPeakAt = 0;
  private readonly startedAt = Date.now();
  private sampler: NodeJS.Timeout | undefined;
  private stderrTail = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    if (child.stdout) {
      createInterface({ input: child.stdout }).on('line', (text) => {
        try {
          const fields = JSON.parse(text) as Record<string, unknown>;
          const msg = typeof fields['msg'] === 'string' ? fields['msg'] : '';
          // Only the lines the benchmark reads are kept (a resync logs one line per resource).
          if (KEPT.has(msg)) this.lines.push({ at: timeOf(fields['time']), msg, fields });
        } catch {
          // not a log line
        }
      });
    }
    child.stderr?.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-2_000);
    });
  }

  /** Spawns `node <bin> run ... --listen 127.0.0.1:<free port>`. */
  static async start(options: ControllerProcessOptions): Promise<ControllerProcess> {
    const port = await freePort();
    // The image's V8 flags (Dockerfile ENTRYPOINT): the controller as it is shipped.
    const child = spawn(process.execPath, [...imageNodeOptions(), options.bin, 'run', ...options.args, '--listen', `127.0.0.1:${port}`], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ControllerProcess(child, `http://127.0.0.1:${port}`);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /**
   * Samples the resident memory every `ms` from /proc/<pid>/status (VmRSS; Linux), so sampling
   * costs the controller nothing, and scrapes /metrics every `scrapeMs` as a Prometheus server
   * would (its process_resident_memory_bytes is sampled too; where /proc is missing, that is
   * the only sample).
   */
  sampleMemory(ms: number, scrapeMs = 15_000): void {
    let sinceScrape = 0;
    this.sampler = setInterval(() => {
      this.readProcRss();
      sinceScrape += ms;
      if (sinceScrape >= scrapeMs) {
        sinceScrape = 0;
        void this.readRss();
      }
    }, ms);
  }

  private readProcRss(): void {
    try {
      const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      if (m?.[1] !== undefined) this.notePeak(Number(m[1]) * 1024);
    } catch {
      // no /proc, or the process is gone
    }
  }

  private async readRss(): Promise<void> {
    try {
      const text = await (await fetch(`${this.url}/metrics`)).text();
      const m = /^(?:ecs_gitops_)?process_resident_memory_bytes (\S+)$/m.exec(text);
      const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
      const heap = { total: value('nodejs_heap_size_total_bytes'), used: value('nodejs_heap_size_used_bytes'), rss: Number(m?.[1] ?? Number.NaN) };
      if (heap.rss > (this.heapAtPeak?.rss ?? 0)) this.heapAtPeak = heap;
      if (m?.[1] !== undefined) this.notePeak(Number(m[1]));
    } catch {
      // not listening yet, or stopping
    }
  }

  private notePeak(bytes: number): void {
    if (bytes <= this.rssPeak) return;
    this.rssPeak = bytes;
    this.rssPeakAt = Date.now();
  }

  /** When the sampled peak was seen: seconds after the start, and the last kept log line before it. */
  peakMoment(): { seconds: number; after: string; heap: string } {
    const before = this.lines.filter((l) => l.at <= this.rssPeakAt).at(-1);
    const mib = (b: number): number => Math.round(b / 1024 / 1024);
    const h = this.heapAtPeak;
    return {
      seconds: Math.round((this.rssPeakAt - this.startedAt) / 100) / 10,
      after: before ? `${before.msg} (from ${String(before.fields['from'] ?? '-')})` : '(no log line yet)',
      heap: h ? `the scrape with the highest RSS (${mib(h.rss)} MiB) saw a V8 heap of ${mib(h.used)} MiB used of ${mib(h.total)} MiB` : 'no scrape',
    };
  }

  /** The highest process_resident_memory_bytes sampled, and the kernel's high-water mark (VmHWM, Linux) when readable. */
  async peakRss(): Promise<{ sampled: number; hwm: number | undefined }> {
    await this.readRss();
    let hwm: number | undefined;
    try {
      const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      if (m?.[1] !== undefined) hwm = Number(m[1]) * 1024;
    } catch {
      hwm = undefined;
    }
    return { sampled: this.rssPeak, hwm };
  }

  /** Resolves to the time /readyz first answered 200 (polled every 50 ms). */
  async waitReady(timeoutMs: number): Promise<number> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.child.exitCode !== null) throw new Error(`the controller exited with ${this.child.exitCode}: ${this.stderrTail}`);
      try {
        if ((await fetch(`${this.url}/readyz`)).status === 200) return Date.now();
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error(`the controller was not ready within ${timeoutMs} ms`);
  }

  /** GET /status as JSON. */
  async status(): Promise<{ resources: { key: string; syncStatus: string }[] }> {
    return (await (await fetch(`${this.url}/status`)).json()) as { resources: { key: string; syncStatus: string }[] };
  }

  /** The controller part of /status. */
  async controllerStatus(): Promise<{ ready: boolean; restoredFrom?: { observedTime: string; location: string } }> {
    return ((await (await fetch(`${this.url}/status`)).json()) as { controller: { ready: boolean; restoredFrom?: { observedTime: string; location: string } } })
      .controller;
  }

  /** Resolves to the first kept log line after `since` that `match` accepts. */
  async waitLine(since: number, match: (l: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const found = this.lines.find((l) => l.at >= since && match(l));
      if (found) return found;
      await sleep(20);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }

  /** SIGTERM, then waits for the exit. */
  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await Promise.race([exited, sleep(30_000)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
