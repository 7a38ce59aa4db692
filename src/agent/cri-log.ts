/**
 * Reading CRI log files (`<RFC3339Nano> stdout|stderr F|P text`, one record per line; P = the line continues in the
 * next record) the way the kubelet serves `kubectl logs`: partial records joined, prefixes stripped unless
 * timestamps=true, tailLines / sinceTime / limitBytes applied, and follow.
 *
 *   const lines = parseCriLog(await readFile(path, 'utf8'));
 *   for (const l of selectLines(lines, { tailLines: 10 })) process.stdout.write(formatLine(l, false));
 */
import { open, stat } from 'node:fs/promises';

export interface CriRecord {
  /** The timestamp as written (RFC 3339, 9 fraction digits). */
  time: string;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  text: string;
}

/** One log line: joined partial records, `text` ending in "\n" unless the last record is still partial. */
export interface LogLine {
  time: string;
  /** Milliseconds since the epoch (for since filters). */
  ms: number;
  stream: 'stdout' | 'stderr';
  text: string;
  complete: boolean;
}

export interface LogQuery {
  tailLines?: number;
  /** Only lines at or after this time (ms since the epoch): sinceSeconds or sinceTime. */
  sinceMs?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

const RECORD = /^(\S+) (stdout|stderr) ([FP])(?: (.*))?$/s;

export function parseCriRecord(line: string): CriRecord | undefined {
  const m = RECORD.exec(line);
  if (!m) return undefined;
  return { time: m[1], stream: m[2] as 'stdout' | 'stderr', partial: m[3] === 'P', text: m[4] ?? '' };
}

/** Joins records into lines; partial records of one stream are concatenated until its F record. */
export class LineAssembler {
  readonly #open = new Map<string, LogLine>();

  push(r: CriRecord): LogLine | undefined {
    const pending = this.#open.get(r.stream);
    const line = pending ?? { time: r.time, ms: Date.parse(r.time), stream: r.stream, text: '', complete: false };
    line.text += r.text;
    if (r.partial) {
      this.#open.set(r.stream, line);
      return undefined;
    }
    this.#open.delete(r.stream);
    line.text += '\n';
    line.complete = true;
    return line;
  }

  /** Lines still waiting for their F record (end of a file whose writer is gone). */
  drain(): LogLine[] {
    const rest = [...this.#open.values()];
    this.#open.clear();
    return rest;
  }
}

/** Every line of a whole CRI log text; a trailing unfinished partial line is included (kubelet prints it too). */
export function parseCriLog(text: string): LogLine[] {
  const asm = new LineAssembler();
  const out: LogLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    const r = parseCriRecord(raw);
    if (!r) continue;
    const line = asm.push(r);
    if (line) out.push(line);
  }
  return [...out, ...asm.drain()];
}

/** Go's time.RFC3339Nano: trailing zeros of the fraction trimmed (the kubelet's timestamps=true format). */
export function rfc3339Nano(time: string): string {
  return time.replace(/\.(\d+)(Z|[+-]\d\d:\d\d)$/, (_m, frac: string, zone: string) => {
    const f = frac.replace(/0+$/, '');
    return f ? `.${f}${zone}` : zone;
  });
}

export function formatLine(l: LogLine, timestamps = false): string {
  return timestamps ? `${rfc3339Nano(l.time)} ${l.text}` : l.text;
}

export function selectLines(lines: LogLine[], q: LogQuery): LogLine[] {
  let out = q.sinceMs !== undefined ? lines.filter((l) => !(l.ms < q.sinceMs!)) : lines;
  if (q.tailLines !== undefined && q.tailLines >= 0) out = q.tailLines === 0 ? [] : out.slice(-q.tailLines);
  return out;
}

export interface StreamLogOptions extends LogQuery {
  follow?: boolean;
  /** Follow ends once this returns true and the file has been read to its end (container exited, restarted). */
  done?: () => boolean | Promise<boolean>;
  /** Poll interval while following (default 200 ms). */
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Writes the selected lines of `file` via `write` (which returns false when the client is gone); with follow, keeps
 * writing new lines as they are appended. Resolves when finished.
 */
export async function streamLogFile(file: string, o: StreamLogOptions, write: (chunk: string) => boolean | void): Promise<void> {
  let budget = o.limitBytes !== undefined && o.limitBytes > 0 ? o.limitBytes : Infinity;
  const emit = (l: LogLine): boolean => {
    let s = formatLine(l, o.timestamps);
    if (Buffer.byteLength(s) > budget) s = Buffer.from(s).subarray(0, budget).toString();
    budget -= Buffer.byteLength(s);
    if (s && write(s) === false) return false;
    return budget > 0;
  };

  const fh = await open(file, 'r');
  try {
    const buf = (await fh.readFile()).toString('utf8');
    let offset = Buffer.byteLength(buf);
    // only complete records (the writer may be mid-line)
    const cut = buf.lastIndexOf('\n') + 1;
    let carry = buf.slice(cut);
    offset -= Buffer.byteLength(carry);
    carry = '';
    const asm = new LineAssembler();
    const initial: LogLine[] = [];
    for (const raw of buf.slice(0, cut).split('\n')) {
      const r = raw ? parseCriRecord(raw) : undefined;
      const line = r && asm.push(r);
      if (line) initial.push(line);
    }
    const selected = selectLines(initial, o);
    for (const l of selected) if (!emit(l)) return;
    if (!o.follow) {
      for (const l of asm.drain()) if (!emit(l)) return;
      return;
    }
    const pollMs = o.pollMs ?? 200;
    for (;;) {
      if (o.signal?.aborted) return;
      const finished = o.done ? await o.done() : false;
      const size = (await stat(file).catch(() => undefined))?.size ?? offset;
      if (size > offset) {
        const chunk = Buffer.alloc(size - offset);
        const { bytesRead } = await fh.read(chunk, 0, chunk.length, offset);
        offset += bytesRead;
        const text = carry + chunk.subarray(0, bytesRead).toString('utf8');
        const end = text.lastIndexOf('\n') + 1;
        carry = text.slice(end);
        for (const raw of text.slice(0, end).split('\n')) {
          const r = raw ? parseCriRecord(raw) : undefined;
          const line = r && asm.push(r);
          if (line && (o.sinceMs === undefined || line.ms >= o.sinceMs) && !emit(line)) return;
        }
        continue;
      }
      if (finished) {
        for (const l of asm.drain()) if (!emit(l)) return;
        return;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await fh.close();
  }
}
