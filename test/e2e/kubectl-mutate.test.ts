// Changing and removing objects: label / annotate, delete (name, -f, --all, -l), create namespace (protobuf body on
// kubectl 1.32) and namespace deletion taking its pods with it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, writeManifest, json, names } from './cluster.ts';
import type { Cluster } from './cluster.ts';

const pod = (name: string, labels: Record<string, string> = {}, namespace?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels, ...(namespace ? { namespace } : {}) },
  spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] },
});

describe('kubectl label / annotate / delete / namespaces', { timeout: 240_000 }, () => {
  let cluster: Cluster;
  before(async () => { cluster = await startCluster(); });
  after(async () => { await cluster?.stop(); });

  const create = async (obj: object, file = `${(obj as any).metadata.name}.json`) => {
    const path = writeManifest(cluster, file, obj);
    await cluster.kubectl(['create', '-f', path]);
    return path;
  };

  test('label: add, refuse to overwrite without --overwrite, --overwrite, remove with key-', async () => {
    await create(pod('lab', { app: 'lab' }));
    let r = await cluster.kubectl(['label', 'pod', 'lab', 'env=dev']);
    assert.equal(r.stdout.trim(), 'pod/lab labeled');
    assert.deepEqual(json(await cluster.kubectl(['get', 'pod', 'lab', '-o', 'json'])).metadata.labels, { app: 'lab', env: 'dev' });

    r = await cluster.kubectl(['label', 'pod', 'lab', 'env=prod'], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /'env' already has a value \(dev\), and --overwrite is false/);

    r = await cluster.kubectl(['label', 'pod', 'lab', 'env=prod', '--overwrite']);
    assert.equal(r.stdout.trim(), 'pod/lab labeled');
    assert.equal(json(await cluster.kubectl(['get', 'pod', 'lab', '-o', 'json'])).metadata.labels.env, 'prod');

    r = await cluster.kubectl(['label', 'pod', 'lab', 'env-']);
    assert.equal(r.stdout.trim(), 'pod/lab unlabeled');
    assert.deepEqual(json(await cluster.kubectl(['get', 'pod', 'lab', '-o', 'json'])).metadata.labels, { app: 'lab' });

    r = await cluster.kubectl(['label', 'pod', 'lab', 'bad key=x'], { allowFail: true });
    assert.notEqual(r.code, 0);
  });

  test('an invalid label value (sent by merge patch, past kubectl\'s own check) is rejected as Invalid', async () => {
    await create(pod('lab-invalid'));
    const r = await cluster.kubectl(['patch', 'pod', 'lab-invalid', '--type=merge', '-p', '{"metadata":{"labels":{"env":"bad value!"}}}'], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Pod "lab-invalid" is invalid: metadata\.labels: Invalid value: "bad value!": a valid label must be an empty string or consist of alphanumeric characters/);
    assert.deepEqual(json(await cluster.kubectl(['get', 'pod', 'lab-invalid', '-o', 'json'])).metadata.labels ?? {}, {});
  });

  test('annotate: add and remove', async () => {
    await create(pod('ann'));
    let r = await cluster.kubectl(['annotate', 'pod', 'ann', 'team=core', 'note=hello world']);
    assert.equal(r.stdout.trim(), 'pod/ann annotated');
    let p = json(await cluster.kubectl(['get', 'pod', 'ann', '-o', 'json']));
    assert.equal(p.metadata.annotations.team, 'core');
    assert.equal(p.metadata.annotations.note, 'hello world');
    r = await cluster.kubectl(['annotate', 'pod', 'ann', 'team-']);
    assert.equal(r.stdout.trim(), 'pod/ann annotated');
    p = json(await cluster.kubectl(['get', 'pod', 'ann', '-o', 'json']));
    assert.equal(p.metadata.annotations.team, undefined);
    assert.equal(p.metadata.annotations.note, 'hello world');
  });

  test('delete by name, by -f, by -l, and --all', async () => {
    await cluster.kubectl(['create', 'namespace', 'del']);
    await create(pod('d-name', {}, 'del'));
    const file = await create(pod('d-file', {}, 'del'));
    await create(pod('d-l1', { kill: 'me' }, 'del'));
    await create(pod('d-l2', { kill: 'me' }, 'del'));
    await create(pod('d-keep1', {}, 'del'));
    await create(pod('d-keep2', {}, 'del'));

    let r = await cluster.kubectl(['delete', 'pod', '-n', 'del', 'd-name']);
    assert.equal(r.stdout.trim(), 'pod "d-name" deleted');
    r = await cluster.kubectl(['get', 'pod', '-n', 'del', 'd-name'], { allowFail: true });
    assert.match(r.stderr, /Error from server \(NotFound\): pods "d-name" not found/);

    r = await cluster.kubectl(['delete', '-f', file]);
    assert.equal(r.stdout.trim(), 'pod "d-file" deleted');

    r = await cluster.kubectl(['delete', 'pods', '-n', 'del', '-l', 'kill=me']);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), ['pod "d-l1" deleted', 'pod "d-l2" deleted']);
    assert.deepEqual(names(await cluster.kubectl(['get', 'pods', '-n', 'del', '-o', 'name'])), ['d-keep1', 'd-keep2']);

    r = await cluster.kubectl(['delete', 'pods', '-n', 'del', '--all']);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), ['pod "d-keep1" deleted', 'pod "d-keep2" deleted']);
    r = await cluster.kubectl(['get', 'pods', '-n', 'del']);
    assert.match(r.stderr, /No resources found in del namespace\./);

    r = await cluster.kubectl(['delete', 'pod', '-n', 'del', 'd-name'], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(NotFound\): pods "d-name" not found/);
  });

  test('kubectl create namespace (protobuf body) and its defaults', async () => {
    const r = await cluster.kubectl(['create', 'namespace', 'proto-ns']);
    assert.equal(r.stdout.trim(), 'namespace/proto-ns created');
    const ns = json(await cluster.kubectl(['get', 'namespace', 'proto-ns', '-o', 'json']));
    assert.equal(ns.metadata.name, 'proto-ns');
    assert.equal(ns.metadata.labels['kubernetes.io/metadata.name'], 'proto-ns');
    assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
    assert.equal(ns.status.phase, 'Active');
    const table = await cluster.kubectl(['get', 'ns']);
    assert.match(table.stdout, /^NAME\s+STATUS\s+AGE\n/);
    for (const n of ['default', 'kube-system', 'kube-public', 'proto-ns']) assert.match(table.stdout, new RegExp(`\\n${n}\\s+Active\\s`), n);
    const dup = await cluster.kubectl(['create', 'namespace', 'proto-ns'], { allowFail: true });
    assert.match(dup.stderr, /Error from server \(AlreadyExists\): namespaces "proto-ns" already exists/);
    const bad = await cluster.kubectl(['create', 'namespace', 'Bad_NS'], { allowFail: true });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /The Namespace "Bad_NS" is invalid: metadata\.name: Invalid value: "Bad_NS"/);
  });

  test('deleting a namespace deletes its pods, then the namespace', async () => {
    await cluster.kubectl(['create', 'namespace', 'doomed']);
    await create(pod('p1', {}, 'doomed'));
    await create(pod('p2', {}, 'doomed'));
    assert.deepEqual(names(await cluster.kubectl(['get', 'pods', '-n', 'doomed', '-o', 'name'])), ['p1', 'p2']);

    const r = await cluster.kubectl(['delete', 'namespace', 'doomed'], { timeoutMs: 60_000 });
    assert.equal(r.stdout.trim(), 'namespace "doomed" deleted');
    const ns = await cluster.kubectl(['get', 'namespace', 'doomed'], { allowFail: true });
    assert.match(ns.stderr, /Error from server \(NotFound\): namespaces "doomed" not found/);
    const pods = await cluster.kubectl(['get', 'pods', '-n', 'doomed']);
    assert.match(pods.stderr, /No resources found in doomed namespace\./);
    const all = await cluster.kubectl(['get', 'pods', '-A', '-o', 'json']);
    assert.equal(json(all).items.filter((p: any) => p.metadata.namespace === 'doomed').length, 0);
  });

  test('the default namespace may not be deleted', async () => {
    const r = await cluster.kubectl(['delete', 'namespace', 'default', '--wait=false'], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(Forbidden\): namespaces "default" is forbidden: this namespace may not be deleted/);
  });
});
