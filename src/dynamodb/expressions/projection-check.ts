/**
 * The checks DynamoDB makes on a parsed ProjectionExpression (dynalite
 * db/projectionParser.pegjs): a reserved word, then an undefined #name, then
 * overlapping paths, then conflicting paths.
 */
import type { Path, PathElement, Projection } from './ast.js';
import { findPathClash, pathClashMessage } from './paths.js';
import { isReservedWord } from './reserved-words.js';
import type { Substitutions } from './substitutions.js';
import type { RawPath } from './syntax.js';

export function checkProjection(rawPaths: readonly RawPath[], substitutions: Substitutions): Projection | { error: string } {
  let reserved: string | undefined;
  let undefinedName: string | undefined;
  const paths: Path[] = [];

  for (const raw of rawPaths) {
    const path: PathElement[] = [];
    for (const element of raw.elements) {
      if (element.kind === 'index') {
        path.push(element.index);
      } else if (element.kind === 'word') {
        if (isReservedWord(element.text)) {
          reserved ??= `Attribute name is a reserved keyword; reserved keyword: ${element.text}`;
        }
        path.push(element.text);
      } else {
        const name = substitutions.name(element.text);
        if (name === undefined) {
          undefinedName ??= `An expression attribute name used in the document path is not defined; attribute name: ${element.text}`;
        }
        path.push(name ?? element.text);
      }
    }
    paths.push(path);
  }

  if (reserved) return { error: reserved };
  if (undefinedName) return { error: undefinedName };
  const clash = findPathClash(paths);
  if (clash) return { error: pathClashMessage(clash) };
  return { paths };
}
