/**
 * Header guards: what a rule's condition says a file must look like before anything else matters.
 * When the top level of a condition is a conjunction, a conjunct that compares a header integer
 * (`uint16(0) == 0x5A4D`, `uint32be(4) < 0x20`), bounds `filesize` from above (`filesize < 2MB`),
 * or is a parenthesised `or` of only such comparisons, must hold for the rule to match: files whose
 * first bytes fail it need not be scanned with that rule. Anything else is left opaque (never
 * wrongly excluded): `a and b or c` is an `or` at the top and has no guard.
 */
import type { Token } from './yara-source.js'

/** Largest header offset routed on; comparisons further in stay opaque. */
export const MAX_GUARD_OFFSET = 4096

export type IntOp = '==' | '!=' | '<' | '<=' | '>' | '>='

export type Comparison =
  | { kind: 'int'; bytes: 1 | 2 | 4; bigEndian: boolean; offset: number; op: IntOp; value: number }
  | { kind: 'size'; op: '<' | '<='; value: number }

/** The same comparison with its sides swapped: `5 < x` is `x > 5`. */
const SWAPPED: Record<string, IntOp> = {
  '==': '==',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
}

/** A conjunction of clauses, each a disjunction of comparisons; empty: no guard. */
export type Guard = Comparison[][]

const INT_READ = /^uint(8|16|32)(be)?$/

export function conditionGuard(tokens: readonly Token[]): Guard {
  const ors = splitTop(tokens, 'or')
  if (ors.length > 1) {
    const clause = orComparisons(tokens)
    return clause ? [clause] : []
  }
  return splitTop(tokens, 'and').flatMap(conjunctGuard)
}

function conjunctGuard(tokens: readonly Token[]): Guard {
  const inner = unwrap(tokens)
  const clause = orComparisons(inner)
  if (clause) return [clause]
  if (inner.length < tokens.length && splitTop(inner, 'and').length > 1) {
    return conditionGuard(inner)
  }
  return []
}

/** The comparisons of an expression that is only comparisons joined by `or`, else undefined. */
function orComparisons(tokens: readonly Token[]): Comparison[] | undefined {
  const inner = unwrap(tokens)
  const parts = splitTop(inner, 'or')
  if (parts.length === 1) {
    const c = comparison(inner)
    return c ? [c] : undefined
  }
  const out: Comparison[] = []
  for (const p of parts) {
    const c = orComparisons(p)
    if (!c) return undefined
    out.push(...c)
  }
  return out
}

/** Splits at the keyword where it stands outside any parentheses or brackets. */
function splitTop(tokens: readonly Token[], word: 'and' | 'or'): Token[][] {
  const parts: Token[][] = [[]]
  let depth = 0
  for (const t of tokens) {
    if (t.text === '(' || t.text === '[') depth++
    else if (t.text === ')' || t.text === ']') depth--
    if (depth === 0 && t.kind === 'ident' && t.text === word) parts.push([])
    else parts[parts.length - 1]!.push(t)
  }
  return parts
}

/** Strips parentheses that enclose the whole expression (as often as they do). */
function unwrap(tokens: readonly Token[]): readonly Token[] {
  let t = tokens
  while (t.length >= 2 && t[0]!.text === '(' && closingParen(t) === t.length - 1) t = t.slice(1, -1)
  return t
}

function closingParen(tokens: readonly Token[]): number {
  let depth = 0
  for (let i = 0; i < tokens.length; i++) {
    const s = tokens[i]!.text
    if (s === '(') depth++
    else if (s === ')' && --depth === 0) return i
  }
  return -1
}

/**
 * `uintN[be](CONST) OP CONST` with OP one of == != < <= > >= (either side), `filesize < CONST`,
 * `filesize <= CONST`.
 */
