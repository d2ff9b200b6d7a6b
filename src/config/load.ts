// Loading an experiment config from a file or text: validation (parse.ts), then the config's
// relative paths (CSV file, image folder, split file) resolved against the config file's folder.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { isImageData } from '../data/prepare.js';
import { validateConfigText, type LoadOptions, type ValidatedConfig } from './parse.js';

export { validateConfigText, type LoadOptions, type ValidatedConfig } from './parse.js';

export interface LoadedConfig extends ValidatedConfig {
  /** Folder relative paths in the config are resolved against. */
  baseDir: string;
}

export function loadConfigFile(path: string, options: LoadOptions = {}): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file: path, path: '', message: `cannot read the config file: ${(e as Error).message}` }]);
  }
  return parseConfigText(text, path, { ...options, baseDir: dirname(resolve(path)) });
}

export function parseConfigText(text: string, file = '<string>', options: LoadOptions & { baseDir?: string } = {}): LoadedConfig {
  const validated = validateConfigText(text, file, options);
  const { config } = validated;
  const baseDir = options.baseDir ?? process.cwd();
  // The resolved config is saved in the run folder; absolute data paths keep it runnable from there.
  if (config.data.type === 'csv' && !isAbsolute(config.data.path)) config.data.path = resolve(baseDir, config.data.path);
  if (isImageData(config.data) && config.data.dir !== undefined && !isAbsolute(config.data.dir)) config.data.dir = resolve(baseDir, config.data.dir);
  if (config.data.split.file && !isAbsolute(config.data.split.file)) config.data.split.file = resolve(baseDir, config.data.split.file);
  return { ...validated, baseDir };
}
