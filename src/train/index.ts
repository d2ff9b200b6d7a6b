// Training: the loop, its tasks, optimizers, schedules, losses, metrics, clipping, early stopping,
// checkpoints, the seeded PRNG and progress output.
export * from '../util/random.js';
export * from './optimizers.js';
export * from './param-groups.js';
export * from './schedules.js';
export * from './losses.js';
export * from './metrics.js';
export * from './clip.js';
export * from './early-stopping.js';
export * from './checkpoint.js';
export * from './fingerprint.js';
export * from '../util/hash.js';
export * from './weights.js';
export * from './history.js';
export * from './progress.js';
export * from '../util/atomic-file.js';
export * from './trainer.js';
export * from './tasks/index.js';
