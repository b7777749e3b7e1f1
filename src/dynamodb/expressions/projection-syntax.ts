/**
 * The grammar of ProjectionExpression (dynalite's db/projectionParser.pegjs):
 *
 *   projection := path (',' path)*
 *   path       := identifier ('[' digits ']' | '.' identifier)*
 *
 * It has no keywords: every word is a path element, and reserved words are
 * reported after the parse.
 */
import { TokenParser, type Parse, type RawPath, type RawPathElement } from './syntax.js';

const enum Rule {
  Projection,
  Path,
}

class ProjectionParser extends TokenParser {
  protected isKeyword(): boolean {
    return false;
  }

  parse(): RawPath[] {
    return this.parseAll(Rule.Projection);
  }

  protected start(rule: Rule): Parse<unknown> {
    return rule === Rule.Projection ? this.list(Rule.Path) : this.path();
  }

  // eslint-disable-next-line require-yield
  private *path(): Parse<RawPath> {
    const head = this.identifier();
    if (!head) return undefined;
    const elements: RawPathElement[] = [head];
    this.pathTail(elements);
    return { type: 'path', elements };
  }
}

/** Parses a projection, throwing ExpressionSyntaxError with DynamoDB's text on a syntax error. */
export function parseProjectionSyntax(source: string): RawPath[] {
  return new ProjectionParser(source).parse();
}
