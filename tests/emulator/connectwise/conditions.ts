/**
 * The ConnectWise `conditions` / `childConditions` / `customFieldConditions` grammar (see
 * docs/psa/connectwise.md#conditions): comparisons `= != < <= > >=`, `like` (`*` and `%` wildcards), `contains`, `in (…)`, their
 * `not` forms, AND/OR (any case) with parentheses; literals: "double" or 'single' quoted strings,
 * numbers, true/false, null, [datetime] / [date]. Field names are paths (`company/id`).
 */

export class ConditionError extends Error {}

export type Literal = string | number | boolean | null | { date: number } | Literal[];

export type CondNode =
  | { kind: 'and' | 'or'; left: CondNode; right: CondNode }
  | { kind: 'not'; expr: CondNode }
  | { kind: 'cmp'; field: string; op: CmpOp; negate: boolean; value: Literal };

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like' | 'contains' | 'in';

type Token =
  | { t: 'word'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'date'; v: string }
  | { t: 'op'; v: string }
  | { t: 'punct'; v: '(' | ')' | ',' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: 'punct', v: c });
      i++;
    } else if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ConditionError('Unterminated string literal in conditions.');
      // `[[]` is ConnectWise's escape for a literal `[` inside strings.
      out.push({ t: 'str', v: src.slice(i + 1, end).replace(/\[\[\]/g, '[') });
      i = end + 1;
    } else if (c === '[') {
      const end = src.indexOf(']', i + 1);
      if (end < 0) throw new ConditionError('Unterminated date literal in conditions.');
      out.push({ t: 'date', v: src.slice(i + 1, end).trim() });
      i = end + 1;
    } else if ('=!<>'.includes(c)) {
      const two = src.slice(i, i + 2);
      const op = ['!=', '<=', '>=', '<>'].includes(two) ? two : c;
      if (op === '!') throw new ConditionError("Unexpected '!' in conditions.");
      out.push({ t: 'op', v: op === '<>' ? '!=' : op });
      i += op.length;
    } else if (/[-\d]/.test(c) && /^-?\d/.test(src.slice(i, i + 2))) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_/.]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    } else {
      throw new ConditionError(`Unexpected character '${c}' in conditions.`);
    }
  }
  return out;
}

export function parseConditions(src: string): CondNode {
  const toks = tokenize(src);
  let pos = 0;
  const peek = () => toks[pos];
  const isWord = (tok: Token | undefined, w: string) => tok?.t === 'word' && tok.v.toLowerCase() === w;

  function expr(): CondNode {
    let left = conj();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { kind: 'or', left, right: conj() };
    }
    return left;
  }
  function conj(): CondNode {
    let left = unary();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  }
  function unary(): CondNode {
    const tok = peek();
    if (isWord(tok, 'not') && (toks[pos + 1]?.t === 'punct' || toks[pos + 1]?.t === 'word')) {
      pos++;
      return { kind: 'not', expr: unary() };
    }
    if (tok?.t === 'punct' && tok.v === '(') {
      pos++;
      const e = expr();
      const close = toks[pos++];
      if (close?.t !== 'punct' || close.v !== ')') throw new ConditionError('Missing closing parenthesis in conditions.');
      return e;
    }
    return comparison();
  }
  function comparison(): CondNode {
    const f = toks[pos++];
    if (f?.t !== 'word') throw new ConditionError('Expected a field name in conditions.');
    let negate = false;
    if (isWord(peek(), 'not')) {
      negate = true;
      pos++;
    }
    const o = toks[pos++];
    let op: CmpOp;
    if (o?.t === 'op' && !negate) op = o.v as CmpOp;
    else if (o?.t === 'word' && ['like', 'contains', 'in'].includes(o.v.toLowerCase())) op = o.v.toLowerCase() as CmpOp;
    else throw new ConditionError(`Invalid operator after ${f.v} in conditions.`);
    const value = op === 'in' ? list() : literal();
    return { kind: 'cmp', field: f.v, op, negate, value };
  }
  function list(): Literal[] {
    const open = toks[pos++];
    if (open?.t !== 'punct' || open.v !== '(') throw new ConditionError("Expected '(' after in.");
    const items: Literal[] = [];
    for (;;) {
      items.push(literal());
      const sep = toks[pos++];
      if (sep?.t === 'punct' && sep.v === ')') return items;
      if (sep?.t !== 'punct' || sep.v !== ',') throw new ConditionError("Expected ',' or ')' in list.");
    }
  }
  function literal(): Literal {
    const tok = toks[pos++];
    if (!tok) throw new ConditionError('Missing value in conditions.');
    if (tok.t === 'str' || tok.t === 'num') return tok.v;
    if (tok.t === 'date') {
      const ms = parseDateLiteral(tok.v);
      if (ms === null) throw new ConditionError(`${tok.v} is not a valid date.`);
      return { date: ms };
    }
    if (tok.t === 'word') {
      const w = tok.v.toLowerCase();
      if (w === 'true' || w === 'false') return w === 'true';
      if (w === 'null') return null;
    }
    throw new ConditionError(`Unexpected value in conditions.`);
  }

  const tree = expr();
  if (pos < toks.length) throw new ConditionError('Unexpected text after conditions.');
  return tree;
}

/** `2024-01-01`, `2024-01-01T10:00:00Z`, without zone (treated as UTC), with fraction. */
export function parseDateLiteral(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? ''}${m[8] ?? 'Z'}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}
