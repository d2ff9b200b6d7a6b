// Field-by-field differences between two configs, for messages that must say which field makes
// two runs different (a refused --resume, for one).

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ConfigDifference {
  /** Dotted path, e.g. training.optimizer.lr (array elements by index). */
  path: string;
  a: unknown;
  b: unknown;
}

/** Where `a` and `b` differ, leaf by leaf; arrays compare element by element. */
export function diffConfigs(a: unknown, b: unknown, prefix = ''): ConfigDifference[] {
  const x = a as Json | undefined;
  const y = b as Json | undefined;
  const bothObjects = x !== null && y !== null && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y);
  if (bothObjects) {
    const keys = Array.isArray(x)
      ? Array.from({ length: Math.max((x as Json[]).length, (y as Json[]).length) }, (_, i) => String(i))
      : [...new Set([...Object.keys(x as object), ...Object.keys(y as object)])];
    return keys.flatMap((k) => diffConfigs((x as Record<string, Json>)[k], (y as Record<string, Json>)[k], prefix ? `${prefix}.${k}` : k));
  }
  if (JSON.stringify(x) === JSON.stringify(y)) return [];
  return [{ path: prefix || '(the whole config)', a, b }];
}

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** "path: A in <first>, B <second>" per difference, e.g. names ['the run', 'now']. */
export function describeDifferences(diffs: readonly ConfigDifference[], names: [string, string]): string[] {
  return diffs.map((d) => `${d.path}: ${show(d.a)} in ${names[0]}, ${show(d.b)} ${names[1]}`);
}
