// What every browser scenario does with the Flet web app in headless Chromium: launch it on a phone-sized
// page, find controls, type, read what a screen reader would, follow an answer, take pictures; and the
// scenario's deadline and failure report.
//
// Flutter draws on a canvas: elements are found through the accessibility tree it mirrors into the DOM, by
// their Semantics identifiers. Every call into the page is bounded (a page that stops answering fails the step
// that waited on it, by name), and the scenario has a deadline (SCENARIO_SECONDS) that every wait counts
// against: a scenario ends, passing or failing, before the Python side's own timeout.

const fs = require('fs');
const path = require('path');
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

const env = (name) => {
  if (process.env[name] === undefined || process.env[name] === '') throw new Error(`${name} is not set`);
  return process.env[name];
};
const TIMEOUT = 60_000; // a step
const ANSWER_TIMEOUT = 180_000; // an answer, which may wait its turn on the embedded model
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 };
const SHOTS = process.env.SCREENSHOTS || '';
const CONTRAST = process.env.CONTRAST || ''; // where the contrast check's pictures go
const SCENARIO_SECONDS = Number(process.env.SCENARIO_SECONDS || 600);

const id = (name) => `[flt-semantics-identifier="${name}"]`;

// Each step on stderr as it starts, so that a step that fails is named in the test's failure.
const started = Date.now();
const deadline = started + SCENARIO_SECONDS * 1000;
let current = 'launch';
// No step waits longer than this (the longest is the memory work's, MEMORY_TIMEOUT below), nor past the
// scenario's deadline: the watchdog (see run) fails a step that overstays, whatever it is waiting on.
const STEP_LIMIT = 600_000;
let overstay = () => {}; // set by run
let watchdog = null;
const step = (what) => {
  current = what;
  process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)}s ${what}\n`);
  if (Date.now() > deadline) throw new Error(`the scenario went past its ${SCENARIO_SECONDS} s at: ${what}`);
  clearTimeout(watchdog);
  watchdog = setTimeout(() => overstay(), Math.min(STEP_LIMIT, deadline - Date.now() + 5_000));
};
// A wait's budget: its own, cut to what is left of the scenario's.
const budget = (ms) => Math.max(1_000, Math.min(ms, deadline - Date.now()));

// Calls that wait on the page's main thread (evaluate, input events, close) have no timeout of their own in
// playwright: a page that stops answering would hold the scenario forever. Each is raced against one.
async function bounded(promise, what, ms = TIMEOUT) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the page did not answer within ${ms / 1000} s (${what}) during: ${current}`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

// Flutter draws through WebGL, which headless Chromium without a GPU runs in software (SwiftShader) in its GPU
// process. On a loaded machine a software frame can outlast the GPU watchdog, which then kills the GPU process:
// the page's WebGL context is lost, and after a few such restarts Chromium stops giving WebGL back. What is
// left is a canvas frozen at its last frame while the accessibility tree goes on changing (a loaded
// clean-clone run once pictured Settings as it was before anything was typed, and its theme switch never
// showed). A machine's load is not the app's defect: the watchdog is off, and restarts are not capped.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync', '--disable-gpu-watchdog',
  '--disable-gpu-process-crash-limit'];

