// The browser half of tests/mobile/render_cost.py: sign in to the fake server, ask one question, and report
// (POST SHOWN_URL) the moment the bubble shows the whole streamed answer, complete.

const { env, phone, open, label, tap, waitFor, type, signIn, run } = require('./page.cjs');

const ANSWER_CHARS = Number(env('ANSWER_CHARS'));

run(async (browser, seen) => {
  seen.lengths = [];
  const page = await phone(browser);
  await open(page, env('APP_URL'));
  await signIn(page, env('MEMCHAT_SERVER'), env('MEMCHAT_TOKEN'));
  await tap(page, 'new-chat');
  await waitFor(page, 'composer');
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
});