function comparison(t: readonly Token[]): Comparison | undefined {
  if (t.length === 3) return sizeBound(t)
  if (t.length !== 6) return undefined
  const [a, b, c, d, e, f] = t as [Token, Token, Token, Token, Token, Token]
  if (b.text === '(' && d.text === ')' && SWAPPED[e.text]) return intRead(a, c, e.text as IntOp, f)
  if (SWAPPED[b.text] && d.text === '(' && f.text === ')') return intRead(c, e, SWAPPED[b.text]!, a)
  return undefined
}

function intRead(fn: Token, at: Token, op: IntOp, is: Token): Comparison | undefined {
  const m = fn.kind === 'ident' ? INT_READ.exec(fn.text) : null
  const offset = integer(at)
  const value = integer(is)
  if (!m || offset === undefined || value === undefined || offset > MAX_GUARD_OFFSET)
    return undefined
  const bytes = (Number(m[1]) / 8) as 1 | 2 | 4
  return { kind: 'int', bytes, bigEndian: m[2] === 'be', offset, op, value }
}

function sizeBound([a, op, b]: readonly Token[]): Comparison | undefined {
  const flip: Record<string, '<' | '<='> = { '>': '<', '>=': '<=' }
  if (a?.text === 'filesize' && (op?.text === '<' || op?.text === '<=')) {
    const value = integer(b)
    return value === undefined ? undefined : { kind: 'size', op: op.text, value }
  }
  if (b?.text === 'filesize' && op && flip[op.text]) {
    const value = integer(a)
    return value === undefined ? undefined : { kind: 'size', op: flip[op.text]!, value }
  }
  return undefined
}

/** A YARA integer literal (decimal, 0x, 0o, KB/MB suffix); undefined for anything else. */
function integer(t: Token | undefined): number | undefined {
  if (t?.kind !== 'number' || t.text.includes('.')) return undefined
  const m = /^(0x[0-9A-Fa-f]+|0o[0-7]+|\d+)(KB|MB)?$/.exec(t.text)
  if (!m) return undefined
  const body = m[1]!
  const n = body.startsWith('0o') ? Number.parseInt(body.slice(2), 8) : Number(body)
  const scale = m[2] === 'KB' ? 1024 : m[2] === 'MB' ? 1024 * 1024 : 1
  const v = n * scale
  return Number.isSafeInteger(v) ? v : undefined
}

/**
 * The comparison's outcome on a file of `size` bytes whose first bytes are `header` (at least
 * min(size, MAX_GUARD_OFFSET + 4) of them). A read past the end is undefined in YARA: false.
 */
export function holds(c: Comparison, header: Uint8Array, size: number): boolean {
  if (c.kind === 'size') return c.op === '<' ? size < c.value : size <= c.value
  if (c.offset + c.bytes > header.length) return false
  // Bytes read directly: a DataView per comparison per file was most of this function's cost.
  const o = c.offset
  const h = header
  const got =
    c.bytes === 1
      ? h[o]!
      : c.bytes === 2
        ? c.bigEndian
          ? (h[o]! << 8) | h[o + 1]!
          : h[o]! | (h[o + 1]! << 8)
        : (c.bigEndian
            ? (h[o]! << 24) | (h[o + 1]! << 16) | (h[o + 2]! << 8) | h[o + 3]!
            : h[o]! | (h[o + 1]! << 8) | (h[o + 2]! << 16) | (h[o + 3]! << 24)) >>> 0
  switch (c.op) {
    case '==':
      return got === c.value
    case '!=':
      return got !== c.value
    case '<':
      return got < c.value
    case '<=':
      return got <= c.value
    case '>':
      return got > c.value
    case '>=':
      return got >= c.value
  }
}

/** A stable key for a comparison (equal comparisons across rules are evaluated once). */
export function comparisonKey(c: Comparison): string {
  return c.kind === 'size'
    ? `filesize${c.op}${c.value}`
    : `uint${c.bytes * 8}${c.bigEndian ? 'be' : ''}(${c.offset})${c.op}${c.value}`
}
