/**
 * A watch as an HTTP reply (K8S-FACTS §8): 200, `application/json`, one `{"type","object"}` JSON document per line,
 * written as soon as the registry sends it. With a Table Accept each object becomes a one-row Table (column
 * definitions only on the first). Ends cleanly at timeoutSeconds, after an ERROR event, or when the client goes.
 *
 *   await serveWatch(res, rest, 'default', watchOptions(q), { format, includeObject: 'Metadata', timeoutSeconds: 300 });
 */
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../api/object.ts';
import type { Status } from '../machinery/api-error.ts';
import type { ResourceRest, WatchEventType, WatchHandle, WatchOptions } from '../registry/rest.ts';
import type { Logger } from './log.ts';
import type { OutputFormat } from './negotiate.ts';
import type { IncludeObject } from './query.ts';
import type { Res } from './respond.ts';
import { toTable } from './table.ts';

export interface WatchStreamOptions {
  format: OutputFormat;
  includeObject: IncludeObject;
  timeoutSeconds: number;
  log?: Logger;
  /** A client that stops reading gets cut off once this many bytes are queued. */
  maxBufferedBytes?: number;
}

export interface WatchStream {
  /** Resolves when the stream has ended (timeout, ERROR, client gone, server close). */
  done: Promise<void>;
  stop(): void;
}

/**
 * Starts the watch and streams it. Rejects (before any byte is written) when the registry refuses the watch, so the
 * caller can reply with the error's Status.
 */
export async function serveWatch(
  reply: Res,
  rest: ResourceRest,
  namespace: string | undefined,
  options: WatchOptions,
  opts: WatchStreamOptions,
): Promise<WatchStream> {
  const res = reply as ServerResponse; // the write/end API both reply kinds share
  const info = rest.info;
  const table = opts.format.kind === 'table' ? opts.format : undefined;
  const maxBuffered = opts.maxBufferedBytes ?? 64 * 1024 * 1024;
  let first = true;
  let started = false;
  let ended = false;
  let handle: WatchHandle | undefined;
  let timer: NodeJS.Timeout | undefined;
  const pending: string[] = [];
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));

  const encode = (type: WatchEventType, object: KubeObject | Status): string => {
    let out: unknown = object;
    if (table && type !== 'ERROR') {
      const obj = object as KubeObject;
      out =
        type === 'BOOKMARK'
          ? { kind: 'Table', apiVersion: `meta.k8s.io/${table.version}`, metadata: { resourceVersion: obj.metadata?.resourceVersion }, columnDefinitions: null, rows: [] }
          : toTable(info, [obj], opts.includeObject, { version: table.version, noHeaders: !first, resourceVersion: obj.metadata?.resourceVersion });
      if (type !== 'BOOKMARK') first = false;
    }
    return `{"type":"${type}","object":${JSON.stringify(out)}}\n`;
  };

  const finish = () => {
    if (ended) return;
    ended = true;
    if (timer) clearTimeout(timer);
    try {
      handle?.stop();
    } catch (err) {
      opts.log?.warn('watch stop failed', { resource: info.plural, error: err });
    }
    if (!started) return; // still starting: the code after rest.watch() finishes the reply
    if (!res.writableEnded && !res.destroyed) res.end();
    resolveDone();
  };

  const write = (line: string) => {
    if (ended) return;
    if (!started) {
      pending.push(line);
      return;
    }
    res.write(line);
    if (res.writableLength > maxBuffered) {
      opts.log?.warn('watch client too slow, closing', { resource: info.plural, buffered: res.writableLength });
      finish();
    }
  };

  const send = (type: WatchEventType, object: KubeObject | Status) => {
    if (ended) return;
    write(encode(type, object));
    if (type === 'ERROR') finish();
  };

  res.on('close', finish);
  try {
    handle = await rest.watch(namespace, options, send);
  } catch (err) {
    res.off('close', finish);
    ended = true;
    throw err;
  }
  if (ended) {
    // the client left (or an ERROR arrived) while the watch was starting
    handle.stop();
    if (!res.destroyed && !res.writableEnded) {
      startReply(res);
      for (const line of pending) res.write(line);
      res.end();
    }
    resolveDone();
    return { done, stop: () => {} };
  }
  startReply(res);
  started = true;
  for (const line of pending.splice(0)) res.write(line);
  timer = setTimeout(finish, opts.timeoutSeconds * 1000);
  timer.unref?.();
  return { done, stop: finish };
}

function startReply(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
  // HTTP/1.1 sends headers with the first write otherwise; kubectl waits for them before reading events.
  res.flushHeaders?.();
}
