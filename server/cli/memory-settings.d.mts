export declare const DEFAULT_V8_FLAGS: readonly string[];
export declare function v8Flags(env?: Record<string, string | undefined>): readonly string[];
export declare const MALLOC_DEFAULTS: Readonly<Record<string, string>>;
export declare function serverEnv(
  env?: Record<string, string | undefined>,
): Record<string, string | undefined>;
