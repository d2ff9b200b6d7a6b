import { buildCircuit } from './src/models/quantum-spec.js';
import { exportCircuit, exportReportText } from './src/export/export.js';
import { parseObservable } from './src/circuit/observable-parse.js';
import { expval } from './src/circuit/measurements.js';
const b = buildCircuit({ wires: 4, embedding: { type: 'angle', rotation: 'X' }, ansatz: { type: 'strongly_entangling', layers: 2 }, measure: { type: 'expval' } });
const w = Float64Array.from({ length: b.circuit.numWeights }, (_, i) => Math.sin(i * 1.3) * 3);
const x = Float64Array.of(0.1, -0.5, 0.7, 0.3);
for (const [target, extra] of [['openqasm3', {}], ['ibm', { parameterRows: [x] }], ['ibm', { inputs: x, basis: 'ecr' }], ['ionq', { inputs: x }], ['ionq', { inputs: x, gateset: 'qis' }], ['braket', { inputs: x }]] as const) {
  const t0 = performance.now();
  const out = exportCircuit({ circuit: b.circuit, weights: w, measurement: b.measurement, target, shots: 1000, name: 'circles', ...extra } as any);
  console.log(exportReportText(out.report), (performance.now()-t0).toFixed(0)+'ms');
}
const m = expval([parseObservable('X0 Z1 + 0.5*Y2', 4), parseObservable('Z3', 4)]);
const out = exportCircuit({ circuit: b.circuit, weights: w, measurement: m, target: 'ibm', inputs: x, shots: 100, name: 'h' });
console.log(exportReportText(out.report)); console.log(out.files[0].text.slice(0, 1500));
