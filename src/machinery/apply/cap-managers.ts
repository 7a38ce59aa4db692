/**
 * Keeps managedFields from growing without bound (kube-apiserver's capManagersManager): beyond 10 Update
 * entries, the oldest are folded, per apiVersion, into one `ancient-changes` entry.
 */
import { compareStrings } from './path-element.ts';
import { managerId, type Managers } from './managers.ts';

export const MAX_UPDATE_MANAGERS = 10;
const BUCKET = 'ancient-changes';

export function capUpdateManagers(managers: Managers, max = MAX_UPDATE_MANAGERS): void {
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  const updaters = [...managers.entries()]
    .filter(([, m]) => m.operation === 'Update')
    .sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || compareStrings(ia, ib))
    .map(([id]) => id);
  let count = updaters.length;
  const firstOfVersion = new Map<string, string>();
  for (let i = 0; i < updaters.length && count > max; i++) {
    const m = managers.get(updaters[i])!;
    const bucketId = managerId({ manager: BUCKET, operation: 'Update', apiVersion: m.apiVersion });
    const first = firstOfVersion.get(m.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, updaters[i]);
      continue;
    }
    if (!managers.has(bucketId)) {
      // The first (oldest) manager of this version becomes the bucket.
      const { subresource: _dropped, ...seed } = managers.get(first)!;
      managers.delete(first);
      managers.set(bucketId, { ...seed, manager: BUCKET });
    }
    const bucket = managers.get(bucketId)!;
    managers.set(bucketId, { ...bucket, set: m.set.union(bucket.set), time: m.time });
    managers.delete(updaters[i]);
    count--;
  }
}
