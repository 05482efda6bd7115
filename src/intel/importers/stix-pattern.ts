import type { IndicatorType } from './indicator.js'

/**
 * The part of STIX 2.1 patterning (STIX 2.1 spec, section 9) an indicator store needs: the
 * equality comparisons on hash, name, domain, URL and address paths, with the boolean operator that
 * joins them inside each observation expression `[ … ]`.
 */

export interface PatternTerm {
  path: string
  value: string
}

/** One `[ … ]` observation: its equality terms and whether any AND joins them. */
export interface Observation {
  terms: PatternTerm[]
  conjunctive: boolean
}

type Token = { t: 'str'; v: string } | { t: 'word'; v: string } | { t: 'punct'; v: string }

const WORD = /[A-Za-z0-9_\-.:'*[\]]/

/** Throws an Error with a message naming the offset on malformed patterns. */
export function parseStixPattern(pattern: string): Observation[] {
  const tokens = tokenize(pattern)
  const out: Observation[] = []
  let depth = 0
  let current: Observation | undefined
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!
    if (tok.t === 'punct' && tok.v === '[') {
      if (current) throw new Error("nested '[' in pattern")
      current = { terms: [], conjunctive: false }
      continue
    }
    if (tok.t === 'punct' && tok.v === ']') {
      if (!current) throw new Error("unbalanced ']' in pattern")
      out.push(current)
      current = undefined
      continue
    }
    if (tok.t === 'punct' && (tok.v === '(' || tok.v === ')')) {
      depth += tok.v === '(' ? 1 : -1
      if (depth < 0) throw new Error("unbalanced ')' in pattern")
      continue
    }
    if (!current) continue
    if (tok.t === 'word' && tok.v.toUpperCase() === 'AND') current.conjunctive = true
    const op = tokens[i + 1]
    const val = tokens[i + 2]
    if (
      tok.t === 'word' &&
      tok.v.includes(':') &&
      op?.t === 'punct' &&
      op.v === '=' &&
      val?.t === 'str'
    ) {
      current.terms.push({ path: tok.v, value: val.v })
      i += 2
    }
  }
  if (current) throw new Error("unterminated '[' in pattern")
  if (depth !== 0) throw new Error('unbalanced parentheses in pattern')
  if (out.length === 0) throw new Error('no observation expression [ … ] in pattern')
  return out
}

function tokenize(p: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < p.length) {
    const c = p[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === "'" || (/[thb]/.test(c) && p[i + 1] === "'" && !WORD.test(p[i - 1] ?? ' '))) {
      const start = c === "'" ? i + 1 : i + 2
      let v = ''
      let j = start
      for (; j < p.length && p[j] !== "'"; j++) {
        if (p[j] === '\\') {
          j++
          if (j >= p.length) break
        }
        v += p[j]
      }
      if (j >= p.length) throw new Error(`unterminated string at offset ${i}`)
      tokens.push({ t: 'str', v })
      i = j + 1
    } else if ('[]()'.includes(c)) {
      tokens.push({ t: 'punct', v: c })
      i++
    } else if (c === '=' || c === '!' || c === '<' || c === '>') {
      const two = p.slice(i, i + 2)
      const v = ['!=', '<=', '>='].includes(two) ? two : c
      if (v === '!') throw new Error(`unexpected '!' at offset ${i}`)
      tokens.push({ t: 'punct', v })
      i += v.length
    } else if (c === ',') {
      tokens.push({ t: 'punct', v: c })
      i++
    } else if (/[A-Za-z0-9_\-.:']/.test(c)) {
      let j = i
      let inQuote = false
      while (j < p.length) {
        const d = p[j]!
        if (d === "'") inQuote = !inQuote
        else if (!inQuote && !/[A-Za-z0-9_\-.:*[\]]/.test(d)) break
        else if (!inQuote && d === ']' && !p.slice(i, j).includes('[')) break
        j++
      }
      if (inQuote) throw new Error(`unterminated quoted path at offset ${i}`)
      tokens.push({ t: 'word', v: p.slice(i, j) })
      i = j
    } else {
      throw new Error(`unexpected '${c}' at offset ${i}`)
    }
  }
  return tokens
}

/** STIX object path → our indicator type. */
export function termType(path: string): IndicatorType | undefined {
  const p = path.toLowerCase().replaceAll("'", '')
  if (p.startsWith('file:hashes.') || p.startsWith('artifact:hashes.')) {
    const alg = p.slice(p.indexOf('hashes.') + 7).replace('-', '')
    if (alg === 'sha256') return 'sha256'
    if (alg === 'sha1') return 'sha1'
    if (alg === 'md5') return 'md5'
    return undefined
  }
  if (p === 'file:name') return 'filename'
  // Vigil's custom property for path-suffix indicators (STIX 2.1 §11.1 custom properties).
  if (p === 'file:x_vigil_path') return 'path'
  if (p === 'domain-name:value') return 'domain'
  if (p === 'url:value') return 'url'
  if (p === 'ipv4-addr:value' || p === 'ipv6-addr:value') return 'ip'
  return undefined
}
