export { withQuantumChannels, computeChannelValues, channelKey, QuantumChannelsError, DEFAULT_CHANNEL_QUBITS, DEFAULT_CHANNEL_CACHE, type QuantumChannelsConfig, type ChannelStats } from './channels.js';
export { channelCircuits, edgeCircuit, textureCircuit, type ChannelCircuit } from './circuits.js';
export { appendMapChannels, cellGrid, cellMeans, resizeBilinear } from './maps.js';
