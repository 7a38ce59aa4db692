import { randomInt } from 'node:crypto';

/**
 * Names from `metadata.generateName`, as apiserver's SimpleNameGenerator makes them: the base cut to
 * 58 characters plus 5 random characters from Kubernetes' vowel-free alphabet (so generated names never
 * spell words).
 *
 *   generateName('web-')  // 'web-x7k2q'
 */
export const GENERATED_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const MAX_GENERATED_NAME_BASE_LENGTH = 58;
export const GENERATED_NAME_RANDOM_LENGTH = 5;

/** `count` random characters from the Kubernetes alphabet (also used for `kube-api-access-xxxxx`). */
export function randomSuffix(count = GENERATED_NAME_RANDOM_LENGTH): string {
  let out = '';
  for (let i = 0; i < count; i++) out += GENERATED_NAME_ALPHABET[randomInt(GENERATED_NAME_ALPHABET.length)];
  return out;
}

export function generateName(base: string): string {
  const cut = base.length > MAX_GENERATED_NAME_BASE_LENGTH ? base.slice(0, MAX_GENERATED_NAME_BASE_LENGTH) : base;
  return cut + randomSuffix();
}