async function launch() {
  step('launch chromium');
  return chromium.launch({
    timeout: TIMEOUT,
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

// Told on stderr beside the steps, so that a failure's log says what the page went through: its errors, a
// crash, and a lost drawing context (which leaves the canvas as it was while the page goes on).
function watched(page) {
  const tell = (what) => process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)}s   page: ${what}\n`);
  page.on('pageerror', (error) => tell(`uncaught ${error.name}: ${error.message}`));
  page.on('crash', () => tell('crashed'));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      tell(`console error: ${message.text().slice(0, 300)} ${message.location()?.url || ''}`.trimEnd());
    }
    else if (message.text().startsWith('the WebGL context')) tell(message.text());
  });
  return page.addInitScript(() => {
    // Flutter may draw on an OffscreenCanvas as well as on a canvas element.
    for (const Canvas of [globalThis.HTMLCanvasElement, globalThis.OffscreenCanvas]) {
      if (!Canvas) continue;
      const getContext = Canvas.prototype.getContext;
      const watching = new WeakSet();
      Canvas.prototype.getContext = function (kind, ...rest) {
        const context = getContext.call(this, kind, ...rest);
        if (context && String(kind).startsWith('webgl') && !watching.has(this)) {
          watching.add(this);
          this.addEventListener('webglcontextlost', () => console.info('the WebGL context was lost'));
          this.addEventListener('webglcontextrestored', () => console.info('the WebGL context was restored'));
        }
        return context;
      };
    }
  });
}

// A phone: a browser context of its own (its own storage, so its own sign-in), 390x844.
async function phone(browser, { colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ ...PHONE, colorScheme,
    permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await watched(page);
  return page;
}

async function open(page, url) {
  step('open the app');
  page.setDefaultTimeout(TIMEOUT);
  if (url) await page.goto(url);
  // Flutter builds its accessibility tree (our only handle on the canvas) once asked to.
  const placeholder = page.locator('flt-semantics-placeholder');
  await placeholder.waitFor({ state: 'attached', timeout: budget(TIMEOUT) });
  await placeholder.dispatchEvent('click');
}

// What an element says to a screen reader (its label, else its text), or null while it is absent; with
// `deep`, the labels of everything inside it too. Read with evaluate: polling through locator actions
// while Flutter rebuilds nodes is not reliable.
function label(page, name, { deep = false } = {}) {
  return bounded(page.evaluate(([selector, deep]) => {
    const node = document.querySelector(selector);
    if (!node) return null;
    if (!deep) return node.getAttribute('aria-label') || node.textContent || '';
    const parts = [node, ...node.querySelectorAll('*')]
      .map((element) => element.getAttribute('aria-label') || (element.children.length ? '' : element.textContent))
      .filter((text) => text && text.trim());
    return [...new Set(parts)].join('\n');
  }, [id(name), deep]), `reading ${name}`);
}

// Where an element is drawn, or null while it is absent.
function box(page, name) {
  return bounded(page.evaluate((selector) => {
    const rect = document.querySelector(selector)?.getBoundingClientRect();
    return rect ? { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom } : null;
  }, id(name)), `measuring ${name}`);
}

async function waitFor(page, name, { timeout = TIMEOUT } = {}) {
  await page.waitForFunction((selector) => document.querySelector(selector) !== null, id(name),
    { timeout: budget(timeout), polling: 100 });
}

// Wait until `name`'s label (with `deep`, and everything inside it) passes `test`; returns the label.
async function waitForLabel(page, name, test, { timeout = TIMEOUT, deep = false } = {}) {
  const until = Date.now() + budget(timeout);
  for (;;) {
    const text = await label(page, name, { deep });
    if (text !== null && test(text)) return text;
    if (Date.now() > until) throw new Error(`${name} never read as expected during ${current}: ${JSON.stringify(text)}`);
    await page.waitForTimeout(100);
  }
}

async function tap(page, name) {
  await waitFor(page, name);
  await page.locator(id(name)).click();
}

// Click a text field, wait until Flutter has connected it to the keyboard, then replace its text. Focus
// alone is not enough: in accessibility mode the browser focuses the field's <textarea> at once, and Flutter
// opens its text input connection a moment later by setting the field's text to what the app holds, which
// wiped text inserted in between (a person cannot type that fast; this driver could, right after a copy or a
// theme switch had taken the focus elsewhere). Flutter configures the element as it connects (among others,
// its `autocorrect` attribute): the attribute is taken off first, and its return is the connection.
async function type(page, name, text) {
  const selector = `${id(name)} textarea, ${id(name)} input`;
  await bounded(page.evaluate((selector) => {
    const field = document.querySelector(selector);
    if (field && document.activeElement !== field) field.removeAttribute('autocorrect'); // else connected
  }, selector), 'reading the field');
  await page.locator(id(name)).click();
  await page.waitForFunction((selector) => {
    const field = document.querySelector(selector);
    return field && document.activeElement === field && field.hasAttribute('autocorrect');
  }, selector, { timeout: budget(TIMEOUT), polling: 50 }).catch(async (error) => {
    const state = await bounded(page.evaluate((selector) => {
      const field = document.querySelector(selector);
      const active = document.activeElement;
      return `field: ${field ? field.outerHTML.replace(/ style="[^"]*"/, '').slice(0, 300) : 'none'}; focus on: `
        + `${active ? active.outerHTML.replace(/ style="[^"]*"/, '').slice(0, 200) : 'nothing'}`;
    }, selector), 'reading the focus', 10_000).catch(() => '?');
    throw new Error(`${name} was never connected to the keyboard (${state}): ${error.message}`);
  });
  await bounded(page.keyboard.press('Control+A'), 'select all');
  await bounded(page.keyboard.insertText(text), 'typing');
  await page.waitForFunction((value) => document.activeElement?.value === value, text,
    { timeout: budget(TIMEOUT), polling: 50 });
}

