import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';

/**
 * electron-builder.yml cannot be built here (no Electron binary), so it is validated against
 * electron-builder's own configuration schema, with the same function electron-builder runs first.
 */
const require = createRequire(import.meta.url);

test('electron-builder.yml is valid for electron-builder and names every target and asset', async () => {
  const yaml = require('js-yaml') as { load(text: string): unknown };
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration(c: unknown, log: unknown): Promise<void> };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, any>;
  await validateConfiguration(config, new DebugLogger(false));
  assert.equal(config.appId, 'dev.teeinspector.app');
  assert.equal(config.productName, 'TEE Inspector');
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.deepEqual(config.win.target, ['nsis']);
  for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) assert.ok(existsSync(icon), icon);
  const png = readFileSync(config.linux.icon);
  assert.equal(png.readUInt32BE(16), 512, 'icon is 512 px wide, as macOS needs');
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.equal(config.extraMetadata.main, pkg.main);
});

/** The fuses the app ships with; loadBrowserProcessSpecificV8Snapshot off because no such snapshot is built. */
const FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableCookieEncryption: true,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
  loadBrowserProcessSpecificV8Snapshot: false,
};

function builderConfig(): Record<string, any> {
  const yaml = require('js-yaml') as { load(text: string): unknown };
  return yaml.load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, any>;
}

test('electron-builder.yml sets every fuse, by names its schema knows, and packs one asar', () => {
  const config = builderConfig();
  assert.equal(config.asar, true);
  assert.equal(config.asarUnpack, undefined, 'nothing runs from outside the archive');
  const scheme = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
  const fuseSchema = scheme.definitions[scheme.properties.electronFuses.anyOf[0].$ref.split('/').pop()];
  assert.equal(fuseSchema.additionalProperties, false, 'the schema itself refuses unknown fuse names');
  for (const key of Object.keys(config.electronFuses)) assert.equal(fuseSchema.properties[key]?.type, 'boolean', `unknown or non-boolean fuse ${key}`);
  assert.deepEqual(config.electronFuses, FUSES);
});

test("a misspelt fuse fails electron-builder's own validation", async () => {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration(c: unknown, log: unknown): Promise<void> };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  const config = builderConfig();
  await validateConfiguration({ ...config, electronFuses: { ...FUSES, runAsnode: false } }, new DebugLogger(false)).then(
    () => assert.fail('a typo passed'),
    (e: Error) => assert.match(e.message, /configuration\.electronFuses/),
  );
  await validateConfiguration({ ...config, electronFuses: { ...FUSES, runAsNode: 'no' } }, new DebugLogger(false)).then(
    () => assert.fail('a string passed'),
    (e: Error) => assert.match(e.message, /configuration\.electronFuses/),
  );
});

test('electron-builder turns the configured fuses into the @electron/fuses wire it flips', async () => {
  const { PlatformPackager } = require('app-builder-lib') as {
    PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<Record<string | number, unknown>> } };
  };
  const { FuseV1Options, FuseVersion } = require('@electron/fuses') as { FuseV1Options: Record<string, number>; FuseVersion: Record<string, string> };
  const wire = await PlatformPackager.prototype.generateFuseConfig.call({}, builderConfig().electronFuses);
  assert.equal(wire.version, FuseVersion.V1);
  const expected: Record<string, boolean> = {
    RunAsNode: false,
    EnableCookieEncryption: true,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    EnableEmbeddedAsarIntegrityValidation: true,
    OnlyLoadAppFromAsar: true,
    LoadBrowserProcessSpecificV8Snapshot: false,
    GrantFileProtocolExtraPrivileges: false,
  };
  for (const [name, value] of Object.entries(expected)) assert.equal(wire[FuseV1Options[name]!], value, name);
  const known = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)));
  assert.deepEqual(known.sort(), Object.keys(expected).sort(), 'every fuse @electron/fuses knows is set on purpose');
});

test('the Electron main and its sandboxed preload are built', () => {
  assert.ok(existsSync('dist/main/electron/main.js'));
  assert.ok(existsSync('dist/main/electron/preload.cjs'), 'sandboxed preloads must be CommonJS');
  assert.ok(existsSync('dist/renderer/index.html'));
});
