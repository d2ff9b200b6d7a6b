// The batched statevector simulator of one compiled program: buffers sized once per batch size,
// the forward sweep, and the adjoint (reverse) sweep that yields d loss / d slot for every sample.
// Measurement-specific work (outputs, co-states) lives in measure.ts; the choice of gradient
// method in qnode.ts. Nothing here allocates per gate or per call once the batch size is set.

import { evalExprDual } from '../circuit/expr.js';
import { evalParam } from '../circuit/params.js';
import { mat1Shared, mat2Shared, pairMix, parityPhase, swapBits, xperm, xperm2 } from './kernels.js';
import { adjointRotate, rotate } from './rotation-kernels.js';
import { adjointMat1, mat1Batch } from './fused-kernels.js';
import { dagger2, identity2, mul2, rotationMatrix, rotationTangent } from './mat2x2.js';
import { pairGenerator, parityGenerator } from './generators.js';
import { adjointGeneric, applyGeneric } from './generic-matrix.js';
import { Axis, Kind, type Primitive, type Program } from './program.js';
import { KernelMemory, WASM_MAX_FIXED, wasmKernelsActive } from './wasm/backend.js';

export class EngineInputError extends Error {
  override name = 'EngineInputError';
}

export class Simulator {
  readonly program: Program;
  /** Current batch size. */
  B = 0;
  re = new Float64Array(0);
  im = new Float64Array(0);
  /** Co-state for the adjoint sweep. */
  lre = new Float64Array(0);
  lim = new Float64Array(0);
  /** Value of slot s for sample b at slotVals[s * B + b]. */
  slotVals = new Float64Array(0);
  private readonly shared: Uint8Array;
  /** Per primitive: [c | s] for angles (n = 1 or B each), or the interleaved MAT1 matrix. */
  private coef: Float64Array[] = [];
  /** Per primitive: the inverse MAT1 matrix (empty for others). */
  private inv: Float64Array[] = [];
  private gen = new Float64Array(0);
  /** Amplitude-embedding norms per sample (for the input gradient). */
  private ampNorm = new Float64Array(0);
  /** FUSED primitives: every part's matrix, part j entry e of sample b at [(j*8 + e)*n + b]. */
  private partM: Float64Array[] = [];
  /** FUSED adjoint: the 2×2 overlap S per sample, and 2×2 scratch matrices. */
  private S = new Float64Array(0);
  private readonly t1 = new Float64Array(8);
  private readonly t2 = new Float64Array(8);
  private readonly t3 = new Float64Array(8);
  private readonly t4 = new Float64Array(8);
  /** Whether this simulator uses the WebAssembly kernels (decided once, at construction). */
  readonly useWasm: boolean;
  /** The WebAssembly memory holding re/im/lre/lim, when useWasm and the state fits (wasm/backend.ts). */
  private km: KernelMemory | null = null;

  /** Whether the current state lives in WebAssembly memory (so the SIMD kernels run); before any run, whether it will try. */
  get onWasmKernels(): boolean {
    return this.B === 0 ? this.useWasm : this.km !== null;
  }

  constructor(program: Program) {
    this.program = program;
    this.useWasm = wasmKernelsActive();
    const sharedSlot = (p: Primitive): boolean => p.slot < 0 || !program.slots[p.slot].perSample;
    this.shared = Uint8Array.from(program.prims, (p) => (p.kind === Kind.FUSED ? p.parts!.every(sharedSlot) : sharedSlot(p)) ? 1 : 0);
  }

