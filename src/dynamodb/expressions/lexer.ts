/**
 * The tokens of DynamoDB's expression language and its syntax error text.
 *
 * A word starts with a letter and continues with letters, digits and
 * underscores; `#name` and `:value` placeholders need at least one such
 * character after the sigil; numbers only appear as list indexes. Any other
 * character is a token of its own that no grammar accepts, which is how
 * DynamoDB reports it: `SET _a = :v` fails on token "_", near "SET _a".
 */
export type TokenKind = 'word' | 'name' | 'value' | 'number' | 'punct' | 'invalid' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Offsets into the expression, end exclusive. */
  readonly start: number;
  readonly end: number;
}

const PUNCTUATION = ['<>', '<=', '>=', '(', ')', '[', ']', ',', '.', '=', '<', '>', '+', '-'];

const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isWordPart = (c: string): boolean => isLetter(c) || isDigit(c) || c === '_';
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** Splits an expression into tokens; always ends with an `eof` token at the end of the text. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const take = (kind: TokenKind, end: number): void => {
    tokens.push({ kind, text: source.slice(i, end), start: i, end });
    i = end;
  };
  const wordEnd = (from: number): number => {
    let end = from;
    while (end < source.length && isWordPart(source[end]!)) end++;
    return end;
  };

  while (i < source.length) {
    const c = source[i]!;
    if (isSpace(c)) {
      i++;
    } else if (isLetter(c)) {
      take('word', wordEnd(i + 1));
    } else if (isDigit(c)) {
      let end = i + 1;
      while (end < source.length && isDigit(source[end]!)) end++;
      take('number', end);
    } else if (c === '#' || c === ':') {
      const end = wordEnd(i + 1);
      take(end > i + 1 ? (c === '#' ? 'name' : 'value') : 'invalid', end > i + 1 ? end : i + 1);
    } else {
      const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
      if (punct) {
        take('punct', i + punct.length);
      } else {
        // One code point, so a character outside the BMP is not split.
        take('invalid', i + (source.codePointAt(i)! > 0xffff ? 2 : 1));
      }
    }
  }
  tokens.push({ kind: 'eof', text: '', start: source.length, end: source.length });
  return tokens;
}

/**
 * DynamoDB's syntax error: the offending token ("<EOF>" at the end) and,
 * near it, the text from the start of the token before it to the end of the
 * token after it: `a = = b` gives token "=", near "= = b"; `SET a` gives
 * token "<EOF>", near "a".
 */
export function syntaxErrorMessage(source: string, tokens: readonly Token[], index: number): string {
  const token = tokens[index]!;
  const before = index > 0 ? tokens[index - 1]! : token;
  const after = token.kind === 'eof' ? token : tokens[index + 1]!;
  const text = token.kind === 'eof' ? '<EOF>' : token.text;
  return `Syntax error; token: "${text}", near: "${source.slice(before.start, after.end)}"`;
}
