// The activation names a config may give a layer, in a module without TensorFlow.js, so that a
// page's controls (the playground) can list them without loading tfjs.
export const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softmax', 'softplus', 'softsign', 'swish', 'gelu'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];