  /** Size every buffer for batch B (allocates only when B changes). */
  ensureBatch(B: number): void {
    if (B === this.B) return;
    if (!Number.isInteger(B) || B < 1) throw new EngineInputError(`batch size must be a positive integer, got ${B}`);
    const { dim, prims, slots } = this.program;
    const len = dim * B;
    if (len > 2 ** 28) throw new EngineInputError(`a batch of ${B} states of ${dim} amplitudes needs ${(len * 32) / 2 ** 30} GiB; use a smaller batch`);
    this.B = B;
    if (this.useWasm && KernelMemory.fits(len)) {
      this.km ??= KernelMemory.create();
    } else this.km = null;
    if (this.km !== null) {
      this.km.size(len, false);
      this.re = this.km.re;
      this.im = this.km.im;
    } else {
      this.re = new Float64Array(len);
      this.im = new Float64Array(len);
    }
    this.lre = new Float64Array(0);
    this.lim = new Float64Array(0);
    this.slotVals = new Float64Array(slots.length * B);
    this.gen = new Float64Array(B);
    this.ampNorm = new Float64Array(B);
    const width = (k: number): number => (this.shared[k] ? 1 : B);
    this.coef = prims.map((p, k) => new Float64Array(p.kind === Kind.MAT1 ? 8 : p.kind === Kind.FUSED ? 8 * width(k) : hasAngle(p) ? 2 * width(k) : 0));
    this.inv = prims.map((p, k) => new Float64Array(p.kind === Kind.MAT1 ? 8 : p.kind === Kind.FUSED ? 8 * width(k) : 0));
    this.partM = prims.map((p, k) => new Float64Array(p.kind === Kind.FUSED ? p.parts!.length * 8 * width(k) : 0));
    this.S = new Float64Array(8 * B);
    prims.forEach((p, k) => {
      if (p.kind === Kind.MAT1) {
        interleave(p.mre!, p.mim!, this.coef[k]);
        interleave(p.ire!, p.iim!, this.inv[k]);
      }
    });
  }

  /** Allocate the co-state buffers (only gradient runs need them). */
  ensureCostate(): void {
    const len = this.program.dim * this.B;
    const km = this.km;
    if (km !== null) {
      // Growing the memory re-creates every view (the state's values are kept).
      km.size(len, true);
      this.re = km.re;
      this.im = km.im;
      this.lre = km.lre;
      this.lim = km.lim;
      return;
    }
    if (this.lre.length !== len) {
      this.lre = new Float64Array(len);
      this.lim = new Float64Array(len);
    }
  }

  /** Check shapes and evaluate every slot for every sample. inputs: [B, numInputs]; weights: [numWeights]. */
  setParams(inputs: ArrayLike<number>, weights: ArrayLike<number>, B: number): void {
    const { numInputs, numWeights, slots } = this.program;
    if (weights.length !== numWeights) {
      throw new EngineInputError(`weights has ${weights.length} values, the circuit has ${numWeights} weights`);
    }
    if (inputs.length !== B * numInputs) {
      throw new EngineInputError(`inputs has ${inputs.length} values, expected batch ${B} × ${numInputs} features = ${B * numInputs}`);
    }
    this.ensureBatch(B);
    const vals = this.slotVals;
    const row = new RowView(inputs, numInputs);
    for (let s = 0; s < slots.length; s++) {
      const slot = slots[s];
      if (!slot.perSample) {
        vals.fill(evalParam(slot.ref, weights, row.at(0)), s * B, (s + 1) * B);
        continue;
      }
      const ref = slot.ref;
      if (ref.kind === 'input') {
        for (let b = 0; b < B; b++) vals[s * B + b] = ref.scale * inputs[b * numInputs + ref.index] + ref.offset;
      } else if (ref.kind === 'inputProduct') {
        for (let b = 0; b < B; b++) {
          vals[s * B + b] = ref.scale * (inputs[b * numInputs + ref.a] + ref.offsetA) * (inputs[b * numInputs + ref.b] + ref.offsetB);
        }
      } else for (let b = 0; b < B; b++) vals[s * B + b] = evalParam(ref, weights, row.at(b));
    }
    for (let i = 0; i < vals.length; i++) {
      if (!Number.isFinite(vals[i])) {
        const s = Math.floor(i / B);
        const op = this.program.circuit.ops[slots[s].opIndex];
        throw new EngineInputError(`operation #${slots[s].opIndex} (${op.gate} on wires ${op.wires.join(',')}), parameter ${slots[s].paramIndex}: value is ${vals[i]} for sample ${i % B}`);
      }
    }
  }

