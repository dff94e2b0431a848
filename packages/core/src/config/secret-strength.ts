/**
 * What a production secret must be. Every secret here is a machine secret (a signing key, a
 * static token, a database password), never typed by a person, so the rule asks for what a
 * generator gives and refuses what a person or a sample file gives:
 *
 * - no development marker (`dev-only`, `change-me`, `compose-only`, in any case, with `-`, `_`,
 *   `.` or spaces or nothing between the words): the defaults and placeholders of this repository
 *   carry one, so none of them can reach production;
 * - at least 32 characters;
 * - at least 128 bits by a deliberately low estimate: each character is worth log2 of the number
 *   of distinct characters in the value (the alphabet it shows), and a character that only
 *   repeats an adjacent pair seen before is worth nothing. A generated value uses most of its
 *   alphabet and seldom repeats a pair; a repeated or patterned one (`aaaa…`, `abcabc…`,
 *   `passwordpassword…`) scores low. 32 random bytes (`openssl rand -hex 32`: 64 characters)
 *   score over 160, nearly always over 200; 16 random bytes as hex score under 128 and are
 *   refused, since the estimate cannot tell them from a patterned value.
 *
 * docs/security.md describes the rule and how to generate secrets that pass it.
 */

/** Marks a value as meant for development only; written without separators and in lower case. */
export const developmentMarkers = ['devonly', 'changeme', 'composeonly'] as const;

export const secretMinLength = 32;
export const secretMinBits = 128;

/** The shell line docs and messages give for a value that passes. */
export const secretGenerator = 'openssl rand -hex 32';

/**
 * Bits by the estimate above: (1 + the number of distinct adjacent pairs) × log2(the number of
 * distinct characters).
 */
export function estimateSecretBits(value: string): number {
  const characters = [...value];
  const distinct = new Set(characters).size;
  if (distinct < 2) return 0;
  const pairs = new Set(characters.slice(1).map((character, i) => characters[i]! + character));
  return (1 + pairs.size) * Math.log2(distinct);
}

/** The development marker a value carries, if any (the comparison ignores case and separators). */
export function developmentMarkerIn(value: string): string | undefined {
  const folded = value.toLowerCase().replace(/[-_.\s]/g, '');
  return developmentMarkers.find((marker) => folded.includes(marker));
}

/**
 * Why a value is not fit to be a production secret, or null when it is. The reason never
 * repeats the value, so it can go to a log.
 */
export function secretProblem(value: string): string | null {
  const marker = developmentMarkerIn(value);
  if (marker) return `is a development value (it contains "${marker}"); generate one: ${secretGenerator}`;
  if ([...value].length < secretMinLength) {
    return `must be at least ${secretMinLength} characters; generate one: ${secretGenerator}`;
  }
  const bits = estimateSecretBits(value);
  if (bits < secretMinBits) {
    return `has too little entropy (about ${Math.floor(bits)} bits estimated, at least ${secretMinBits} needed); generate one: ${secretGenerator}`;
  }
  return null;
}

/** The password of a URL (`postgres://user:password@host/db`), decoded; undefined when it has none. */
export function urlPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
