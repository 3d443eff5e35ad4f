// The desktop client (harmonic-desktop) against a real server, under Xvfb with Mesa:
// it goes straight into a universe with a handed-over token, shows a parameter that a
// socket.io-client script changes, sends a slider dragged through scripted mouse input
// and chat typed through scripted keys, comes back after a server restart, and its
// screenshots show the panels. A second run signs in through the sign-in window by
// typing, remembers the session in its config file, and reopens it on the next start.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';

import { addCollaborator, createUniverse, documentOptions, join, record, register, uniqueName } from '../lib/clients.mjs';
import { HarmonicServer } from '../lib/server.mjs';
import { artifactsDir, desktopSkipReason, imageStats, launchDesktop, startXvfb } from './lib/desktop.mjs';

const skip = desktopSkipReason();

describe('desktop client', { skip, timeout: 240000 }, () => {
  let server, xvfb, alice, bob, universe, bobSocket;
  const clients = [];

  before(async () => {
    xvfb = await startXvfb();
    server = new HarmonicServer({ name: 'desktop' });
    await server.start();
    alice = await register(server, uniqueName('alice'));
    bob = await register(server, uniqueName('bob'));
    universe = await createUniverse(server, alice.token, { name: 'Desktop Nebula', description: 'Native and web, one universe' });
    await addCollaborator(server, alice.token, universe.id, bob.username);
  });

  after(async () => {
    bobSocket?.disconnect();
    for (const c of clients) await c.dispose();
    await server?.dispose();
    await xvfb?.stop();
  });

  test('a token and a universe go straight in; parameters, slider, chat and reconnection work both ways', async () => {
    const shot = path.join(artifactsDir, 'desktop-universe.png');
    const shotAfter = path.join(artifactsDir, 'desktop-universe-reconnected.png');
    for (const f of [shot, shotAfter]) fs.rmSync(f, { force: true });
    const desktop = launchDesktop({
      display: xvfb.display, server, name: 'universe',
      args: ['--token', alice.token, '--universe', universe.id, '--frames', '100000'],
      script: [
        { action: 'wait_status', key: 'joined', equals: true },
        { action: 'wait_widget', widget: 'param.physics.gravity' },
        // Bob's change (below) arrives first; then Alice drags Gravity to 15.
        { action: 'wait_status', key: 'parameters.physics.elasticity', equals: 0.42, timeout_ms: 30000 },
        { action: 'drag_slider', category: 'physics', name: 'gravity', to: 15.0 },
        { action: 'wait_status', key: 'parameters.physics.gravity', not_equals: 9.81 },
        // Another category's tab, switched by its name, and a slider on it.
        { action: 'click', widget: 'tab.music' },
        { action: 'wait_widget', widget: 'param.music.tempo' },
        { action: 'drag_slider', category: 'music', name: 'tempo', to: 150 },
        { action: 'wait_status', key: 'parameters.music.tempo', not_equals: 120 },
        { action: 'click', widget: 'tab.chat' },
        { action: 'click', widget: 'chat.input' },
        { action: 'type', text: 'Hello from the desktop' },
        { action: 'key', key: 'enter' },
        { action: 'wait_status', key: 'chat_count', at_least: 1 },
        // Sound: starts, or (no sound card under Xvfb/CI) says it is unavailable.
        { action: 'click', widget: 'audio.toggle' },
        { action: 'move', x: 640, y: 380 },
        { action: 'wait_ms', ms: 800 },
        { action: 'screenshot', file: shot },
        // The test restarts the server now; the client reconnects and rejoins.
        { action: 'wait_status', key: 'connection', not_equals: 'connected', timeout_ms: 30000 },
        { action: 'wait_status', key: 'connection', equals: 'connected', timeout_ms: 30000 },
        { action: 'wait_status', key: 'joined', equals: true, timeout_ms: 30000 },
        { action: 'wait_ms', ms: 500 },
        { action: 'screenshot', file: shotAfter },
        { action: 'wait_frames', frames: 2 },
        { action: 'quit' },
      ],
    });
    clients.push(desktop);

    const joined = await desktop.waitFor((s) => s.joined && s.universe_id === universe.id, { what: 'desktop joined', timeout: 30000 });
    assert.equal(joined.connection, 'connected');
    assert.equal(joined.user.username, alice.username);
    assert.equal(joined.parameters.physics.gravity, 9.81);

    // Bob, from a socket.io-client script, joins and changes a parameter.
    bobSocket = io(server.url, documentOptions(bob.token));
    await join(bobSocket, universe.id);
    await desktop.waitFor((s) => s.participants.length === 2, { what: 'desktop sees bob' });
    // Listen before anything can arrive: the script acts as soon as it sees Bob's change.
    const updates = record(bobSocket, 'parameter:updated');
    const messages = record(bobSocket, 'collaboration:message');
    const cursors = record(bobSocket, 'collaboration:cursor');
    const started = Date.now();
    bobSocket.emit('parameter:update', { universe_id: universe.id, category: 'physics', parameters: { elasticity: 0.42 } });
    await desktop.waitFor((s) => s.parameters.physics.elasticity === 0.42, { what: 'elasticity 0.42 in the desktop status', timeout: 5000 });
    assert.ok(Date.now() - started < 5000);

    // Alice's slider drag (scripted mouse) reaches Bob.
    // The drag sends values along the way; where it ends, Gravity is 15 (to the pixel).
    const dragged = (d) => d?.category === 'physics' && Math.abs((d?.parameters?.gravity ?? 0) - 15) < 0.6;
    await desktop.waitFor(() => updates.events.some(dragged), { what: 'bob gets the dragged gravity', timeout: 30000 });
    const tempo = (d) => d?.category === 'music' && Math.abs((d?.parameters?.tempo ?? 0) - 150) <= 2;
    await desktop.waitFor(() => updates.events.some(tempo), { what: 'bob gets the tempo from the Music tab', timeout: 30000 });
    await desktop.waitFor(() => messages.events.length > 0, { what: 'bob gets the chat message', timeout: 30000 });
    const chat = messages.events[0];
    assert.equal(chat.message, 'Hello from the desktop');
    assert.equal(String(chat.user_id), String(alice.user.id));

    // The pointer over the universe is Alice's cursor on Bob's screen.
    await desktop.waitFor(() => cursors.events.length > 0, { what: 'bob sees alice\'s cursor', timeout: 30000 });
    assert.equal(String(cursors.events.at(-1).user_id), String(alice.user.id));

    // Restart the server under the client once the first screenshot exists.
    await desktop.waitFor(() => fs.existsSync(shot), { what: 'first screenshot', timeout: 30000 });
    bobSocket.disconnect();
    await server.restart();
    await desktop.waitFor((s) => s.connection === 'connected' && s.joined && s.reconnect_attempt >= 0 && fs.existsSync(shotAfter),
      { what: 'desktop reconnected', timeout: 60000 });
    const result = await desktop.exit();
    assert.equal(result.code, 0, `exit ${JSON.stringify(result)}\n${desktop.output().slice(-2000)}`);
    const final = desktop.status();
    assert.equal(final.script.failure, '');
    assert.ok(final.frames > 30);
    assert.ok(Math.abs(final.parameters.physics.gravity - 15) < 0.6);
    assert.ok(Math.abs(final.parameters.music.tempo - 150) <= 2, `tempo ${final.parameters.music.tempo}`);
    assert.ok(final.ui.audio === true || final.ui.audio_available === false, `audio ${JSON.stringify(final.ui)}`);

    // The picture: the whole window is not blank, the parameter panel (left) and the
    // chat panel (right) have text and widgets, and particles fill the middle.
    const whole = imageStats(shot);
    assert.equal(whole.width, 1280);
    assert.equal(whole.height, 800);
    assert.ok(whole.stddev > 0.05, `stddev ${whole.stddev}`);
    assert.ok(whole.colours > 500, `${whole.colours} colours`);
    const panel = imageStats(shot, '340x500+10+60');
    assert.ok(panel.stddev > 0.05 && panel.colours > 50, `parameter panel ${JSON.stringify(panel)}`);
    const chatPanel = imageStats(shot, '310x400+960+60');
    assert.ok(chatPanel.colours > 30, `chat panel ${JSON.stringify(chatPanel)}`);
    const middle = imageStats(shot, '560x700+380+60');
    assert.ok(middle.colours > 20, `canvas ${JSON.stringify(middle)}`);
    assert.ok(imageStats(shotAfter).stddev > 0.05);
  });

  test('the sign-in window: typing a name and password signs in; the session is remembered', async () => {
    assert.ok(server.running, `the server is not running: ${JSON.stringify(server.exitInfo)}\n${server.tail()}`);
    const shot = path.join(artifactsDir, 'desktop-signin.png');
    fs.rmSync(shot, { force: true });
    const first = launchDesktop({
      display: xvfb.display, server, name: 'signin',
      args: ['--width', '1100', '--height', '720', '--screenshot', path.join(artifactsDir, 'desktop-signin-end.png')],
      script: [
        { action: 'wait_widget', widget: 'signin.username' },
        { action: 'screenshot', file: shot },
        { action: 'click', widget: 'signin.username' },
        { action: 'type', text: bob.username },
        { action: 'click', widget: 'signin.password' },
        { action: 'type', text: bob.password },
        { action: 'key', key: 'enter' },
        { action: 'wait_status', key: 'user.username', equals: bob.username },
        { action: 'wait_widget', widget: `universe.open.${universe.id}` },
        { action: 'screenshot', file: path.join(artifactsDir, 'desktop-universe-list.png') },
        { action: 'click', widget: `universe.open.${universe.id}` },
        { action: 'wait_status', key: 'joined', equals: true },
        { action: 'quit' },
      ],
    });
    clients.push(first);
    const signedOut = await first.waitFor((s) => s.frames > 0, { what: 'first frame' });
    assert.equal(signedOut.user, null);
    const result = await first.exit({ timeout: 60000 });
    assert.equal(result.code, 0, first.output().slice(-2000));
    const status = first.status();
    assert.equal(status.user.username, bob.username);
    assert.equal(status.universe_id, universe.id);
    const signin = imageStats(shot);
    assert.equal(signin.width, 1100);
    assert.ok(signin.stddev > 0.03 && signin.colours > 100, `sign-in screenshot ${JSON.stringify(signin)}`);

    // The config file remembers the server, the window size, the token and the universe.
    const settings = JSON.parse(fs.readFileSync(path.join(first.configDir, 'settings.json'), 'utf8'));
    assert.equal(settings.server, server.url);
    assert.equal(settings.window_width, 1100);
    assert.ok(settings.servers[server.url]['harmonic.token'].length > 20);
    assert.equal(settings.servers[server.url].last_universe, universe.id);

    // Started again with nothing on the command line but the config: signed in, back
    // in the same universe, same window size.
    const shot2 = path.join(artifactsDir, 'desktop-reopened.png');
    fs.rmSync(shot2, { force: true });
    const second = launchDesktop({
      display: xvfb.display, server, name: 'reopen', configDir: first.configDir,
      args: ['--screenshot', shot2, '--frames', '150'],
    });
    clients.push(second);
    const again = await second.waitFor((s) => s.joined, { what: 'reopened the universe', timeout: 30000 });
    assert.equal(again.user.username, bob.username);
    assert.equal(again.universe_id, universe.id);
    const r2 = await second.exit({ timeout: 60000 });
    assert.equal(r2.code, 0, second.output().slice(-2000));
    assert.equal(imageStats(shot2).width, 1100);
  });

  test('sound: the audio thread plays (into ALSA\'s null device) and stops cleanly on exit', async () => {
    const desktop = launchDesktop({
      display: xvfb.display, server, name: 'audio',
      args: ['--token', alice.token, '--universe', universe.id, '--audio-device', 'null'],
      script: [
        { action: 'wait_status', key: 'joined', equals: true },
        { action: 'wait_widget', widget: 'audio.toggle' },
        { action: 'click', widget: 'audio.toggle' },
        { action: 'wait_status', key: 'ui.audio', equals: true },
        { action: 'wait_ms', ms: 1500 },
        { action: 'quit' },
      ],
    });
    clients.push(desktop);
    const playing = await desktop.waitFor((s) => s.ui?.audio === true, { what: 'audio running', timeout: 30000 });
    assert.equal(playing.ui.audio_available, true);
    const result = await desktop.exit({ timeout: 60000 });
    assert.equal(result.code, 0, `exit ${JSON.stringify(result)}\n${desktop.output().slice(-2000)}`);
    assert.equal(desktop.status().script.failure, '');
  });
});
