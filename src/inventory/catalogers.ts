import type { Cataloger } from '../core/plugin.js'
import { apkInstalledCataloger } from './apk/apk-installed.js'
import { depsJsonCataloger } from './dotnet/deps-json.js'
import { dpkgStatusCataloger } from './dpkg/dpkg-status.js'
import { electronAppCataloger } from './electron/electron-app.js'
import { goBinaryCataloger } from './golang/go-binary.js'
import { javaArchiveCataloger } from './java/java-archive.js'
import { macosAppCataloger } from './macos/app-bundle.js'
import { nodeModulesCataloger } from './npm/node-modules.js'
import { packageLockCataloger } from './npm/package-lock.js'
import { pnpmLockCataloger } from './npm/pnpm-lock.js'
import { yarnLockCataloger } from './npm/yarn-lock.js'
import { pythonInstalledCataloger } from './python/core-metadata.js'
import { poetryLockCataloger } from './python/poetry-lock.js'
import { requirementsCataloger } from './python/requirements.js'
import { uvLockCataloger } from './python/uv-lock.js'
import { rpmdbSqliteCataloger } from './rpm/rpmdb-sqlite.js'
import { cargoAuditableCataloger } from './rust/cargo-auditable.js'
import { cycloneDxCataloger } from './sbom/cyclonedx.js'
import { spdxCataloger } from './sbom/spdx.js'
import { windowsMsiCataloger } from './windows/msi.js'
import { windowsAppCataloger } from './windows/windows-app.js'

/** Every cataloger, in one explicit list. Catalogers are independent of one another. */
export function createCatalogers(): Cataloger[] {
  return [
    packageLockCataloger,
    nodeModulesCataloger,
    yarnLockCataloger,
    pnpmLockCataloger,
    pythonInstalledCataloger,
    poetryLockCataloger,
    uvLockCataloger,
    requirementsCataloger,
    dpkgStatusCataloger,
    apkInstalledCataloger,
    rpmdbSqliteCataloger,
    goBinaryCataloger,
    javaArchiveCataloger,
    cargoAuditableCataloger,
    depsJsonCataloger,
    windowsAppCataloger,
    windowsMsiCataloger,
    macosAppCataloger,
    electronAppCataloger,
    cycloneDxCataloger,
    spdxCataloger,
  ]
}
