/**
 * Splits YARA source text into its rules (span, modifiers, condition tokens) and module imports,
 * so the rule layer can compile subsets of one combined rule text. Not a validator: the text was
 * already compiled by YARA-X; anything this small lexer does not follow (includes, stray tokens)
 * makes it return undefined and the caller uses the text whole.
 */

export type TokenKind = 'ident' | 'pattern' | 'number' | 'string' | 'regex' | 'hex' | 'punct'

export interface Token {
  kind: TokenKind
  text: string
  start: number
  end: number
}

export interface SourceRule {
  name: string
  /** Span of the whole declaration (modifiers to closing brace) in the text. */
  start: number
  end: number
  global: boolean
  private: boolean
  /** Tokens of the condition section, comments left out. */
  condition: Token[]
}

export interface YaraSource {
  /** Module names imported anywhere in the text. */
  imports: string[]
  rules: SourceRule[]
}

const PUNCT2 = ['==', '!=', '<=', '>=', '<<', '>>', '..']
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y
const PATTERN = /[$#@!][A-Za-z0-9_]*\*?/y
const NUMBER = /(?:0x[0-9A-Fa-f]+|0o[0-7]+|\d+(?:\.\d+)?)(?:KB|MB)?/y
const SECTIONS = new Set(['meta', 'strings', 'condition'])

class Lexer {
  pos = 0
  constructor(readonly text: string) {}

  /** Next token; `{` starts a hex string and `/` a regex when the caller says so. */
  next(o: { hex?: boolean; regex?: boolean } = {}): Token | undefined {
    this.skipSpace()
    const t = this.text
    const start = this.pos
    const c = t[start]
    if (c === undefined) return undefined
    if (c === '"') return this.until(start, 'string', '"')
    if (c === '{' && o.hex) return this.until(start, 'hex', '}')
    if (c === '/' && o.regex) {
      const tok = this.until(start, 'regex', '/')
      while (/[a-z]/.test(t[this.pos] ?? '')) this.pos++
      tok.end = this.pos
      tok.text = t.slice(start, this.pos)
      return tok
    }
    for (const [kind, re] of [
      ['ident', IDENT],
      ['number', NUMBER],
    ] as const) {
      re.lastIndex = start
      const m = re.exec(t)
      if (m) return this.take(start, kind, m[0].length)
    }
    const two = t.slice(start, start + 2)
    if (PUNCT2.includes(two)) return this.take(start, 'punct', 2)
    PATTERN.lastIndex = start
    const p = PATTERN.exec(t)
    if (p) return this.take(start, 'pattern', p[0].length)
    return this.take(start, 'punct', 1)
  }

  peek(): Token | undefined {
    const at = this.pos
    const tok = this.next()
    this.pos = at
    return tok
  }

  private take(start: number, kind: TokenKind, length: number): Token {
    this.pos = start + length
    return { kind, text: this.text.slice(start, this.pos), start, end: this.pos }
  }

  /** A quoted, hex or regex literal up to its unescaped closing character. */
  private until(start: number, kind: TokenKind, close: string): Token {
    const t = this.text
    let i = start + 1
    while (i < t.length && t[i] !== close) i += t[i] === '\\' && kind !== 'hex' ? 2 : 1
    if (i >= t.length) throw new SyntaxError(`unterminated ${kind} at ${start}`)
    return this.take(start, kind, i + 1 - start)
  }

  private skipSpace(): void {
    const t = this.text
    for (;;) {
      while (this.pos < t.length && t.charCodeAt(this.pos) <= 32) this.pos++
      if (t.charCodeAt(this.pos) !== 47) return // '/'
      if (t.startsWith('//', this.pos)) {
        const nl = t.indexOf('\n', this.pos)
        this.pos = nl < 0 ? t.length : nl + 1
      } else if (t.startsWith('/*', this.pos)) {
        const close = t.indexOf('*/', this.pos + 2)
        if (close < 0) throw new SyntaxError('unterminated comment')
        this.pos = close + 2
      } else return
    }
  }
}

/** The rules and imports of a YARA text, or undefined when it cannot be split safely. */
export function parseYaraSource(text: string): YaraSource | undefined {
  try {
    return parse(new Lexer(text))
  } catch {
    return undefined
  }
}

function parse(lx: Lexer): YaraSource | undefined {
  const imports = new Set<string>()
  const rules: SourceRule[] = []
  for (let tok = lx.next(); tok; tok = lx.next()) {
    if (tok.kind !== 'ident') return undefined
    if (tok.text === 'import') {
      const name = lx.next()
      if (name?.kind !== 'string') return undefined
      imports.add(name.text.slice(1, -1))
      continue
    }
    const rule = parseRule(lx, tok)
    if (!rule) return undefined
    rules.push(rule)
  }
  return { imports: [...imports], rules }
}

function parseRule(lx: Lexer, first: Token): SourceRule | undefined {
  const mods = new Set<string>()
  let tok: Token | undefined = first
  while (tok?.kind === 'ident' && (tok.text === 'global' || tok.text === 'private')) {
    mods.add(tok.text)
    tok = lx.next()
  }
  if (tok?.text !== 'rule') return undefined
  const name = lx.next()
  if (name?.kind !== 'ident') return undefined
  for (tok = lx.next(); tok && tok.text !== '{'; tok = lx.next()) {
    if (tok.kind !== 'ident' && tok.text !== ':') return undefined
  }
  const body = tok && parseBody(lx)
  if (!body || body.condition.length === 0) return undefined
  return {
    name: name.text,
    start: first.start,
    end: body.end,
    global: mods.has('global'),
    private: mods.has('private'),
    condition: body.condition,
  }
}

/** From after a rule's `{` to its closing `}`: the condition's tokens and where the rule ends. */
function parseBody(lx: Lexer): { condition: Token[]; end: number } | undefined {
  let section = ''
  let prev: Token | undefined
  let depth = 0
  const condition: Token[] = []
  for (;;) {
    const literal = section === 'strings' && prev?.text === '='
    const matches = section === 'condition' && prev?.kind === 'ident' && prev.text === 'matches'
    const tok = lx.next({ hex: literal, regex: literal || matches })
    if (!tok) return undefined
    if (tok.kind === 'punct' && tok.text === '}' && depth === 0) return { condition, end: tok.end }
    if (section !== 'condition' && SECTIONS.has(tok.text) && lx.peek()?.text === ':') {
      section = tok.text
      lx.next()
      prev = undefined
      continue
    }
    if (section === 'condition') {
      if (tok.text === '(') depth++
      else if (tok.text === ')') depth--
      condition.push(tok)
    }
    prev = tok
  }
}
