// Image data sets read from local files: MNIST, Fashion-MNIST (IDX), CIFAR-10 (binary batches).
export * from './idx.js';
export * from './images.js';
export * from './mnist.js';
export * from './cifar.js';
