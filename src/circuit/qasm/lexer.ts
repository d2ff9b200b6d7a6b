// OpenQASM 2 / 3 lexer: source text to tokens with line and column (1-based), for the parser and
// for error messages of the form file:line:column.

export interface Token {
  kind: 'id' | 'num' | 'str' | 'hw' | 'op' | 'eof';
  text: string;
  line: number;
  col: number;
}

const OPS3 = ['->', '**', '==', '!=', '<=', '>=', '&&', '||', '++', '+=', '-=', '<<', '>>'];
const ID = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NUM = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const HW = /\$\d+/y;
const STR = /"[^"\n]*"|'[^'\n]*'/y;

export type Fail = (tok: { line: number; col: number }, msg: string) => never;

export function lex(src: string, fail: Fail): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  // Nothing but whitespace so far on this line (pragmas must start a line). A flag rather than a
  // look back at the line, which would make one long line quadratic.
  let lineHead = true;
  const at = (): { line: number; col: number } => ({ line, col: pos - lineStart + 1 });
  const advance = (to: number): void => {
    for (; pos < to; pos++) {
      if (src[pos] === '\n') {
        line++;
        lineStart = pos + 1;
        lineHead = true;
      }
    }
  };
  const sticky = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(src);
    return m ? m[0] : undefined;
  };
  while (pos < src.length) {
    const ch = src[pos];
    if (/\s/.test(ch)) {
      advance(pos + 1);
      continue;
    }
    if (src.startsWith('//', pos) || (lineHead && (src.startsWith('#pragma', pos) || src.startsWith('pragma ', pos)))) {
      // Line comments; pragmas (a whole line) carry hints for other tools and do not change the unitary.
      const end = src.indexOf('\n', pos);
      advance(end < 0 ? src.length : end);
      continue;
    }
    if (src.startsWith('/*', pos)) {
      const end = src.indexOf('*/', pos + 2);
      if (end < 0) fail(at(), 'unterminated /* comment');
      advance(end + 2);
      lineHead = false;
      continue;
    }
    const start = at();
    let text: string | undefined;
    let kind: Token['kind'] = 'op';
    if ((text = sticky(NUM))) kind = 'num';
    else if ((text = sticky(ID))) kind = 'id';
    else if ((text = sticky(HW))) kind = 'hw';
    else if ((text = sticky(STR))) kind = 'str';
    else if ((text = OPS3.find((o) => src.startsWith(o, pos)))) kind = 'op';
    else if (';,()[]{}@+-*/=:<>!%&|^~'.includes(ch)) text = ch;
    else fail(start, `unexpected character ${quoteChar(src.codePointAt(pos)!)}`);
    out.push({ kind, text: text as string, ...start });
    advance(pos + (text as string).length);
    lineHead = false;
  }
  out.push({ kind: 'eof', text: 'end of input', ...at() });
  return out;
}

/** A character as error messages quote it: control characters, lone surrogates and invisible ones by code point. */
function quoteChar(cp: number): string {
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0xd800 && cp < 0xe000) || /[\p{Cf}\p{Z}]/u.test(String.fromCodePoint(cp))) return hex;
  return `"${String.fromCodePoint(cp)}"`;
}

/** A token as error messages quote it. */
export function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the input';
  return `"${t.text}"`;
}
