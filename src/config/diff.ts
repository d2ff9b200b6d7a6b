// Field-by-field differences between two configs, for messages that must say which field makes
// two runs different (a refused --resume, for one).

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function show(v: Json | undefined): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Dotted paths where `a` and `b` differ, as "path: A in the first, B in the second" with the
 * given names for the two sides (e.g. "the run" and "now"). Arrays compare element by element.
 */
export function configDifferences(a: unknown, b: unknown, names: [string, string], prefix = ''): string[] {
  const x = a as Json | undefined;
  const y = b as Json | undefined;
  const bothObjects = x !== null && y !== null && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y);
  if (bothObjects) {
    const keys = Array.isArray(x)
      ? Array.from({ length: Math.max((x as Json[]).length, (y as Json[]).length) }, (_, i) => String(i))
      : [...new Set([...Object.keys(x as object), ...Object.keys(y as object)])];
    return keys.flatMap((k) => configDifferences((x as Record<string, Json>)[k], (y as Record<string, Json>)[k], names, prefix ? `${prefix}.${k}` : k));
  }
  if (JSON.stringify(x) === JSON.stringify(y)) return [];
  return [`${prefix || '(the whole config)'}: ${show(x)} in ${names[0]}, ${show(y)} ${names[1]}`];
}
