// speedscope.js - a NETPOLLTRACE=json:FILE timeline in speedscope, offline:
// its static build (pinned by tests/npm/package-lock.json, under build/npm)
// opened in Debian's Chromium, driven by the puppeteer Mermaid's CLI brings,
// the file given to its "Browse" button, and a screenshot taken.
//
//   node src/tools/speedscope.js TRACE.json OUT.png
//
// Prints the page's title and the first track's name ("Ms (threads) (pid 1),
// M0 (tid 0) (1/15)": 15 tracks), or fails.  To look around yourself, open
// build/npm/node_modules/speedscope/dist/release/index.html and browse to
// the file.
const path = require('path');

const root = path.join(__dirname, '..', '..');
const npm = path.join(root, 'build', 'npm', 'node_modules');
const puppeteer = require(path.join(npm, 'puppeteer'));

async function main(trace, png) {
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    // No sandbox: CI runs as root.  No network: the viewer is all local.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
           '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({width: 1400, height: 800});
    await page.goto('file://' + path.join(npm, 'speedscope', 'dist', 'release', 'index.html'));
    const input = await page.waitForSelector('input[type=file]');
    await input.uploadFile(path.resolve(trace));
    // Loaded: the welcome text gives way to the first track's flame chart.
    await page.waitForFunction(() => /\(\d+\/\d+\)/.test(document.body.innerText), {timeout: 30000});
    const heading = await page.evaluate(() => document.body.innerText.match(/[^\n]*\(\d+\/\d+\)/)[0]);
    await page.screenshot({path: png});
    console.log('speedscope: ' + (await page.title()) + ': ' + heading);
    console.log('speedscope: screenshot ' + png);
  } finally {
    await browser.close();
  }
}

if (process.argv.length !== 4) {
  console.error('usage: node src/tools/speedscope.js TRACE.json OUT.png');
  process.exit(2);
}
main(process.argv[2], process.argv[3]).catch((e) => {
  console.error('speedscope: ' + e.message);
  process.exit(1);
});