// Flet's own screen while the app's connection to its server is re-established (on a busy machine, also
// just after a reload): a picture is never taken of it.
const connected = () => ![...document.querySelectorAll('flt-semantics')]
  .some((node) => (node.textContent || '').trim() === 'Working...');

async function shot(page, name) {
  await bounded(page.mouse.move(1, 1), 'moving the mouse away'); // no hover highlight or tooltip in the picture
  await page.waitForTimeout(400); // let animations (ripples, the page transition) finish
  await page.waitForFunction(connected, null, { timeout: budget(TIMEOUT), polling: 100 });
  await keep(page, await page.screenshot(), name);
}

// Where an open dialog is drawn, in CSS pixels, or null when none is open. Flutter's web engine marks the
// dialog's route aria-modal="true" (role "alertdialog"), a node as large as the screen; the first node inside
// it that is smaller is the dialog's own box.
function dialogBox(page) {
  return bounded(page.evaluate(() => {
    const route = document.querySelector('flt-semantics[aria-modal="true"]');
    if (!route) return null;
    const whole = route.getBoundingClientRect();
    for (const node of route.querySelectorAll('flt-semantics')) {
      const rect = node.getBoundingClientRect();
      if (rect.width >= 2 && rect.height >= 2 && (rect.width < whole.width - 1 || rect.height < whole.height - 1)) {
        return { x: rect.left, y: rect.top, width: rect.width, height: rect.height };
      }
    }
    return null;
  }), 'finding a dialog');
}

