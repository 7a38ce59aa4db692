// The stock kubectl creating and reading pods: apply (file, directory, stdin; configured/unchanged), create (YAML, JSON),
// duplicate create, get NAME / -o yaml / -o json with server-side defaults, kubectl run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { startCluster, writeManifest, json } from './cluster.ts';
import type { Cluster } from './cluster.ts';

const podYaml = (name: string, labels: Record<string, string>, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
${Object.entries(labels).map(([k, v]) => `    ${k}: ${v}`).join('\n')}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
${extra}`;

describe('kubectl apply / create / get', { timeout: 240_000 }, () => {
  let cluster: Cluster;
  before(async () => { cluster = await startCluster(); });
  after(async () => { await cluster?.stop(); });

  test('apply -f creates, a changed label is configured, the same file again is unchanged', async () => {
    const file = writeManifest(cluster, 'web.yaml', podYaml('web', { app: 'web', env: 'dev' }));
    let r = await cluster.kubectl(['apply', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/web created');

    writeManifest(cluster, 'web.yaml', podYaml('web', { app: 'web', env: 'prod' }));
    r = await cluster.kubectl(['apply', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/web configured');
    const pod = json(await cluster.kubectl(['get', 'pod', 'web', '-o', 'json']));
    assert.deepEqual(pod.metadata.labels, { app: 'web', env: 'prod' });
    const lastApplied = JSON.parse(pod.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    assert.deepEqual(lastApplied.metadata.labels, { app: 'web', env: 'prod' });

    r = await cluster.kubectl(['apply', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/web unchanged');
  });

  test('apply -f DIRECTORY creates every manifest in it', async () => {
    writeManifest(cluster, 'dir/a.yaml', podYaml('dir-a', { group: 'dir' }));
    writeManifest(cluster, 'dir/b.yaml', podYaml('dir-b', { group: 'dir' }));
    const dir = writeManifest(cluster, 'dir/c.json', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dir-c', labels: { group: 'dir' } },
      spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] },
    }).replace(/\/c\.json$/, '');
    const r = await cluster.kubectl(['apply', '-f', dir]);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), ['pod/dir-a created', 'pod/dir-b created', 'pod/dir-c created']);
    const list = json(await cluster.kubectl(['get', 'pods', '-l', 'group=dir', '-o', 'json']));
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items.map((p: any) => p.metadata.name).sort(), ['dir-a', 'dir-b', 'dir-c']);
  });

  test('apply -f - reads the manifest from stdin', async () => {
    const r = await cluster.kubectl(['apply', '-f', '-'], { stdin: podYaml('from-stdin', { src: 'stdin' }) });
    assert.equal(r.stdout.trim(), 'pod/from-stdin created');
    const pod = json(await cluster.kubectl(['get', 'pod', 'from-stdin', '-o', 'json']));
    assert.equal(pod.metadata.labels.src, 'stdin');
  });

  test('create -f YAML and JSON; a duplicate create is AlreadyExists', async () => {
    const yamlFile = writeManifest(cluster, 'create.yaml', podYaml('created-yaml', { via: 'create' }));
    let r = await cluster.kubectl(['create', '-f', yamlFile]);
    assert.equal(r.stdout.trim(), 'pod/created-yaml created');
    const jsonFile = writeManifest(cluster, 'create.json', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'created-json', labels: { via: 'create' } },
      spec: { containers: [{ name: 'app', image: 'busybox:1.36', args: ['sleep', '1'] }] },
    });
    r = await cluster.kubectl(['create', '-f', jsonFile]);
    assert.equal(r.stdout.trim(), 'pod/created-json created');
    const pod = json(await cluster.kubectl(['get', 'pod', 'created-json', '-o', 'json']));
    assert.deepEqual(pod.spec.containers[0].args, ['sleep', '1']);
    // create does not add the last-applied annotation.
    assert.equal(pod.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined);

    r = await cluster.kubectl(['create', '-f', yamlFile], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(AlreadyExists\): error when creating ".*create\.yaml": pods "created-yaml" already exists/);
  });

  test('create -f and apply -f of a kind: List manifest (what `get -o yaml` of several objects produces)', async () => {
    // kubectl 1.32 validates a List client-side with the OpenAPI v2 document (GET /openapi/v2, protobuf Accept)
    // instead of leaving validation to the server as it does for a single object.
    const item = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { from: 'list' } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } });
    const file = writeManifest(cluster, 'list.json', { apiVersion: 'v1', kind: 'List', items: [item('list-a'), item('list-b')] });
    let r = await cluster.kubectl(['create', '-f', file]);
    assert.deepEqual(r.stdout.trim().split('\n'), ['pod/list-a created', 'pod/list-b created']);
    r = await cluster.kubectl(['delete', '-f', file]);
    assert.deepEqual(r.stdout.trim().split('\n'), ['pod "list-a" deleted', 'pod "list-b" deleted']);
    const yamlFile = writeManifest(cluster, 'list.yaml', (await cluster.kubectl(['create', '-f', file, '--dry-run=client', '-o', 'yaml'])).stdout);
    r = await cluster.kubectl(['apply', '-f', yamlFile]);
    assert.deepEqual(r.stdout.trim().split('\n'), ['pod/list-a created', 'pod/list-b created']);
  });

  test('get NAME prints the pod table row', async () => {
    const file = writeManifest(cluster, 'table.yaml', podYaml('table-pod', { app: 'table' }));
    await cluster.kubectl(['apply', '-f', file]);
    const r = await cluster.kubectl(['get', 'pod', 'table-pod']);
    const [header, row, ...rest] = r.stdout.trim().split('\n');
    assert.match(header, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.match(row, /^table-pod\s+0\/1\s+Pending\s+0\s+\d+s$/);
    assert.equal(rest.length, 0);
    const wide = await cluster.kubectl(['get', 'pod', 'table-pod', '-o', 'wide']);
    assert.match(wide.stdout, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
    const labels = await cluster.kubectl(['get', 'pod', 'table-pod', '--show-labels']);
    assert.match(labels.stdout, /table-pod\s+.*app=table/);
    const missing = await cluster.kubectl(['get', 'pod', 'nothere'], { allowFail: true });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /Error from server \(NotFound\): pods "nothere" not found/);
  });

  test('get -o json / -o yaml: what was applied round-trips, plus the server defaults', async () => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'defaults', labels: { app: 'defaults', tier: 'x' }, annotations: { note: 'kept' } },
      spec: {
        containers: [
          { name: 'tagged', image: 'busybox:1.36', command: ['sleep', '3600'], ports: [{ containerPort: 8080, name: 'http' }] },
          { name: 'untagged', image: 'busybox', args: ['sleep', '3600'], env: [{ name: 'A', value: '1' }] },
          { name: 'latest', image: 'busybox:latest' },
        ],
      },
    };
    const file = writeManifest(cluster, 'defaults.json', manifest);
    await cluster.kubectl(['apply', '-f', file]);
    const pod = json(await cluster.kubectl(['get', 'pod', 'defaults', '-o', 'json']));

    assert.equal(pod.apiVersion, 'v1');
    assert.equal(pod.kind, 'Pod');
    assert.equal(pod.metadata.name, 'defaults');
    assert.equal(pod.metadata.namespace, 'default');
    assert.deepEqual(pod.metadata.labels, manifest.metadata.labels);
    assert.equal(pod.metadata.annotations.note, 'kept');
    assert.ok(pod.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    assert.match(pod.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(pod.metadata.resourceVersion, /^\d+$/);
    assert.match(pod.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const [tagged, untagged, latest] = pod.spec.containers;
    assert.deepEqual(pod.spec.containers.map((c: any) => c.name), ['tagged', 'untagged', 'latest']);
    assert.deepEqual(tagged.command, ['sleep', '3600']);
    assert.deepEqual(tagged.ports, [{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
    assert.deepEqual(untagged.args, ['sleep', '3600']);
    assert.deepEqual(untagged.env, [{ name: 'A', value: '1' }]);
    assert.equal(tagged.imagePullPolicy, 'IfNotPresent');
    assert.equal(untagged.imagePullPolicy, 'Always');
    assert.equal(latest.imagePullPolicy, 'Always');
    for (const c of pod.spec.containers) {
      assert.equal(c.terminationMessagePath, '/dev/termination-log', c.name);
      assert.equal(c.terminationMessagePolicy, 'File', c.name);
    }
    assert.equal(pod.spec.restartPolicy, 'Always');
    assert.equal(pod.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(pod.spec.terminationGracePeriodSeconds, 30);
    assert.equal(pod.spec.schedulerName, 'default-scheduler');
    assert.deepEqual(pod.spec.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    assert.equal(pod.status.phase, 'Pending');

    const asYaml = parseYaml((await cluster.kubectl(['get', 'pod', 'defaults', '-o', 'yaml'])).stdout);
    assert.deepEqual(asYaml, pod);
  });

  test('kubectl run web --image=busybox -- sleep 3600', async () => {
    const r = await cluster.kubectl(['run', 'runweb', '--image=busybox', '--', 'sleep', '3600']);
    assert.equal(r.stdout.trim(), 'pod/runweb created');
    const pod = json(await cluster.kubectl(['get', 'pod', 'runweb', '-o', 'json']));
    assert.deepEqual(pod.metadata.labels, { run: 'runweb' });
    assert.equal(pod.spec.containers.length, 1);
    assert.equal(pod.spec.containers[0].name, 'runweb');
    assert.equal(pod.spec.containers[0].image, 'busybox');
    assert.deepEqual(pod.spec.containers[0].args, ['sleep', '3600']);
    assert.equal(pod.spec.containers[0].command, undefined);
    assert.equal(pod.spec.containers[0].imagePullPolicy, 'Always');
  });
});
