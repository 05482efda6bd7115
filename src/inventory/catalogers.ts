import type { Cataloger } from '../core/plugin.js'
import type { Registered } from '../core/registered.js'

/**
 * Every cataloger, in one explicit list, each loaded only when asked for (see DETECTORS in
 * src/detectors.ts). Catalogers are independent of one another.
 */
export const CATALOGERS: readonly Registered<Cataloger>[] = [
  {
    name: 'npm-package-lock',
    load: async () => (await import('./npm/package-lock.js')).packageLockCataloger,
  },
  {
    name: 'npm-node-modules',
    load: async () => (await import('./npm/node-modules.js')).nodeModulesCataloger,
  },
  {
    name: 'npm-yarn-lock',
    load: async () => (await import('./npm/yarn-lock.js')).yarnLockCataloger,
  },
  {
    name: 'npm-pnpm-lock',
    load: async () => (await import('./npm/pnpm-lock.js')).pnpmLockCataloger,
  },
  {
    name: 'python-installed',
    load: async () => (await import('./python/core-metadata.js')).pythonInstalledCataloger,
  },
  {
    name: 'python-poetry-lock',
    load: async () => (await import('./python/poetry-lock.js')).poetryLockCataloger,
  },
  {
    name: 'python-uv-lock',
    load: async () => (await import('./python/uv-lock.js')).uvLockCataloger,
  },
  {
    name: 'python-requirements',
    load: async () => (await import('./python/requirements.js')).requirementsCataloger,
  },
  {
    name: 'dpkg-status',
    load: async () => (await import('./dpkg/dpkg-status.js')).dpkgStatusCataloger,
  },
  {
    name: 'apk-installed',
    load: async () => (await import('./apk/apk-installed.js')).apkInstalledCataloger,
  },
  {
    name: 'rpm-db-sqlite',
    load: async () => (await import('./rpm/rpmdb-sqlite.js')).rpmdbSqliteCataloger,
  },
  {
    name: 'go-module-binary',
    load: async () => (await import('./golang/go-binary.js')).goBinaryCataloger,
  },
  {
    name: 'java-archive',
    load: async () => (await import('./java/java-archive.js')).javaArchiveCataloger,
  },
  {
    name: 'rust-cargo-auditable',
    load: async () => (await import('./rust/cargo-auditable.js')).cargoAuditableCataloger,
  },
  {
    name: 'dotnet-deps-json',
    load: async () => (await import('./dotnet/deps-json.js')).depsJsonCataloger,
  },
  {
    name: 'windows-app',
    load: async () => (await import('./windows/windows-app.js')).windowsAppCataloger,
  },
  { name: 'windows-msi', load: async () => (await import('./windows/msi.js')).windowsMsiCataloger },
  {
    name: 'macos-app-bundle',
    load: async () => (await import('./macos/app-bundle.js')).macosAppCataloger,
  },
  {
    name: 'electron-app',
    load: async () => (await import('./electron/electron-app.js')).electronAppCataloger,
  },
  {
    name: 'sbom-cyclonedx',
    load: async () => (await import('./sbom/cyclonedx.js')).cycloneDxCataloger,
  },
  { name: 'sbom-spdx', load: async () => (await import('./sbom/spdx.js')).spdxCataloger },
]
