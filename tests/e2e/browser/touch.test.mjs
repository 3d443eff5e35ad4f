// A phone (390×844, touch, device scale 2) in one universe with a desktop page: the
// on-screen keyboard path (an invisible HTML input focused while an ImGui text field is
// active; docs/client.md, "Touch and the on-screen keyboard") and touch gestures (a tap
// is a click, a drag moves a slider, two fingers pinch-zoom the canvas).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { addCollaborator, createUniverse, register, uniqueName } from '../lib/clients.mjs';
import { DEFAULTS } from '../lib/params.mjs';
import { HarmonicServer, serverAvailable } from '../lib/server.mjs';
import {
  afterFrames, launch, openClient, screenshot, siteAvailable, siteDir, status, waitFor, widget,
} from './lib/browser.mjs';

const skip = !serverAvailable() || !siteAvailable()
  ? 'needs build/server/harmonic-server and build-web/site (see README)' : false;

const phoneSize = { width: 390, height: 844 };

// Before the app loads: the text of every chat message the page receives.
function recordChat() {
  window.__chat = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string' || !e.data.includes('"collaboration:message"')) return;
        const payload = JSON.parse(e.data.slice(e.data.indexOf('['))).at(1);
        const text = payload?.message;
        if (typeof text === 'string') window.__chat.push(text);
      });
    }
  };
}

// The compact layout's sheet showing `panel` (parameters, people, sound): its tab is
// tapped unless that panel is already open (a tap on the open tab closes the sheet).
async function openSheet(phone, panel) {
  const st = await status(phone.page);
  assert.equal(st.ui.layout?.mode, 'compact', 'a phone gets the compact layout');
  if (st.ui.layout.open_panel === panel) return;
  await tapWidget(phone, `sheet.tab.${panel}`);
  await waitFor(phone.page, (s) => s.ui.layout?.open_panel === panel, { what: `the ${panel} sheet open` });
}

async function openPhone(browser, url, { viewport = phoneSize, deviceScaleFactor = 2 } = {}) {
  const context = await browser.newContext({ viewport, hasTouch: true, isMobile: true, deviceScaleFactor });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.harmonic && window.harmonic.status().frames > 0, null, { timeout: 20000 });
  return { context, page, problems, name: 'phone' };
}

// Fingers on the canvas: each step is a list of [x, y] points (empty when all fingers
// are up), with frames between steps so the app sees each one. The touch events are
// the DOM's (what the app's html5.h touch callbacks listen to), dispatched in the page:
// through CDP, on this loaded machine a frame could pass between a finger going down
// and its first move, and a finger resting longer than the long-press time is a long
// press. Here the first two steps run in one task, as a quick finger's would.
async function touch(phone, steps, { framesBetween = 1 } = {}) {
  const send = (batch) => phone.page.evaluate((list) => {
    const canvas = document.getElementById('canvas');
    let down = window.__fingers ?? 0;
    for (const points of list) {
      const type = points.length === 0 ? 'touchend' : points.length > down ? 'touchstart' : 'touchmove';
      const touches = points.map(([x, y], id) => new Touch({ identifier: id, target: canvas, clientX: x, clientY: y, pageX: x, pageY: y }));
      const lifted = [];
      for (let id = points.length; id < down; id++) lifted.push(new Touch({ identifier: id, target: canvas, clientX: 0, clientY: 0 }));
      canvas.dispatchEvent(new TouchEvent(type, {
        touches, targetTouches: touches, changedTouches: type === 'touchend' ? lifted : touches,
        bubbles: true, cancelable: true,
      }));
      down = points.length;
    }
    window.__fingers = down;
  }, batch);
  await send(steps.slice(0, 2));
  for (const points of steps.slice(2)) {
    await afterFrames(phone.page, framesBetween);
    await send([points]);
  }
  await afterFrames(phone.page, framesBetween);
}

async function tap(phone, x, y) {
  await touch(phone, [[[x, y]], []], { framesBetween: 2 });  // the click: pressed one frame, released the next
}

async function tapWidget(phone, name, { fx = 0.5, fy = 0.5 } = {}) {
  const r = await widget(phone.page, name);
  await tap(phone, r.x + r.w * fx, r.y + r.h * fy);
}

const activeIsTextInput = (page) => page.evaluate(() => document.activeElement?.id === 'harmonic-text-input');

