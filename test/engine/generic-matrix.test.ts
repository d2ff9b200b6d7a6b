// The generic matrix path (engine/generic-matrix.ts): every one- and two-wire gate of the table,
// run with its fast kernel disabled (compile's `genericGates`), must give the dense-matrix
// reference state, and its adjoint gradients must agree with central finite differences and with
// parameter-shift (every table gate declares a shift rule). Parameters are shared (weights) and
// per sample (inputs), so both branches of the generic kernels run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { GATES, type GateDef } from '../../src/circuit/gates.js';
import { w, x, type ParamRef } from '../../src/circuit/params.js';
import { compile, Kind } from '../../src/engine/program.js';
import { gateDerivative } from '../../src/engine/generic-matrix.js';
import { shiftRule } from '../../src/engine/shift-rules.js';
import { Simulator } from '../../src/engine/simulator.js';
import { rand, referenceState } from './reference.js';

const N = 3;
const DIM = 1 << N;
const B = 2;
const SMALL = (Object.values(GATES) as GateDef[]).filter((d) => d.numWires <= 2);

/** A circuit that scrambles |000⟩ with fast gates, then the gate under test on `wires`, then more fast gates. */
function circuitWith(gate: GateDef, wires: number[], params: ParamRef[]): Circuit {
  const c = new Circuit(N);
  for (let q = 0; q < N; q++) c.ry(q, 0.4 + 0.5 * q).rz(q, 0.3 - 0.7 * q);
  c.cnot(0, 1).cnot(1, 2);
  c.add(gate.name, wires, params);
  c.rx(0, 0.9).cnot(2, 0).ry(1, -0.6);
  return c;
}

/** Σ_b ⟨ψ_b| Z0 |ψ_b⟩ through the generic program; `grad` fills d/dweights and d/dinputs by the adjoint sweep. */
function run(c: Circuit, gateName: string, inputs: Float64Array, weights: Float64Array, grad?: { gW: Float64Array; gX: Float64Array }): number {
  const program = compile(c, { genericGates: [gateName], fuse: false });
  assert.ok(program.prims.some((p) => p.kind === Kind.GENERIC), `${gateName} should run on the generic path`);
  const sim = new Simulator(program);
  sim.setParams(inputs, weights, B);
  sim.prepare();
  sim.initState(inputs);
  sim.run();
  const z = (i: number): number => ((i >> (N - 1)) & 1 ? -1 : 1);
  let loss = 0;
  for (let i = 0; i < DIM; i++) for (let b = 0; b < B; b++) loss += z(i) * (sim.re[i * B + b] ** 2 + sim.im[i * B + b] ** 2);
  if (grad) {
    sim.ensureCostate();
    // λ = d loss / dψ̄ = Z0 ψ.
    for (let i = 0; i < DIM; i++)
      for (let b = 0; b < B; b++) {
        sim.lre[i * B + b] = z(i) * sim.re[i * B + b];
        sim.lim[i * B + b] = z(i) * sim.im[i * B + b];
      }
    const slotGrad = new Float64Array(program.slots.length * B);
    sim.adjoint(slotGrad);
    sim.slotsToParams(slotGrad, inputs, weights, grad.gW, grad.gX, false);
  }
  return loss;
}

