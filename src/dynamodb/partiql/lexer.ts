/**
 * The PartiQL lexer: identifiers (bare words are case-insensitive keywords
 * when they are reserved), "quoted identifiers", 'strings', numbers,
 * punctuation, `?` parameters, `--` and `/* *\/` comments. Every token knows
 * its position, which DynamoDB quotes in many messages as `line:column:length`.
 *
 * A character sequence the lexer cannot read (`#`, an unterminated string or
 * comment, `1e` with no exponent digits) is a syntax error with an empty
 * detail, as DynamoDB reports it.
 */
import { PartiqlSyntaxError, type SourcePosition } from './errors.js';

export type TokenKind = 'identifier' | 'quoted' | 'string' | 'number' | 'punct' | 'parameter' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier or string contents (quotes removed, escapes resolved), number text, or punctuation. */
  readonly text: string;
  /** The upper-cased word when a bare identifier is a reserved keyword. */
  readonly keyword?: string;
  readonly position: SourcePosition;
}

/**
 * PartiQL's reserved words: SQL-92's plus PartiQL's own. A reserved word is
 * not an identifier unless double-quoted (DynamoDB refuses `m.inner`).
 */
const KEYWORDS = new Set(
  (
    'ABSOLUTE ACTION ADD ALL ALLOCATE ALTER AND ANY ARE AS ASC ASSERTION AT AUTHORIZATION AVG BAG BEGIN BETWEEN BIT ' +
    'BIT_LENGTH BLOB BOOL BOOLEAN BOTH BY CASCADE CASCADED CASE CAST CATALOG CHAR CHARACTER CHARACTER_LENGTH ' +
    'CHAR_LENGTH CHECK CLOB CLOSE COALESCE COLLATE COLLATION COLUMN COMMIT CONFLICT CONNECT CONNECTION CONSTRAINT ' +
    'CONSTRAINTS CONTINUE CONVERT CORRESPONDING COUNT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME ' +
    'CURRENT_TIMESTAMP CURRENT_USER CURSOR DATE DAY DEALLOCATE DEC DECIMAL DECLARE DEFAULT DEFERRABLE DEFERRED ' +
    'DELETE DESC DESCRIBE DESCRIPTOR DIAGNOSTICS DISCONNECT DISTINCT DO DOMAIN DOUBLE DROP ELSE END ESCAPE EXCEPT ' +
    'EXCEPTION EXEC EXECUTE EXISTS EXTERNAL EXTRACT FALSE FETCH FIRST FLOAT FOR FOREIGN FOUND FROM FULL GET GLOBAL ' +
    'GO GOTO GRANT GROUP HAVING HOUR IDENTITY IMMEDIATE IN INDEX INDICATOR INITIALLY INNER INPUT INSENSITIVE INSERT ' +
    'INT INTEGER INTERSECT INTERVAL INTO IS ISOLATION JOIN KEY LANGUAGE LAST LEADING LEFT LET LEVEL LIKE LIMIT LIST ' +
    'LOCAL LOWER MATCH MAX MIN MINUTE MISSING MODIFIED MODULE MONTH NAMES NATIONAL NATURAL NCHAR NEW NEXT NO NOT ' +
    'NOTHING NULL NULLIF NUMERIC OCTET_LENGTH OF OFFSET OLD ON ONLY OPEN OPTION OR ORDER OUTER OUTPUT OVERLAPS PAD ' +
    'PARTIAL PIVOT POSITION PRECISION PREPARE PRESERVE PRIMARY PRIOR PRIVILEGES PROCEDURE PUBLIC READ REAL ' +
    'REFERENCES RELATIVE REMOVE RESTRICT RETURNING REVOKE RIGHT ROLLBACK ROWS SCHEMA SCROLL SECOND SECTION SELECT ' +
    'SESSION SESSION_USER SET SEXP SIZE SMALLINT SOME SPACE SQL SQLCODE SQLERROR SQLSTATE STRING STRUCT SUBSTRING ' +
    'SUM SYMBOL SYSTEM_USER TABLE TEMPORARY THEN TIME TIMESTAMP TIMEZONE_HOUR TIMEZONE_MINUTE TO TRAILING ' +
    'TRANSACTION TRANSLATE TRANSLATION TRIM TRUE TUPLE UNION UNIQUE UNKNOWN UNPIVOT UPDATE UPPER USAGE USER USING ' +
    'VALUE VALUES VIEW WHEN WHENEVER WHERE WITH WORK WRITE YEAR ZONE'
  ).split(' '),
);

export const isKeyword = (word: string): boolean => KEYWORDS.has(word.toUpperCase());

