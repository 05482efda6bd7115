/**
 * Debian control-file paragraphs (deb822): `Field: value` lines, continuation lines start with a
 * space or tab, paragraphs are separated by blank lines. Field names are lowercased. Each
 * paragraph records its 1-based first line.
 */
export interface Paragraph {
  fields: Map<string, string>
  line: number
}

export function parseParagraphs(text: string): Paragraph[] {
  const out: Paragraph[] = []
  let cur: Paragraph | undefined
  let lastKey: string | undefined
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line.trim() === '') {
      cur = undefined
      continue
    }
    if (!cur) {
      cur = { fields: new Map(), line: i + 1 }
      out.push(cur)
      lastKey = undefined
    }
    if (line[0] === ' ' || line[0] === '\t') {
      if (lastKey) cur.fields.set(lastKey, `${cur.fields.get(lastKey)}\n${line.trim()}`)
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    lastKey = line.slice(0, colon).trim().toLowerCase()
    cur.fields.set(lastKey, line.slice(colon + 1).trim())
  }
  return out
}
