// The server stops cleanly on SIGTERM and comes back on the same data dir with everything it stored:
// objects keep their uid, resourceVersions keep growing, and the admin kubeconfig written before still works.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, writeManifest, json } from './cluster.ts';
import type { Cluster } from './cluster.ts';

describe('server restart', { timeout: 180_000 }, () => {
  let cluster: Cluster;
  let podBefore: any;
  let podAfter: any;
  before(async () => { cluster = await startCluster(); });
  after(async () => { await cluster?.stop(); });

  test('SIGTERM exits 0; after a restart the objects, their uids and the kubeconfig are still good', async () => {
    await cluster.kubectl(['create', 'namespace', 'keep']);
    const file = writeManifest(cluster, 'keep.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kept\n  namespace: keep\n  labels:\n    app: kept\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n');
    await cluster.kubectl(['apply', '-f', file]);
    await cluster.kubectl(['label', 'pod', '-n', 'keep', 'kept', 'phase=before']);
    // Let the in-process loops (scheduler: PodScheduled=False with no nodes) settle first.
    await new Promise((r) => setTimeout(r, 2000));
    const before = json(await cluster.kubectl(['get', 'pod', '-n', 'keep', 'kept', '-o', 'json']));
    podBefore = before;

    const exit = await cluster.restart();
    assert.deepEqual(exit, { code: 0, signal: null, killed: false }, 'k8ts server should exit 0 on SIGTERM within 5 s');

    const afterRestart = json(await cluster.kubectl(['get', 'pod', '-n', 'keep', 'kept', '-o', 'json']));
    podAfter = afterRestart;
    assert.equal(afterRestart.metadata.uid, before.metadata.uid);
    assert.equal(afterRestart.metadata.creationTimestamp, before.metadata.creationTimestamp);
    assert.ok(Number(afterRestart.metadata.resourceVersion) >= Number(before.metadata.resourceVersion));
    assert.deepEqual(afterRestart.metadata.labels, { app: 'kept', phase: 'before' });
    assert.deepEqual(afterRestart.spec, before.spec);
    const ns = json(await cluster.kubectl(['get', 'namespace', 'keep', '-o', 'json']));
    assert.equal(ns.status.phase, 'Active');

    await cluster.kubectl(['label', 'pod', '-n', 'keep', 'kept', 'phase=after', '--overwrite']);
    const changed = json(await cluster.kubectl(['get', 'pod', '-n', 'keep', 'kept', '-o', 'json']));
    assert.ok(Number(changed.metadata.resourceVersion) > Number(before.metadata.resourceVersion),
      `resourceVersion after restart ${changed.metadata.resourceVersion} should exceed ${before.metadata.resourceVersion}`);
    // Applying the unchanged file is a no-op: the last-applied annotation survived (and `phase` is not apply's).
    const again = await cluster.kubectl(['apply', '-f', file]);
    assert.equal(again.stdout.trim(), 'pod/kept unchanged');
  });

  test('a restart does not rewrite the PodScheduled condition of a pod whose state did not change', async () => {
    assert.ok(podBefore && podAfter, 'needs the first scenario');
    // Upstream's scheduler skips the status update when PodScheduled is unchanged (podutil.UpdatePodCondition).
    await new Promise((r) => setTimeout(r, 2000));
    const now = json(await cluster.kubectl(['get', 'pod', '-n', 'keep', 'kept', '-o', 'json']));
    assert.deepEqual(podAfter.status.conditions, podBefore.status.conditions);
    assert.deepEqual(now.status.conditions, podBefore.status.conditions);
  });

  test('the default namespaces are not duplicated or reset by a restart', async () => {
    const ns = json(await cluster.kubectl(['get', 'namespaces', '-o', 'json']));
    const namesList = ns.items.map((n: any) => n.metadata.name).sort();
    for (const n of ['default', 'keep', 'kube-node-lease', 'kube-public', 'kube-system']) assert.ok(namesList.includes(n), `${n} in ${namesList}`);
    assert.equal(new Set(namesList).size, namesList.length);
  });
});
