export {
  keelConfigSchema,
  resilienceConfigSchema,
  storageConfigSchema,
  type KeelConfig,
} from './keel-config-schema.ts';
export {
  loadEnvironment,
  type KeelEnvironment,
  type LoadEnvironmentOptions,
} from './load-environment.ts';
export {
  configFileNames,
  loadKeelConfig,
  parseKeelConfig,
  type LoadKeelConfigOptions,
  type LoadedKeelConfig,
} from './load-keel-config.ts';
