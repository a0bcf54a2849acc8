// The browser half of tests/mobile/render_cost.py: sign in to the fake server, ask one question, and report
// (POST SHOWN_URL) the moment the bubble shows the whole streamed answer, complete.

const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

const env = (name) => {
  if (process.env[name] === undefined) throw new Error(`${name} is not set`);
  return process.env[name];
};
const APP_URL = env('APP_URL');
const ANSWER_CHARS = Number(env('ANSWER_CHARS'));
const TIMEOUT = 60_000;
const id = (name) => `[flt-semantics-identifier="${name}"]`;

async function label(page, name) {
  return page.evaluate((selector) => {
    const node = document.querySelector(selector);
    return node ? node.getAttribute('aria-label') || node.textContent || '' : null;
  }, id(name));
}

async function type(page, name, text) {
  await page.locator(id(name)).click();
  await page.waitForFunction(() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName), null,
    { timeout: TIMEOUT, polling: 50 });
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  await page.waitForFunction((value) => document.activeElement?.value === value, text,
    { timeout: TIMEOUT, polling: 50 });
}

async function main() {
  const browser = await chromium.launch({
    timeout: TIMEOUT, executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-quic', '--no-first-run', '--disable-sync'],
  });
  const seen = { lengths: [] };
  let page;
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(APP_URL);
    const placeholder = page.locator('flt-semantics-placeholder');
    await placeholder.waitFor({ state: 'attached', timeout: TIMEOUT });
    await placeholder.dispatchEvent('click');
    await page.waitForSelector(id('signin-address'), { state: 'attached' });
    await type(page, 'signin-address', env('MEMCHAT_SERVER'));
    await type(page, 'signin-token', env('MEMCHAT_TOKEN'));
    await page.locator(id('signin-submit')).click();
    await page.waitForSelector(id('new-chat'), { state: 'attached' });
    await page.locator(id('new-chat')).click();
    await page.waitForSelector(id('composer'), { state: 'attached' });
    await type(page, 'composer', env('QUESTION'));
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 300_000;
    for (;;) {
      const answer = (await label(page, 'message-1')) || '';
      if (seen.lengths.at(-1) !== answer.length) seen.lengths.push(answer.length);
      // Markdown's markup is not read out, so the label is a little shorter than the text.
      if (answer.endsWith('complete') && answer.length > ANSWER_CHARS * 0.8) break;
      if (Date.now() > deadline) throw new Error(`the answer was not shown: ${JSON.stringify(seen)}`);
      await page.waitForTimeout(50);
    }
    await fetch(env('SHOWN_URL'), { method: 'POST' });
    // The same polling for as long again with nothing streaming: the cost of watching, to subtract.
    const idleUntil = Date.now() + Number(env('IDLE_MS'));
    while (Date.now() < idleUntil) {
      await label(page, 'message-1');
      await page.waitForTimeout(50);
    }
    await fetch(env('SHOWN_URL').replace('/shown', '/idle'), { method: 'POST' });
    seen.updates = seen.lengths.length;
    seen.lengths = seen.lengths.slice(-3);
    if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT });
  } catch (error) {
    if (page && process.env.FAILURE_SHOT) {
      await page.screenshot({ path: process.env.FAILURE_SHOT, timeout: 10_000 }).catch(() => {});
      const ids = await page.evaluate(() => [...document.querySelectorAll('[flt-semantics-identifier]')]
        .map((node) => node.getAttribute('flt-semantics-identifier'))).catch(() => []);
      process.stderr.write(`identifiers on the page: ${ids.join(' ')}\n`);
    }
    throw error;
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(seen) + '\n');
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
