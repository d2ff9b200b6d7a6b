// The circuit IR: a fixed list of operations on numbered wires whose parameters refer to weights,
// per-sample inputs or constants. Defined once, compiled once by the engine, evaluated many times.

import { EntangleError } from '../util/errors.js';
import { GATES, isGateName, type GateName } from './gates.js';
import { unitarityError, type ComplexMatrix } from './matrix.js';
import { maxInputIndex, maxWeightIndex, toParamRef, type ParamLike, type ParamRef } from './params.js';

export interface Operation {
  readonly gate: GateName;
  readonly wires: readonly number[];
  readonly params: readonly ParamRef[];
  /** The matrix of a QubitUnitary (1 or 2 wires); absent for every other gate. */
  readonly matrix?: ComplexMatrix;
}

/**
 * Amplitude embedding: the initial state is the per-sample vector of inputs
 * [firstInput, firstInput + length), padded with `pad` up to 2^n and, when `normalize`, scaled to
 * norm 1 (PennyLane's AmplitudeEmbedding). It must come before every gate, so it is a property of
 * the circuit rather than an operation.
 */
export interface AmplitudeInit {
  readonly firstInput: number;
  readonly length: number;
  readonly normalize: boolean;
  readonly pad: number;
}

/** JSON form of a circuit (QuantumLayer configs, run folders). */
export interface CircuitJSON {
  numWires: number;
  numWeights: number;
  numInputs: number;
  amplitudeInit?: AmplitudeInit;
  ops: Array<{
    gate: string;
    wires: number[];
    params: ParamRef[];
    matrix?: { re: number[]; im: number[] };
  }>;
}

export class CircuitError extends EntangleError {
  override name = 'CircuitError';
  constructor(message: string) {
    super('E_CIRCUIT', message);
  }
}

/**
 * Why `m` is not a want×want complex matrix ({ dim, re, im } with dim² entries each), or undefined.
 * Checked before anything reads `m.dim`, so a plain array or a matrix without `dim` gets a message
 * that says what to pass instead of "matrix is undefinedxundefined".
 */
function matrixShapeError(m: unknown, want: number): string | undefined {
  const expected = `expected { dim: ${want}, re, im } with ${want * want} real and ${want * want} imaginary parts (row-major), e.g. cmat([[...], ...])`;
  if (typeof m !== 'object' || m === null) return `the matrix must be an object; ${expected}`;
  const { dim, re, im } = m as Partial<ComplexMatrix>;
  if (dim === undefined) return `the matrix has no "dim"; ${expected}`;
  if (!Number.isInteger(dim)) return `the matrix has dim ${String(dim)}; ${expected}`;
  const isNumbers = (a: unknown): a is ArrayLike<number> => ArrayBuffer.isView(a) || Array.isArray(a);
  if (!isNumbers(re) || !isNumbers(im)) return `the matrix needs "re" and "im" arrays; ${expected}`;
  if (re.length !== dim * dim || im.length !== dim * dim) {
    return `the matrix says dim ${dim} but has ${re.length} real and ${im.length} imaginary entries (a ${dim}x${dim} matrix has ${dim * dim} of each)`;
  }
  if (dim !== want) return `matrix is ${dim}x${dim}, expected ${want}x${want} for ${Math.log2(want)} wire(s)`;
  return undefined;
}

/**
 * The structural limit on wires: the engine's kernels index basis states with 32-bit integer bit
 * operations (1 << 30 is the largest positive power of two). Whether a circuit this large fits
 * in memory is a separate, softer limit the engine checks when it sizes its state (engine/memory.ts).
 */
export const MAX_WIRES = 30;

export class Circuit {
  readonly numWires: number;
  private readonly _ops: Operation[] = [];
  private _numWeights = 0;
  private _numInputs = 0;
  private _amplitudeInit: AmplitudeInit | undefined;

  constructor(numWires: number) {
    if (!Number.isInteger(numWires) || numWires < 1 || numWires > MAX_WIRES) {
      throw new CircuitError(`a circuit needs 1 to ${MAX_WIRES} wires, got ${numWires}`);
    }
    this.numWires = numWires;
  }

  get ops(): readonly Operation[] {
    return this._ops;
  }

  /** Number of trainable weights: one more than the highest weight index used or reserved. */
  get numWeights(): number {
    return this._numWeights;
  }

  /** Number of input features per sample: one more than the highest input index used or declared. */
  get numInputs(): number {
    return this._numInputs;
  }

  get amplitudeInit(): AmplitudeInit | undefined {
    return this._amplitudeInit;
  }