  /**
   * Turn slot values into kernel coefficients: c = cos(α/2), s = sin(α/2) (PhaseShift: cos α,
   * sin α), stored [c | s] with one entry (shared angle) or B entries (per-sample angle).
   */
  prepare(): void {
    const { prims } = this.program;
    const B = this.B;
    for (let k = 0; k < prims.length; k++) {
      const p = prims[k];
      if (p.kind === Kind.FUSED) {
        this.prepareFused(k);
        continue;
      }
      if (!hasAngle(p)) continue;
      const n = this.shared[k] ? 1 : B;
      const cs = this.coef[k];
      const half = p.kind === Kind.ROT && p.axis === Axis.P ? 1 : 0.5;
      for (let b = 0; b < n; b++) {
        const a = (p.slot < 0 ? p.constAngle : this.slotVals[p.slot * B + b]) * half;
        cs[b] = Math.cos(a);
        cs[n + b] = Math.sin(a);
      }
    }
  }

  /** FUSED: each part's matrix per sample, their product M and its inverse M†. */
  private prepareFused(k: number): void {
    const p = this.program.prims[k];
    const parts = p.parts!;
    const B = this.B;
    const n = this.shared[k] ? 1 : B;
    const { t1: u, t2: m, t3: next } = this;
    const pm = this.partM[k];
    const coef = this.coef[k];
    const inv = this.inv[k];
    for (let b = 0; b < n; b++) {
      identity2(m);
      for (let j = 0; j < parts.length; j++) {
        const q = parts[j];
        if (q.kind === Kind.MAT1) {
          for (let e = 0; e < 4; e++) {
            u[2 * e] = q.mre![e];
            u[2 * e + 1] = q.mim![e];
          }
        } else {
          const a = q.slot < 0 ? q.constAngle : this.slotVals[q.slot * B + (n === 1 ? 0 : b)];
          rotationMatrix(q.axis, a, u);
        }
        for (let e = 0; e < 8; e++) pm[(j * 8 + e) * n + b] = u[e];
        mul2(u, m, next);
        m.set(next);
      }
      dagger2(m, next);
      for (let e = 0; e < 8; e++) {
        coef[e * n + b] = m[e];
        inv[e * n + b] = next[e];
      }
    }
  }

  /**
   * FUSED adjoint, after adjointMat1 filled S: part j's gradient is 2 Re Σ_ab D_ab S_ba with
   * D = A T_j A† and A = U_m…U_{j+1} (see fused-kernels.ts).
   */
  private fusedGradients(k: number, slotGrad: Float64Array): void {
    const p = this.program.prims[k];
    const parts = p.parts!;
    const { slots } = this.program;
    const B = this.B;
    const n = this.shared[k] ? 1 : B;
    const { t1: A, t2: T, t3: tmp, t4: D } = this;
    const pm = this.partM[k];
    const S = this.S;
    for (let b = 0; b < n; b++) {
      identity2(A);
      for (let j = parts.length - 1; j >= 0; j--) {
        const q = parts[j];
        if (q.kind === Kind.ROT && q.slot >= 0 && slots[q.slot].ref.kind !== 'const') {
          rotationTangent(q.axis, T);
          mul2(A, T, tmp); // A T
          dagger2(A, D);
          mul2(tmp, D, T); // A T A† (reusing T)
          let g = 0;
          for (let a = 0; a < 2; a++)
            for (let c = 0; c < 2; c++) {
              const d = (2 * a + c) * 2; // D_ac
              const sIdx = (2 * c + a) * 2; // S_ca
              g += T[d] * S[sIdx * n + b] - T[d + 1] * S[(sIdx + 1) * n + b];
            }
          slotGrad[q.slot * B + b] += 2 * g;
        }
        // A ← A · U_j
        for (let e = 0; e < 8; e++) D[e] = pm[(j * 8 + e) * n + b];
        mul2(A, D, tmp);
        A.set(tmp);
      }
    }
  }

