// Parameter expressions: arithmetic over inputs, weights and constants, as OpenQASM programs write
// gate arguments (`rz(2*theta + pi/2)`, `u3(a, b + pi, c)`). Evaluated per sample with exact
// partial derivatives (forward mode), so every gradient method differentiates through them.

export type Expr =
  | { readonly op: 'num'; readonly value: number }
  | { readonly op: 'input'; readonly index: number }
  | { readonly op: 'weight'; readonly index: number }
  | { readonly op: 'neg'; readonly a: Expr }
  | { readonly op: '+' | '-' | '*' | '/' | '**'; readonly a: Expr; readonly b: Expr }
  | { readonly op: 'fn'; readonly name: ExprFunction; readonly a: Expr };

export const EXPR_FUNCTIONS = ['sin', 'cos', 'tan', 'exp', 'ln', 'sqrt', 'arcsin', 'arccos', 'arctan'] as const;
export type ExprFunction = (typeof EXPR_FUNCTIONS)[number];

export interface ExprSource {
  readonly kind: 'input' | 'weight';
  readonly index: number;
}

/** The distinct inputs and weights an expression reads, in first-use order. */
export function exprSources(e: Expr, out: ExprSource[] = []): ExprSource[] {
  switch (e.op) {
    case 'num':
      break;
    case 'input':
    case 'weight':
      if (!out.some((s) => s.kind === e.op && s.index === e.index)) out.push({ kind: e.op, index: e.index });
      break;
    case 'neg':
    case 'fn':
      exprSources(e.a, out);
      break;
    default:
      exprSources(e.a, out);
      exprSources(e.b, out);
  }
  return out;
}

/**
 * Value and derivative along one source (forward mode): returns [value, d value / d source].
 * `src` undefined gives the value with a zero derivative.
 */
export function evalExprDual(
  e: Expr,
  weights: ArrayLike<number>,
  inputs: ArrayLike<number>,
  src?: ExprSource,
): [number, number] {
  switch (e.op) {
    case 'num':
      return [e.value, 0];
    case 'input':
      return [inputs[e.index], src && src.kind === 'input' && src.index === e.index ? 1 : 0];
    case 'weight':
      return [weights[e.index], src && src.kind === 'weight' && src.index === e.index ? 1 : 0];
    case 'neg': {
      const [v, d] = evalExprDual(e.a, weights, inputs, src);
      return [-v, -d];
    }
    case 'fn': {
      const [v, d] = evalExprDual(e.a, weights, inputs, src);
      switch (e.name) {
        case 'sin':
          return [Math.sin(v), Math.cos(v) * d];
        case 'cos':
          return [Math.cos(v), -Math.sin(v) * d];
        case 'tan': {
          const t = Math.tan(v);
          return [t, (1 + t * t) * d];
        }
        case 'exp': {
          const ex = Math.exp(v);
          return [ex, ex * d];
        }
        case 'ln':
          return [Math.log(v), d / v];
        case 'sqrt': {
          const s = Math.sqrt(v);
          return [s, d / (2 * s)];
        }
        case 'arcsin':
          return [Math.asin(v), d / Math.sqrt(1 - v * v)];
        case 'arccos':
          return [Math.acos(v), -d / Math.sqrt(1 - v * v)];
        case 'arctan':
          return [Math.atan(v), d / (1 + v * v)];
      }
      throw new Error(`unknown function ${(e as { name: string }).name}`);
    }
    default: {
      const [a, da] = evalExprDual(e.a, weights, inputs, src);
      const [b, db] = evalExprDual(e.b, weights, inputs, src);
      switch (e.op) {
        case '+':
          return [a + b, da + db];
        case '-':
          return [a - b, da - db];
        case '*':
          return [a * b, da * b + a * db];
        case '/':
          return [a / b, (da * b - a * db) / (b * b)];
        case '**': {
          const v = a ** b;
          // d(a^b) = b a^(b-1) da + a^b ln(a) db; the ln term only where b varies.
          return [v, (da === 0 ? 0 : b * a ** (b - 1) * da) + (db === 0 ? 0 : v * Math.log(a) * db)];
        }
      }
    }
  }
}

const PREC: Record<string, number> = { '+': 1, '-': 1, '*': 2, '/': 2, '**': 3 };

/** Text form with the fewest parentheses, using `names` for inputs (default x0, x1, …). */
export function formatExpr(e: Expr, names?: (kind: 'input' | 'weight', index: number) => string, parentPrec = 0): string {
  const nm = names ?? ((k, i) => `${k === 'input' ? 'x' : 'w'}${i}`);
  switch (e.op) {
    case 'num':
      return Math.abs(e.value - Math.PI) < 1e-15 ? 'pi' : String(e.value);
    case 'input':
    case 'weight':
      return nm(e.op, e.index);
    case 'neg':
      return `-${formatExpr(e.a, nm, 4)}`;
    case 'fn':
      return `${e.name}(${formatExpr(e.a, nm, 0)})`;
    default: {
      const p = PREC[e.op];
      // Right operands of - and / (and left of **) need parentheses at equal precedence.
      const s = `${formatExpr(e.a, nm, e.op === '**' ? p + 1 : p)} ${e.op} ${formatExpr(e.b, nm, e.op === '-' || e.op === '/' ? p + 1 : p)}`;
      return p < parentPrec ? `(${s})` : s;
    }
  }
}
