/**
 * The three ways the API server answers a patch that cannot be applied, as upstream's patch handler does:
 *
 * - `badRequestError(msg)` (400) for a malformed patch document (api-error.ts);
 * - {@link patchRejectedError} (422 Invalid) where upstream uses NewGenericServerResponse(422): a JSON patch whose
 *   operations do not apply, or an SMP list of lists / retainKeys mismatch. Upstream drops the detail from the
 *   reply, so kubectl prints `The request is invalid: the server rejected our request due to an error in our request`;
 *   the detail rides along as `cause` for our logs only;
 * - {@link patchFailedError} (500, no reason) for the SMP errors upstream returns as plain Go errors, which kubectl
 *   prints as `Error from server: map: map[image:x] does not contain declared merge key: name`.
 */
import { ApiError } from './api-error.ts';

export function patchRejectedError(detail: string): ApiError {
  const err = new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  (err as Error).cause = detail;
  return err;
}

export const patchFailedError = (message: string): ApiError => new ApiError(500, '', message);

/** Go's `%v` for a decoded JSON value (maps print as `map[k:v …]` with sorted keys), so messages read as upstream's. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    return `map[${keys.map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  if (typeof v === 'number') return goFloat(v);
  return String(v);
}

/**
 * The API server decodes patches keeping integers as int64, so those print plainly; other numbers print as fmt's
 * %v for float64: %g with the shortest digits, exponent form when the exponent is < -4 or >= 6 (1.5e+06).
 */
function goFloat(f: number): string {
  if (Number.isSafeInteger(f)) return String(f);
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : f < 0 ? '-Inf' : 'NaN';
  const [mantissa, expPart] = f.toExponential().split('e');
  const exp = Number(expPart);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  return String(f);
}
