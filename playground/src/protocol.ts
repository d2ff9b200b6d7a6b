// Messages between the page (main.ts) and the training worker (worker.ts).

import type { PlaygroundSettings } from './settings.js';

export type ModelRole = 'hybrid' | 'twin';

export type ToWorker =
  /** Validate the settings' config, prepare the data, build both models (a reset). */
  | { type: 'configure'; settings: PlaygroundSettings; csv?: { name: string; text: string } }
  /** Parse an opened config file into settings (nothing is trained). */
  | { type: 'open'; name: string; text: string }
  | { type: 'run' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'export'; role: ModelRole };

export interface ModelInfo {
  params: { quantum: number; classical: number; total: number };
}

/** One model's numbers after an epoch. */
export interface ModelEpoch {
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  seconds: number;
  /** Per grid cell (column-major as decisionBoundaryGrid: x outer, y inner): predicted class. */
  boundaryClass: Int32Array;
  /** Per grid cell: the predicted class's probability. */
  boundaryProb: Float32Array;
}

export interface BoundaryFrame {
  resolution: number;
  x0: number;
  y0: number;
  stepX: number;
  stepY: number;
  xName: string;
  yName: string;
}

export interface PointSet {
  x: Float32Array;
  y: Float32Array;
  cls: Int32Array;
}

export type FromWorker =
  | {
      type: 'configured';
      yaml: string;
      twinYaml: string;
      hybrid: ModelInfo;
      twin: ModelInfo;
      numClasses: number;
      classNames: string[];
      frame: BoundaryFrame;
      train: PointSet;
      test: PointSet;
      circuitSvg: string;
      epochs: number;
      backend: string;
      kernels: string;
    }
  | { type: 'opened'; settings: PlaygroundSettings }
  | { type: 'epoch'; epoch: number; hybrid: ModelEpoch; twin: ModelEpoch; circuitSvg: string }
  | { type: 'state'; running: boolean; done: boolean }
  | { type: 'exported'; role: ModelRole; name: string; modelJson: string; weights: Uint8Array }
  | { type: 'error'; message: string };
