export { buildResNet, resnetGraph, type ResNetBuildOptions, type ResNetGraph } from './build.js';
export { buildResNetFromConfig, type ResNetFamilyOptions } from './from-config.js';
export { baseLayout, RESNET_DEFAULTS, RESNET_DEPTHS, RESNET_SCHEMA, RESNET_STEMS, scaledChannels, type ResNetConfig, type ResNetDepth, type ResNetStem, type StageLayout } from './spec.js';