  /** Start from the amplitude-embedded inputs instead of |0…0⟩ (see AmplitudeInit). */
  setAmplitudeInit(init: AmplitudeInit): this {
    if (this._ops.length > 0) throw new CircuitError('AmplitudeEmbedding must come before every gate (it prepares the initial state)');
    if (this._amplitudeInit) throw new CircuitError('the circuit already has an AmplitudeEmbedding');
    const dim = 2 ** this.numWires;
    if (!Number.isInteger(init.length) || init.length < 1 || init.length > dim) {
      throw new CircuitError(`AmplitudeEmbedding: ${init.length} features do not fit ${this.numWires} wires (at most ${dim})`);
    }
    if (init.length < dim && !Number.isFinite(init.pad)) {
      throw new CircuitError(`AmplitudeEmbedding: ${init.length} features for ${dim} amplitudes; give a pad value`);
    }
    if (!Number.isInteger(init.firstInput) || init.firstInput < 0) throw new CircuitError(`AmplitudeEmbedding: bad first input ${init.firstInput}`);
    this._amplitudeInit = { ...init };
    this._numInputs = Math.max(this._numInputs, init.firstInput + init.length);
    return this;
  }

  /** Reserve `count` fresh weights and return the index of the first. */
  allocWeights(count: number): number {
    if (!Number.isInteger(count) || count < 0) throw new CircuitError(`allocWeights: count must be >= 0, got ${count}`);
    const start = this._numWeights;
    this._numWeights += count;
    return start;
  }

  /** Declare that samples carry at least `count` features (some may be unused by gates). */
  declareInputs(count: number): this {
    if (!Number.isInteger(count) || count < 0) throw new CircuitError(`declareInputs: count must be >= 0, got ${count}`);
    this._numInputs = Math.max(this._numInputs, count);
    return this;
  }

  /** Declare at least `count` weights (e.g. when loading a circuit whose last weights are unused). */
  declareWeights(count: number): this {
    if (!Number.isInteger(count) || count < 0) throw new CircuitError(`declareWeights: count must be >= 0, got ${count}`);
    this._numWeights = Math.max(this._numWeights, count);
    return this;
  }

  /** Append any gate by name. Shapes are checked here, with messages naming the gate and operand. */
  add(gate: string, wires: readonly number[], params: readonly ParamLike[] = [], matrix?: ComplexMatrix): this {
    const where = `operation #${this._ops.length} (${gate})`;
    if (!isGateName(gate)) {
      throw new CircuitError(`${where}: unknown gate "${gate}"; known gates: ${[...Object.keys(GATES), 'MultiRZ', 'QubitUnitary'].join(', ')}`);
    }
    if (!Array.isArray(wires)) throw new CircuitError(`${where}: wires must be an array of wire indices`);
    wires.forEach((wire, i) => {
      if (!Number.isInteger(wire) || wire < 0 || wire >= this.numWires) {
        throw new CircuitError(`${where}: wire ${i} is ${wire}, outside 0..${this.numWires - 1} of this ${this.numWires}-wire circuit`);
      }
    });
    if (new Set(wires).size !== wires.length) throw new CircuitError(`${where}: wires [${wires.join(', ')}] repeat a wire`);
    let expectedWires: number;
    let expectedParams: number;
    if (gate === 'MultiRZ') {
      if (wires.length < 1) throw new CircuitError(`${where}: MultiRZ needs at least one wire`);
      expectedWires = wires.length;
      expectedParams = 1;
    } else if (gate === 'QubitUnitary') {
      if (!matrix) throw new CircuitError(`${where}: QubitUnitary needs a matrix`);
      if (wires.length < 1 || wires.length > 2) throw new CircuitError(`${where}: QubitUnitary acts on 1 or 2 wires, got ${wires.length}`);
      const want = 1 << wires.length;
      const shape = matrixShapeError(matrix, want);
      if (shape) throw new CircuitError(`${where}: ${shape}`);
      const err = unitarityError(matrix);
      if (!(err < 1e-8)) throw new CircuitError(`${where}: matrix is not unitary (max |U†U − I| = ${err.toExponential(2)})`);
      expectedWires = wires.length;
      expectedParams = 0;
    } else {
      const d = GATES[gate];
      expectedWires = d.numWires;
      expectedParams = d.numParams;
    }
    if (wires.length !== expectedWires) throw new CircuitError(`${where}: needs ${expectedWires} wire(s), got ${wires.length}`);
    if (params.length !== expectedParams) throw new CircuitError(`${where}: needs ${expectedParams} parameter(s), got ${params.length}`);
    const refs = params.map((p, i) => {
      try {
        return toParamRef(p);
      } catch (e) {
        throw new CircuitError(`${where}: parameter ${i}: ${(e as Error).message}`);
      }
    });
    for (const r of refs) {
      this._numWeights = Math.max(this._numWeights, maxWeightIndex(r) + 1);
      this._numInputs = Math.max(this._numInputs, maxInputIndex(r) + 1);
    }
    this._ops.push({ gate, wires: [...wires], params: refs, ...(matrix ? { matrix } : {}) });
    return this;
  }

  /**
   * Append any gate of the table by name: `gate('CRX', [0, 1], [w(0)])`. Every gate the table
   * declares is available here without a method of its own; the named helpers below are shorthands.
   */
  gate(name: string, wires: readonly number[], params: readonly ParamLike[] = []): this {
    return this.add(name, wires, params);
  }

