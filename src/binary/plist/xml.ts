import {
  isDict,
  newDict,
  PLIST_LIMITS,
  type PlistAnomaly,
  type PlistDict,
  type PlistResult,
  type PlistValue,
} from './types.js'

interface Frame {
  tag: string
  value?: PlistDict | PlistValue[]
  key?: string
  text: string
}

const CONTAINERS = new Set(['dict', 'array'])
const LEAVES = new Set(['key', 'string', 'integer', 'real', 'date', 'data', 'true', 'false'])

/**
 * Parses an XML property list with a small purpose-built scanner (the plist subset of XML: no
 * external entities, no namespaces). Depth and object counts are bounded.
 */
export function parseXmlPlist(text: string): PlistResult {
  const anomalies: PlistAnomaly[] = []
  const stack: Frame[] = []
  const state: State = { root: undefined, done: false, objects: 0 }
  const fail = (code: string, message: string, offset: number) => {
    anomalies.push({ code, message, offset })
    state.done = true
  }
  let i = 0
  while (!state.done && i < text.length) {
    const lt = text.indexOf('<', i)
    if (lt < 0) break
    const top = stack[stack.length - 1]
    if (top && lt > i && !top.value && top.tag !== 'plist') top.text += text.slice(i, lt)
    i = markup(text, lt, top, stack, state, fail)
  }
  if (!state.done && stack.length > 0) {
    anomalies.push({ code: 'truncated', message: `unclosed <${stack[stack.length - 1]!.tag}>` })
  }
  return withRoot(state.root, anomalies)
}

interface State {
  root: PlistValue | undefined
  done: boolean
  objects: number
}

/** Handles the markup starting at `lt`; returns where scanning resumes. */
function markup(
  text: string,
  lt: number,
  top: Frame | undefined,
  stack: Frame[],
  state: State,
  fail: Fail,
): number {
  if (text.startsWith('<!--', lt)) return skipTo(text, lt, '-->')
  if (text.startsWith('<![CDATA[', lt)) {
    const end = text.indexOf(']]>', lt)
    if (end < 0) {
      fail('truncated', 'unterminated CDATA', lt)
      return text.length
    }
    if (top) top.text += escapeCdata(text.slice(lt + 9, end))
    return end + 3
  }
  if (text.startsWith('<?', lt)) return skipTo(text, lt, '?>')
  if (text.startsWith('<!', lt)) return skipDoctype(text, lt)
  const gt = text.indexOf('>', lt)
  if (gt < 0) {
    fail('truncated', 'unterminated tag', lt)
    return text.length
  }
  const raw = text.slice(lt + 1, gt)
  if (raw.startsWith('/')) close(raw.slice(1).trim(), lt, stack, state, fail)
  else {
    const selfClosing = raw.endsWith('/')
    const tag = (selfClosing ? raw.slice(0, -1) : raw).trim().split(/\s/)[0] ?? ''
    open(tag, lt, stack, state, fail)
    if (selfClosing && !state.done) close(tag, lt, stack, state, fail)
  }
  return gt + 1
}

function withRoot(root: PlistValue | undefined, anomalies: PlistAnomaly[]): PlistResult {
  if (root === undefined && anomalies.length === 0) {
    anomalies.push({ code: 'empty', message: 'no property list object found' })
  }
  return root === undefined
    ? { format: 'xml', anomalies }
    : { format: 'xml', value: root, anomalies }
}

type Fail = (code: string, message: string, offset: number) => void

function open(
  tag: string,
  at: number,
  stack: Frame[],
  state: { objects: number },
  fail: Fail,
): void {
  if (stack.length >= PLIST_LIMITS.maxDepth) {
    fail('too-deep', 'nesting too deep', at)
    return
  }
  if (++state.objects > PLIST_LIMITS.maxObjects) {
    fail('too-many-objects', 'too many objects', at)
    return
  }
  if (tag === 'plist') stack.push({ tag, text: '' })
  else if (CONTAINERS.has(tag))
    stack.push({ tag, text: '', value: tag === 'dict' ? newDict() : [] })
  else if (LEAVES.has(tag)) stack.push({ tag, text: '' })
  else fail('unknown-element', `unexpected element <${tag}>`, at)
}

function close(
  tag: string,
  at: number,
  stack: Frame[],
  state: { root: PlistValue | undefined },
  fail: Fail,
): void {
  const frame = stack.pop()
  if (!frame || frame.tag !== tag) {
    fail('mismatched-tag', `</${tag}> does not close <${frame?.tag ?? 'nothing'}>`, at)
    return
  }
  if (frame.tag === 'plist') return
  const parent = stack[stack.length - 1]
  if (frame.tag === 'key') {
    if (!parent || !isDict(parent.value as PlistValue)) {
      fail('stray-key', '<key> outside a dict', at)
      return
    }
    if (parent.key !== undefined) {
      fail('key-without-value', `key "${parent.key}" has no value`, at)
      return
    }
    parent.key = decodeEntities(frame.text)
    return
  }
  const value = frame.value ?? leafValue(frame, at, fail)
  if (!parent || parent.tag === 'plist') {
    if (state.root === undefined) state.root = value
    return
  }
  if (Array.isArray(parent.value)) parent.value.push(value)
  else if (parent.value) {
    if (parent.key === undefined) {
      fail('value-without-key', 'dict value has no key', at)
      return
    }
    parent.value[parent.key] = value
    parent.key = undefined
  }
}

function leafValue(frame: Frame, at: number, fail: Fail): PlistValue {
  const text = decodeEntities(frame.text)
  switch (frame.tag) {
    case 'true':
      return true
    case 'false':
      return false
    case 'integer': {
      const t = text.trim()
      const n = /^[-+]?0x[0-9a-f]+$/i.test(t) ? Number.parseInt(t, 16) : Number(t)
      if (t === '' || !Number.isFinite(n))
        fail('bad-integer', `bad <integer> "${t.slice(0, 40)}"`, at)
      return Number.isFinite(n) ? n : 0
    }
    case 'real':
      return Number.parseFloat(text.trim())
    case 'date': {
      const d = new Date(text.trim())
      return Number.isNaN(d.getTime()) ? text.trim() : d
    }
    case 'data':
      return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64'))
    default:
      return text
  }
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s
  return s.replace(/&(#x[0-9a-f]{1,8}|#[0-9]{1,9}|lt|gt|amp|quot|apos);/gi, (m, e: string) => {
    if (e[0] !== '#') return NAMED[e.toLowerCase()] ?? m
    const cp = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1))
    return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd'
  })
}

/** CDATA text is literal; escape `&` so decodeEntities leaves it as written. */
function escapeCdata(s: string): string {
  return s.replace(/&/g, '&amp;')
}

function skipTo(text: string, from: number, end: string): number {
  const i = text.indexOf(end, from)
  return i < 0 ? text.length : i + end.length
}

function skipDoctype(text: string, from: number): number {
  const gt = text.indexOf('>', from)
  const bracket = text.indexOf('[', from)
  if (bracket >= 0 && (gt < 0 || bracket < gt)) return skipTo(text, bracket, ']>')
  return gt < 0 ? text.length : gt + 1
}
