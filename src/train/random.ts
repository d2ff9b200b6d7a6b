// The project's one PRNG lives beside the engine (which must run in browsers and may not import
// from the trainer); the trainer uses the same generator and stream derivation.
export { Rng, deriveSeed } from '../engine/random.js';