  // Named helpers (PennyLane's gate names; wires first, then parameters).
  id(wire: number): this { return this.add('Identity', [wire]); }
  x(wire: number): this { return this.add('PauliX', [wire]); }
  y(wire: number): this { return this.add('PauliY', [wire]); }
  z(wire: number): this { return this.add('PauliZ', [wire]); }
  h(wire: number): this { return this.add('Hadamard', [wire]); }
  s(wire: number): this { return this.add('S', [wire]); }
  t(wire: number): this { return this.add('T', [wire]); }
  sx(wire: number): this { return this.add('SX', [wire]); }
  rx(wire: number, theta: ParamLike): this { return this.add('RX', [wire], [theta]); }
  ry(wire: number, theta: ParamLike): this { return this.add('RY', [wire], [theta]); }
  rz(wire: number, theta: ParamLike): this { return this.add('RZ', [wire], [theta]); }
  phase(wire: number, phi: ParamLike): this { return this.add('PhaseShift', [wire], [phi]); }
  rot(wire: number, phi: ParamLike, theta: ParamLike, omega: ParamLike): this { return this.add('Rot', [wire], [phi, theta, omega]); }
  u3(wire: number, theta: ParamLike, phi: ParamLike, lambda: ParamLike): this { return this.add('U3', [wire], [theta, phi, lambda]); }
  cnot(control: number, target: number): this { return this.add('CNOT', [control, target]); }
  cz(control: number, target: number): this { return this.add('CZ', [control, target]); }
  cy(control: number, target: number): this { return this.add('CY', [control, target]); }
  swap(a: number, b: number): this { return this.add('SWAP', [a, b]); }
  crx(control: number, target: number, theta: ParamLike): this { return this.add('CRX', [control, target], [theta]); }
  cry(control: number, target: number, theta: ParamLike): this { return this.add('CRY', [control, target], [theta]); }
  crz(control: number, target: number, theta: ParamLike): this { return this.add('CRZ', [control, target], [theta]); }
  crot(control: number, target: number, phi: ParamLike, theta: ParamLike, omega: ParamLike): this {
    return this.add('CRot', [control, target], [phi, theta, omega]);
  }
  cphase(control: number, target: number, phi: ParamLike): this { return this.add('ControlledPhaseShift', [control, target], [phi]); }
  cu3(control: number, target: number, theta: ParamLike, phi: ParamLike, lambda: ParamLike): this {
    return this.add('CU3', [control, target], [theta, phi, lambda]);
  }
  isingXX(a: number, b: number, phi: ParamLike): this { return this.add('IsingXX', [a, b], [phi]); }
  isingYY(a: number, b: number, phi: ParamLike): this { return this.add('IsingYY', [a, b], [phi]); }
  isingZZ(a: number, b: number, phi: ParamLike): this { return this.add('IsingZZ', [a, b], [phi]); }
  multiRZ(wires: readonly number[], theta: ParamLike): this { return this.add('MultiRZ', wires, [theta]); }
  toffoli(c1: number, c2: number, target: number): this { return this.add('Toffoli', [c1, c2, target]); }
  unitary(wires: readonly number[], matrix: ComplexMatrix): this { return this.add('QubitUnitary', wires, [], matrix); }

  /** Append every operation of another circuit (same or fewer wires), keeping its parameter refs. */
  compose(other: Circuit): this {
    if (other.numWires > this.numWires) throw new CircuitError(`compose: a ${other.numWires}-wire circuit does not fit in ${this.numWires} wires`);
    if (other.amplitudeInit) {
      if (other.numWires !== this.numWires) throw new CircuitError('compose: an AmplitudeEmbedding circuit must have the same number of wires');
      this.setAmplitudeInit(other.amplitudeInit);
    }
    for (const op of other.ops) this.add(op.gate, op.wires, op.params, op.matrix);
    this.declareWeights(other.numWeights);
    this.declareInputs(other.numInputs);
    return this;
  }

  toJSON(): CircuitJSON {
    return {
      numWires: this.numWires,
      numWeights: this.numWeights,
      numInputs: this.numInputs,
      ...(this._amplitudeInit ? { amplitudeInit: { ...this._amplitudeInit } } : {}),
      ops: this._ops.map((op) => ({
        gate: op.gate,
        wires: [...op.wires],
        params: op.params.map((p) => ({ ...p })),
        ...(op.matrix ? { matrix: { re: [...op.matrix.re], im: [...op.matrix.im] } } : {}),
      })),
    };
  }

  static fromJSON(json: CircuitJSON): Circuit {
    const circuit = new Circuit(json.numWires);
    if (json.amplitudeInit) circuit.setAmplitudeInit(json.amplitudeInit);
    json.ops.forEach((op) => {
      const matrix = op.matrix
        ? { dim: Math.round(Math.sqrt(op.matrix.re.length)), re: Float64Array.from(op.matrix.re), im: Float64Array.from(op.matrix.im) }
        : undefined;
      circuit.add(op.gate, op.wires, op.params, matrix);
    });
    circuit.declareWeights(json.numWeights ?? 0);
    circuit.declareInputs(json.numInputs ?? 0);
    return circuit;
  }
}