function check(gate: GateDef, perSample: boolean): void {
  const r = rand(gate.name.length * 131 + (perSample ? 7 : 0));
  const wires = gate.numWires === 1 ? [2] : [2, 0];
  const params = Array.from({ length: gate.numParams }, (_, k) => (perSample ? x(k) : w(k)));
  const c = circuitWith(gate, wires, params);
  const nIn = perSample ? gate.numParams : 0;
  const inputs = Float64Array.from({ length: B * nIn }, () => r() * 4 - 2);
  const weights = Float64Array.from({ length: c.numWeights }, () => r() * 4 - 2);

  // Forward: the state equals the dense product of declared matrices.
  const program = compile(c, { genericGates: [gate.name], fuse: false });
  const sim = new Simulator(program);
  sim.setParams(inputs, weights, B);
  sim.prepare();
  sim.initState(inputs);
  sim.run();
  for (let b = 0; b < B; b++) {
    const ref = referenceState(c, weights, inputs.subarray(b * nIn, (b + 1) * nIn));
    for (let i = 0; i < DIM; i++) {
      const d = Math.hypot(sim.re[i * B + b] - ref.re[i], sim.im[i * B + b] - ref.im[i]);
      assert.ok(d < 1e-13, `${gate.name} forward, sample ${b}, amplitude ${i}: off by ${d}`);
    }
  }
  if (gate.numParams === 0) return;

  // Gradients: adjoint vs central differences vs parameter-shift, for each parameter.
  const gW = new Float64Array(weights.length);
  const gX = new Float64Array(inputs.length);
  run(c, gate.name, inputs, weights, { gW, gX });
  const h = 1e-6;
  for (let k = 0; k < gate.numParams; k++) {
    const at = (delta: number): number => {
      if (!perSample) {
        const wv = Float64Array.from(weights);
        wv[k] += delta;
        return run(c, gate.name, inputs, wv);
      }
      // Shift parameter k of every sample: the loss is a sum over samples, so this is Σ_b d/dx_bk.
      const xv = Float64Array.from(inputs);
      for (let b = 0; b < B; b++) xv[b * nIn + k] += delta;
      return run(c, gate.name, xv, weights);
    };
    const adjoint = perSample ? Array.from({ length: B }, (_, b) => gX[b * nIn + k]).reduce((a, v) => a + v, 0) : gW[k];
    const fd = (at(h) - at(-h)) / (2 * h);
    const rule = shiftRule(gate.shiftRules[k]);
    const ps = rule.shifts.reduce((acc, s, t) => acc + rule.coeffs[t] * at(s), 0);
    assert.ok(Math.abs(adjoint - fd) < 1e-7, `${gate.name} parameter ${k}: adjoint ${adjoint} vs finite differences ${fd}`);
    assert.ok(Math.abs(adjoint - ps) < 1e-10, `${gate.name} parameter ${k}: adjoint ${adjoint} vs parameter-shift (${gate.shiftRules[k]}) ${ps}`);
  }
}

for (const gate of SMALL) {
  test(`generic path: ${gate.name} forward and gradients (shared parameters)`, () => check(gate, false));
  if (gate.numParams > 0) test(`generic path: ${gate.name} forward and gradients (per-sample parameters)`, () => check(gate, true));
}

test('the derived matrix derivative matches closed forms: dRX/dθ = −i/2·X·RX(θ), dCU3/dφ', () => {
  for (const theta of [-2.2, 0.1, 1.7]) {
    const d = gateDerivative({ ...GATES.RX, derivative: undefined }, [theta], 0);
    // d/dθ [[cos θ/2, −i sin θ/2], [−i sin θ/2, cos θ/2]] = [[−sin/2, −i cos/2], [−i cos/2, −sin/2]]
    const s = Math.sin(theta / 2) / 2;
    const co = Math.cos(theta / 2) / 2;
    const want = [[-s, 0], [0, -co], [0, -co], [-s, 0]];
    want.forEach(([re, im], e) => assert.ok(Math.hypot(d.re[e] - re, d.im[e] - im) < 1e-12, `entry ${e}`));
  }
  // CU3(θ, φ, λ): d/dφ touches only the controlled block's second row: i·e^{iφ}·(row 2 of U3).
  const [t, f, l] = [0.7, -1.1, 2.4];
  const d = gateDerivative(GATES.CU3, [t, f, l], 1);
  const want = [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, -Math.sin(f) * Math.sin(t / 2), -Math.sin(f + l) * Math.cos(t / 2)],
  ];
  const wantIm = [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, Math.cos(f) * Math.sin(t / 2), Math.cos(f + l) * Math.cos(t / 2)],
  ];
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) assert.ok(Math.hypot(d.re[i * 4 + j] - want[i][j], d.im[i * 4 + j] - wantIm[i][j]) < 1e-12, `(${i},${j})`);
});

test('a gate wider than two wires without a fast kernel is refused with a clear error', () => {
  const c = new Circuit(3).toffoli(0, 1, 2);
  assert.throws(() => compile(c, { genericGates: ['Toffoli'] }), /Toffoli .*generic matrix path covers 1 or 2 wires/);
});
