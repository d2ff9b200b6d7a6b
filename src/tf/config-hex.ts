// tfjs rewrites every string in a layer config when saving and loading (snake_case ↔ camelCase),
// which corrupts values such as 'strongly_entangling', 'u3_cu3_ring' or 'Z0'. Structured settings
// therefore travel as lowercase hex of their JSON, which both rewrites leave alone.

export function encodeConfigHex(value: unknown): string {
  return Array.from(new TextEncoder().encode(JSON.stringify(value)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Decode what encodeConfigHex wrote; `what` names the field in the error (e.g. "QuantumLayer config: specHex"). */
export function decodeConfigHex<T>(hex: unknown, what: string): T {
  if (typeof hex !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(hex)) throw new Error(`${what} is missing or not hex; was the model saved by Entangle?`);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return JSON.parse(new TextDecoder().decode(bytes)) as T;
}
