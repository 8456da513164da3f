// Opens the test page in Debian's Chromium (never a downloaded browser) once per source URL, all at once, and samples
// each <video> every 500 ms until its currentTime passes the wanted seconds or the time limit ends. Prints one JSON
// line per sample ({"source", ...sample}) and a final {"done": true}; the Java test makes the assertions.
// Usage: node play.js <chromium> <user-data-dir> <page-url> <seconds> <time-limit-seconds> <source-url>...
'use strict';
const path = require('path');
const { chromium } = require(path.join(process.env.WEB_TEST_MODULES, 'playwright-core'));

const [executablePath, userDataDir, pageUrl, secondsArg, limitArg, ...sources] = process.argv.slice(2);
const wantedSeconds = Number(secondsArg);
const limitMs = Number(limitArg) * 1000;

function emit(object) {
  process.stdout.write(JSON.stringify(object) + '\n');
}

async function watch(context, source) {
  const page = await context.newPage();
  page.on('console', message => emit({ source, console: message.type() + ': ' + message.text() }));
  page.on('pageerror', error => emit({ source, pageError: String(error) }));
  await page.goto(pageUrl + '?src=' + encodeURIComponent(source));
  emit({ source, capabilities: await page.evaluate(() => ({ mse: window.playback.mse, h264: window.playback.h264 })) });
  const deadline = Date.now() + limitMs;
  for (;;) {
    const sample = await page.evaluate(() => window.playback.sample());
    emit({ source, ...sample });
    if (sample.currentTime >= wantedSeconds || Date.now() > deadline) {
      break;
    }
    await page.waitForTimeout(500);
  }
  await page.close();
}

(async () => {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    await Promise.all(sources.map(source => watch(context, source)));
  } finally {
    await context.close();
  }
  emit({ done: true });
})().catch(error => {
  emit({ fatal: String(error && error.stack || error) });
  process.exit(1);
});
