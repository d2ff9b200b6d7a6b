// Parameter slots (program.ts): the value of every gate parameter for every sample, computed from
// the weights and inputs, and the chain rule back from d loss / d slot to d loss / d (weights,
// inputs). Independent of how the state is simulated; shared by every backend.
//
// Layout: slot s of sample b at vals[s * B + b]; inputs are [B, numInputs] row-major.

import { evalExprDual } from '../circuit/expr.js';
import { evalParam } from '../circuit/params.js';
import { EngineInputError } from './errors.js';
import type { Program } from './program.js';

/** Every slot's value for every sample into vals (length slots × B); shapes checked by assertParamShapes. */
export function evaluateSlots(program: Program, inputs: ArrayLike<number>, weights: ArrayLike<number>, B: number, vals: Float64Array): void {
  const { numInputs, slots } = program;
  let row: RowView | undefined; // only generic per-sample parameters need a row copy
  for (let s = 0; s < slots.length; s++) {
    const slot = slots[s];
    if (!slot.perSample) {
      // A slot shared by the batch reads no input (that is what perSample says).
      vals.fill(evalParam(slot.ref, weights, NO_INPUTS), s * B, (s + 1) * B);
      continue;
    }
    const ref = slot.ref;
    if (ref.kind === 'input') {
      for (let b = 0; b < B; b++) vals[s * B + b] = ref.scale * inputs[b * numInputs + ref.index] + ref.offset;
    } else if (ref.kind === 'inputProduct') {
      for (let b = 0; b < B; b++) {
        vals[s * B + b] = ref.scale * (inputs[b * numInputs + ref.a] + ref.offsetA) * (inputs[b * numInputs + ref.b] + ref.offsetB);
      }
    } else {
      row ??= new RowView(inputs, numInputs);
      for (let b = 0; b < B; b++) vals[s * B + b] = evalParam(ref, weights, row.at(b));
    }
  }
  assertFinite(program, vals, B);
}

const NO_INPUTS = new Float64Array(0);

/** Shape checks that must come before any buffer is sized for batch B. */
export function assertParamShapes(program: Program, inputs: ArrayLike<number>, weights: ArrayLike<number>, B: number): void {
  const { numInputs, numWeights } = program;
  if (weights.length !== numWeights) {
    throw new EngineInputError(`weights has ${weights.length} values, the circuit has ${numWeights} weights`);
  }
  if (inputs.length !== B * numInputs) {
    throw new EngineInputError(`inputs has ${inputs.length} values, expected batch ${B} × ${numInputs} features = ${B * numInputs}`);
  }
}

function assertFinite(program: Program, vals: Float64Array, B: number): void {
  const { slots } = program;
  for (let s = 0; s < slots.length; s++) {
    // A shared slot holds one value B times: checking its first is checking all.
    const end = slots[s].perSample ? (s + 1) * B : s * B + 1;
    for (let i = s * B; i < end; i++) {
      if (Number.isFinite(vals[i])) continue;
      const op = program.circuit.ops[slots[s].opIndex];
      throw new EngineInputError(`operation #${slots[s].opIndex} (${op.gate} on wires ${op.wires.join(',')}), parameter ${slots[s].paramIndex}: value is ${vals[i]} for sample ${i - s * B}`);
    }
  }
}

/** Chain rule from slots to sources: gW[j] += Σ_b dL/dslot · dslot/dw_j, gX[b, i] += dL/dslot · dslot/dx_bi. */
export function slotsToParams(
  program: Program, B: number, slotGrad: Float64Array, inputs: ArrayLike<number>, weights: ArrayLike<number>,
  gW: Float64Array, gX: Float64Array,
): void {
  const { slots, numInputs } = program;
  let row: RowView | undefined; // only expressions need a row copy
  for (let s = 0; s < slots.length; s++) {
    const ref = slots[s].ref;
    const off = s * B;
    switch (ref.kind) {
      case 'const':
        break;
      case 'weight': {
        let sum = 0;
        for (let b = 0; b < B; b++) sum += slotGrad[off + b];
        gW[ref.index] += ref.scale * sum;
        break;
      }
      case 'input':
        for (let b = 0; b < B; b++) gX[b * numInputs + ref.index] += ref.scale * slotGrad[off + b];
        break;
      case 'inputProduct':
        for (let b = 0; b < B; b++) {
          const xa = inputs[b * numInputs + ref.a] + ref.offsetA;
          const xb = inputs[b * numInputs + ref.b] + ref.offsetB;
          gX[b * numInputs + ref.a] += ref.scale * xb * slotGrad[off + b];
          gX[b * numInputs + ref.b] += ref.scale * xa * slotGrad[off + b];
        }
        break;
      case 'expr':
        row ??= new RowView(inputs, numInputs);
        for (const src of slots[s].sources) {
          for (let b = 0; b < B; b++) {
            const d = evalExprDual(ref.expr, weights, row.at(b), src)[1];
            if (src.kind === 'weight') gW[src.index] += d * slotGrad[off + b];
            else gX[b * numInputs + src.index] += d * slotGrad[off + b];
          }
        }
        break;
    }
  }
}

/** Copies row b of a [B, n] array into a reusable buffer, to evaluate generic parameters per sample. */
class RowView {
  private readonly data: ArrayLike<number>;
  private readonly buf: Float64Array;
  constructor(data: ArrayLike<number>, n: number) {
    this.data = data;
    this.buf = new Float64Array(n);
  }
  at(b: number): Float64Array {
    const n = this.buf.length;
    for (let i = 0; i < n; i++) this.buf[i] = this.data[b * n + i];
    return this.buf;
  }
}
