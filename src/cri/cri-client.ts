// A typed, promise-based CRI v1 client (RuntimeService + ImageService) over a unix socket.
//
//   const cri = new CriClient('/var/lib/k8ts/containerd/containerd.sock');
//   const { runtime_version } = await cri.version();
//   const podId = await cri.runPodSandbox(config);
//   cri.close();
//
// Every call has a deadline (options.timeoutMs, else the client default) and every failure
// is a CriError naming the RPC and the object it concerns (sandbox/container id, image,
// pod namespace/name). Message shapes and decoding conventions: cri-types.ts.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type {
  AuthConfig, Container, ContainerConfig, ContainerFilter, ContainerStatusResponse, ExecSyncResponse,
  Image, ImageFsInfoResponse, ImageSpec, PodSandbox, PodSandboxConfig, PodSandboxFilter,
  PodSandboxStatusResponse, StatusResponse, StreamOptions, VersionResponse,
} from './cri-types.ts';

export const CRI_API_VERSION = 'v1';

const PROTO_PATH = fileURLToPath(new URL('./runtime.proto', import.meta.url));

/** Decoding options; see cri-types.ts for what they mean for callers. */
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: false,
};

let servicesCache: { runtime: grpc.ServiceClientConstructor; image: grpc.ServiceClientConstructor } | undefined;

function services() {
  if (!servicesCache) {
    const def = protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS);
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      runtime: { v1: { RuntimeService: grpc.ServiceClientConstructor; ImageService: grpc.ServiceClientConstructor } };
    };
    servicesCache = { runtime: pkg.runtime.v1.RuntimeService, image: pkg.runtime.v1.ImageService };
  }
  return servicesCache;
}

/** A failed CRI call: which RPC, about what, and the gRPC status. */
export class CriError extends Error {
  readonly method: string;
  readonly subject: string;
  /** gRPC status code (grpc.status), e.g. 5 NOT_FOUND, 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE. */
  readonly code: number;
  readonly details: string;

  constructor(method: string, subject: string, code: number, details: string, options?: { cause?: unknown }) {
    const codeName = grpc.status[code] ?? String(code);
    super(`CRI ${method}${subject ? ` ${subject}` : ''}: ${codeName}: ${details}`, options);
    this.name = 'CriError';
    this.method = method;
    this.subject = subject;
    this.code = code;
    this.details = details;
  }

  get notFound(): boolean {
    return this.code === grpc.status.NOT_FOUND;
  }
}

/** True when err is a CriError with gRPC status NOT_FOUND. */
export function isCriNotFound(err: unknown): boolean {
  return err instanceof CriError && err.notFound;
}

export interface CriClientOptions {
  /** Default deadline per call in ms (default 30 000). PullImage defaults to 10 minutes. */
  timeoutMs?: number;
}

export interface CallOptions {
  timeoutMs?: number;
}

