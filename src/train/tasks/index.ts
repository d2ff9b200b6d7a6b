// Tasks the trainer can train: the interface and the built-in ones.
export * from './task.js';
export * from './classification.js';
export * from './regression.js';
export * from './from-config.js';