// Keep `picture` (a PNG of the whole page) in the screenshots as `name`.png: the dialog alone when one is open.
// Behind a dialog the page is dimmed by its scrim on purpose, and a picture of the whole screen showed that
// dimmed text as if it were the app's own (2.65 : 1 in the dark delete-project picture); the contrast check
// still measures the whole screen, scrim and all.
async function keep(page, picture, name) {
  const dialog = await dialogBox(page);
  const kept = dialog === null ? picture : Buffer.from(await bounded(page.evaluate(async ({ png, box, scale }) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${png}`)).blob());
    const [x, y] = [Math.round(box.x * scale), Math.round(box.y * scale)];
    const [width, height] = [Math.round(box.width * scale), Math.round(box.height * scale)];
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    context.beginPath(); // the dialog's rounded corners (Material 3: 28 px), the page behind left out of them
    context.roundRect(0, 0, width, height, 28 * scale);
    context.clip();
    context.drawImage(bitmap, x, y, width, height, 0, 0, width, height);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
  }, { png: picture.toString('base64'), box: dialog, scale: PHONE.deviceScaleFactor }), 'cropping to the dialog'),
  'base64');
  fs.writeFileSync(path.join(SHOTS, `${name}.png`), kept);
}

// The elements that show text or are controls, as the semantics tree places them: what the contrast check
// measures. Disabled controls are left out (WCAG asks nothing of them), and so are boxes off the screen, and
// those a scrolling list cuts at its edge (part of their text shows, and a bar or the composer is drawn past
// that edge: they are judged on a screen where they show whole). What is drawn over an element (a floating
// button over a bubble) is left out of its box, as the elements inside it are.
function textBoxes(page) {
  return bounded(page.evaluate(() => {
    const controls = new Set(['button', 'switch', 'checkbox', 'radio', 'slider', 'tab', 'link', 'menuitem']);
    const own = (node) => node.getAttribute('aria-label')
      || (node.querySelector('flt-semantics') ? '' : (node.textContent || '').trim());
    const field = (node) => node.querySelector(':scope > input, :scope > textarea');
    const shown = (rect) => rect.width >= 2 && rect.height >= 2 && rect.right > 0 && rect.bottom > 0
      && rect.left < innerWidth && rect.top < innerHeight;
    const edges = (rect) => [rect.left, rect.top, Math.min(rect.right, innerWidth), Math.min(rect.bottom, innerHeight)];
    const cut = (node, rect) => {
      for (let up = node.parentElement?.closest('flt-semantics'); up; up = up.parentElement?.closest('flt-semantics')) {
        const style = getComputedStyle(up);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const clip = up.getBoundingClientRect();
        if (rect.top < clip.top - 1 || rect.bottom > clip.bottom + 1 || rect.left < clip.left - 1
          || rect.right > clip.right + 1) return true;
      }
      return false;
    };
    const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const out = [];
    const judged = [];
    for (const node of document.querySelectorAll('flt-semantics')) {
      const name = own(node);
      const input = field(node);
      if (!name && !input) continue;
      // Disabled controls are WCAG's one exception: the node itself, an ancestor, or the control it names.
      if (node.closest('[aria-disabled="true"]') || node.querySelector('[aria-disabled="true"]')
        || (input && input.disabled)) continue;
      // A dialog's own node is named by Flutter ("Alert") but draws no text: its title and body are judged.
      if (['dialog', 'alertdialog'].includes(node.getAttribute('role')) || name === 'Alert') continue;
      const rect = node.getBoundingClientRect();
      if (!shown(rect) || cut(node, rect)) continue;
      const role = node.getAttribute('role') || (input ? 'textbox' : '');
      // The elements inside that are judged on their own: left out of this one's box.
      const holes = [...node.querySelectorAll('flt-semantics')]
        .filter((inner) => own(inner) || field(inner))
        .map((inner) => inner.getBoundingClientRect()).filter(shown).map(edges);
      out.push({
        name: (name || input.getAttribute('aria-label') || input.placeholder || 'a text field').slice(0, 80),
        id: node.getAttribute('flt-semantics-identifier') || '',
        control: controls.has(role) || Boolean(input),
        box: edges(rect),
        holes,
      });
      judged.push({ node, rect });
    }
    // Drawn over: a later element (in paint order) that is neither inside nor around this one.
    for (const [n, { node, rect }] of judged.entries()) {
      for (const later of judged.slice(n + 1)) {
        if (!node.contains(later.node) && !later.node.contains(node) && meets(rect, later.rect)) {
          out[n].holes.push(edges(later.rect));
        }
      }
    }
    return out;
  }), 'reading the text boxes');
}

// A picture of the page once it is drawn and still: the same picture over a span longer than Flutter's
// theme animation (kThemeAnimationDuration, 200 ms: each picture draws a frame at its own time, so one taken
// after the animation has ended shows its end), and (with `unlike`) unlike that earlier picture. Two pictures
// alike taken back to back were not enough: both once caught the dark theme a third of the way in. Nor was
// the span alone on a loaded machine: a renderer starved of CPU draws no frame for longer than that, and two
// pictures of one half-animated frame are alike. So each picture waits for two frames the browser has drawn
// since the last (an animation frame runs Flutter's pending frame too, at the time it runs).
const SETTLED_MS = 300;
function drawn(page) {
  return bounded(page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))),
    'waiting for the browser to draw');
}

async function stillPicture(page, unlike = null) {
  const until = Date.now() + budget(TIMEOUT);
  let last = null;
  let since = 0;
  for (;;) {
    await drawn(page);
    const picture = await page.screenshot();
    const now = Date.now();
    if (last === null || !picture.equals(last)) {
      last = picture;
      since = now;
    } else if (now - since >= SETTLED_MS && (unlike === null || !picture.equals(unlike))) {
      return picture;
    }
    if (now > until) throw new Error(`the page never held still during ${current}`);
  }
}

// How light the page's own background is in a picture, at each of its corners (no control sits in one; a
// dialog's scrim over the background is still its theme's): 0 black, 1 white.
function background(page, picture) {
  return bounded(page.evaluate(async (png) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${png}`)).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const corners = [[1, 1], [bitmap.width - 2, 1], [1, bitmap.height - 2], [bitmap.width - 2, bitmap.height - 2]];
    return corners.map(([x, y]) => {
      const [r, g, b] = context.getImageData(x, y, 1, 1).data;
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    });
  }, picture.toString('base64')), 'reading the background');
}

