import { expect } from 'vitest';
import { AwsError } from '../../../src/edge/errors.js';
import {
  compileExpressions,
  type CompiledExpressions,
  type CompileOptions,
  type ExpressionRequest,
} from '../../../src/dynamodb/expressions/index.js';

export function compile(request: ExpressionRequest, options: Partial<CompileOptions> = {}): CompiledExpressions {
  return compileExpressions(request, { keyAttributeNames: [], ...options });
}

/** The message of the ValidationException `run` throws; fails the test if it throws nothing else. */
export function validationMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).code).toBe('ValidationException');
    return (error as AwsError).message;
  }
  throw new Error('expected a ValidationException, nothing was thrown');
}

export function compileError(request: ExpressionRequest, options: Partial<CompileOptions> = {}): string {
  return validationMessage(() => compile(request, options));
}

/** `:v0`, `:v1`, … for the given values. */
export function values(...list: unknown[]): Record<string, unknown> {
  return Object.fromEntries(list.map((value, i) => [`:v${i}`, value]));
}
