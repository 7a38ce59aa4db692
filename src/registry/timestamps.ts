/**
 * Kubernetes metav1.Time on the wire: RFC 3339 in UTC with whole seconds, `2026-11-25T18:29:08Z`.
 *
 *   rfc3339(Date.now() + 30_000)
 */
let cachedSecond = -1;
let cachedText = '';

export function rfc3339(ms: number = Date.now()): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    cachedSecond = second;
  }
  return cachedText;
}
