import type { KubeList, KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import type { Status } from '../machinery/api-error.ts';

/**
 * The contract between the HTTP layer (src/apiserver) and the resource logic (src/registry).
 * The HTTP layer parses the request, authenticates, decodes the body into plain JSON values and calls one of these;
 * the registry applies Kubernetes semantics over the Store and throws ApiError for anything a client did wrong.
 */
export interface UserInfo {
  name: string;
  groups: string[];
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  user: UserInfo;
  /** dryRun=All: run everything but the store write. */
  dryRun: boolean;
  fieldManager?: string;
  fieldValidation: FieldValidation;
  /** Collects `Warning: 299` header texts for the response. */
  warnings: string[];
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  limit?: number;
  continue?: string;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchHandle {
  stop(): void;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take over conflicting fields. */
  force?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  dryRun?: string[];
}

export interface DeleteResult {
  /** The object (pods, namespaces: their last or terminating state) or a Success Status (other kinds). */
  body: KubeObject | Status;
  /** 200, or 202 when the object stays for now. */
  code: number;
}

/** One resource's REST behaviour. `namespace` is undefined for cluster-scoped resources and for all-namespace lists. */
export interface ResourceRest {
  readonly info: ResourceInfo;
  get(namespace: string | undefined, name: string): Promise<KubeObject>;
  list(namespace: string | undefined, options: ListOptions): Promise<KubeList>;
  /**
   * Optional fast path: the JSON text of exactly what `list` returns, for plain `application/json` replies
   * (items are not parsed and re-serialised when no selector needs their content). Same errors as `list`.
   */
  listJson?(namespace: string | undefined, options: ListOptions): Promise<string>;
  /**
   * Starts a watch; events go to `send` in order. An ERROR event (410 Expired etc.) ends the watch.
   * Throws ApiError synchronously-or-rejected for bad options (selectors, resourceVersion).
   */
  watch(
    namespace: string | undefined,
    options: WatchOptions,
    send: (type: WatchEventType, object: KubeObject | Status) => void,
  ): Promise<WatchHandle>;
  create(namespace: string | undefined, body: KubeObject, options: WriteOptions): Promise<KubeObject>;
  /** PUT. Creates when absent only where Kubernetes allows it (returns created=true → 201). */
  update(namespace: string | undefined, name: string, body: KubeObject, options: WriteOptions): Promise<{ object: KubeObject; created: boolean }>;
  patch(
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: PatchOptions,
  ): Promise<{ object: KubeObject; created: boolean }>;
  delete(namespace: string | undefined, name: string, options: DeleteOptions, write: WriteOptions): Promise<DeleteResult>;
  deleteCollection(namespace: string | undefined, list: ListOptions, options: DeleteOptions, write: WriteOptions): Promise<KubeList>;
  /** Subresources served by the registry (status, binding, finalize, eviction). Streams (log/exec/…) are the HTTP layer's. */
  subresource?(name: string): SubresourceRest | undefined;
}

export interface SubresourceRest {
  get?(namespace: string | undefined, name: string): Promise<KubeObject>;
  update?(namespace: string | undefined, name: string, body: KubeObject, options: WriteOptions): Promise<{ object: KubeObject; created: boolean }>;
  patch?(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options: PatchOptions): Promise<{ object: KubeObject; created: boolean }>;
  /** POST (binding, eviction). Returns the object to send back with 201. */
  create?(namespace: string | undefined, name: string, body: KubeObject, options: WriteOptions): Promise<KubeObject | Status>;
}
