/**
 * Create-only "review" resources that answer questions about the caller, for `kubectl auth whoami` and
 * `kubectl auth can-i [--list]`. k8ts authorizes every authenticated user as cluster-admin, so every access review
 * is allowed.
 *
 *   POST /apis/authentication.k8s.io/v1/selfsubjectreviews          → status.userInfo {username, groups}
 *   POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews     → status.allowed = true
 *   POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews      → status.resourceRules = [* on *]
 */
import type { KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { methodNotAllowedError } from '../machinery/api-error.ts';
import type { ResourceRest, UserInfo } from '../registry/rest.ts';

const reviewInfo = (group: string, kind: string, plural: string): ResourceInfo => ({
  group,
  version: 'v1',
  kind,
  listKind: `${kind}List`,
  plural,
  singular: plural.replace(/s$/, ''),
  namespaced: false,
  shortNames: [],
  categories: [],
  verbs: ['create'],
  subresources: {},
});

const refuse = (): never => {
  throw methodNotAllowedError('');
};

/** Review resources answer from the caller alone; their (often protobuf) request bodies need no full decoding. */
const reviews = new WeakSet<ResourceRest>();
export const isReviewRest = (rest: ResourceRest) => reviews.has(rest);

function reviewRest(info: ResourceInfo, answer: (body: KubeObject, user: UserInfo) => Record<string, unknown>): ResourceRest {
  const rest: ResourceRest = {
    info,
    get: async () => refuse(),
    list: async () => refuse(),
    watch: async () => refuse(),
    async create(_ns, body, options) {
      return {
        kind: info.kind,
        apiVersion: `${info.group}/${info.version}`,
        metadata: { creationTimestamp: null },
        spec: body.spec ?? {},
        status: answer(body, options.user),
      } as KubeObject;
    },
    update: async () => refuse(),
    patch: async () => refuse(),
    delete: async () => refuse(),
    deleteCollection: async () => refuse(),
  };
  reviews.add(rest);
  return rest;
}

const reason = 'k8ts authorizes every authenticated user as cluster-admin';

export function authReviewResources(): ResourceRest[] {
  return [
    reviewRest(reviewInfo('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews'), (_b, user) => ({
      userInfo: { username: user.name, groups: user.groups },
    })),
    reviewRest(reviewInfo('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews'), () => ({ allowed: true, reason })),
    reviewRest(reviewInfo('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews'), () => ({
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    })),
  ];
}