describe('web client on a phone: touch and the on-screen keyboard', { skip }, () => {
  let server, browser, phone, desk, owner, guest, universe;

  before(async () => {
    server = new HarmonicServer({ name: 'browser-touch', webRoot: siteDir });
    await server.start();
    browser = await launch();
    owner = await register(server, uniqueName('desk'));
    guest = await register(server, uniqueName('phone'));
    universe = await createUniverse(server, owner.token, { name: 'Pocket Nebula' });
    await addCollaborator(server, owner.token, universe.id, guest.username);
    desk = await openClient(browser, `${server.url}/#token=${owner.token}&universe=${universe.id}`,
      { name: 'desk', initScript: recordChat });
    await waitFor(desk.page, (st) => st.joined, { what: 'desk joined' });
  });

  after(async () => {
    for (const p of [phone, desk]) if (p?.problems.length) console.log(`${p.name} page problems:\n${p.problems.join('\n')}`);
    await browser?.close();
    await server?.dispose();
  });

  test('signing in through the on-screen keyboard path opens the shared link', async () => {
    phone = await openPhone(browser, `${server.url}/#universe=${universe.id}`);
    await tapWidget(phone, 'signin.username');
    await phone.page.waitForFunction(() => document.activeElement?.id === 'harmonic-text-input');
    await phone.page.keyboard.insertText(guest.username);  // what a virtual keyboard sends: input events only
    await afterFrames(phone.page, 2);
    await tapWidget(phone, 'signin.password');
    assert.equal(await activeIsTextInput(phone.page), true, 'the next field keeps the keyboard up');
    await phone.page.keyboard.insertText(guest.password);
    await afterFrames(phone.page, 2);
    await screenshot(phone.page, 'phone-signin.png');
    await phone.page.keyboard.press('Enter');
    await waitFor(phone.page, (st) => st.user?.username === guest.username, { what: 'phone signed in' });
    await waitFor(phone.page, (st) => st.joined && st.universe_id === universe.id, { what: 'phone joined' });
    await waitFor(desk.page, (st) => st.participants.length === 2, { what: 'desk sees the phone' });
    await screenshot(phone.page, 'phone-universe.png');
  });

  test('chat typed on the on-screen keyboard (with an IME composition and Backspace) reaches the desk', async () => {
    // On a phone one panel shows at a time (docs/client.md, "Layout"): Chat & people.
    await openSheet(phone, 'people');
    if (!(await status(phone.page)).ui.widgets['chat.input']) await tapWidget(phone, 'tab.chat');
    await widget(phone.page, 'chat.input');
    await screenshot(phone.page, 'phone-chat-open.png');
    await tapWidget(phone, 'chat.input');
    await phone.page.waitForFunction(() => document.activeElement?.id === 'harmonic-text-input');
    await phone.page.keyboard.insertText('Hello from a phonee');
    await afterFrames(phone.page, 2);
    // Backspace as a virtual keyboard sends it: an input event deleting backwards.
    await phone.page.evaluate(() => {
      const input = document.getElementById('harmonic-text-input');
      input.value = '';
      input.dispatchEvent(new InputEvent('input', { inputType: 'deleteContentBackward', bubbles: true }));
    });
    await afterFrames(phone.page, 2);
    // An IME: the composition is shown in the field by the browser, and the text comes
    // when it ends.
    await phone.page.evaluate(() => {
      const input = document.getElementById('harmonic-text-input');
      input.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
      input.value = ' ひ';
      input.dispatchEvent(new InputEvent('input', { inputType: 'insertCompositionText', data: 'ひ', isComposing: true }));
      input.dispatchEvent(new CompositionEvent('compositionend', { data: ' 光' }));
    });
    await afterFrames(phone.page, 2);
    await screenshot(phone.page, 'phone-chat.png');
    const before = (await status(desk.page)).chat_count;
    await phone.page.keyboard.press('Enter');
    await waitFor(desk.page, (st) => st.chat_count === before + 1, { what: 'the desk got the message' });
    const texts = await desk.page.evaluate(() => window.__chat);
    assert.equal(texts.at(-1), 'Hello from a phone 光');
  });

  test('a tap outside the field blurs the invisible input', async () => {
    // The chat field active (after a send it may take a frame to take the focus back).
    if (!(await activeIsTextInput(phone.page))) await tapWidget(phone, 'chat.input');
    await phone.page.waitForFunction(() => document.activeElement?.id === 'harmonic-text-input', null, { timeout: 5000 });
    // The top bar's title area: not a text field, not a panel.
    await tap(phone, phoneSize.width / 2, 20);
    await phone.page.waitForFunction(() => document.activeElement?.id !== 'harmonic-text-input', null, { timeout: 5000 });
  });

  test('a tap on a slider sets the value the desk sees', async () => {
    const slider = 'param.physics.gravity';
    await openSheet(phone, 'parameters');
    await tapWidget(phone, 'tab.physics');
    const before = (await status(desk.page)).parameters.physics.gravity;
    await tapWidget(phone, slider, { fx: 0.1 });
    const s = await waitFor(desk.page, (st) => st.parameters.physics.gravity !== before,
      { what: 'the desk sees the tapped gravity' });
    assert.ok(s.parameters.physics.gravity < before, `tapped near the left end: ${before} -> ${s.parameters.physics.gravity}`);
  });

  test('a touch drag moves the slider, and the desk sees where it ended', async () => {
    const slider = 'param.physics.gravity';
    const r = await widget(phone.page, slider);
    const y = r.y + r.h / 2;
    const before = (await status(desk.page)).parameters.physics.gravity;
    const steps = [];
    for (let i = 0; i <= 10; i++) steps.push([[r.x + r.w * (0.1 + i * 0.08), y]]);
    steps.push([]);
    await touch(phone, steps);
    const s = await waitFor(desk.page, (st) => st.parameters.physics.gravity > before + 5,
      { what: 'the desk sees the dragged gravity' });
    await afterFrames(phone.page, 2);
    const mine = (await status(phone.page)).parameters.physics.gravity;
    assert.equal(s.parameters.physics.gravity, mine);
    await screenshot(phone.page, 'phone-dragged.png');
    assert.equal(phone.problems.filter((p) => p.startsWith('pageerror')).length, 0, phone.problems.join('\n'));
  });

  test('the cursor the desk sees stays while the finger is down and goes within 2 s of lifting it', async () => {
    const st = await status(phone.page);
    const me = st.user.id;
    const canvas = st.ui.layout.panels.canvas;
    const x = canvas.x + canvas.w / 2, y = canvas.y + canvas.h / 2;
    const seen = (s) => (s.remote_cursors ?? []).some((c) => c.user_id === me);
    // A finger goes down on the canvas and drags a little (a pan), then rests, still down.
    // (ImGui moves the cursor on a frame's pointer delta, so the drag takes two frames.)
    await touch(phone, [[[x, y]], [[x + 15, y]], [[x + 30, y]]]);
    await waitFor(desk.page, seen, { what: 'the desk sees the phone\'s cursor' });
    await phone.page.waitForTimeout(1500);  // longer than the pointer's leave delay
    assert.ok(seen(await status(desk.page)), 'a resting finger keeps the cursor shown');
    const lifted = Date.now();
    await touch(phone, [[]]);
    await waitFor(desk.page, (s) => !seen(s), { timeout: 2000, what: 'the cursor gone within 2 s of the lift' });
    console.log(`cursor gone ${Date.now() - lifted} ms after the finger lifted`);
    // The next touch shows it again.
    await touch(phone, [[[x, y]], [[x + 15, y]], [[x + 30, y]]]);
    await waitFor(desk.page, seen, { what: 'the cursor shown again' });
    await touch(phone, [[]]);
  });

  test('with the on-screen keyboard up, the chat field and the tab bar stay above it', async () => {
    await openSheet(phone, 'people');
    if (!(await status(phone.page)).ui.widgets['chat.input']) await tapWidget(phone, 'tab.chat');
    await tapWidget(phone, 'chat.input');
    await phone.page.waitForFunction(() => document.activeElement?.id === 'harmonic-text-input');
    const full = (await status(phone.page)).ui.layout.visible_height;
    assert.equal(full, phoneSize.height);
    // What a phone does when its keyboard opens: the visual viewport shrinks, the page
    // (and the canvas) keep their size. Headless Chromium has no on-screen keyboard, so
    // the visual viewport's height is overridden and its resize event sent: the same
    // path (web/emscripten_viewport.cpp) a real keyboard takes.
    const keyboardTop = phoneSize.height - 320;
    await phone.page.evaluate((h) => {
      Object.defineProperty(window.visualViewport, 'height', { configurable: true, get: () => h });
      window.visualViewport.dispatchEvent(new Event('resize'));
    }, keyboardTop);
    const s = await waitFor(phone.page, (st) => st.ui.layout.visible_height === keyboardTop && st.ui.widgets['chat.input'],
      { what: 'the layout above the keyboard' });
    for (const name of ['chat.input', 'chat.send', 'panel.side']) {
      const r = s.ui.widgets[name];
      assert.ok(r && r.y + r.h <= keyboardTop + 0.5, `${name} ${JSON.stringify(r)} ends above the keyboard at ${keyboardTop}`);
    }
    const tabs = s.ui.layout.panels.sheet_tabs;
    assert.ok(tabs.y + tabs.h <= keyboardTop, `tab bar ${JSON.stringify(tabs)}`);
    // The canvas is short with the keyboard up and the world fills its height: the
    // status line ("1000 particles · … · quality …") must be drawn beside the world's
    // frame, not over its bottom edge, and above the keyboard.
    // The camera fits the world into the previous frame's canvas (shared/frontend/app.cpp):
    // in the first frame above the keyboard the world still has the taller canvas's size.
    // Read where things were drawn once the new canvas has reached the camera.
    await afterFrames(phone.page, 2);
    const settled = await status(phone.page);
    const text = settled.ui.widgets['canvas.status'], world = settled.ui.widgets['canvas.world'];
    assert.ok(text && world, `status line ${JSON.stringify(text)} and world frame ${JSON.stringify(world)} reported`);
    const apart = text.y >= world.y + world.h || text.y + text.h <= world.y ||
      text.x >= world.x + world.w || text.x + text.w <= world.x;
    assert.ok(apart, `status line ${JSON.stringify(text)} is off the world ${JSON.stringify(world)}`);
    assert.ok(text.y + text.h <= tabs.y, `status line ${JSON.stringify(text)} above the tab bar ${JSON.stringify(tabs)}`);
    assert.equal(await activeIsTextInput(phone.page), true, 'the field keeps the keyboard');
    await screenshot(phone.page, 'phone-keyboard.png');
    await phone.page.evaluate(() => {
      delete window.visualViewport.height;
      window.visualViewport.dispatchEvent(new Event('resize'));
    });
    await waitFor(phone.page, (st) => st.ui.layout.visible_height === phoneSize.height, { what: 'the keyboard closed' });
  });

  // On a tablet (1024×768, touch) the middle of the screen is canvas (the wide layout).
  test('on a tablet, two fingers on the canvas pinch-zoom the camera and one finger pans it', async () => {
    const tablet = await openPhone(browser, `${server.url}/#token=${guest.token}&universe=${universe.id}`,
      { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 });
    try {
      await waitFor(tablet.page, (st) => st.joined, { what: 'tablet joined' });
      const cx = 512, cy = 420;
      const before = (await status(tablet.page)).ui.camera;
      const pinch = [];
      for (let i = 0; i <= 6; i++) pinch.push([[cx - 30 - i * 15, cy], [cx + 30 + i * 15, cy]]);
      pinch.push([]);
      await touch(tablet, pinch);
      const zoomed = (await status(tablet.page)).ui.camera;
      assert.ok(zoomed.zoom > before.zoom * 2.5,
        `spreading two fingers from 60 to 240 px (4×) zoomed ${before.zoom} -> ${zoomed.zoom}`);
      const pan = [];
      for (let i = 0; i <= 6; i++) pan.push([[cx + i * 20, cy]]);
      pan.push([]);
      await touch(tablet, pan);
      const panned = (await status(tablet.page)).ui.camera;
      assert.ok(panned.x < zoomed.x, `dragging right moves the view's centre left: x ${zoomed.x} -> ${panned.x}`);
      assert.ok(Math.abs(panned.zoom - zoomed.zoom) < 1e-6, 'one finger does not zoom');
      await screenshot(tablet.page, 'tablet-pinched.png');

      // A long press is a right click: on a slider it opens the parameter's menu, whose
      // "Reset to default" the desk sees.
      const slider = await widget(tablet.page, 'param.physics.gravity');
      await touch(tablet, [[[slider.x + slider.w * 0.3, slider.y + slider.h / 2]]]);  // down, held
      const menu = await widget(tablet.page, 'param.menu.reset', { timeout: 5000 });
      await touch(tablet, [[]]);
      assert.ok(menu.h >= 44 - 0.5, `menu item ${JSON.stringify(menu)} is finger-sized`);
      await screenshot(tablet.page, 'tablet-long-press.png');
      assert.notEqual((await status(desk.page)).parameters.physics.gravity, DEFAULTS.physics.gravity);
      await tap(tablet, menu.x + menu.w / 2, menu.y + menu.h / 2);
      await waitFor(desk.page, (st) => st.parameters.physics.gravity === DEFAULTS.physics.gravity,
        { what: 'the desk sees gravity back at its default' });
    } finally {
      await tablet.context.close();
    }
  });
});