type UnaryFn = (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

export class CriClient {
  readonly socketPath: string;
  private readonly runtime: grpc.Client;
  private readonly image: grpc.Client;
  private readonly timeoutMs: number;

  constructor(socketPath: string, options: CriClientOptions = {}) {
    this.socketPath = socketPath;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const { runtime, image } = services();
    const target = `unix://${socketPath}`;
    const channelOptions: grpc.ChannelOptions = {
      // ExecSync may return up to 16 MiB of stdout and of stderr.
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      'grpc.max_send_message_length': 16 * 1024 * 1024,
      // A local socket: reconnect quickly after a containerd restart (default backoff starts at 1 s).
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 2000,
    };
    const creds = grpc.credentials.createInsecure();
    this.runtime = new runtime(target, creds, channelOptions);
    // Share the runtime client's channel for the image service.
    this.image = new image(target, creds, { ...channelOptions, channelOverride: this.runtime.getChannel() } as grpc.ChannelOptions);
  }

  close(): void {
    this.image.close();
    this.runtime.close();
  }

  private call<T>(client: grpc.Client, method: string, subject: string, req: object, opts?: CallOptions, defaultTimeout?: number): Promise<T> {
    const fn = (client as unknown as Record<string, UnaryFn>)[method];
    if (typeof fn !== 'function') throw new Error(`CRI client has no method ${method}`);
    const deadline = new Date(Date.now() + (opts?.timeoutMs ?? defaultTimeout ?? this.timeoutMs));
    return new Promise<T>((resolve, reject) => {
      fn.call(client, req, new grpc.Metadata(), { deadline }, (err, res) => {
        if (err) reject(new CriError(method, subject, err.code ?? grpc.status.UNKNOWN, err.details || err.message, { cause: err }));
        else resolve(res as T);
      });
    });
  }

  // ---- runtime ----

  version(opts?: CallOptions): Promise<VersionResponse> {
    return this.call(this.runtime, 'Version', '', { version: CRI_API_VERSION }, opts);
  }

  status(verbose = false, opts?: CallOptions): Promise<StatusResponse> {
    return this.call(this.runtime, 'Status', '', { verbose }, opts);
  }

  // ---- sandboxes ----

  /** Creates and starts a pod sandbox (pause container + network); resolves to its id. */
  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = '', opts?: CallOptions): Promise<string> {
    const m = config.metadata;
    const res = await this.call<{ pod_sandbox_id: string }>(this.runtime, 'RunPodSandbox',
      `pod ${m.namespace}/${m.name} (uid ${m.uid}, attempt ${m.attempt ?? 0})`, { config, runtime_handler: runtimeHandler }, opts, 120_000);
    return res.pod_sandbox_id;
  }

  async stopPodSandbox(podSandboxId: string, opts?: CallOptions): Promise<void> {
    await this.call(this.runtime, 'StopPodSandbox', `sandbox ${podSandboxId}`, { pod_sandbox_id: podSandboxId }, opts, 120_000);
  }

  async removePodSandbox(podSandboxId: string, opts?: CallOptions): Promise<void> {
    await this.call(this.runtime, 'RemovePodSandbox', `sandbox ${podSandboxId}`, { pod_sandbox_id: podSandboxId }, opts, 120_000);
  }

  podSandboxStatus(podSandboxId: string, verbose = false, opts?: CallOptions): Promise<PodSandboxStatusResponse> {
    return this.call(this.runtime, 'PodSandboxStatus', `sandbox ${podSandboxId}`, { pod_sandbox_id: podSandboxId, verbose }, opts);
  }

  async listPodSandbox(filter?: PodSandboxFilter, opts?: CallOptions): Promise<PodSandbox[]> {
    const res = await this.call<{ items: PodSandbox[] }>(this.runtime, 'ListPodSandbox', '', { filter: filter ?? null }, opts);
    return res.items;
  }

  // ---- containers ----

  /** Creates a container in a sandbox; sandboxConfig must be the config the sandbox was run with. */
  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig, opts?: CallOptions): Promise<string> {
    const res = await this.call<{ container_id: string }>(this.runtime, 'CreateContainer',
      `container ${config.metadata.name} in sandbox ${podSandboxId}`,
      { pod_sandbox_id: podSandboxId, config, sandbox_config: sandboxConfig }, opts, 120_000);
    return res.container_id;
  }

  async startContainer(containerId: string, opts?: CallOptions): Promise<void> {
    await this.call(this.runtime, 'StartContainer', `container ${containerId}`, { container_id: containerId }, opts, 120_000);
  }

  /** Stops a container: SIGTERM, then SIGKILL after timeoutSeconds (0 = kill now). */
  async stopContainer(containerId: string, timeoutSeconds: number, opts?: CallOptions): Promise<void> {
    await this.call(this.runtime, 'StopContainer', `container ${containerId}`,
      { container_id: containerId, timeout: timeoutSeconds }, opts, timeoutSeconds * 1000 + 60_000);
  }

  async removeContainer(containerId: string, opts?: CallOptions): Promise<void> {
    await this.call(this.runtime, 'RemoveContainer', `container ${containerId}`, { container_id: containerId }, opts, 120_000);
  }

  async listContainers(filter?: ContainerFilter, opts?: CallOptions): Promise<Container[]> {
    const res = await this.call<{ containers: Container[] }>(this.runtime, 'ListContainers', '', { filter: filter ?? null }, opts);
    return res.containers;
  }

  containerStatus(containerId: string, verbose = false, opts?: CallOptions): Promise<ContainerStatusResponse> {
    return this.call(this.runtime, 'ContainerStatus', `container ${containerId}`, { container_id: containerId, verbose }, opts);
  }

  // ---- exec / attach / port-forward ----

  /** Runs cmd in the container and collects its output (probes). timeoutSeconds 0 = no limit. */
  execSync(containerId: string, cmd: string[], timeoutSeconds = 0, opts?: CallOptions): Promise<ExecSyncResponse> {
    const deadline = timeoutSeconds > 0 ? timeoutSeconds * 1000 + 10_000 : 24 * 3600_000;
    return this.call(this.runtime, 'ExecSync', `container ${containerId}`,
      { container_id: containerId, cmd, timeout: timeoutSeconds }, opts, deadline);
  }

  /** Returns the single-use stream-server URL for an exec session. */
  async exec(containerId: string, cmd: string[], stream: StreamOptions, opts?: CallOptions): Promise<string> {
    const res = await this.call<{ url: string }>(this.runtime, 'Exec', `container ${containerId}`,
      { container_id: containerId, cmd, tty: !!stream.tty, stdin: !!stream.stdin, stdout: !!stream.stdout, stderr: !!stream.stderr }, opts);
    return res.url;
  }

  /** Returns the single-use stream-server URL for attaching to the container's process. */
  async attach(containerId: string, stream: StreamOptions, opts?: CallOptions): Promise<string> {
    const res = await this.call<{ url: string }>(this.runtime, 'Attach', `container ${containerId}`,
      { container_id: containerId, tty: !!stream.tty, stdin: !!stream.stdin, stdout: !!stream.stdout, stderr: !!stream.stderr }, opts);
    return res.url;
  }

  /** Returns the single-use stream-server URL for port-forwarding into the sandbox. */
  async portForward(podSandboxId: string, ports: number[], opts?: CallOptions): Promise<string> {
    const res = await this.call<{ url: string }>(this.runtime, 'PortForward', `sandbox ${podSandboxId}`,
      { pod_sandbox_id: podSandboxId, port: ports }, opts);
    return res.url;
  }

  // ---- images ----

  async listImages(filter?: ImageSpec, opts?: CallOptions): Promise<Image[]> {
    const res = await this.call<{ images: Image[] }>(this.image, 'ListImages', '', { filter: filter ? { image: filter } : null }, opts);
    return res.images;
  }

  /** The image, or null when the runtime does not have it. */
  async imageStatus(image: string | ImageSpec, opts?: CallOptions): Promise<Image | null> {
    const spec = typeof image === 'string' ? { image } : image;
    const res = await this.call<{ image: Image | null }>(this.image, 'ImageStatus', `image ${spec.image}`, { image: spec, verbose: false }, opts);
    return res.image;
  }

  /** Pulls an image; resolves to the image ref (the image id, sha256:…). */
  async pullImage(image: string | ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig, opts?: CallOptions): Promise<string> {
    const spec = typeof image === 'string' ? { image } : image;
    const res = await this.call<{ image_ref: string }>(this.image, 'PullImage', `image ${spec.image}`,
      { image: spec, auth: auth ?? null, sandbox_config: sandboxConfig ?? null }, opts, 600_000);
    return res.image_ref;
  }

  async removeImage(image: string | ImageSpec, opts?: CallOptions): Promise<void> {
    const spec = typeof image === 'string' ? { image } : image;
    await this.call(this.image, 'RemoveImage', `image ${spec.image}`, { image: spec }, opts);
  }

  imageFsInfo(opts?: CallOptions): Promise<ImageFsInfoResponse> {
    return this.call(this.image, 'ImageFsInfo', '', {}, opts);
  }
}
