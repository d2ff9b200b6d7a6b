// One export: a trained circuit (weights bound), its measurement, a target → the files to write
// and a report. Pure (no file system); experiments/export-model.ts finds the circuit in a config or
// run folder and writes the files. Nothing is returned unless all three checks (check.ts) passed.
//
// Targets:
//   openqasm3  the circuit as it is, in OpenQASM 3 with stdgates.inc (circuit/qasm/export.ts), one
//              program per readout group; unbound inputs stay `input float[64]` parameters
//   ibm        the body of a Qiskit Runtime Sampler (V2) job: {program_id: "sampler", backend,
//              params: {pubs: [[circuit, parameter values | null, shots], …], version: 2}}, one PUB
//              per readout group, circuits in IBM's basis {rz, sx, x} + cz / cx / ecr; unbound
//              inputs become PUB parameter values, one row per sample
//   ionq       the body of an IonQ job (v0.3 "ionq.circuit.v0"), native {gpi, gpi2, ms} or QIS gates;
//              one circuit, or "circuits" with one per group
//   braket     CreateQuantumTask bodies (one per group) whose action is a braket.ir.openqasm.program
//              in Braket's OpenQASM 3 subset (rz, ry, cnot; no loops, branches or definitions)

import type { Circuit } from '../circuit/circuit.js';
import type { Measurement } from '../circuit/measurements.js';
import { parseQasm } from '../circuit/qasm/import.js';
import { toQasm3 } from '../circuit/qasm/export.js';
import { BASES, lowerCircuit, type BasisName } from '../circuit/lower/pipeline.js';
import { circuitCounts, loweredCounts, withoutFinalRz, type GateCounts } from '../circuit/lower/stats.js';
import { toTableCircuit } from '../circuit/lower/ops.js';
import { planReadout, withReadoutRotations, type Readout } from '../circuit/lower/readout.js';
import { Rng } from '../util/random.js';
import { sha256Hex } from '../util/hash.js';
import { checkEachOperation, checkProbabilities } from './check.js';
import { ExportError } from './errors.js';
import { ionqGatesToCircuit, toIonqGates, type IonqGate, type IonqGateset } from './ionq.js';
import { GENERATED_MARK, inputNames, loweredToQasm3, measureAll, withBraketPrelude } from './qasm3.js';

export const EXPORT_TARGETS = ['openqasm3', 'ibm', 'ionq', 'braket'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];
export const IBM_BASES = ['cz', 'cx', 'ecr'] as const;
export type IbmBasis = (typeof IBM_BASES)[number];
export const IONQ_GATESETS: readonly IonqGateset[] = ['native', 'qis'];

/** The marker export puts in the JSON bodies it writes (in fields each API accepts). */
export const GENERATED_TAG = 'entangle-export';

export interface ExportSpec {
  circuit: Circuit;
  weights: ArrayLike<number>;
  measurement: Measurement;
  target: ExportTarget;
  /** One sample's inputs, bound into the circuit. Absent: inputs stay parameters (openqasm3, ibm). */
  inputs?: ArrayLike<number>;
  /** With inputs unbound: rows of input values (IBM PUB parameter values; also checked). */
  parameterRows?: readonly Float64Array[];
  /** IBM's two-qubit gate (default cz: Heron). */
  basis?: IbmBasis;
  /** IonQ gateset (default native). */
  gateset?: IonqGateset;
  shots: number;
  /** IBM backend name, IonQ target, Braket device ARN; placeholders when absent. */
  backend?: string;
  /** Job name (IonQ) / PUB names in the report. */
  name: string;
  /** Seed of the random input values the checks use when inputs are unbound. */
  seed?: number;
}

export interface ExportFile {
  /** '' for the main file; `.g1`, `.g2`… for further readout groups of per-group targets. */
  suffix: string;
  text: string;
}

export interface GroupReport {
  /** The readout basis, e.g. "Z on all wires" or "X0 Y2 (rest Z)". */
  basis: string;
  original: GateCounts;
  lowered: GateCounts;
}

export interface ExportReport {
  target: ExportTarget;
  basisLabel: string;
  groups: GroupReport[];
  readout: Readout;
  /** Input values still parameters in the written circuits. */
  symbolicInputs: number;
  /** How many input vectors the checks ran (1 when bound). */
  checkSamples: number;
  /** Largest |Δp| of the lowered circuits and of the written files, against the trained circuit. */
  maxProbDiffLowered: number;
  maxProbDiffFile: number;
}

export interface ExportOutput {
  files: ExportFile[];
  report: ExportReport;
}

const PLACEHOLDER = { ibm: '<IBM_BACKEND_NAME>', ionq: 'simulator', braket: 'arn:aws:braket:::device/quantum-simulator/amazon/sv1' };

