// Large states (issue 14 §5): one layer of RY on every wire + a CNOT chain, <Z0>, batch 1, on
//   one   — the state in one WebAssembly memory (up to 26 qubits with the gradient since 4 GiB memories),
//   chunk — the state in JavaScript arrays, SIMD gates in chunks (statevector/chunked.ts; the
//           default from 27 qubits, forced below),
//   js    — the JavaScript kernels (setWasmKernels(false); before this change, the path from 26 qubits).
// Each measurement runs in its own child process (a 28-qubit state with its co-state is 8 GiB:
// two variants must never be alive at once), the variants interleaved, each keeping its minimum
// CPU time (process.cpuUsage; single-threaded). Forward: a warm forward, then the timed one.
// Forward + gradient: the first vjp, its co-state's first-touch page faults included (as in a
// real first gradient; the same for every variant).
// Run: npm run bench -- large-state                      (24 qubits, chunk forced; ~1 minute)
//      npm run bench -- large-state --qubits=26,27,28    (minutes; 28 forward + gradient needs ~9 GiB)
//      options: --reps=N (default 2), --no-grad, --chunk-elements=2^k

import { execFileSync } from 'node:child_process';
import { freemem, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Circuit } from '../src/circuit/circuit.js';
import { expval } from '../src/circuit/measurements.js';
import { pauliWord } from '../src/circuit/observables.js';
import { ryCnotChainBlocks } from '../src/circuit/templates.js';
import { QNode } from '../src/engine/qnode.js';
import { setChunking } from '../src/engine/statevector/chunk-settings.js';
import { setWasmKernels } from '../src/engine/wasm/backend.js';
import { setMemoryBudget } from '../src/engine/memory.js';
import { table } from './timing.js';

type Variant = 'one' | 'chunk' | 'js';

interface Sample {
  forward: number;
  gradient: number;
  /** Peak RSS of the child, GiB. */
  rss: number;
  /** Whether the state was where the variant says (kernel memory, chunks, JavaScript). */
  placed: boolean;
}

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** One measurement (in a child process): build, warm forward, timed forward, timed vjp. */
function child(variant: Variant, n: number, grad: boolean, chunkElements: number | undefined): Sample {
  setMemoryBudget(20 * 2 ** 30);
  setWasmKernels(variant !== 'js');
  setChunking(variant === 'chunk' ? { force: true, ...(chunkElements ? { chunkElements } : {}) } : undefined);
  const c = new Circuit(n);
  ryCnotChainBlocks(c, { layers: 1 });
  const q = new QNode(c, expval([pauliWord([['Z', 0]])]));
  const w = Float64Array.from({ length: c.numWeights }, (_, i) => Math.cos(i));
  q.forward([], w, 1);
  const cpu = (f: () => void): number => {
    const c0 = process.cpuUsage();
    f();
    const d = process.cpuUsage(c0);
    return (d.user + d.system) / 1000;
  };
  const forward = cpu(() => q.forward([], w, 1));
  const gradient = grad ? cpu(() => q.vjp([1])) : NaN;
  const states = (q as unknown as { sim: { states: { kernels: unknown; chunks: unknown } } }).sim.states;
  const placed = variant === 'one' ? states.kernels !== null : variant === 'chunk' ? states.chunks !== null : states.kernels === null && states.chunks === null;
  return { forward, gradient, rss: process.resourceUsage().maxRSS / 2 ** 20, placed };
}

function measureInChild(variant: Variant, n: number, grad: boolean, chunkElements: number | undefined): Sample {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--child', variant, String(n), grad ? 'grad' : 'fwd', String(chunkElements ?? 0)];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

export function runLargeStateBench(): string {
  const qubits = (option('qubits') ?? '24').split(',').map(Number);
  const reps = Number(option('reps') ?? 2);
  const grad = !process.argv.includes('--no-grad');
  const ce = option('chunk-elements');
  const chunkElements = ce === undefined ? undefined : ce.startsWith('2^') ? 2 ** Number(ce.slice(2)) : Number(ce);
  const lines = [
    '## Large states (issue 14 §5)',
    '',
    `load before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}, free memory ${(freemem() / 2 ** 30).toFixed(1)} GiB; reps ${reps}; chunk elements ${chunkElements ?? 'default'}`,
    '',
  ];
  const rows: Array<Array<string | number>> = [];
  for (const n of qubits) {
    // One memory holds state + co-state up to 26 qubits (4 GiB); at 27+ it cannot.
    const variants: Variant[] = n <= 26 ? ['one', 'chunk', 'js'] : ['chunk', 'js'];
    const best = new Map<Variant, Sample>();
    for (let r = 0; r < reps; r++)
      for (const v of variants) {
        const s = measureInChild(v, n, grad, chunkElements);
        if (!s.placed) throw new Error(`large-state: the ${v} variant did not place the ${n}-qubit state as meant`);
        const b = best.get(v);
        best.set(v, b === undefined ? s : { forward: Math.min(b.forward, s.forward), gradient: Math.min(b.gradient, s.gradient), rss: Math.max(b.rss, s.rss), placed: true });
      }
    const js = best.get('js')!;
    const prims = 2 * n - 1;
    for (const v of variants) {
      const s = best.get(v)!;
      rows.push([String(n), v, s.forward, (s.forward * 1e6) / (2 ** n * prims), (js.forward / s.forward).toFixed(2) + '×',
        grad ? s.gradient : '-', grad ? (js.gradient / s.gradient).toFixed(2) + '×' : '-', s.rss.toFixed(2)]);
    }
  }
  lines.push(table(['qubits', 'variant', 'forward CPU ms', 'ns / amplitude / primitive', 'vs js', 'gradient (vjp) CPU ms', 'vs js', 'peak RSS GiB'], rows));
  lines.push('', `load after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  return lines.join('\n');
}

if (process.argv[2] === '--child') {
  const [variant, n, mode, ce] = process.argv.slice(3);
  console.log(JSON.stringify(child(variant as Variant, Number(n), mode === 'grad', Number(ce) || undefined)));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(runLargeStateBench());
}
