// Hashing for fingerprints and caches: SHA-256 of canonical JSON (object keys sorted at every
// level, so key order in a YAML file does not change a fingerprint).

import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level; undefined members are dropped as JSON does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function configFingerprint(config: unknown): string {
  return sha256Hex(canonicalJson(config));
}