function basisOf(spec: ExportSpec): BasisName | undefined {
  switch (spec.target) {
    case 'openqasm3':
      return undefined;
    case 'ibm':
      return `ibm-${spec.basis ?? 'cz'}`;
    case 'ionq':
      return (spec.gateset ?? 'native') === 'native' ? 'ionq-native' : 'rotations-cnot';
    case 'braket':
      return 'rotations-cnot';
  }
}

function groupLabel(basis: Readonly<Record<number, string>>): string {
  const rotated = Object.entries(basis).filter(([, p]) => p !== 'Z');
  return rotated.length === 0 ? 'Z on all wires' : `${rotated.map(([w, p]) => `${p}${w}`).join(' ')} (rest Z)`;
}

/** The input vectors the checks run: the bound sample, or given rows and seeded random angles. */
function checkSamples(spec: ExportSpec): Float64Array[] {
  const n = spec.circuit.numInputs;
  if (spec.inputs) return [Float64Array.from(spec.inputs)];
  const rows = (spec.parameterRows ?? []).slice(0, 8).map((r) => Float64Array.from(r));
  const rng = new Rng(spec.seed ?? 0);
  for (let k = 0; k < (n === 0 ? 1 : 4); k++) rows.push(Float64Array.from({ length: n }, () => rng.uniform(-Math.PI, Math.PI)));
  return rows;
}

function validate(spec: ExportSpec): void {
  const n = spec.circuit.numInputs;
  if (!(Number.isInteger(spec.shots) && spec.shots >= 1)) throw new ExportError(`--shots ${spec.shots}: expected an integer >= 1`);
  if (spec.inputs && spec.inputs.length < n) throw new ExportError(`the circuit reads ${n} inputs; the bound sample has ${spec.inputs.length}`);
  for (const [i, r] of (spec.parameterRows ?? []).entries()) {
    if (r.length < n) throw new ExportError(`parameter row ${i} has ${r.length} values; the circuit reads ${n} inputs`);
  }
  if (n > 0 && !spec.inputs) {
    if (spec.target === 'ionq' || spec.target === 'braket') {
      throw new ExportError(`the ${spec.target} target needs every input bound: the circuit reads ${n} inputs; pass --sample K (the run's test split) or --inputs FILE.csv --row N`);
    }
    if (spec.target === 'ibm' && !spec.parameterRows?.length) {
      throw new ExportError(`the circuit reads ${n} inputs: bind one sample (--sample K, or --inputs FILE.csv --row N), or give --inputs FILE.csv without --row to send every row as PUB parameter values`);
    }
  }
}

function reimport(text: string, fileName: string, numInputs: number): Circuit {
  const { circuit, paramNames } = parseQasm(text, { fileName });
  if (paramNames.length !== numInputs) throw new ExportError(`${fileName}: the written program declares ${paramNames.length} inputs, expected ${numInputs}`);
  return circuit.declareInputs(numInputs);
}

export function exportCircuit(spec: ExportSpec): ExportOutput {
  validate(spec);
  const { circuit, weights } = spec;
  const n = circuit.numWires;
  const symbolic = spec.inputs ? 0 : circuit.numInputs;
  const readout = planReadout(spec.measurement, n);
  const samples = checkSamples(spec);
  const basis = basisOf(spec);
  const bind = { weights, inputs: spec.inputs };
  const names = inputNames(symbolic);
  let maxLowered = 0;
  let maxFile = 0;
  const groups: GroupReport[] = [];
  const texts: string[] = [];
  const ionqCircuits: IonqGate[][] = [];

  readout.groups.forEach((g, k) => {
    const reference = withReadoutRotations(circuit, g);
    const fileName = `${spec.name} (group ${k})`;
    if (basis === undefined) {
      const body = toQasm3(reference, { bind: spec.inputs ? bind : { weights }, inputNames: names });
      const nl = body.indexOf('\n', body.indexOf('\n') + 1);
      const text = `${body.slice(0, nl + 1)}${GENERATED_MARK}\n${body.slice(nl + 1)}${measureAll(n)}`;
      maxFile = Math.max(maxFile, checkProbabilities(`the written program of ${fileName}`, reference, weights, reimport(text, fileName, symbolic), samples));
      groups.push({ basis: groupLabel(g), original: circuitCounts(reference), lowered: circuitCounts(reference) });
      texts.push(text);
      return;
    }
    checkEachOperation(reference, basis, weights, samples, spec.inputs);
    const lowered = lowerCircuit(reference, basis, bind);
    // IonQ: the frame rotations left at the end are diagonal before measurement; not written.
    const written = basis === 'ionq-native' ? withoutFinalRz(lowered) : lowered;
    maxLowered = Math.max(maxLowered, checkProbabilities(`the lowered circuit of ${fileName}`, reference, weights, toTableCircuit(written, symbolic), samples));
    groups.push({ basis: groupLabel(g), original: circuitCounts(reference), lowered: loweredCounts(written) });
    if (spec.target === 'ionq') {
      const gates = toIonqGates(written, spec.gateset ?? 'native');
      maxFile = Math.max(maxFile, checkProbabilities(`the written IonQ circuit of ${fileName}`, reference, weights, ionqGatesToCircuit(n, gates), samples));
      ionqCircuits.push(gates);
      return;
    }
    const dialect = spec.target === 'ibm' ? 'ibm' : 'braket';
    const text = loweredToQasm3(written, { dialect, numInputs: symbolic, notes: [`${spec.name}, readout group ${k}: ${groupLabel(g)}; c[i] is wire i`] });
    const back = reimport(dialect === 'braket' ? withBraketPrelude(text) : text, fileName, symbolic);
    maxFile = Math.max(maxFile, checkProbabilities(`the written program of ${fileName}`, reference, weights, back, samples));
    texts.push(text);
  });

  const files = bodies(spec, texts, ionqCircuits, n);
  return {
    files,
    report: {
      target: spec.target,
      basisLabel: basis ? BASES[basis].label : 'OpenQASM 3 stdgates.inc (no lowering)',
      groups,
      readout,
      symbolicInputs: symbolic,
      checkSamples: samples.length,
      maxProbDiffLowered: maxLowered,
      maxProbDiffFile: maxFile,
    },
  };
}