// A still picture drawn in `scheme`: dark backgrounds are under 0.15, light ones (a scrim's included) over 0.4.
// Pictures alike over SETTLED_MS were still not enough on a loaded machine: a GPU process starved of CPU kept
// showing one frame of the theme's change (text at 1.5 : 1 on a grey between the two backgrounds) while the
// page drew on, so a picture is also taken again until its background is its theme's.
async function pictureIn(page, scheme, unlike) {
  const until = Date.now() + budget(TIMEOUT);
  for (let picture = await stillPicture(page, unlike); ; picture = await stillPicture(page)) {
    const light = await background(page, picture);
    if (scheme === 'dark' ? Math.max(...light) < 0.15 : Math.min(...light) > 0.4) return picture;
    if (Date.now() > until) throw new Error(`the page never showed its ${scheme} theme during ${current}: ${light}`);
  }
}

// The contrast check's material for one screen, in both themes: for each, a picture of the page drawn in it
// and the text boxes on it (pytest measures the pixels: tests/mobile/contrast.py). The theme follows the
// browser's colour scheme (the app's theme setting is System), which is put back as it was.
async function contrast(page, screen) {
  step(`contrast: ${screen}`);
  if (!CONTRAST) return [];
  fs.mkdirSync(CONTRAST, { recursive: true });
  await bounded(page.mouse.move(1, 1), 'moving the mouse away');
  // A blinking caret would keep the page from ever holding still: the text field lets the keyboard go.
  await bounded(page.evaluate(() => document.activeElement?.blur()), 'leaving the text field');
  // A notice (the snack bar: "Copied to the clipboard.") shows for seconds and then fades, and on a busy
  // machine a frame of the fade can hold still long enough to be measured: the screen is measured without it.
  await page.waitForFunction((selector) => document.querySelector(selector) === null, id('notice'),
    { timeout: budget(TIMEOUT), polling: 100 });
  const was = await bounded(page.evaluate(() => (matchMedia('(prefers-color-scheme: dark)').matches
    ? 'dark' : 'light')), 'reading the colour scheme');
  const seen = [];
  let picture = await pictureIn(page, was, null);
  for (const scheme of [was, was === 'dark' ? 'light' : 'dark']) {
    if (scheme !== was) {
      await bounded(page.emulateMedia({ colorScheme: scheme }), 'switching the colour scheme');
      picture = await pictureIn(page, scheme, picture);
    }
    const file = path.join(CONTRAST, `${screen}-${scheme}.png`);
    fs.writeFileSync(file, picture);
    seen.push({ screen, scheme, file, boxes: await textBoxes(page) });
  }
  await bounded(page.emulateMedia({ colorScheme: was }), 'putting the colour scheme back');
  await pictureIn(page, was, picture);
  return seen;
}

// The app bar's back arrow.
async function back(page) {
  await page.locator('flt-semantics[role="button"]', { hasText: /^Back$/ }).first().click();
}

// What the clipboard holds once something is copied into it: the app copies on a round trip through its
// server, so the clipboard is read until it holds text.
async function copied(page) {
  const until = Date.now() + budget(TIMEOUT);
  for (;;) {
    const text = await bounded(page.evaluate(() => navigator.clipboard.readText()), 'reading the clipboard');
    if (text || Date.now() > until) return text;
    await page.waitForTimeout(100);
  }
}