/** Longest first, so `<<` wins over `<` and `<=` over `<`. */
const PUNCTUATION = ['<<', '>>', '<=', '>=', '<>', '!=', '||', '(', ')', '[', ']', '{', '}', ',', '.', ':', ';', '*', '+', '-', '/', '%', '=', '<', '>'];

const IDENTIFIER_START = /[\p{L}_$]/u;
const IDENTIFIER_PART = /[\p{L}\p{N}_$]/u;
const DIGIT = /[0-9]/;

/** Tokens after which a `.` starts a path step rather than a number like `.5`. */
const ENDS_OPERAND = new Set(['identifier', 'quoted', 'string', 'number', 'parameter']);

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const inInt32 = (value: bigint): boolean => value >= INT32_MIN && value <= INT32_MAX;

/**
 * Whether Java's BigDecimal can hold the literal: its exponent and its scale
 * (digits after the point less the exponent) must both fit in 32 bits.
 * DynamoDB reports one that does not as a statement it cannot parse.
 */
function fitsDecimal(text: string): boolean {
  const match = /^\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const exponent = BigInt(match[2] ?? '0');
  return inInt32(exponent) && inInt32(BigInt(match[1]?.length ?? 0) - exponent);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (): never => {
    throw new PartiqlSyntaxError('');
  };
  const position = (start: number, end: number): SourcePosition => ({ line, column: start - lineStart + 1, length: end - start });
  const push = (kind: TokenKind, text: string, start: number, extra: { keyword?: string } = {}): void => {
    tokens.push({ kind, text, position: position(start, index), ...extra });
  };
  /** Advances over `count` characters that may include newlines (inside strings and comments). */
  const advance = (end: number): void => {
    for (let i = index; i < end; i++) {
      if (source[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    index = end;
  };

  while (index < source.length) {
    const char = source[index]!;
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n' || char === '\f') {
      advance(index + 1);
      continue;
    }
    if (source.startsWith('--', index)) {
      const end = source.indexOf('\n', index);
      advance(end < 0 ? source.length : end);
      continue;
    }
    if (source.startsWith('/*', index)) {
      const end = source.indexOf('*/', index + 2);
      if (end < 0) fail();
      advance(end + 2);
      continue;
    }
    const start = index;
    const startLine = line;
    const startLineStart = lineStart;
    const quotedToken = (quote: string, kind: 'string' | 'quoted'): void => {
      let text = '';
      let i = index + 1;
      for (;;) {
        if (i >= source.length) fail();
        if (source[i] === quote) {
          if (source[i + 1] === quote) {
            text += quote;
            i += 2;
            continue;
          }
          break;
        }
        text += source[i];
        i++;
      }
      advance(i + 1);
      tokens.push({ kind, text, position: { line: startLine, column: start - startLineStart + 1, length: index - start } });
    };
    if (char === "'") {
      quotedToken("'", 'string');
      continue;
    }
    if (char === '"') {
      quotedToken('"', 'quoted');
      continue;
    }
    const previous = tokens[tokens.length - 1];
    const numberStart =
      DIGIT.test(char) || (char === '.' && DIGIT.test(source[index + 1] ?? '') && !(previous && (ENDS_OPERAND.has(previous.kind) || [')', ']', '}'].includes(previous.text))));
    if (numberStart) {
      let i = index;
      while (DIGIT.test(source[i] ?? '')) i++;
      if (source[i] === '.') {
        i++;
        while (DIGIT.test(source[i] ?? '')) i++;
      }
      if (source[i] === 'e' || source[i] === 'E') {
        i++;
        if (source[i] === '+' || source[i] === '-') i++;
        if (!DIGIT.test(source[i] ?? '')) fail();
        while (DIGIT.test(source[i] ?? '')) i++;
      }
      if (IDENTIFIER_PART.test(source[i] ?? '') || source[i] === '.') fail();
      index = i;
      const text = source.slice(start, i);
      if (!fitsDecimal(text)) fail();
      push('number', text, start);
      continue;
    }
    if (IDENTIFIER_START.test(char)) {
      let i = index + 1;
      while (i < source.length && IDENTIFIER_PART.test(source[i]!)) i++;
      const word = source.slice(start, i);
      index = i;
      const upper = word.toUpperCase();
      push('identifier', word, start, KEYWORDS.has(upper) ? { keyword: upper } : {});
      continue;
    }
    if (char === '?') {
      index++;
      push('parameter', '?', start);
      continue;
    }
    const punct = PUNCTUATION.find((symbol) => source.startsWith(symbol, index));
    if (!punct) fail();
    index += punct!.length;
    push('punct', punct!, start);
  }
  tokens.push({ kind: 'eof', text: '', position: position(index, index) });
  return tokens;
}