  /** |0…0⟩ for every sample, or the amplitude-embedded inputs. */
  initState(inputs: ArrayLike<number>): void {
    const { dim, numInputs, circuit } = this.program;
    const B = this.B;
    const re = this.re;
    const im = this.im;
    im.fill(0);
    const amp = circuit.amplitudeInit;
    if (!amp) {
      re.fill(0);
      re.fill(1, 0, B);
      return;
    }
    for (let b = 0; b < B; b++) {
      let norm2 = 0;
      for (let i = 0; i < dim; i++) {
        const v = i < amp.length ? inputs[b * numInputs + amp.firstInput + i] : amp.pad;
        re[i * B + b] = v;
        norm2 += v * v;
      }
      const norm = Math.sqrt(norm2);
      this.ampNorm[b] = norm;
      if (amp.normalize) {
        if (!(norm > 0)) throw new EngineInputError(`AmplitudeEmbedding: sample ${b} has an all-zero feature vector, which cannot be normalized`);
        for (let i = 0; i < dim; i++) re[i * B + b] /= norm;
      } else if (Math.abs(norm - 1) > 1e-6) {
        throw new EngineInputError(`AmplitudeEmbedding: sample ${b} has norm ${norm.toPrecision(6)}, not 1; set normalize: true or normalize the inputs`);
      }
    }
  }

  /** Apply every primitive in order. */
  run(): void {
    const prims = this.program.prims;
    for (let k = 0; k < prims.length; k++) this.apply(k, this.re, this.im, false);
  }

  /** Apply primitive k (or its inverse) to a state. */
  apply(k: number, re: Float64Array, im: Float64Array, inverse: boolean): void {
    const p = this.program.prims[k];
    const B = this.B;
    const dim = this.program.dim;
    const c = this.coef[k];
    const shared = this.shared[k] === 1;
    const sign = inverse ? -1 : 1;
    const km = this.km;
    if (km !== null && p.fixed.length <= WASM_MAX_FIXED && km.owns(re) && this.applyWasm(km, p, k, re, im, shared, inverse)) return;
    switch (p.kind) {
      case Kind.ROT:
        rotate(re, im, B, dim, p.axis, p.bitA, p.mask, p.fixed, c, shared ? 1 : B, sign);
        break;
      case Kind.MAT1:
        mat1Shared(re, im, B, dim, p.bitA, p.mask, p.fixed, inverse ? this.inv[k] : c);
        break;
      case Kind.FUSED:
        if (shared) mat1Shared(re, im, B, dim, p.bitA, p.mask, p.fixed, inverse ? this.inv[k] : c);
        else mat1Batch(re, im, B, dim, p.bitA, p.mask, p.fixed, inverse ? this.inv[k] : c);
        break;
      case Kind.XPERM:
        xperm(re, im, B, dim, p.bitA, p.mask, p.fixed);
        break;
      case Kind.SWAP:
        swapBits(re, im, B, dim, p.bitA, p.bitB, p.fixed);
        break;
      case Kind.MAT2:
        if (inverse) mat2Shared(re, im, B, dim, p.bitA, p.bitB, p.fixed, p.ire!, p.iim!);
        else mat2Shared(re, im, B, dim, p.bitA, p.bitB, p.fixed, p.mre!, p.mim!);
        break;
      case Kind.PAIRMIX:
        pairMix(re, im, B, dim, p.bitA, p.bitB, p.fixed, c, shared, p.axis === Axis.X ? 1 : -1, sign);
        break;
      case Kind.PARITY:
        parityPhase(re, im, B, dim, p.mask, c, shared, sign);
        break;
      case Kind.GENERIC:
        applyGeneric(p, this.program.slots, this.slotVals, B, dim, re, im, inverse);
        break;
    }
  }