async function enabled(page, name) {
  await page.waitForFunction((selector) => {
    const node = document.querySelector(selector);
    return node && !node.querySelector('[aria-disabled="true"]') && node.getAttribute('aria-disabled') !== 'true';
  }, id(name), { timeout: budget(TIMEOUT), polling: 50 });
}

async function signIn(page, server, token, { screenshot } = {}) {
  await waitFor(page, 'signin-address');
  step('sign in');
  if (screenshot) await shot(page, screenshot);
  await type(page, 'signin-address', server);
  await type(page, 'signin-token', token);
  // The address is read back from the app's own field, as the app will use it.
  await page.locator(id('signin-address')).click();
  await page.waitForFunction((server) => document.activeElement?.value === server, server,
    { timeout: budget(TIMEOUT), polling: 50 });
  await page.locator(id('signin-submit')).click();
  await waitFor(page, 'new-chat'); // the conversation list
}

// Send `text` from the open conversation and follow its answer (bubble `message-{index}`) until it
// completes, or until `stopWhen(answer, status)` holds: the lengths it grew through, the statuses under it,
// whether a stop button showed.
async function ask(page, text, index, options = {}) {
  step(`ask: ${text}`);
  await type(page, 'composer', text);
  await enabled(page, 'send'); // the app has the text
  await bounded(page.keyboard.press('Enter'), 'pressing Enter');
  await waitFor(page, `message-${index}`);
  return follow(page, index, options);
}

// Tell the stack's local endpoint (ENDPOINT_URL) to pause, resume, sleep or wake (memchat_local/flow.py and
// capacity.py): its state after, as JSON.
async function endpoint(action) {
  const response = await bounded(fetch(`${env('ENDPOINT_URL')}/local/${action}`, { method: 'POST' }),
    `POST /local/${action}`);
  if (!response.ok) throw new Error(`POST /local/${action}: ${response.status}`);
  return response.json();
}

// Ask, and see the answer being written: the endpoint holds it after its first word until the page says
// "Writing", then lets it go on to its end. A short answer on a fast machine is otherwise written within one
// of the page's redraws, and whether "Writing" ever shows is a race. What `ask` returns, with the pause's
// state (`held`) and the resume's (`released`, how many streams it let go).
async function askWatched(page, text, index) {
  const held = await endpoint('pause?after=1');
  let writing;
  let released;
  try {
    writing = await ask(page, text, index, { stopWhen: (_, status) => status.includes('Writing') });
  } finally {
    released = await endpoint('resume'); // never leave the next answer held, whatever failed
  }
  const rest = await follow(page, index);
  return {
    ...rest, held, released,
    lengths: [...writing.lengths, ...rest.lengths], statuses: [...writing.statuses, ...rest.statuses],
    stop: writing.stop || rest.stop,
  };
}

// Follow answer `index` until it completes (or `stopWhen` holds): the lengths it grew through, the statuses,
// whether Stop showed.
async function follow(page, index, { stopWhen } = {}) {
  const seen = { lengths: [], statuses: [], stop: false };
  const until = Date.now() + budget(ANSWER_TIMEOUT);
  for (;;) {
    const answer = (await label(page, `message-${index}`)) || '';
    const status = (await label(page, `message-status-${index}`)) || '';
    if (seen.lengths.at(-1) !== answer.length) seen.lengths.push(answer.length);
    if (seen.statuses.at(-1) !== status) seen.statuses.push(status);
    if ((await label(page, 'stop')) !== null) seen.stop = true;
    if (stopWhen && stopWhen(answer, status)) return seen;
    if ((await label(page, 'send')) !== null && !status.includes('Writing') && !answer.includes('Thinking')
        && !answer.includes('Waking the assistant')
        && !answer.endsWith('pending')) break;
    if (Date.now() > until) throw new Error(`the answer did not complete during ${current}: ${JSON.stringify(seen)}`);
    await page.waitForTimeout(100);
  }
  seen.question = await label(page, `message-${index - 1}`);
  seen.answer = await label(page, `message-${index}`);
  return seen;
}