const json = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';
const suffix = (k: number): string => (k === 0 ? '' : `.g${k}`);

function bodies(spec: ExportSpec, texts: string[], ionq: IonqGate[][], qubits: number): ExportFile[] {
  switch (spec.target) {
    case 'openqasm3':
      return texts.map((text, k) => ({ suffix: suffix(k), text }));
    case 'ibm': {
      const values = spec.parameterRows && !spec.inputs && spec.circuit.numInputs > 0 ? spec.parameterRows.map((r) => Array.from(r.subarray(0, spec.circuit.numInputs))) : null;
      const body = {
        program_id: 'sampler',
        backend: spec.backend ?? PLACEHOLDER.ibm,
        params: { pubs: texts.map((t) => [t, values, spec.shots]), version: 2 },
        tags: [GENERATED_TAG],
      };
      return [{ suffix: '', text: json(body) }];
    }
    case 'ionq': {
      const gateset = spec.gateset ?? 'native';
      const input =
        ionq.length === 1
          ? { format: 'ionq.circuit.v0', gateset, qubits, circuit: ionq[0] }
          : { format: 'ionq.circuit.v0', gateset, qubits, circuits: ionq.map((circuit, k) => ({ name: `${spec.name}-group-${k}`, circuit })) };
      const body = { target: spec.backend ?? PLACEHOLDER.ionq, shots: spec.shots, name: spec.name, metadata: { generated_by: GENERATED_TAG }, input };
      return [{ suffix: '', text: json(body) }];
    }
    case 'braket':
      return texts.map((source, k) => {
        const action = JSON.stringify({ braketSchemaHeader: { name: 'braket.ir.openqasm.program', version: '1' }, source });
        const body = {
          // An idempotency token: the same body sent twice creates one task. Edit it to run again.
          clientToken: sha256Hex(action).slice(0, 36),
          deviceArn: spec.backend ?? PLACEHOLDER.braket,
          shots: spec.shots,
          outputS3Bucket: 'amzn-braket-<YOUR_BUCKET>',
          outputS3KeyPrefix: 'entangle-export',
          action,
          tags: { 'generated-by': GENERATED_TAG },
        };
        return { suffix: suffix(k), text: json(body) };
      });
  }
}

function countsText(c: GateCounts): string {
  const by = Object.entries(c.byGate).map(([g, k]) => `${g} ${k}`).join(', ');
  return `${c.gates} gates (${c.twoQubit} two-qubit), depth ${c.depth}${by ? ` — ${by}` : ''}`;
}

/** What the command prints. */
export function exportReportText(r: ExportReport): string {
  const lines = [`target ${r.target}, basis ${r.basisLabel}`];
  r.groups.forEach((g, k) => {
    lines.push(`circuit ${k} (readout: ${g.basis})`, `  trained circuit  ${countsText(g.original)}`, `  as written       ${countsText(g.lowered)}`);
  });
  if (r.readout.kind === 'expval') {
    r.readout.observables.forEach((terms, i) => {
      const t = terms.map((x) => `${x.coeff === 1 ? '' : `${x.coeff}*`}${x.factors.map((f) => `${f.pauli}${f.wire}`).join(' ') || 'I'} from circuit ${x.group}`).join(' + ');
      lines.push(`output ${i}: ${t}`);
    });
  } else lines.push(`output: probabilities of wires [${r.readout.probsWires!.join(', ')}] from circuit 0's counts`);
  lines.push(
    `inputs: ${r.symbolicInputs ? `${r.symbolicInputs} left as parameters` : 'bound'}; checked on ${r.checkSamples} input vector(s): ` +
      `lowered |Δp| ≤ ${r.maxProbDiffLowered.toExponential(1)}, written file |Δp| ≤ ${r.maxProbDiffFile.toExponential(1)} (tolerance 1e-10)`,
  );
  return lines.join('\n');
}
