/**
 * A read-only, always-empty `services` resource. k8ts runs no services, but `kubectl cluster-info` (and the
 * `all` category) look services up through discovery and fail with `the server doesn't have a resource type
 * "services"` when none is served (KUBECTL-API §1). Lists are empty, gets are 404, watches stay quiet, writes are 405.
 * Used only when the registry serves no services of its own.
 */
import type { KubeList, KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { methodNotAllowedError, notFoundError } from '../machinery/api-error.ts';
import type { ResourceRest } from '../registry/rest.ts';

export const servicesInfo: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'Service',
  listKind: 'ServiceList',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  verbs: ['get', 'list', 'watch'],
  subresources: {},
};

const refuse = (): never => {
  throw methodNotAllowedError('write');
};

export function emptyServicesRest(): ResourceRest {
  return {
    info: servicesInfo,
    async get(_ns, name): Promise<KubeObject> {
      throw notFoundError('services', name);
    },
    async list(): Promise<KubeList> {
      return { apiVersion: 'v1', kind: 'ServiceList', metadata: { resourceVersion: '1' }, items: [] };
    },
    async watch() {
      return { stop() {} };
    },
    create: async () => refuse(),
    update: async () => refuse(),
    patch: async () => refuse(),
    delete: async () => refuse(),
    deleteCollection: async () => refuse(),
  };
}
