// "Did you mean …?" hints for misspelled names in OpenQASM programs.

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** ` (did you mean a, b?)` for names within a small edit distance. */
export function suggest(name: string, known: Iterable<string>): string {
  const lower = name.toLowerCase();
  const close = [...new Set(known)]
    .map((k) => ({ k, d: editDistance(lower, k.toLowerCase()) }))
    .filter(({ k, d }) => d <= Math.max(1, Math.floor(name.length / 3)) || (k.toLowerCase().startsWith(lower) && lower.length >= 2))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, 4)
    .map(({ k }) => k);
  return close.length ? ` (did you mean ${close.join(', ')}?)` : '';
}
