// IonQ's JSON circuit format ("ionq.circuit.v0", docs.ionq.com/api-reference/v0.3/native-gates-api),
// written from a lowered circuit and read back for the check.
//   native  {"gate": "gpi" | "gpi2", "phase": turns, "target": q} and
//           {"gate": "ms", "phases": [turns, turns], "targets": [q0, q1]} (angle left at its default
//           0.25 turn: fully entangling). Phases are in turns (1 turn = 2π rad), written in [0, 1).
//   qis     {"gate": "rx" | "ry" | "rz", "rotation": radians, "target": q}, {"gate": "cnot", "control": c, "target": t}
// Qubit i is wire i. IonQ's result histograms key states by an integer whose bit 0 is qubit 0
// (little-endian), the reverse of our basis-state indices (wire 0 = most significant bit).

import { Circuit } from '../circuit/circuit.js';
import { constantValue, num } from '../circuit/lower/angle.js';
import { gate, lowMatrix, type LoweredCircuit, type LowOp } from '../circuit/lower/ops.js';
import { ExportError } from './errors.js';

export type IonqGateset = 'native' | 'qis';

export type IonqGate =
  | { gate: 'gpi' | 'gpi2'; phase: number; target: number }
  | { gate: 'ms'; phases: [number, number]; targets: [number, number] }
  | { gate: 'rx' | 'ry' | 'rz'; rotation: number; target: number }
  | { gate: 'cnot'; control: number; target: number };

const TURN = 2 * Math.PI;

/** Radians as turns in [0, 1). */
export function toTurns(radians: number): number {
  const t = radians / TURN;
  const f = t - Math.floor(t);
  return f >= 1 ? 0 : f;
}

function value(op: LowOp, k: number): number {
  const v = constantValue(op.angles[k]);
  if (v === undefined) throw new ExportError(`IonQ's JSON circuits take numbers only; a ${op.gate} angle reads the inputs (bind them with --sample K or --inputs FILE --row N)`);
  return v;
}

export function toIonqGates(c: LoweredCircuit, gateset: IonqGateset): IonqGate[] {
  return c.ops.map((op): IonqGate => {
    if (gateset === 'native') {
      if (op.gate === 'gpi' || op.gate === 'gpi2') return { gate: op.gate, phase: toTurns(value(op, 0)), target: op.wires[0] };
      if (op.gate === 'ms') return { gate: 'ms', phases: [toTurns(value(op, 0)), toTurns(value(op, 1))], targets: [op.wires[0], op.wires[1]] };
    } else {
      if (op.gate === 'rx' || op.gate === 'ry' || op.gate === 'rz') return { gate: op.gate, rotation: value(op, 0), target: op.wires[0] };
      if (op.gate === 'cx') return { gate: 'cnot', control: op.wires[0], target: op.wires[1] };
    }
    throw new ExportError(`IonQ ${gateset} gateset has no gate ${op.gate} (lower to its basis first)`);
  });
}

/** A circuit in IonQ's JSON format as a circuit of our gate table (what the check simulates). */
export function ionqGatesToCircuit(qubits: number, gates: readonly IonqGate[]): Circuit {
  const c = new Circuit(qubits);
  for (const g of gates) {
    switch (g.gate) {
      case 'gpi':
      case 'gpi2':
        c.unitary([g.target], lowMatrix(gate(g.gate, [g.target], [num(g.phase * TURN)])));
        break;
      case 'ms':
        c.unitary(g.targets, lowMatrix(gate('ms', g.targets, [num(g.phases[0] * TURN), num(g.phases[1] * TURN)])));
        break;
      case 'rx':
        c.rx(g.target, g.rotation);
        break;
      case 'ry':
        c.ry(g.target, g.rotation);
        break;
      case 'rz':
        c.rz(g.target, g.rotation);
        break;
      case 'cnot':
        c.cnot(g.control, g.target);
        break;
    }
  }
  return c;
}
