import { readFileSync } from 'node:fs';
import { Etcd3, type IOptions } from 'etcd3';

export interface EtcdTlsOptions {
  /** PEM file of the CA that signed the members' certificates. */
  ca?: string;
  /** PEM files of a client certificate and its key, for members that require client authentication. */
  cert?: string;
  key?: string;
}

export interface ConnectOptions {
  /** Client URLs of the members, e.g. ['http://127.0.0.1:2379']. https:// URLs need `tls`. */
  endpoints: string[];
  tls?: EtcdTlsOptions;
  /** Deadline of each unary call. Default 15 s (longer than etcd's own request timeout after a leader loss). */
  callTimeoutMs?: number;
}

type Policy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

/**
 * A policy that just calls through. The store decides itself what to retry (reads, and writes that never left this
 * process): etcd3's default retries every "recoverable" error, which would send a create twice after an answer
 * lost in a leader failure and report the first one's success as AlreadyExists.
 */
const callThrough = {
  execute: async <T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> => fn({ signal: new AbortController().signal }),
  onSuccess: () => ({ dispose() {} }),
  onFailure: () => ({ dispose() {} }),
} as unknown as Policy;

/**
 * An etcd3 client for the store: every call goes to a random member, failed connections are reset (a restarted
 * member is reached again at once), unary calls have a deadline, messages of any size are accepted.
 *
 *   const client = connectEtcd({ endpoints: ['http://127.0.0.1:2379'] });
 */
export function connectEtcd(options: ConnectOptions): Etcd3 {
  if (options.endpoints.length === 0) throw new RangeError('connectEtcd: endpoints must name at least one etcd client URL');
  for (const url of options.endpoints) {
    if (!/^https?:\/\/[^/]+\/?$/.test(url)) throw new RangeError(`connectEtcd: endpoint ${JSON.stringify(url)} is not an http(s)://host:port URL`);
  }
  const tls = options.tls;
  const secure = options.endpoints.some((url) => url.startsWith('https:'));
  if (tls && !tls.ca && secure) throw new RangeError('connectEtcd: tls.ca is required for https:// endpoints');
  const callTimeoutMs = options.callTimeoutMs ?? 15_000;
  return new Etcd3({
    hosts: options.endpoints.map((url) => url.replace(/\/$/, '')),
    credentials: tls?.ca
      ? {
          rootCertificate: readFileSync(tls.ca),
          ...(tls.key ? { privateKey: readFileSync(tls.key) } : {}),
          ...(tls.cert ? { certChain: readFileSync(tls.cert) } : {}),
        }
      : undefined,
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + callTimeoutMs }),
    grpcOptions: {
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      // A member that went away is tried again soon after it comes back.
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1_000,
    },
    faultHandling: { global: callThrough, host: () => callThrough },
  });
}