  /** The WebAssembly kernel for primitive k on arrays in `km`, if it has one (shared angles and matrices, X). */
  private applyWasm(km: KernelMemory, p: Primitive, k: number, re: Float64Array, im: Float64Array, shared: boolean, inverse: boolean): boolean {
    const fx = p.fixed;
    const f = fx.length, f0 = fx[0], f1 = f > 1 ? fx[1] : 0, f2 = f > 2 ? fx[2] : 0;
    const { B } = this;
    const { dim } = this.program;
    const kern = km.kernels;
    switch (p.kind) {
      case Kind.ROT: {
        if (!shared) return false;
        const c = this.coef[k];
        kern.rotShared(re.byteOffset, im.byteOffset, B, dim, p.axis, p.bitA, p.mask, f, f0, f1, f2, c[0], inverse ? -c[1] : c[1]);
        return true;
      }
      case Kind.MAT1:
      case Kind.FUSED: {
        if (!shared) return false;
        const m = inverse ? this.inv[k] : this.coef[k];
        kern.mat1Shared(re.byteOffset, im.byteOffset, B, dim, p.bitA, p.mask, f, f0, f1, f2, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
        return true;
      }
      case Kind.XPERM:
        kern.xpermPair(re.byteOffset, im.byteOffset, 0, 0, B, dim, p.bitA, p.mask, f, f0, f1, f2);
        return true;
      default:
        return false;
    }
  }

  /**
   * The adjoint sweep. Expects the final state in re/im and the co-state λ in lre/lim. Adds
   * d loss / d slot for each sample into slotGrad[s * B + b]; for a slot shared by the batch
   * (weights, constants) only the batch total, in slotGrad[s * B]. Leaves re/im at the initial state and
   * λ propagated back to it (used for amplitude-embedding input gradients).
   */
  adjoint(slotGrad: Float64Array): void {
    const { prims, slots, dim } = this.program;
    const B = this.B;
    const { re, im, lre, lim, gen } = this;
    const km = this.km;
    const kern = km?.kernels;
    for (let k = prims.length - 1; k >= 0; k--) {
      const p = prims[k];
      if (p.kind === Kind.GENERIC) {
        adjointGeneric(p, slots, this.slotVals, B, dim, re, im, lre, lim, slotGrad);
        continue;
      }
      const wanted = p.slot >= 0 && slots[p.slot].ref.kind !== 'const';
      const fx = p.fixed;
      const f = fx.length;
      if (kern !== undefined && f <= WASM_MAX_FIXED && this.shared[k] === 1) {
        const f0 = fx[0], f1 = f > 1 ? fx[1] : 0, f2 = f > 2 ? fx[2] : 0;
        if (p.kind === Kind.FUSED) {
          const m = this.inv[k];
          kern.adjMat1Shared(re.byteOffset, im.byteOffset, lre.byteOffset, lim.byteOffset, B, dim, p.bitA, p.mask, f, f0, f1, f2,
            m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], 0);
          this.S.set(km!.scratch);
          this.fusedGradients(k, slotGrad);
          continue;
        }
        if (p.kind === Kind.XPERM) {
          kern.xpermPair(re.byteOffset, im.byteOffset, lre.byteOffset, lim.byteOffset, B, dim, p.bitA, p.mask, f, f0, f1, f2);
          continue;
        }
        if (p.kind === Kind.ROT && wanted) {
          const c = this.coef[k];
          const total = kern.adjRotShared(re.byteOffset, im.byteOffset, lre.byteOffset, lim.byteOffset, B, dim, p.axis, p.bitA, p.mask, f, f0, f1, f2, c[0], c[1]);
          slotGrad[p.slot * B] += rotationGradientScale(p.axis) * total;
          continue;
        }
      }
      if (p.kind === Kind.FUSED) {
        const n = this.shared[k] === 1 ? 1 : B;
        adjointMat1(re, im, lre, lim, B, dim, p.bitA, p.mask, p.fixed, this.inv[k], n, this.S);
        this.fusedGradients(k, slotGrad);
        continue;
      }
      if (p.kind === Kind.XPERM) {
        xperm2(re, im, lre, lim, B, dim, p.bitA, p.mask, p.fixed);
        continue;
      }
      const off = p.slot * B;
      if (p.kind === Kind.ROT && wanted) {
        // Fused: generator overlap and both inverse applications in one pass.
        const scale = rotationGradientScale(p.axis);
        const n = this.shared[k] === 1 ? 1 : B;
        const total = adjointRotate(re, im, lre, lim, B, dim, p.axis, p.bitA, p.mask, p.fixed, this.coef[k], n, gen);
        if (n === 1) slotGrad[off] += scale * total;
        else for (let b = 0; b < B; b++) slotGrad[off + b] += scale * gen[b];
        continue;
      }
      if (wanted) {
        if (p.kind === Kind.PAIRMIX) pairGenerator(lre, lim, re, im, B, dim, p.bitA, p.bitB, p.fixed, p.axis === Axis.X ? 1 : -1, gen);
        else parityGenerator(lre, lim, re, im, B, dim, p.mask, gen);
        for (let b = 0; b < B; b++) slotGrad[off + b] += gen[b];
      }
      this.apply(k, re, im, true);
      this.apply(k, lre, lim, true);
    }
  }

