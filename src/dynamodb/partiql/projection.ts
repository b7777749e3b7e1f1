/**
 * SELECT lists. `*` returns the whole item; otherwise each path becomes one
 * attribute of the result, named by its last named component and the list
 * indexes after it (captured: `SELECT m.k[0]` returns `k[0]`, `SELECT
 * mymap.nested` returns `nested`). A path that reads nothing is left out.
 */
import { validationError } from '../../edge/errors.js';
import type { Path } from '../expressions/ast.js';
import { valueAt } from '../expressions/paths.js';
import type { Item } from '../values/attribute-value.js';
import type { SelectStatement } from './ast.js';
import { pathOf } from './condition.js';
import {
  ALIASING,
  duplicateProjection,
  invalid,
  SELECT_PROJECT_ALL,
  SELECT_VALUE,
  STAR_AND_OTHERS,
  UNEXPECTED_PATH_COMPONENT,
} from './errors.js';

export interface Column {
  readonly name: string;
  readonly path: Path;
}

/** The column name DynamoDB gives a projected path. */
export function columnName(path: Path): string {
  let name = '';
  for (const element of path) name = typeof element === 'number' ? `${name}[${element}]` : element;
  return name;
}

/** The columns of a SELECT, or undefined for `*`. */
export function translateProjection(select: SelectStatement): Column[] | undefined {
  if (select.value) throw validationError(SELECT_VALUE);
  const columns: Column[] = [];
  let star = false;
  for (const item of select.items) {
    switch (item.kind) {
      case 'star':
        star = true;
        break;
      case 'project-all':
        throw validationError(SELECT_PROJECT_ALL);
      case 'expr': {
        if (item.aliased) throw validationError(ALIASING);
        const path = pathOf(item.expr);
        if (!path) throw invalid(UNEXPECTED_PATH_COMPONENT, item.expr.position);
        columns.push({ name: columnName(path), path });
      }
    }
  }
  if (star) {
    if (columns.length > 0) throw validationError(STAR_AND_OTHERS);
    return undefined;
  }
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.name)) throw validationError(duplicateProjection(column.name));
    seen.add(column.name);
  }
  return columns;
}

/** The projected item. */
export function projectColumns(columns: readonly Column[] | undefined, item: Item): Item {
  if (!columns) return item;
  const result: Item = {};
  for (const column of columns) {
    const value = valueAt(item, column.path);
    if (value !== undefined) {
      Object.defineProperty(result, column.name, { value: structuredClone(value), enumerable: true, writable: true, configurable: true });
    }
  }
  return result;
}
