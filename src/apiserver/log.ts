/**
 * Structured one-line logs on stderr: `time level msg key=value …` (logfmt), one line per event.
 *
 *   log.info('request', { verb: 'create', resource: 'pods', object: 'default/web', code: 201 });
 *   // 2026-11-25T20:01:02.345Z INFO request verb=create resource=pods object=default/web code=201
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
}

const quoteIfNeeded = (s: string) => (s === '' || /[\s"=]/.test(s) ? JSON.stringify(s) : s);

function formatValue(v: unknown): string {
  if (v instanceof Error) return quoteIfNeeded(v.message);
  if (typeof v === 'string') return quoteIfNeeded(v);
  if (v === undefined) return '""';
  if (typeof v === 'object' && v !== null) return quoteIfNeeded(JSON.stringify(v));
  return String(v);
}

export function formatLine(level: string, msg: string, fields?: LogFields, now = new Date()): string {
  let line = `${now.toISOString()} ${level} ${quoteIfNeeded(msg)}`;
  if (fields) for (const [k, v] of Object.entries(fields)) if (v !== undefined) line += ` ${k}=${formatValue(v)}`;
  return line;
}

/** A logger writing to `write` (stderr by default); debug lines only when K8TS_DEBUG is set. */
export function createLogger(write: (line: string) => void = (l) => process.stderr.write(`${l}\n`), debug = !!process.env.K8TS_DEBUG): Logger {
  return {
    info: (msg, fields) => write(formatLine('INFO', msg, fields)),
    warn: (msg, fields) => write(formatLine('WARN', msg, fields)),
    error: (msg, fields) => write(formatLine('ERROR', msg, fields)),
    debug: (msg, fields) => {
      if (debug) write(formatLine('DEBUG', msg, fields));
    },
  };
}

/** The process-wide logger. */
export const log: Logger = createLogger();

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
