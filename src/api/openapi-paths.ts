/**
 * The REST operations of every served resource, described once and rendered by the OpenAPI v3 and v2 generators.
 * kubectl relies on two things here: each PATCH operation carries `x-kubernetes-group-version-kind` (an object)
 * and a `fieldValidation` query parameter; without them `kubectl apply/create` refuse to validate.
 */
import { allResources, type ResourceInfo } from './resources.ts';

export type Action = 'get' | 'list' | 'watch' | 'watchlist' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'connect';
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Param {
  name: string;
  in: 'path' | 'query';
  description: string;
  type: 'string' | 'boolean' | 'integer';
  required?: boolean;
}

export interface Operation {
  method: Method;
  action: Action;
  operationId: string;
  description: string;
  gvk: { group: string; version: string; kind: string };
  params: Param[];
  /** OpenAPI name of the request body schema, if any. */
  body?: string;
  /** Patch operations accept the four patch content types instead of JSON/YAML. */
  patchBody?: boolean;
  /** OpenAPI name of the 200 response schema; undefined means a plain string. */
  response?: string;
  /** Extra responses (201 Created, 202 Accepted) that carry the same schema. */
  alsoCreated?: boolean;
  alsoAccepted?: boolean;
  streaming?: boolean;
}

export interface PathItem {
  path: string;
  params: Param[];
  ops: Operation[];
}

const q = (name: string, type: Param['type'], description: string): Param => ({ name, in: 'query', type, description });

export const commonParams = {
  pretty: q('pretty', 'string', "If 'true', the output is indented."),
  dryRun: q('dryRun', 'string', 'When set to All, the request is validated but not persisted.'),
  fieldManager: q('fieldManager', 'string', 'Name of the actor making the change, recorded in managedFields.'),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'What to do with unknown or duplicate fields in the body: Ignore, Warn (the default) or Strict.',
  ),
  force: q('force', 'boolean', 'For apply patches: take ownership of conflicting fields. Must be unset for other patches.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'Seconds the object gets to terminate; 0 deletes at once.'),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated; use propagationPolicy.'),
  propagationPolicy: q('propagationPolicy', 'string', 'What happens to dependents: Orphan, Background or Foreground.'),
  ignoreStoreReadError: q(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'boolean',
    'Delete an object that cannot be read from storage; unsafe.',
  ),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK events in a watch.'),
  continue: q('continue', 'string', 'Token from a previous page to fetch the next one.'),
  fieldSelector: q('fieldSelector', 'string', 'Only return objects whose fields match, such as spec.nodeName=node1.'),
  labelSelector: q('labelSelector', 'string', 'Only return objects whose labels match.'),
  limit: q('limit', 'integer', 'Most items to return in one page.'),
  resourceVersion: q('resourceVersion', 'string', 'Which version of the collection to serve or watch from.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'How resourceVersion is applied to a list: Exact or NotOlderThan.'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', 'Start a watch with synthetic ADDED events for the current state.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Seconds after which a list or watch call ends.'),
  watch: q('watch', 'boolean', 'Stream changes instead of returning a list.'),
};

const listParams = (p = commonParams) => [
  p.allowWatchBookmarks, p.continue, p.fieldSelector, p.labelSelector, p.limit,
  p.resourceVersion, p.resourceVersionMatch, p.sendInitialEvents, p.timeoutSeconds, p.watch,
];
const writeParams = (p = commonParams) => [p.dryRun, p.fieldManager, p.fieldValidation];
const patchParams = (p = commonParams) => [p.dryRun, p.fieldManager, p.fieldValidation, p.force];
const deleteParams = (p = commonParams) => [p.dryRun, p.gracePeriodSeconds, p.ignoreStoreReadError, p.orphanDependents, p.propagationPolicy];

const pathParam = (name: string, description: string): Param => ({ name, in: 'path', type: 'string', required: true, description });

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** OpenAPI schema name of a kind of a resource's group. */
export function schemaName(r: ResourceInfo, kind: string): string {
  const pkg = r.group === '' ? 'core' : r.group.split('.')[0];
  return `io.k8s.api.${pkg}.${r.version}.${kind}`;
}

function idPart(r: ResourceInfo): string {
  const g = r.group === '' ? 'core' : r.group.split('.')[0];
  return g[0].toUpperCase() + g.slice(1) + r.version[0].toUpperCase() + r.version.slice(1);
}

