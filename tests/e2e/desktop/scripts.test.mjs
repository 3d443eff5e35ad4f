// Text in every script on the desktop (docs/client.md, "Text in every script"): a
// socket.io-client writes chat in Chinese, Cyrillic, Greek, Japanese and Korean into a
// universe named in Chinese and Japanese; harmonic-desktop reads the CJK fallback font
// (fonts-wqy-microhei) once that text appears, and every character shown has its own
// glyph. Its screenshot is kept as tests/e2e/artifacts/desktop-scripts.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';

import { ack, addCollaborator, createUniverse, documentOptions, join, register, uniqueName } from '../lib/clients.mjs';
import { HarmonicServer } from '../lib/server.mjs';
import { artifactsDir, desktopSkipReason, imageStats, launchDesktop, startXvfb } from './lib/desktop.mjs';

const skip = desktopSkipReason();

describe('desktop client: text in every script', { skip, timeout: 180000 }, () => {
  let server, xvfb, alice, bob, universe, bobSocket;
  const clients = [];

  before(async () => {
    xvfb = await startXvfb();
    server = new HarmonicServer({ name: 'desktop-scripts' });
    await server.start();
    alice = await register(server, uniqueName('alice'));
    bob = await register(server, uniqueName('bob'));
    universe = await createUniverse(server, alice.token, { name: '星雲の宇宙' });
    await addCollaborator(server, alice.token, universe.id, bob.username);
  });

  after(async () => {
    bobSocket?.disconnect();
    for (const c of clients) await c.dispose();
    await server?.dispose();
    await xvfb?.stop();
  });

  test('chat and a universe name in five scripts are drawn with their own glyphs', async () => {
    const shot = path.join(artifactsDir, 'desktop-scripts.png');
    fs.rmSync(shot, { force: true });
    const desktop = launchDesktop({
      display: xvfb.display, server, name: 'scripts',
      args: ['--token', alice.token, '--universe', universe.id, '--frames', '100000'],
      script: [
        { action: 'wait_status', key: 'joined', equals: true },
        { action: 'click', widget: 'tab.chat' },
        { action: 'wait_status', key: 'chat_count', at_least: 1, timeout_ms: 30000 },
        { action: 'wait_status', key: 'ui.glyphs.fallback_font', equals: 'ready', timeout_ms: 30000 },
        { action: 'wait_status', key: 'ui.glyphs.missing', equals: 0, timeout_ms: 30000 },
        { action: 'wait_frames', frames: 3 },
        { action: 'screenshot', file: shot },
        { action: 'wait_frames', frames: 2 },
        { action: 'quit' },
      ],
    });
    clients.push(desktop);
    await desktop.waitFor((s) => s.joined, { what: 'desktop joined', timeout: 30000 });
    bobSocket = io(server.url, documentOptions(bob.token));
    await join(bobSocket, universe.id);
    await ack(bobSocket, 'collaboration:message', { universe_id: universe.id, message: '你好 Привет Γειά こんにちは 안녕' });
    const result = await desktop.exit({ timeout: 60000 });
    assert.equal(result.code, 0, `exit ${JSON.stringify(result)}\n${desktop.output().slice(-2000)}`);
    const final = desktop.status();
    assert.equal(final.script.failure, '');
    assert.equal(final.chat_count, 1);
    assert.equal(final.ui.glyphs.fallback_font, 'ready');
    assert.equal(final.ui.glyphs.missing, 0);
    assert.ok(final.ui.glyphs.atlas_builds >= 2, `atlas builds ${final.ui.glyphs.atlas_builds}`);
    const chatPanel = imageStats(shot, '310x60+960+120');
    assert.ok(chatPanel.colours > 10, `chat line ${JSON.stringify(chatPanel)}`);
  });
});
