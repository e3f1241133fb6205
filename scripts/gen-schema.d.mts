export declare const SCHEMA_PATH: string;
export declare const GENERATED_DIR: string;
/** The generated TypeScript files as { path relative to GENERATED_DIR: contents }. */
export declare function generateSchemaCode(): Promise<Record<string, string>>;
