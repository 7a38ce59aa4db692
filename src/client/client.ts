import type { KubeList, KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import type { Status } from '../machinery/api-error.ts';
import type { DeleteOptions, DeleteResult, ListOptions, PatchType, WatchEventType, WatchHandle, WatchOptions } from '../registry/rest.ts';

export interface ClientWriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

/**
 * What every typed resource client offers, in-process (LocalClient's ResourceClient) or over HTTPS
 * (RestClient's RestResourceClient). Loops written against this run on either.
 */
export interface ResourceApi {
  readonly info: ResourceInfo;
  get(namespace: string | undefined, name: string): Promise<KubeObject>;
  list(namespace: string | undefined, options?: ListOptions): Promise<KubeList>;
  listAll(namespace: string | undefined, options?: ListOptions, pageSize?: number): Promise<KubeList>;
  watch(namespace: string | undefined, options: WatchOptions, onEvent: (type: WatchEventType, object: KubeObject | Status) => void): Promise<WatchHandle>;
  create(namespace: string | undefined, obj: KubeObject, options?: ClientWriteOptions): Promise<KubeObject>;
  update(obj: KubeObject, options?: ClientWriteOptions): Promise<KubeObject>;
  patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options?: ClientWriteOptions): Promise<KubeObject>;
  updateStatus(obj: KubeObject, options?: ClientWriteOptions): Promise<KubeObject>;
  patchStatus(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options?: ClientWriteOptions): Promise<KubeObject>;
  bind(namespace: string, name: string, nodeName: string, uid?: string, options?: ClientWriteOptions): Promise<void>;
  delete(namespace: string | undefined, name: string, options?: DeleteOptions, write?: ClientWriteOptions): Promise<DeleteResult>;
}

/** A client of several resources (LocalClient or RestClient). */
export interface ClusterApi {
  readonly pods: ResourceApi;
  readonly nodes: ResourceApi;
  readonly events: ResourceApi;
  readonly leases: ResourceApi;
  readonly namespaces: ResourceApi;
}
