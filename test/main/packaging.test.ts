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

test('the Electron main and its sandboxed preload are built', () => {
  assert.ok(existsSync('dist/main/electron/main.js'));
  assert.ok(existsSync('dist/main/electron/preload.cjs'), 'sandboxed preloads must be CommonJS');
  assert.ok(existsSync('dist/renderer/index.html'));
});
