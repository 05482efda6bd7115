/**
 * The vendor/product identity shared by inventory, advisories and the intel pack: slugs are
 * lowercase, runs of non-alphanumerics become `-`, trimmed; company suffixes are dropped from the
 * vendor. "3CX Ltd" + "3CX Desktop App" → `3cx` / `3cx-desktop-app`.
 */

const COMPANY_SUFFIXES = new Set([
  'ltd',
  'limited',
  'inc',
  'corp',
  'corporation',
  'gmbh',
  'llc',
  'co',
])

export function slug(s: string): string {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** Vendor slug: the slug with trailing company suffixes removed ("Piriform Ltd." → `piriform`). */
export function vendorSlug(company: string): string {
  const words = slug(company).split('-').filter(Boolean)
  while (words.length > 1 && COMPANY_SUFFIXES.has(words[words.length - 1]!)) words.pop()
  return words.join('-')
}

export interface ProductIdentity {
  vendor: string
  product: string
}

/**
 * Identity of a vendor product. Without a company the product slug doubles as the vendor, so
 * the identity is still stable (`pkg:generic/foo/foo@1.0`).
 */
export function productIdentity(company: string | undefined, product: string): ProductIdentity {
  const p = slug(product)
  const v = company ? vendorSlug(company) : ''
  return { vendor: v || p, product: p }
}

/**
 * The company named in a copyright notice or a CompanyName that carries one:
 * "Copyright © 2019-2023 3CX Ltd. All rights reserved." → "3CX Ltd".
 */
export function companyFromNotice(c: string | undefined): string | undefined {
  if (!c) return undefined
  const s = c
    .replace(/all rights reserved\.?/i, '')
    .replace(/copyright|\(c\)|©/gi, ' ')
    .replace(/\b\d{4}(?:\s*[-–,]\s*\d{4})*\b/g, ' ')
    .replace(/^[\s.,]+|[\s.,]+$/g, '')
    .replace(/\s+/g, ' ')
  return s.length > 1 && s.length < 80 ? s : undefined
}
