/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `129e6`), parsed and printed as apimachinery's
 * `resource.Quantity` does: exact values (nano precision, rounded up), and the canonical string the
 * API server writes back (`0.5` → `500m`, `1536Mi` stays, `1.5Gi` → `1536Mi`, `1000m` → `1`).
 *
 *   parseQuantity('250m')      // 0.25  (base units: cores for cpu, bytes for memory)
 *   canonicalQuantity('0.5')   // '500m'
 *   quantityError('abc')       // "quantities must match the regular expression '…'"
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";
export const QUANTITY_NUMERIC_ERROR = "unable to parse quantity's numeric part";

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

export interface ParsedQuantity {
  /** The value times 10^9, rounded away from zero to a whole nano. */
  nanos: bigint;
  format: QuantityFormat;
}

const NANO = 1_000_000_000n;
const DEC_SUFFIX_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN_SUFFIX_POW: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const EXP_TO_DEC_SUFFIX = new Map(Object.entries(DEC_SUFFIX_EXP).map(([s, e]) => [e, s]));
const BIN_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Go's parseQuantityString: splits sign, integer digits, fraction digits and suffix. */
function scan(str: string): { positive: boolean; num: string; denom: string; suffix: string } {
  let pos = 0;
  const end = str.length;
  let positive = true;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    pos = i;
  }
  const suffixStart = pos;
  while (pos < end && 'eEinumkKMGTP'.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityError(QUANTITY_FORMAT_ERROR);
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

function interpretSuffix(suffix: string): { base: 10 | 2; exp: number; format: QuantityFormat } {
  if (suffix in DEC_SUFFIX_EXP) return { base: 10, exp: DEC_SUFFIX_EXP[suffix], format: 'DecimalSI' };
  if (suffix in BIN_SUFFIX_POW) return { base: 2, exp: BIN_SUFFIX_POW[suffix] * 10, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[-+]?[0-9]+$/.test(suffix.slice(1))) {
    return { base: 10, exp: Number.parseInt(suffix.slice(1), 10), format: 'DecimalExponent' };
  }
  throw new QuantityError(QUANTITY_SUFFIX_ERROR);
}

/** Parses exactly; throws QuantityError with Kubernetes' message. Numbers (from YAML `cpu: 1`) are accepted. */
export function parseQuantityExact(input: string | number): ParsedQuantity {
  const str = typeof input === 'number' ? String(input) : String(input ?? '').trim();
  if (str.length === 0) throw new QuantityError(QUANTITY_FORMAT_ERROR);
  if (str === '0') return { nanos: 0n, format: 'DecimalSI' };
  const { positive, num, denom, suffix } = scan(str);
  const { base, exp, format } = interpretSuffix(suffix);
  if (!/^[0-9]+$/.test(num) || !/^[0-9]*$/.test(denom)) throw new QuantityError(QUANTITY_NUMERIC_ERROR);
  // value = mantissa × 10^scale (× 2^exp for binary)
  let mantissa = BigInt(num + denom);
  let scale = -denom.length;
  if (base === 10) scale += exp;
  else mantissa *= 2n ** BigInt(exp);
  // to nanos, rounding up (away from zero) any fraction of a nano
  const shift = scale + 9;
  let nanos: bigint;
  if (shift >= 0) nanos = mantissa * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    nanos = mantissa / div + (mantissa % div === 0n ? 0n : 1n);
  }
  return { nanos: positive ? nanos : -nanos, format };
}

/** The Kubernetes error message for a bad quantity, or undefined when it parses. */
export function quantityError(input: unknown): string | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return QUANTITY_FORMAT_ERROR;
  try {
    parseQuantityExact(input);
    return undefined;
  } catch (err) {
    return err instanceof QuantityError ? err.message : QUANTITY_FORMAT_ERROR;
  }
}

export const isValidQuantity = (input: unknown): boolean => quantityError(input) === undefined;

/** Value in base units (cores for cpu, bytes for memory) as a float. Throws QuantityError. */
export function parseQuantity(input: string | number): number {
  const { nanos } = parseQuantityExact(input);
  const whole = nanos / NANO;
  const frac = nanos % NANO;
  return Number(whole) + Number(frac) / 1e9;
}

/** -1, 0 or 1 as a < b, a == b, a > b. Throws QuantityError on bad input. */
export function compareQuantities(a: string | number, b: string | number): -1 | 0 | 1 {
  const x = parseQuantityExact(a).nanos;
  const y = parseQuantityExact(b).nanos;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Go's Quantity.String() for a parsed value. */
export function formatQuantity(q: ParsedQuantity): string {
  const { nanos } = q;
  if (nanos === 0n) return '0';
  const neg = nanos < 0n;
  const abs = neg ? -nanos : nanos;
  const sign = neg ? '-' : '';
  let format = q.format;
  if (format === 'BinarySI') {
    if (abs < 1024n * NANO || abs % NANO !== 0n) format = 'DecimalSI';
    else {
      let amount = abs / NANO;
      let pow = 0;
      while (amount % 1024n === 0n && pow < 6) {
        amount /= 1024n;
        pow++;
      }
      return `${sign}${amount}${BIN_SUFFIXES[pow]}`;
    }
  }
  let amount = abs;
  let exponent = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent++;
  }
  const r = ((exponent % 3) + 3) % 3;
  if (r === 1) {
    amount *= 10n;
    exponent -= 1;
  } else if (r === 2) {
    amount *= 100n;
    exponent -= 2;
  }
  let suffix: string;
  if (format === 'DecimalExponent') suffix = exponent === 0 ? '' : `e${exponent}`;
  else suffix = EXP_TO_DEC_SUFFIX.get(exponent) ?? `e${exponent}`;
  return `${sign}${amount}${suffix}`;
}

/** The canonical form Kubernetes stores and returns (`0.5` → `500m`). Throws QuantityError. */
export const canonicalQuantity = (input: string | number): string => formatQuantity(parseQuantityExact(input));
