// What a checkpoint holds of a training run besides its fingerprint: the model's weights, the
// optimizer's slots and step, the schedule, early stopping, the history, restore-best weights
// and the task's own state, converted to and from CheckpointData. The same capture, held in
// memory, lets an interrupted epoch be discarded (see trainer.ts).

import type * as tf from '@tensorflow/tfjs';
import type { CheckpointData, Fingerprint, StoredTensor } from './checkpoint.js';
import type { EarlyStopping, EarlyStoppingState } from './early-stopping.js';
import type { EpochRecord } from './history.js';
import type { Optimizer, OptimizerKind, OptimizerState } from './optimizers.js';
import type { LrSchedule, ScheduleState } from './schedules.js';
import type { TrainingTask } from './tasks/task.js';
import { restoreWeights, snapshotWeights } from './weights.js';

/** The live objects whose state a checkpoint captures. */
export interface TrainingParts {
  model: tf.LayersModel;
  optimizer: Optimizer;
  schedule: LrSchedule;
  earlyStopping: EarlyStopping | null;
  task: TrainingTask<unknown>;
}

/** Trainer state stored in the checkpoint's JSON next to the tensors. */
interface SavedState {
  optimizer: { kind: OptimizerKind; step: number; slots: Record<string, string[]> };
  schedule: ScheduleState;
  earlyStopping: EarlyStoppingState | null;
  history: EpochRecord[];
  hasBest: boolean;
  /** The task's state() (absent for tasks without one, so their checkpoints stay as before). */
  task?: unknown;
}

export function makeCheckpoint(
  epoch: number,
  fingerprint: Fingerprint,
  parts: TrainingParts,
  history: EpochRecord[],
  bestWeights: Map<string, StoredTensor> | null,
): CheckpointData {
  const { model, optimizer, schedule, earlyStopping, task } = parts;
  const tensors = new Map<string, StoredTensor>();
  for (const [name, t] of snapshotWeights(model)) tensors.set(`weights/${name}`, t);
  const optState = optimizer.getState();
  const shapes = new Map(optimizer.groups.flatMap((g) => g.params.map((p) => [p.key, p.variable.shape] as const)));
  const slots: Record<string, string[]> = {};
  for (const [key, bySlot] of Object.entries(optState.slots)) {
    slots[key] = Object.keys(bySlot);
    for (const [slot, values] of Object.entries(bySlot)) tensors.set(`optimizer/${slot}/${key}`, { shape: [...(shapes.get(key) ?? [values.length])], values });
  }
  if (bestWeights) for (const [name, t] of bestWeights) tensors.set(`best/${name}`, t);
  const state: SavedState = {
    optimizer: { kind: optState.kind, step: optState.step, slots },
    schedule: schedule.state(),
    earlyStopping: earlyStopping ? earlyStopping.state() : null,
    history,
    hasBest: bestWeights !== null,
    task: task.state?.(),
  };
  return { epoch, fingerprint, tensors, state: state as unknown as Record<string, unknown> };
}

/** Put a checkpoint's state into the live objects; returns the history and restore-best weights. */
export function restoreFromCheckpoint(ckpt: CheckpointData, parts: TrainingParts): { history: EpochRecord[]; bestWeights: Map<string, StoredTensor> | null } {
  const { model, optimizer, schedule, earlyStopping, task } = parts;
  const state = ckpt.state as unknown as SavedState;
  const pick = (prefix: string) => {
    const out = new Map<string, StoredTensor>();
    for (const [name, t] of ckpt.tensors) if (name.startsWith(prefix)) out.set(name.slice(prefix.length), t);
    return out;
  };
  const optState: OptimizerState = { kind: state.optimizer.kind, step: state.optimizer.step, slots: {} };
  for (const [key, slotNames] of Object.entries(state.optimizer.slots)) {
    optState.slots[key] = {};
    for (const slot of slotNames) {
      const t = ckpt.tensors.get(`optimizer/${slot}/${key}`);
      if (t) optState.slots[key][slot] = t.values;
    }
  }
  // Each restore validates its part before assigning; any mismatch throws and the run stops,
  // so a checkpoint that does not fit is never trained on.
  optimizer.setState(optState);
  restoreWeights(model, pick('weights/'));
  schedule.restore(state.schedule);
  if (earlyStopping && state.earlyStopping) earlyStopping.restore(state.earlyStopping);
  if (task.restore && state.task !== undefined) task.restore(state.task);
  return { history: state.history, bestWeights: state.hasBest ? pick('best/') : null };
}

/** What one epoch changes in the live objects (weights, optimizer, task), held in memory. */
export interface EpochStartState {
  weights: Map<string, StoredTensor>;
  optimizer: OptimizerState;
  task: unknown;
}

export function captureEpochStart(parts: TrainingParts): EpochStartState {
  // A copy: a task may hand out its live state object.
  return { weights: snapshotWeights(parts.model), optimizer: parts.optimizer.getState(), task: structuredClone(parts.task.state?.()) };
}

/** Undo an unfinished epoch: the schedule and early stopping only change at an epoch's end. */
export function rollBackEpoch(parts: TrainingParts, saved: EpochStartState): void {
  parts.optimizer.setState(saved.optimizer);
  restoreWeights(parts.model, saved.weights);
  if (parts.task.restore && saved.task !== undefined) parts.task.restore(saved.task);
}
