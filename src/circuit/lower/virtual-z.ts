// Pass (IonQ native): rz becomes a change of reference frame instead of a gate. IonQ's gates are
// rotations about axes in the XY plane at a phase φ, and conjugating by RZ shifts that phase:
//   RZ(−ζ)·GPI2(φ)·RZ(ζ) = GPI2(φ − ζ), likewise GPI, and MS's phase on each of its qubits
// (σ_φ = cos φ X + sin φ Y, RZ(−ζ)·σ_φ·RZ(ζ) = σ_{φ−ζ}). So "rz(ζ), then G(φ)" in time order equals
// "G(φ − ζ), then rz(ζ)": each wire's accumulated ζ moves to the end of the circuit, subtracting
// itself from the phases of the gates it passes. What is left at the end is one rz per wire just
// before measurement, diagonal in the measured basis, so it does not change any probability; the
// pass keeps it (the unitary check needs it) and the IonQ writer leaves it out.

import { constantValue, num } from './angle.js';
import { LoweringError } from './expand.js';
import { gate, rz, type LoweredCircuit, type LowOp } from './ops.js';

export function virtualZ(c: LoweredCircuit): LoweredCircuit {
  const frame = new Float64Array(c.numWires);
  const out: LowOp[] = [];
  for (const op of c.ops) {
    const v = op.angles.map((a) => constantValue(a));
    if (v.some((x) => x === undefined)) {
      throw new LoweringError(`IonQ's native gates take numbers only, but a ${op.gate} angle reads the inputs; bind them (--sample K or --inputs FILE --row N)`);
    }
    switch (op.gate) {
      case 'rz':
        frame[op.wires[0]] += v[0]!;
        break;
      case 'gpi':
      case 'gpi2':
        out.push(gate(op.gate, op.wires, [num(v[0]! - frame[op.wires[0]])]));
        break;
      case 'ms':
        out.push(gate('ms', op.wires, [num(v[0]! - frame[op.wires[0]]), num(v[1]! - frame[op.wires[1]])]));
        break;
      case 'sx': // SX ≅ RX(π/2) = GPI2(0)
        out.push(gate('gpi2', op.wires, [num(-frame[op.wires[0]])]));
        break;
      case 'x': // X = GPI(0)
        out.push(gate('gpi', op.wires, [num(-frame[op.wires[0]])]));
        break;
      default:
        throw new LoweringError(`virtual-Z pass: ${op.gate} is not an IonQ native gate (lower to {rz, sx, x, ms} first)`);
    }
  }
  for (let w = 0; w < c.numWires; w++) if (frame[w] !== 0) out.push(rz(w, num(frame[w])));
  return { numWires: c.numWires, ops: out };
}