  /**
   * Chain rule from slots to sources: gW[j] += Σ_b dL/dslot · dslot/dw_j, gX[b, i] += … .
   * After `adjoint`, also adds the amplitude-embedding input gradient from λ at the initial state.
   */
  slotsToParams(
    slotGrad: Float64Array, inputs: ArrayLike<number>, weights: ArrayLike<number>,
    gW: Float64Array, gX: Float64Array, withAmplitude: boolean,
  ): void {
    const { slots, numInputs } = this.program;
    const B = this.B;
    const row = new RowView(inputs, numInputs);
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
    const amp = this.program.circuit.amplitudeInit;
    if (withAmplitude && amp) this.amplitudeInputGrad(amp, gX);
  }

  /** dL/dv for amplitude-embedded features v, from λ at the initial state: dL/dψ0_i = 2 Re λ_i. */
  private amplitudeInputGrad(amp: { firstInput: number; length: number; normalize: boolean }, gX: Float64Array): void {
    const { dim, numInputs } = this.program;
    const B = this.B;
    for (let b = 0; b < B; b++) {
      // ψ0 = v / |v|  ⇒  dL/dv_j = (a_j − ψ0_j Σ_i ψ0_i a_i) / |v|, a_i = dL/dψ0_i.
      let dot = 0;
      if (amp.normalize) for (let i = 0; i < dim; i++) dot += this.re[i * B + b] * 2 * this.lre[i * B + b];
      const inv = amp.normalize ? 1 / this.ampNorm[b] : 1;
      for (let j = 0; j < amp.length; j++) {
        const a = 2 * this.lre[j * B + b];
        const g = amp.normalize ? (a - this.re[j * B + b] * dot) * inv : a;
        gX[b * numInputs + amp.firstInput + j] += g;
      }
    }
  }
}

/**
 * d loss / d angle of a rotation = scale × the overlap its adjoint kernel accumulates:
 * rotations exp(−iασ/2) give 1; PhaseShift, U = exp(iαΠ) = exp(−iα·(−1)·Π), gives −2.
 */
function rotationGradientScale(axis: Axis): number {
  return axis === Axis.P ? -2 : 1;
}

/** Primitives whose kernel takes an angle (as [c | s] coefficients). */
function hasAngle(p: Primitive): boolean {
  return p.kind === Kind.ROT || p.kind === Kind.PAIRMIX || p.kind === Kind.PARITY;
}

function interleave(re: Float64Array, im: Float64Array, out: Float64Array): void {
  for (let i = 0; i < 4; i++) {
    out[2 * i] = re[i];
    out[2 * i + 1] = im[i];
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
