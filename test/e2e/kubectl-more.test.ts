// More of what kubectl users do every day: patch (strategic, merge, json), server-side apply, replace, explain,
// describe, wait, and the get output forms that lean on server features (paging, includeObject, label columns).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, writeManifest, json, names } from './cluster.ts';
import type { Cluster } from './cluster.ts';

const podYaml = (name: string, labels: Record<string, string> = {}, image = 'busybox:1.36') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {${Object.entries(labels).map(([k, v]) => `${k}: "${v}"`).join(', ')}}
spec:
  containers:
  - name: app
    image: ${image}
    env:
    - name: A
      value: "1"
`;

describe('kubectl patch / apply --server-side / replace / explain / describe / get forms', { timeout: 240_000 }, () => {
  let cluster: Cluster;
  before(async () => { cluster = await startCluster(); });
  after(async () => { await cluster?.stop(); });

  test('patch: strategic (default), merge, json; a no-op patch', async () => {
    await cluster.kubectl(['create', '-f', writeManifest(cluster, 'patchme.yaml', podYaml('patchme', { app: 'p' }))]);
    let r = await cluster.kubectl(['patch', 'pod', 'patchme', '-p', '{"metadata":{"labels":{"smp":"yes"}},"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"2"}]}]}}'], { allowFail: true });
    // env is not an updatable pod field: the strategic merge must merge by name, and the server must refuse the change.
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Pod "patchme" is invalid: spec: Forbidden: pod updates may not change fields other than/);

    r = await cluster.kubectl(['patch', 'pod', 'patchme', '-p', '{"metadata":{"labels":{"smp":"yes"}},"spec":{"containers":[{"name":"app","image":"busybox:1.37"}]}}']);
    assert.equal(r.stdout.trim(), 'pod/patchme patched');
    let pod = json(await cluster.kubectl(['get', 'pod', 'patchme', '-o', 'json']));
    assert.equal(pod.metadata.labels.smp, 'yes');
    assert.equal(pod.spec.containers.length, 1);
    assert.equal(pod.spec.containers[0].image, 'busybox:1.37');
    assert.deepEqual(pod.spec.containers[0].env, [{ name: 'A', value: '1' }]);

    r = await cluster.kubectl(['patch', 'pod', 'patchme', '--type=merge', '-p', '{"metadata":{"labels":{"app":null,"merge":"yes"}}}']);
    assert.equal(r.stdout.trim(), 'pod/patchme patched');
    r = await cluster.kubectl(['patch', 'pod', 'patchme', '--type=json', '-p', '[{"op":"add","path":"/metadata/annotations","value":{"j":"1"}},{"op":"replace","path":"/spec/containers/0/image","value":"busybox:1.36"}]']);
    assert.equal(r.stdout.trim(), 'pod/patchme patched');
    pod = json(await cluster.kubectl(['get', 'pod', 'patchme', '-o', 'json']));
    assert.deepEqual(pod.metadata.labels, { smp: 'yes', merge: 'yes' });
    assert.equal(pod.metadata.annotations.j, '1');
    assert.equal(pod.spec.containers[0].image, 'busybox:1.36');

    r = await cluster.kubectl(['patch', 'pod', 'patchme', '--type=merge', '-p', '{"metadata":{"labels":{"merge":"yes"}}}']);
    assert.equal(r.stdout.trim(), 'pod/patchme patched (no change)');

    r = await cluster.kubectl(['patch', 'pod', 'patchme', '--type=json', '-p', '[{"op":"test","path":"/metadata/labels/merge","value":"no"}]'], { allowFail: true });
    assert.notEqual(r.code, 0);
  });

  test('apply --server-side creates and then updates', async () => {
    const file = writeManifest(cluster, 'ssa.yaml', podYaml('ssa', { v: '1' }));
    let r = await cluster.kubectl(['apply', '--server-side', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/ssa serverside-applied');
    writeManifest(cluster, 'ssa.yaml', podYaml('ssa', { v: '2' }));
    r = await cluster.kubectl(['apply', '--server-side', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/ssa serverside-applied');
    const pod = json(await cluster.kubectl(['get', 'pod', 'ssa', '-o', 'json']));
    assert.equal(pod.metadata.labels.v, '2');
  });

  test('replace -f (PUT) and a stale resourceVersion conflict', async () => {
    const file = writeManifest(cluster, 'rep.yaml', podYaml('rep', { v: '1' }));
    await cluster.kubectl(['create', '-f', file]);
    writeManifest(cluster, 'rep.yaml', podYaml('rep', { v: '2' }));
    const r = await cluster.kubectl(['replace', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod/rep replaced');
    const pod = json(await cluster.kubectl(['get', 'pod', 'rep', '-o', 'json']));
    assert.equal(pod.metadata.labels.v, '2');

    pod.metadata.labels.v = '3';
    pod.metadata.resourceVersion = String(Number(pod.metadata.resourceVersion) - 1);
    const stale = await cluster.kubectl(['replace', '-f', '-'], { stdin: JSON.stringify(pod), allowFail: true });
    assert.notEqual(stale.code, 0);
    assert.match(stale.stderr, /Error from server \(Conflict\): .*Operation cannot be fulfilled on pods "rep": the object has been modified; please apply your changes to the latest version and try again/);
  });

  test('explain pods and a nested field', async () => {
    const r = await cluster.kubectl(['explain', 'pods']);
    assert.match(r.stdout, /^KIND:\s+Pod$/m);
    assert.match(r.stdout, /^VERSION:\s+v1$/m);
    assert.match(r.stdout, /^FIELDS:$/m);
    assert.match(r.stdout, /^\s+spec\s+<PodSpec>$/m);
    const nested = await cluster.kubectl(['explain', 'pod.spec.containers']);
    assert.match(nested.stdout, /^FIELD:\s+containers <\[\]Container>$/m);
    assert.match(nested.stdout, /^\s+name\s+<string> -required-$/m);
    assert.match(nested.stdout, /^\s+image\s+<string>$/m);
  });

  test('describe pod', async () => {
    await cluster.kubectl(['create', '-f', writeManifest(cluster, 'desc.yaml', podYaml('desc', { app: 'desc' }))]);
    const r = await cluster.kubectl(['describe', 'pod', 'desc']);
    assert.match(r.stdout, /^Name:\s+desc$/m);
    assert.match(r.stdout, /^Namespace:\s+default$/m);
    assert.match(r.stdout, /^Labels:\s+app=desc$/m);
    assert.match(r.stdout, /^Status:\s+Pending$/m);
    assert.match(r.stdout, /^Containers:\n\s+app:\n\s+Image:\s+busybox:1\.36$/m);
    assert.match(r.stdout, /^QoS Class:\s+BestEffort$/m);
    assert.match(r.stdout, /^Tolerations:\s+node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s$/m);
    assert.match(r.stdout, /^Events:/m);
  });

  test('get forms: --chunk-size paging, --sort-by, -L, jsonpath, custom-columns; wait for a condition', async () => {
    await cluster.kubectl(['create', 'namespace', 'forms']);
    for (const n of ['e', 'c', 'a', 'd', 'b']) {
      await cluster.kubectl(['create', '-n', 'forms', '-f', writeManifest(cluster, `forms-${n}.yaml`, podYaml(`pod-${n}`, { letter: n }))]);
    }
    const paged = await cluster.kubectl(['get', 'pods', '-n', 'forms', '-o', 'name', '--chunk-size=2']);
    assert.deepEqual(names(paged), ['pod-a', 'pod-b', 'pod-c', 'pod-d', 'pod-e']);
    const pagedTable = await cluster.kubectl(['get', 'pods', '-n', 'forms', '--chunk-size=2', '--no-headers']);
    assert.equal(pagedTable.stdout.trim().split('\n').length, 5);

    const sorted = await cluster.kubectl(['get', 'pods', '-n', 'forms', '--sort-by=.metadata.labels.letter', '--no-headers']);
    assert.deepEqual(sorted.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]), ['pod-a', 'pod-b', 'pod-c', 'pod-d', 'pod-e']);

    const col = await cluster.kubectl(['get', 'pod', '-n', 'forms', 'pod-c', '-L', 'letter']);
    assert.match(col.stdout, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+LETTER\n/);
    assert.match(col.stdout, /\npod-c\s+0\/1\s+Pending\s+0\s+\S+\s+c\n/);

    const jp = await cluster.kubectl(['get', 'pods', '-n', 'forms', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}']);
    assert.equal(jp.stdout.trim(), 'pod-a=Pending pod-b=Pending pod-c=Pending pod-d=Pending pod-e=Pending');

    const cc = await cluster.kubectl(['get', 'pod', '-n', 'forms', 'pod-a', '-o', 'custom-columns=N:.metadata.name,NS:.metadata.namespace,IMG:.spec.containers[0].image']);
    assert.match(cc.stdout, /^N\s+NS\s+IMG\npod-a\s+forms\s+busybox:1\.36\n$/);

    const w = await cluster.kubectl(['wait', '-n', 'forms', '--for=jsonpath={.status.phase}=Pending', 'pod/pod-a', '--timeout=20s']);
    assert.equal(w.stdout.trim(), 'pod/pod-a condition met');
    await cluster.kubectl(['delete', 'pod', '-n', 'forms', 'pod-b', '--wait=false']);
    const gone = await cluster.kubectl(['wait', '-n', 'forms', '--for=delete', 'pod/pod-b', '--timeout=20s'], { allowFail: true });
    assert.equal(gone.code, 0, gone.stderr);
  });

  test('get all, cluster-info', async () => {
    const all = await cluster.kubectl(['get', 'all']);
    assert.match(all.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    // `pod/` prefixes appear only when the category spans several kinds that have objects.
    assert.match(all.stdout, /^(pod\/)?desc\s/m);
    const info = await cluster.kubectl(['cluster-info']);
    assert.match(info.stdout, new RegExp(`Kubernetes control plane.* is running at .*https://127\\.0\\.0\\.1:${cluster.port}`));
  });
});
