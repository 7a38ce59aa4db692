// Selecting pods: every label-selector form, field selectors, -n / -A, and `get -w` seeing changes as they happen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, writeManifest, names } from './cluster.ts';
import type { Cluster } from './cluster.ts';

const pod = (name: string, namespace: string, labels: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] },
});

describe('kubectl get with selectors, namespaces and watch', { timeout: 240_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster();
    await cluster.kubectl(['create', 'namespace', 'sel']);
    // One file per pod: a `kind: List` file takes another path in kubectl (see kubectl-apply.test.ts).
    for (const p of [
      pod('sel-a', 'sel', { app: 'web', tier: 'front' }),
      pod('sel-b', 'sel', { app: 'web', tier: 'back' }),
      pod('sel-c', 'sel', { app: 'db' }),
      pod('sel-d', 'sel', {}),
    ]) {
      await cluster.kubectl(['create', '-f', writeManifest(cluster, `${p.metadata.name}.json`, p)]);
    }
    await cluster.kubectl(['create', '-f', writeManifest(cluster, 'default.json', pod('in-default', 'default', { app: 'web' }))]);
  });
  after(async () => { await cluster?.stop(); });

  const get = async (...args: string[]) => names(await cluster.kubectl(['get', 'pods', '-n', 'sel', '-o', 'name', ...args]));

  test('label selectors: =, ==, !=, in, notin, exists, !, and a conjunction', async () => {
    assert.deepEqual(await get('-l', 'app=web'), ['sel-a', 'sel-b']);
    assert.deepEqual(await get('-l', 'app==web'), ['sel-a', 'sel-b']);
    assert.deepEqual(await get('-l', 'app!=web'), ['sel-c', 'sel-d']);
    assert.deepEqual(await get('-l', 'tier in (front,back)'), ['sel-a', 'sel-b']);
    assert.deepEqual(await get('-l', 'tier notin (front)'), ['sel-b', 'sel-c', 'sel-d']);
    assert.deepEqual(await get('-l', 'tier'), ['sel-a', 'sel-b']);
    assert.deepEqual(await get('-l', '!tier'), ['sel-c', 'sel-d']);
    assert.deepEqual(await get('-l', 'app=web,tier!=back'), ['sel-a']);
    assert.deepEqual(await get('-l', 'app in (web,db),!tier'), ['sel-c']);
    assert.deepEqual(await get('-l', 'app=nothing'), []);
  });

  test('a malformed label selector is an error', async () => {
    const r = await cluster.kubectl(['get', 'pods', '-n', 'sel', '-l', 'app in (web'], { allowFail: true });
    assert.notEqual(r.code, 0, `expected failure, got stdout: ${r.stdout}`);
    assert.match(r.stderr, /error|unable to parse/i);
    assert.equal(r.stdout, '');
  });

  test('field selectors: metadata.name, status.phase, spec.nodeName; unsupported field label', async () => {
    assert.deepEqual(await get('--field-selector', 'metadata.name=sel-b'), ['sel-b']);
    assert.deepEqual(await get('--field-selector', 'metadata.name!=sel-b'), ['sel-a', 'sel-c', 'sel-d']);
    assert.deepEqual(await get('--field-selector', 'status.phase=Pending'), ['sel-a', 'sel-b', 'sel-c', 'sel-d']);
    assert.deepEqual(await get('--field-selector', 'status.phase=Running'), []);
    assert.deepEqual(await get('--field-selector', 'spec.nodeName='), ['sel-a', 'sel-b', 'sel-c', 'sel-d']);
    assert.deepEqual(await get('--field-selector', 'status.phase!=Succeeded,status.phase!=Failed', '-l', 'app=web'), ['sel-a', 'sel-b']);

    const none = await cluster.kubectl(['get', 'pods', '-n', 'sel', '--field-selector', 'status.phase=Running']);
    assert.match(none.stderr, /No resources found in sel namespace\./);

    const bad = await cluster.kubectl(['get', 'pods', '-n', 'sel', '--field-selector', 'foo=bar'], { allowFail: true });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Error from server \(BadRequest\): .*field label not supported: foo/);
  });

  test('-n, -A, and a namespace with nothing in it', async () => {
    const inSel = await cluster.kubectl(['get', 'pods', '-n', 'sel']);
    assert.match(inSel.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    assert.ok(!inSel.stdout.includes('in-default'));

    const def = names(await cluster.kubectl(['get', 'pods', '-o', 'name']));
    assert.deepEqual(def, ['in-default']);

    const all = await cluster.kubectl(['get', 'pods', '-A']);
    const lines = all.stdout.trim().split('\n');
    assert.match(lines[0], /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    const rows = lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join('/')).sort();
    for (const want of ['default/in-default', 'sel/sel-a', 'sel/sel-b', 'sel/sel-c', 'sel/sel-d']) assert.ok(rows.includes(want), `${want} in ${rows}`);

    const allWeb = await cluster.kubectl(['get', 'pods', '-A', '-l', 'app=web', '-o', 'name']);
    assert.deepEqual(names(allWeb), ['in-default', 'sel-a', 'sel-b']);

    const empty = await cluster.kubectl(['get', 'pods', '-n', 'no-such-ns']);
    assert.equal(empty.stdout, '');
    assert.match(empty.stderr, /No resources found in no-such-ns namespace\./);
  });

  test('get -w prints a line for a pod created and a pod changed after it started', async () => {
    const watch = cluster.spawnKubectl(['get', 'pods', '-n', 'sel', '-w', '--output-watch-events']);
    try {
      await watch.waitFor(/ADDED\s+sel-d/);
      await cluster.kubectl(['create', '-f', writeManifest(cluster, 'w.json', pod('watched', 'sel', { w: '1' }))]);
      await watch.waitFor(/ADDED\s+watched\s/);
      await cluster.kubectl(['label', 'pod', '-n', 'sel', 'sel-a', 'seen=yes']);
      await watch.waitFor(/MODIFIED\s+sel-a\s/);
      await cluster.kubectl(['delete', 'pod', '-n', 'sel', 'watched']);
      await watch.waitFor(/DELETED\s+watched\s/);
    } finally {
      await watch.kill();
    }

    // Plain -w (no event column): the new pod appears as a new row.
    const plain = cluster.spawnKubectl(['get', 'pods', '-n', 'sel', '-w']);
    try {
      await plain.waitFor(/sel-d\s/);
      await cluster.kubectl(['create', '-f', writeManifest(cluster, 'w2.json', pod('watched-2', 'sel', {}))]);
      await plain.waitFor(/\nwatched-2\s+0\/1\s+Pending/);
    } finally {
      await plain.kill();
    }
  });
});
