// The mapping language: configuration schema, save-time validation, compilation and application.
export { applyMapping, type MappingOutcome } from './apply';
export { CAST_NAMES, parseCast, type CastOutcome, type ParsedCast } from './casts';
export {
  compileMapping,
  validateMapping,
  type CompiledMapping,
  type CompileResult,
  type MappingValidation,
} from './compile';
export {
  classifyMappingValue,
  mappingConfigSchema,
  ROOT_REPLACEMENT_KEY,
  type MappingConfig,
  type MappingConfigInput,
  type MappingProblem,
  type MappingValueKind,
} from './config';
