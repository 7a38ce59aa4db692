import { nodes } from '../api/resources.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from '../api/meta-validation.ts';
import { defaultNode } from '../api/node-defaults.ts';
import type { Strategy, SubresourceStrategy } from './strategy.ts';

/**
 * Nodes (pkg/registry/core/node/strategy.go): create keeps the status the kubelet registers with
 * (allocatable defaults to capacity); updates keep the old status, which changes through nodes/status.
 */
export const nodeStrategy: Strategy = {
  info: nodes,
  defaults: (node) => defaultNode(node),
  prepareForCreate() {},
  validate: (node) => validateObjectMeta(node.metadata, { namespaced: false }),
  prepareForUpdate(node, old) {
    if (old.status === undefined) delete node.status;
    else node.status = old.status;
  },
  validateUpdate: (node, old) => validateObjectMetaUpdate(node.metadata, old.metadata),
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  returnDeletedObject: false,
};

/** nodes/status: the old spec stays. */
export const nodeStatusStrategy: SubresourceStrategy = {
  prepareForUpdate(node, old) {
    if (old.spec === undefined) delete node.spec;
    else node.spec = old.spec;
    defaultNode(node);
  },
  validateUpdate: (node, old) => validateObjectMetaUpdate(node.metadata, old.metadata),
};