// What each open page shows, on stderr, with a picture of it (failure-N.png): a failed step's report.
async function report(browser) {
  for (const [n, open] of browser.contexts().flatMap((context) => context.pages()).entries()) {
    const shown = await bounded(open.evaluate(() => [...document.querySelectorAll('[flt-semantics-identifier]')]
      .map((node) => {
        const name = node.getAttribute('flt-semantics-identifier');
        // The bubbles' words, and the states a reader needs to tell a stuck page from a disconnected one.
        return /^(message-\d+|message-status-\d+|connection-status|instructions-status)$/.test(name)
          ? `${name}: ${JSON.stringify(node.getAttribute('aria-label'))}` : name;
      }).join(' ')), 'listing', 10_000).catch(() => '?');
    process.stderr.write(`page ${n} (${open.url()}): ${shown}\n`);
    if (SHOTS) {
      await open.screenshot({ path: path.join(SHOTS, `failure-${n}.png`), timeout: 10_000 }).catch(() => {});
    }
  }
}

// Run a scenario: `body(browser, seen)` fills `seen`, printed as one JSON line for pytest's assertions. On a
// failure, what each open page showed. The step watchdog ends the scenario when a step overstays, whatever
// it waits on: a call that never settled once held a scenario in CI for 25 minutes without a word.
function run(body) {
  let browser = null;
  overstay = async () => {
    process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)}s the step overstayed `
      + `(${STEP_LIMIT / 1000} s, or the scenario's ${SCENARIO_SECONDS} s): ${current}\n`);
    if (browser) await bounded(report(browser), 'reporting', 30_000).catch(() => {});
    process.exit(1);
  };
  (async () => {
    browser = await launch();
    const seen = {};
    try {
      await body(browser, seen);
    } catch (error) {
      await report(browser);
      throw error;
    } finally {
      current = 'close chromium';
      process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)}s close chromium\n`);
      await bounded(browser.close(), 'closing chromium', 20_000).catch((error) => process.stderr.write(`${error}\n`));
    }
    clearTimeout(watchdog);
    process.stdout.write(JSON.stringify(seen) + '\n');
  })().catch((error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(1);
  });
}

// For the background memory work (queued on the embedded model, behind the answers it yields to) to keep a
// fact. (What the rules read is learnt as the answer ends; the model's part, and a retry of a failed floor, later.)
const MEMORY_TIMEOUT = 420_000;

// The Memory screen's rows of one kind as their labels read, in order: `memory` (what memchat remembers,
// newest first) or `past-memory` (the facts told as over, most recently ended first).
async function memories(page, kind = 'memory') {
  return bounded(page.evaluate((kind) => [...document.querySelectorAll(`[flt-semantics-identifier^="${kind}-"]`)]
    .filter((node) => new RegExp(`^${kind}-\\d+$`).test(node.getAttribute('flt-semantics-identifier')))
    .map((node) => [node, ...node.querySelectorAll('*')]
      .map((element) => element.getAttribute('aria-label') || (element.children.length ? '' : element.textContent))
      .filter((text) => text && text.trim()).join('\n')), kind), 'reading the memories');
}

// Open the Memory screen from the conversation list and wait (bounded) until a row of `kind` mentions `text`,
// tapping refresh every couple of seconds: the fact is kept in the background, after the answer.
async function findMemory(page, text, kind = 'memory') {
  step(`wait for the memory: ${text}`);
  await tap(page, 'memory-button');
  await waitFor(page, 'memory-switch');
  const until = Date.now() + budget(MEMORY_TIMEOUT);
  for (;;) {
    const rows = await memories(page, kind);
    const index = rows.findIndex((row) => row.includes(text));
    if (index >= 0) return { index, rows };
    if (Date.now() > until) throw new Error(`no memory mentions ${text} after ${MEMORY_TIMEOUT} ms: ${rows}`);
    await page.waitForTimeout(2000);
    await page.locator(id('refresh-memories')).click();
  }
}

module.exports = {
  env, id, TIMEOUT, ANSWER_TIMEOUT, step, budget, bounded, phone, open, label, box, waitFor, waitForLabel, tap,
  type, shot, keep, back, copied, enabled, signIn, ask, askWatched, endpoint, follow, run, contrast, textBoxes, memories,
  findMemory, MEMORY_TIMEOUT,
};
