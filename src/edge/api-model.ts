import { readFileSync } from 'node:fs';

/**
 * The parts of an AWS API model (botocore's service-2.json, extracted by
 * scripts/extract-model.mjs) that request validation reads.
 */
export interface ShapeRef {
  shape: string;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'double' | 'float' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  union?: boolean;
  exception?: boolean;
  error?: { httpStatusCode?: number; code?: string };
}

export interface Operation {
  name: string;
  input?: ShapeRef;
  output?: ShapeRef;
  errors?: ShapeRef[];
}

export interface ApiModel {
  metadata: { targetPrefix?: string; jsonVersion?: string; protocol: string; apiVersion: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

/**
 * Reads `src/models/<name>.json` (emitted to dist/models) when first needed:
 * for services most runs never call (IAM, STS), so that Eddy does not compile
 * a few hundred kilobytes of model at every start.
 */
export function lazyModel(name: string): () => ApiModel {
  let model: ApiModel | undefined;
  return () => (model ??= JSON.parse(readFileSync(new URL(`../models/${name}.json`, import.meta.url), 'utf8')) as ApiModel);
}