/** Every path of one resource with its operations, following the verbs and subresources in resources.ts. */
export function resourcePaths(r: ResourceInfo): PathItem[] {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const gvk = (kind: string) => ({ group: r.group, version: r.version, kind });
  const G = idPart(r);
  const K = r.kind;
  const NK = r.namespaced ? `Namespaced${K}` : K;
  const nsParam = pathParam('namespace', 'Namespace of the objects.');
  const nameParam = pathParam('name', `Name of the ${r.singular}.`);
  const scope = r.namespaced ? [nsParam] : [];
  const coll = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`;
  const item = `${coll}/{name}`;
  const kindRef = schemaName(r, K);
  const listRef = schemaName(r, r.listKind);
  const has = (v: string) => r.verbs.includes(v);
  const out: PathItem[] = [];

  const collOps: Operation[] = [];
  if (has('list'))
    collOps.push({
      method: 'get', action: 'list', operationId: `list${G}${NK}`, description: `List or watch ${r.plural}.`,
      gvk: gvk(K), params: listParams(), response: listRef, streaming: true,
    });
  if (has('create'))
    collOps.push({
      method: 'post', action: 'post', operationId: `create${G}${NK}`, description: `Create a ${r.singular}.`,
      gvk: gvk(K), params: writeParams(), body: kindRef, response: kindRef, alsoCreated: true, alsoAccepted: true,
    });
  if (has('deletecollection'))
    collOps.push({
      method: 'delete', action: 'deletecollection', operationId: `delete${G}Collection${NK}`,
      description: `Delete a collection of ${r.plural}.`, gvk: gvk(K),
      params: [...listParams().filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks'), ...deleteParams()],
      body: `${META}.DeleteOptions`, response: `${META}.Status`,
    });
  if (collOps.length) out.push({ path: coll, params: [...scope, commonParams.pretty], ops: collOps });

  const itemOps: Operation[] = [];
  if (has('get'))
    itemOps.push({ method: 'get', action: 'get', operationId: `read${G}${NK}`, description: `Read the given ${r.singular}.`, gvk: gvk(K), params: [], response: kindRef });
  if (has('update'))
    itemOps.push({
      method: 'put', action: 'put', operationId: `replace${G}${NK}`, description: `Replace the given ${r.singular}.`,
      gvk: gvk(K), params: writeParams(), body: kindRef, response: kindRef, alsoCreated: true,
    });
  if (has('delete'))
    itemOps.push({
      method: 'delete', action: 'delete', operationId: `delete${G}${NK}`, description: `Delete the given ${r.singular}.`,
      gvk: gvk(K), params: deleteParams(), body: `${META}.DeleteOptions`, response: kindRef, alsoAccepted: true,
    });
  if (has('patch'))
    itemOps.push({
      method: 'patch', action: 'patch', operationId: `patch${G}${NK}`, description: `Partially update the given ${r.singular}.`,
      gvk: gvk(K), params: patchParams(), patchBody: true, response: kindRef, alsoCreated: true,
    });
  if (itemOps.length) out.push({ path: item, params: [nameParam, ...scope, commonParams.pretty], ops: itemOps });

  for (const [sub, info] of Object.entries(r.subresources)) {
    const S = sub[0].toUpperCase() + sub.slice(1);
    const path = `${item}/${sub}`;
    const ops: Operation[] = [];
    const sv = (v: string) => info.verbs.includes(v);
    if (sub === 'status' || sub === 'finalize') {
      if (sv('get'))
        ops.push({ method: 'get', action: 'get', operationId: `read${G}${NK}${S}`, description: `Read the ${sub} of the given ${r.singular}.`, gvk: gvk(K), params: [], response: kindRef });
      if (sv('update'))
        ops.push({
          method: 'put', action: 'put', operationId: `replace${G}${NK}${S}`, description: `Replace the ${sub} of the given ${r.singular}.`,
          gvk: gvk(K), params: writeParams(), body: kindRef, response: kindRef, alsoCreated: true,
        });
      if (sv('patch'))
        ops.push({
          method: 'patch', action: 'patch', operationId: `patch${G}${NK}${S}`, description: `Partially update the ${sub} of the given ${r.singular}.`,
          gvk: gvk(K), params: patchParams(), patchBody: true, response: kindRef, alsoCreated: true,
        });
    } else if (sub === 'binding') {
      ops.push({
        method: 'post', action: 'post', operationId: `create${G}${NK}Binding`, description: `Bind the given ${r.singular} to a node.`,
        gvk: gvk('Binding'), params: writeParams(), body: schemaName(r, 'Binding'), response: schemaName(r, 'Binding'),
        alsoCreated: true, alsoAccepted: true,
      });
    } else if (sub === 'log') {
      ops.push({
        method: 'get', action: 'get', operationId: `read${G}${NK}Log`, description: `Read the log of a container of the given ${r.singular}.`,
        gvk: gvk(K), params: [
          q('container', 'string', 'Container to read; may be omitted when the pod has one container.'),
          q('follow', 'boolean', 'Keep streaming new log lines.'),
          q('insecureSkipTLSVerifyBackend', 'boolean', 'Do not verify the serving certificate of the node.'),
          q('limitBytes', 'integer', 'Stop after this many bytes.'),
          q('previous', 'boolean', 'Read the log of the previous, terminated container.'),
          q('sinceSeconds', 'integer', 'Only lines from the last this many seconds.'),
          q('sinceTime', 'string', 'Only lines after this RFC 3339 time.'),
          q('stream', 'string', 'Which stream: All, Stdout or Stderr.'),
          q('tailLines', 'integer', 'Only this many lines from the end.'),
          q('timestamps', 'boolean', 'Prefix every line with its timestamp.'),
        ],
      });
    } else {
      // exec, attach, portforward: connect operations, upgraded to a stream.
      const streamParams =
        sub === 'portforward'
          ? [q('ports', 'integer', 'Ports to forward.')]
          : [
              ...(sub === 'exec' ? [q('command', 'string', 'Command to run, one parameter per argument.')] : []),
              q('container', 'string', 'Container to use; may be omitted when the pod has one container.'),
              q('stderr', 'boolean', 'Stream standard error.'),
              q('stdin', 'boolean', 'Stream standard input.'),
              q('stdout', 'boolean', 'Stream standard output.'),
              q('tty', 'boolean', 'Allocate a terminal.'),
            ];
      for (const method of ['get', 'post'] as const) {
        if (!sv(method === 'get' ? 'get' : 'create')) continue;
        const verb = method === 'get' ? 'connectGet' : 'connectPost';
        ops.push({
          method, action: 'connect', operationId: `${verb}${G}${NK}${S === 'Portforward' ? 'Portforward' : S}`,
          description: `Connect to ${sub} of the given ${r.singular}.`, gvk: gvk(info.kind), params: streamParams,
        });
      }
    }
    if (ops.length) out.push({ path, params: [nameParam, ...scope], ops });
  }

  if (r.namespaced && has('list'))
    out.push({
      path: `${base}/${r.plural}`,
      params: [commonParams.pretty],
      ops: [{
        method: 'get', action: 'list', operationId: `list${G}${K}ForAllNamespaces`, description: `List or watch ${r.plural} of all namespaces.`,
        gvk: gvk(K), params: listParams(), response: listRef, streaming: true,
      }],
    });

  if (has('watch')) {
    const w = r.group === '' ? `/api/${r.version}/watch` : `/apis/${r.group}/${r.version}/watch`;
    const wColl = r.namespaced ? `${w}/namespaces/{namespace}/${r.plural}` : `${w}/${r.plural}`;
    const watchOp = (action: Action, id: string, description: string): Operation => ({
      method: 'get', action, operationId: id, description, gvk: gvk(K), params: listParams(),
      response: `${META}.WatchEvent`, streaming: true,
    });
    out.push({ path: wColl, params: [...scope, commonParams.pretty], ops: [watchOp('watchlist', `watch${G}${NK}List`, `Watch ${r.plural} (deprecated: use list with watch=true).`)] });
    out.push({ path: `${wColl}/{name}`, params: [nameParam, ...scope, commonParams.pretty], ops: [watchOp('watch', `watch${G}${NK}`, `Watch one ${r.singular} (deprecated: use list with watch=true and a fieldSelector).`)] });
    if (r.namespaced)
      out.push({ path: `${w}/${r.plural}`, params: [commonParams.pretty], ops: [watchOp('watchlist', `watch${G}${K}ListForAllNamespaces`, `Watch ${r.plural} of all namespaces (deprecated).`)] });
  }
  return out;
}

/** Group/version path (`api/v1`, `apis/coordination.k8s.io/v1`) → resources served there. */
export function groupVersions(): Map<string, ResourceInfo[]> {
  const m = new Map<string, ResourceInfo[]>();
  for (const r of allResources) {
    const gv = r.group === '' ? `api/${r.version}` : `apis/${r.group}/${r.version}`;
    m.set(gv, [...(m.get(gv) ?? []), r]);
  }
  return m;
}
