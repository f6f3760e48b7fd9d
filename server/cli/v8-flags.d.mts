export declare const DEFAULT_V8_FLAGS: readonly string[];
export declare function v8Flags(env?: Record<string, string | undefined>): readonly string[];
