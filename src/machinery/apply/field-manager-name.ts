/**
 * The manager name a write is recorded under when the client sent no `fieldManager`: the User-Agent up to its
 * first `/`, printable characters only, at most 128 bytes (kube-apiserver's prefixFromUserAgent).
 *
 * @example
 *   fieldManagerName(undefined, 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07') // 'kubectl'
 */
const MAX_BYTES = 128;

export function fieldManagerName(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  let out = '';
  for (const ch of (userAgent ?? '').split('/')[0]) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u.test(ch) || (ch !== ' ' && /\p{Zs}/u.test(ch))) continue;
    if (Buffer.byteLength(out + ch) > MAX_BYTES) break;
    out += ch;
  }
  return out;
}
