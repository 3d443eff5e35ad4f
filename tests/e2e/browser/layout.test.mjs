// The layout on a phone and on a desktop (docs/client.md, "Layout"): at 390×844 with
// touch the universe shows one panel at a time over a visible canvas, with finger-sized
// targets; at 1280×800 the panels sit side by side. Both read the layout's decisions
// from window.harmonic.status() and the panels' real rectangles ("panel.*" widgets),
// and keep screenshots in tests/e2e/artifacts/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createUniverse, register, uniqueName } from '../lib/clients.mjs';
import { HarmonicServer, serverAvailable } from '../lib/server.mjs';
import { click, launch, screenshot, siteAvailable, siteDir, status, waitFor, widget } from './lib/browser.mjs';

const skip = !serverAvailable() || !siteAvailable()
  ? 'needs build/server/harmonic-server and build-web/site (see README)' : false;

const MIN_HIT = 44;  // CSS px, kMinTouchTarget in shared/ui/layout.hpp

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true };
const PHONE_LANDSCAPE = { ...PHONE, viewport: { width: 844, height: 390 } };
const TABLET = { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

function overlap(a, b) {
  return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 &&
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function assertApart(rects, what) {
  const names = Object.keys(rects);
  for (let i = 0; i < names.length; ++i) {
    for (let j = i + 1; j < names.length; ++j) {
      assert.ok(!overlap(rects[names[i]], rects[names[j]]),
        `${what}: ${names[i]} ${JSON.stringify(rects[names[i]])} overlaps ${names[j]} ${JSON.stringify(rects[names[j]])}`);
    }
  }
}

// The panels (windows) shown; the canvas and the status line's strip under or along it
// are what they leave, not panels.
function visiblePanels(layout) {
  return Object.fromEntries(Object.entries(layout.panels)
    .filter(([name, r]) => name !== 'canvas' && name !== 'status_line' && r.visible));
}

// The panels and the status line's strip: none may cover another.
function panelsAndStatusLine(layout) {
  assert.ok(layout.panels.status_line?.visible, `status line strip ${JSON.stringify(layout.panels.status_line)}`);
  return { ...visiblePanels(layout), status_line: layout.panels.status_line };
}

// The windows ImGui really drew for the panels ("panel.*"), plus the bars.
function drawnPanels(widgets) {
  return Object.fromEntries(Object.entries(widgets).filter(([name]) => name.startsWith('panel.')));
}

function topBarItems(widgets) {
  return Object.fromEntries(Object.entries(widgets).filter(([name]) => name.startsWith('top.')));
}

async function openPage(browser, url, profile, name) {
  const context = await browser.newContext(profile);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.harmonic && window.harmonic.status().frames > 0, null, { timeout: 60000 });
  return { context, page, problems, name };
}

// A tap where the widget is (the mouse path: ImGui sees a click either way).
async function tap(page, name) {
  await click(page, name);
}

describe('web client layout: phone and desktop', { skip }, () => {
  let server, browser, user, universe;
  const pages = [];

  before(async () => {
    server = new HarmonicServer({ name: 'browser-layout', webRoot: siteDir });
    await server.start();
    browser = await launch();
    user = await register(server, uniqueName('pat'));
    universe = await createUniverse(server, user.token,
      { name: 'A universe with a rather long name for a phone', description: 'layout' });
  });

  after(async () => {
    for (const p of pages) if (p.problems.length) console.log(`${p.name} page problems:\n${p.problems.join('\n')}`);
    await browser?.close();
    await server?.dispose();
  });

  test('phone: the sign-in card fits and its fields are finger-sized', async () => {
    const p = await openPage(browser, `${server.url}/`, PHONE, 'phone-signin');
    pages.push(p);
    const s = await waitFor(p.page, (st) => st.ui?.widgets?.['signin.submit'], { what: 'sign-in card', timeout: 30000 });
    assert.equal(s.ui.layout.mode, 'compact');
    for (const name of ['signin.username', 'signin.password', 'signin.submit']) {
      const r = s.ui.widgets[name];
      assert.ok(r.x >= 0 && r.x + r.w <= 390, `${name} off screen: ${JSON.stringify(r)}`);
      assert.ok(r.h >= MIN_HIT, `${name} is ${r.h} px tall`);
    }
    await screenshot(p.page, 'layout-phone-signin.png');
    await p.context.close();  // one rendering page at a time on a loaded machine
  });

  test('phone: the universe list fits the width', async () => {
    const p = await openPage(browser, `${server.url}/#token=${user.token}`, PHONE, 'phone-list');
    pages.push(p);
    await widget(p.page, `universe.open.${universe.id}`, { timeout: 60000 });
    const s = await status(p.page);
    for (const name of ['list.new_name', 'list.new_description', 'list.create', 'list.signout', 'list.refresh',
      `universe.open.${universe.id}`, `universe.copy.${universe.id}`]) {
      const r = s.ui.widgets[name];
      assert.ok(r, `${name} drawn`);
      assert.ok(r.x >= 0 && r.x + r.w <= 390 + 0.5, `${name} off screen: ${JSON.stringify(r)}`);
      assert.ok(r.h >= MIN_HIT, `${name} is ${r.h} px tall`);
    }
    assertApart({ name: s.ui.widgets['list.new_name'], description: s.ui.widgets['list.new_description'],
      create: s.ui.widgets['list.create'] }, 'create row');
    await screenshot(p.page, 'layout-phone-list.png');
    // A toast ("Link copied"): on screen, off the list, and its close button finger-sized.
    await tap(p.page, `universe.copy.${universe.id}`);
    const t = await waitFor(p.page, (st) => st.ui.widgets['notice.0.close'], { what: 'a toast', timeout: 30000 });
    const toast = t.ui.widgets['notice.0'], close = t.ui.widgets['notice.0.close'];
    assert.ok(toast.x >= 0 && toast.x + toast.w <= 390 && toast.y + toast.h <= 844, `toast ${JSON.stringify(toast)}`);
    assert.ok(close.w >= MIN_HIT && close.h >= MIN_HIT, `toast close is ${close.w}×${close.h}`);
    assert.ok(close.x >= toast.x && close.x + close.w <= toast.x + toast.w + 0.5, 'the close button is inside its toast');
    await screenshot(p.page, 'layout-phone-toast.png');  // (it goes by itself after 3 s)
    await p.context.close();
  });

  test('phone: one panel at a time over a visible canvas, tabs switch it, nothing overlaps', async () => {
    const p = await openPage(browser, `${server.url}/#token=${user.token}&universe=${universe.id}`, PHONE, 'phone');
    pages.push(p);
    let s = await waitFor(p.page, (st) => st.joined && st.ui?.widgets?.['panel.parameters'], { what: 'joined, parameters', timeout: 60000 });
    const layout = s.ui.layout;
    assert.equal(layout.mode, 'compact');
    assert.equal(layout.open_panel, 'parameters');
    assert.ok(layout.min_hit >= MIN_HIT);
    assert.deepEqual(Object.keys(visiblePanels(layout)).sort(), ['parameters', 'sheet_tabs', 'top_bar']);
    assertApart(panelsAndStatusLine(layout), 'phone layout');
    assert.ok(layout.panels.canvas.visible && layout.panels.canvas.h >= 140, `canvas ${JSON.stringify(layout.panels.canvas)}`);
    assertApart({ ...drawnPanels(s.ui.widgets), canvas: layout.panels.canvas }, 'phone windows');
    assertApart(topBarItems(s.ui.widgets), 'phone top bar');
    for (const [name, r] of Object.entries(topBarItems(s.ui.widgets))) {
      assert.ok(r.x >= 0 && r.x + r.w <= 390, `${name} off screen: ${JSON.stringify(r)}`);
    }
    // Finger-sized: the bars, the category tabs and every parameter control.
    const targets = Object.entries(s.ui.widgets).filter(([name]) =>
      name === 'top.back' || name === 'top.people' || name.startsWith('sheet.tab.') || name.startsWith('param.') ||
      name.startsWith('reset.'));
    assert.ok(targets.length >= 8, `hit targets found: ${targets.map(([n]) => n)}`);
    for (const [name, r] of targets) assert.ok(r.h >= MIN_HIT - 0.5 && r.w >= MIN_HIT, `${name} is ${r.w}×${r.h}`);
    await screenshot(p.page, 'layout-phone-parameters.png');

    await tap(p.page, 'sheet.tab.people');
    s = await waitFor(p.page, (st) => st.ui.layout.open_panel === 'people' && st.ui.widgets['chat.input'],
      { what: 'chat sheet', timeout: 30000 });
    assert.deepEqual(Object.keys(visiblePanels(s.ui.layout)).sort(), ['sheet_tabs', 'side', 'top_bar']);
    assertApart({ ...drawnPanels(s.ui.widgets), canvas: s.ui.layout.panels.canvas }, 'phone chat windows');
    for (const name of ['chat.input', 'chat.send']) assert.ok(s.ui.widgets[name].h >= MIN_HIT - 0.5, `${name} height`);
    await screenshot(p.page, 'layout-phone-chat.png');

    await tap(p.page, 'sheet.tab.sound');
    s = await waitFor(p.page, (st) => st.ui.layout.open_panel === 'sound' && st.ui.widgets['audio.toggle'],
      { what: 'sound sheet', timeout: 30000 });
    assert.ok(s.ui.widgets['audio.toggle'].h >= MIN_HIT - 0.5);
    await screenshot(p.page, 'layout-phone-sound.png');

    // The open tab closes the sheet: the canvas gets the space between the bars.
    await tap(p.page, 'sheet.tab.sound');
    s = await waitFor(p.page, (st) => st.ui.layout.open_panel === null, { what: 'sheet closed', timeout: 30000 });
    assert.deepEqual(Object.keys(visiblePanels(s.ui.layout)).sort(), ['sheet_tabs', 'top_bar']);
    assert.ok(s.ui.layout.panels.canvas.h > layout.panels.canvas.h);
    await p.context.close();
  });

  test('phone in landscape: the sheet stands on the right of a visible canvas', async () => {
    const p = await openPage(browser, `${server.url}/#token=${user.token}&universe=${universe.id}`, PHONE_LANDSCAPE,
      'phone-landscape');
    pages.push(p);
    const s = await waitFor(p.page, (st) => st.joined && st.ui?.widgets?.['panel.parameters'],
      { what: 'joined, parameters', timeout: 60000 });
    const layout = s.ui.layout;
    assert.equal(layout.mode, 'compact');
    assertApart(panelsAndStatusLine(layout), 'landscape layout');
    assertApart({ ...drawnPanels(s.ui.widgets), canvas: layout.panels.canvas }, 'landscape windows');
    assertApart(topBarItems(s.ui.widgets), 'landscape top bar');
    const { canvas, parameters } = layout.panels;
    assert.ok(canvas.w >= 300 && canvas.h >= 200, `canvas ${JSON.stringify(canvas)}`);
    assert.ok(parameters.x >= canvas.x + canvas.w, 'the sheet is right of the canvas');
    await screenshot(p.page, 'layout-phone-landscape.png');
    await p.context.close();
  });

  test('tablet (1024×768, touch): the wide layout, panels apart, finger-sized targets', async () => {
    const p = await openPage(browser, `${server.url}/#token=${user.token}&universe=${universe.id}`, TABLET, 'tablet');
    pages.push(p);
    // Touch makes targets finger-sized; the page learns it from a finger (a tap on the canvas).
    await p.page.waitForFunction(() => window.harmonic.status().joined, null, { timeout: 60000 });
    await p.page.touchscreen.tap(512, 420);
    const s = await waitFor(p.page, (st) => st.ui?.layout?.min_hit >= MIN_HIT && st.ui.widgets['panel.side'],
      { what: 'joined, touch layout', timeout: 60000 });
    const layout = s.ui.layout;
    assert.equal(layout.mode, 'wide');
    assert.deepEqual(Object.keys(visiblePanels(layout)).sort(), ['audio', 'parameters', 'side', 'top_bar']);
    assertApart(panelsAndStatusLine(layout), 'tablet layout');
    assertApart(drawnPanels(s.ui.widgets), 'tablet windows');
    assertApart(topBarItems(s.ui.widgets), 'tablet top bar');
    for (const [name, r] of Object.entries(drawnPanels(s.ui.widgets))) {
      assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.w <= 1024 + 0.5 && r.y + r.h <= 768 + 0.5, `${name} off screen: ${JSON.stringify(r)}`);
    }
    assert.ok(layout.panels.canvas.w >= 200, `canvas ${JSON.stringify(layout.panels.canvas)}`);
    const targets = Object.entries(s.ui.widgets).filter(([name]) =>
      (name.startsWith('top.') && name !== 'top.status' && name !== 'top.name') || name.startsWith('param.') || name.startsWith('reset.') || name === 'chat.input' ||
      name === 'chat.send' || name === 'audio.toggle');
    assert.ok(targets.length >= 8, `hit targets found: ${targets.map(([n]) => n)}`);
    for (const [name, r] of targets) assert.ok(r.h >= MIN_HIT - 0.5, `${name} is ${r.w}×${r.h}`);
    await screenshot(p.page, 'layout-tablet.png');
    await p.context.close();
  });

  test('desktop: a toast on the universe list stays off the list', async () => {
    const p = await openPage(browser, `${server.url}/#token=${user.token}`, DESKTOP, 'desktop-list');
    pages.push(p);
    await widget(p.page, `universe.copy.${universe.id}`, { timeout: 60000 });
    await click(p.page, `universe.copy.${universe.id}`);  // "Link copied"
    const s = await waitFor(p.page, (st) => st.ui.widgets['notice.0'], { what: 'a toast', timeout: 30000 });
    const toast = s.ui.widgets['notice.0'], list = s.ui.widgets['panel.list'];
    assert.ok(!overlap(toast, list), `toast ${JSON.stringify(toast)} covers the list ${JSON.stringify(list)}`);
    assert.ok(toast.y + toast.h <= 800, 'toast on screen');
    await screenshot(p.page, 'layout-desktop-list-toast.png');
    await p.context.close();
  });

  test('desktop: panels side by side, apart, with the top bar items apart', async () => {
    const p = await openPage(browser, `${server.url}/#token=${user.token}&universe=${universe.id}`, DESKTOP, 'desktop');
    pages.push(p);
    const s = await waitFor(p.page, (st) => st.joined && st.ui?.widgets?.['panel.side'], { what: 'joined, panels', timeout: 60000 });
    const layout = s.ui.layout;
    assert.equal(layout.mode, 'wide');
    assert.equal(layout.open_panel, null);
    assert.deepEqual(Object.keys(visiblePanels(layout)).sort(), ['audio', 'parameters', 'side', 'top_bar']);
    assertApart(panelsAndStatusLine(layout), 'desktop layout');
    assertApart(drawnPanels(s.ui.widgets), 'desktop windows');
    assertApart(topBarItems(s.ui.widgets), 'desktop top bar');
    // A slider's value is beside it, not under its grab: the slider leaves room on its right.
    const slider = s.ui.widgets['param.physics.particle_count'] ?? Object.entries(s.ui.widgets)
      .find(([name]) => name.startsWith('param.physics.'))[1];
    const panel = s.ui.widgets['panel.parameters'];
    assert.ok(slider.x + slider.w < panel.x + panel.w - 50, `slider ${JSON.stringify(slider)} fills the panel`);
    await screenshot(p.page, 'layout-desktop.png');
  });
});
