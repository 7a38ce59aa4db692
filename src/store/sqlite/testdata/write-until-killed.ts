// Child process for the durability test: writes forever, printing each acknowledged write as "<revision> <key>".
// The parent kills it with SIGKILL mid-stream and checks every printed write survived.
import { writeSync } from 'node:fs';
import { openSqliteStore } from '../sqlite-store.ts';

const store = openSqliteStore(process.argv[2]!);
const value = 'x'.repeat(2048);
const live = new Map<string, number>();
for (let i = 0; ; i++) {
  const key = `/d/${i % 50}`;
  const rev = live.get(key);
  const kv = rev === undefined ? await store.create(key, `${i}:${value}`) : await store.update(key, `${i}:${value}`, rev);
  live.set(key, kv.modRevision);
  // Synchronous write: a line is printed only after the commit returned, and never sits in a buffer.
  writeSync(1, `${kv.modRevision} ${key} ${i}\n`);
}
