// Drives the Tarifa web page in Debian's headless Chromium against a running gateway and checks it against the API.
//
//   node tools/browser/page-check.mjs <baseUrl> <outDir>
//
// Each tab is searched through the page, with its filters, and the products shown are compared with the API's answer
// for the same request (the page's own request URL, fetched again from here). Error and degraded states are forced:
// a bad parameter (a real 400, shown next to its field), a real empty answer, a trip with empty legs, a 429 captured
// from the gateway's real rate limiter, a degraded answer (the real answer served with X-Degraded) and a 503 problem.
// axe-core runs on every state (no serious or critical violation), a keyboard-only search runs end to end, every tab
// is checked at 375 px, and screenshots of each tab at desktop and phone width are written to outDir.
// Exits 1 listing every failed check. Never downloads a browser: /usr/bin/chromium only.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const [baseUrl, outDir] = process.argv.slice(2);
if (!baseUrl || !outDir) {
  console.error('usage: node page-check.mjs <baseUrl> <outDir>');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const AXE = readFileSync(join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };
const TIMEOUT = 20_000;
mkdirSync(outDir, { recursive: true });

const failures = [];
const passed = [];

async function check(name, fn) {
  try {
    await fn();
    passed.push(name);
    console.log('ok   ' + name);
  } catch (e) {
    failures.push(name + ': ' + (e && e.message ? e.message : String(e)));
    console.log('FAIL ' + name + ': ' + (e && e.stack ? e.stack : e));
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function eq(actual, expected, message) {
  const a = JSON.stringify(actual), b = JSON.stringify(expected);
  if (a !== b) throw new Error(message + ': expected ' + b + ' but was ' + a);
}

function isoDaysAhead(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = n => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
}

async function api(path) {
  const res = await fetch(new URL(path, baseUrl));
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch (e) { body = text; }
  return { status: res.status, headers: res.headers, body };
}

const profile = mkdtempSync(join(tmpdir(), 'tarifa-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: DESKTOP,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
context.setDefaultTimeout(TIMEOUT);

/** A fresh page on the site; console errors and page errors (a CSP violation is one) fail the run. */
async function openPage(viewport, hash) {
  const page = await context.newPage();
  await page.setViewportSize(viewport || DESKTOP);
  page.problems = [];
  page.on('console', m => { if (m.type() === 'error') page.problems.push('console: ' + m.text()); });
  page.on('pageerror', e => page.problems.push('page error: ' + e.message));
  const res = await page.goto(new URL('/' + (hash || ''), baseUrl).href);
  page.mainResponse = res;
  await page.waitForLoadState('load');
  return page;
}

/** Console errors are expected for forced error answers (the browser logs failed fetches); anything else fails. */
function noConsoleProblems(page, allowStatuses) {
  const unexpected = page.problems.filter(p => !(allowStatuses || []).some(s => p.includes('status of ' + s)));
  eq(unexpected, [], 'console errors');
}

async function selectTab(page, kind) {
  await page.click('#tab-' + kind);
  await page.waitForSelector('#panel-' + kind + ':not([hidden])');
}

/** Submits the tab's form and waits for the page to render the answer; the API response the page got. */
async function submit(page, kind) {
  const [response] = await Promise.all([
    page.waitForResponse(r => new URL(r.url()).pathname === '/api/v1/' + kind + '/search'),
    page.click('#form-' + kind + ' button[type="submit"]'),
  ]);
  await page.waitForFunction(() => {
    const list = document.getElementById('result-list');
    const s = document.getElementById('status').textContent;
    return !list.hasAttribute('aria-busy') && s && s !== 'Searching…';
  });
  return response;
}

/** axe-core on the page as it is; fails on serious or critical violations. */
async function axe(page, label) {
  // evaluate (DevTools protocol) is not subject to the page's CSP, which rightly forbids injected scripts
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) }));
  });
  const bad = result.filter(v => v.impact === 'serious' || v.impact === 'critical');
  if (result.length) console.log('     axe (' + label + '): ' + JSON.stringify(result));
  eq(bad, [], 'axe serious/critical violations (' + label + ')');
}

async function noHorizontalScroll(page, label) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert(scrollWidth <= innerWidth, label + ': the page scrolls sideways at ' + innerWidth + ' px (content ' + scrollWidth + ' px wide)');
}

async function screenshot(page, name) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const size = page.viewportSize();
  await page.screenshot({ path: join(outDir, name + '.png'), clip: { x: 0, y: 0, width: size.width, height: Math.min(height, 2200) }, fullPage: true });
}

/** The products the page shows: id, cheapest amount, offer amounts in order, the marked cheapest offer. */
async function shownProducts(page) {
  return page.$$eval('#result-list article[data-product]', cards => cards.map(c => ({
    id: c.getAttribute('data-product'),
    cheapest: Number(c.getAttribute('data-cheapest')),
    offers: Array.from(c.querySelectorAll('li.offer')).map(li => Number(li.getAttribute('data-amount'))),
    marked: Array.from(c.querySelectorAll('li.offer')).map(li => li.classList.contains('cheapest')),
    badge: (c.querySelector('li.offer.cheapest .badge') || {}).textContent || null,
    spread: (c.querySelector('.spread') || {}).textContent || null,
  })));
}

/** Compares what the page shows with the API's answer to the same request. */
async function compareProducts(page, response, label) {
  const again = await api(response.url());
  eq(again.status, 200, label + ': API status');
  const expected = again.body.results;
  assert(expected.length > 0, label + ': the API found nothing for this query; pick another');
  const shown = await shownProducts(page);
  eq(shown.map(p => p.id), expected.map(r => r.id), label + ': products shown');
  eq(shown.map(p => p.cheapest), expected.map(r => r.cheapest.price.amount), label + ': cheapest prices shown');
  shown.forEach((p, i) => {
    const offers = expected[i].offers.map(o => o.price.amount);
    eq(p.offers, [...offers].sort((a, b) => a - b), label + ': offers of ' + p.id + ' cheapest first');
    eq(p.offers.length, offers.length, label + ': every provider of ' + p.id);
    assert(p.marked[0] === true && p.badge === 'Cheapest', label + ': the cheapest offer of ' + p.id + ' is marked');
    assert(p.spread, label + ': the spread of ' + p.id + ' is shown');
    if (expected[i].spread.amount > 0) assert(/Save up to/.test(p.spread), label + ': spread of ' + p.id + ' says the saving');
  });
  const status = await page.textContent('#status');
  assert(status.includes(String(again.body.total)), label + ': status names the ' + again.body.total + ' results: ' + status);
  return again.body;
}

async function fillAirport(page, selector, code) {
  await page.fill(selector, code);
}

const D20 = isoDaysAhead(20), D24 = isoDaysAhead(24), D15 = isoDaysAhead(15);

// ---------------------------------------------------------------------------------------------------------------
let page = await openPage(DESKTOP);

await check('the page is served with the page CSP and loads without console errors', async () => {
  const csp = page.mainResponse.headers()['content-security-policy'] || '';
  assert(/script-src 'self'/.test(csp) && /default-src 'self'/.test(csp), 'page CSP: ' + csp);
  assert(page.mainResponse.headers()['x-content-type-options'] === 'nosniff', 'nosniff');
  eq(await page.title(), 'Tarifa: compare travel prices', 'title');
  noConsoleProblems(page);
});

await check('airport autocomplete suggests from the airports API', async () => {
  await page.click('#flights-from');
  await page.keyboard.type('Frank');
  await page.waitForSelector('#airports-flights-from option[value="FRA"]', { state: 'attached' });
  const api1 = await api('/api/v1/airports?q=frank');
  const shown = await page.$$eval('#airports-flights-from option', os => os.map(o => o.value));
  eq(shown, api1.body.results.map(a => a.iata), 'suggestions');
});

await check('flights: nonstop business results match the API, every offer cheapest first', async () => {
  await fillAirport(page, '#flights-from', 'FRA');
  await fillAirport(page, '#flights-to', 'JFK');
  await page.fill('#flights-date', D20);
  await page.fill('#flights-adults', '2');
  await page.selectOption('#flights-cabin', 'business');
  await page.selectOption('#flights-stops', '0');
  const res = await submit(page, 'flights');
  const q = new URL(res.url()).searchParams;
  eq([q.get('from'), q.get('to'), q.get('date'), q.get('adults'), q.get('cabin'), q.get('maxStops')],
    ['FRA', 'JFK', D20, '2', 'business', '0'], 'request');
  const body = await compareProducts(page, res, 'flights');
  assert(body.results.every(r => r.stops === 0), 'nonstop only');
  await axe(page, 'flights results');
  await screenshot(page, 'flights-desktop');
  noConsoleProblems(page);
});

await check('flights: sorted by departure as the API sorts', async () => {
  await page.selectOption('#flights-sort', 'departure');
  const res = await submit(page, 'flights');
  eq(new URL(res.url()).searchParams.get('sort'), 'departure', 'sort sent');
  await compareProducts(page, res, 'flights by departure');
  await page.selectOption('#flights-sort', 'price');
});

await check('hotels: 3-star and up near an airport match the API', async () => {
  await selectTab(page, 'hotels');
  await fillAirport(page, '#hotels-near', 'JFK');
  await page.fill('#hotels-checkin', D20);
  await page.fill('#hotels-checkout', D24);
  await page.fill('#hotels-guests', '2');
  await page.selectOption('#hotels-stars', '3');
  const res = await submit(page, 'hotels');
  eq(new URL(res.url()).searchParams.get('minStars'), '3', 'stars filter sent');
  const body = await compareProducts(page, res, 'hotels');
  assert(body.results.every(r => r.hotel.stars >= 3), '3 stars and up');
  await axe(page, 'hotels results');
  await screenshot(page, 'hotels-desktop');
});

await check('hotels: an empty answer is said plainly', async () => {
  await page.fill('#hotels-guests', '9');
  await page.fill('#hotels-rooms', '1');
  await page.selectOption('#hotels-stars', '5');
  const res = await submit(page, 'hotels');
  const again = await api(res.url());
  eq(again.body.results, [], 'the API finds nothing either');
  const text = await page.textContent('#result-list');
  assert(/Nothing found/.test(text), 'empty message: ' + text);
  eq(await page.textContent('#status'), 'No offers found for this search.', 'status');
  await page.fill('#hotels-guests', '2');
  await page.selectOption('#hotels-stars', '1');
});

await check('cars: an economy class at an airport matches the API', async () => {
  await selectTab(page, 'cars');
  await fillAirport(page, '#cars-location', 'JFK');
  await page.fill('#cars-pickup-date', D20);
  await page.fill('#cars-dropoff-date', D24);
  await page.selectOption('#cars-class', 'ECMR');
  const res = await submit(page, 'cars');
  eq(new URL(res.url()).searchParams.get('carClass'), 'ECMR', 'class filter sent');
  const body = await compareProducts(page, res, 'cars');
  assert(body.results.every(r => r.carClass.code === 'ECMR'), 'economy only');
  await page.selectOption('#cars-class', '');
  const all = await submit(page, 'cars');
  await compareProducts(page, all, 'cars, any class');
  await axe(page, 'cars results');
  await screenshot(page, 'cars-desktop');
});

async function shownBundles(page) {
  return page.$$eval('#result-list article[data-total]', cards => cards.map(c => ({
    total: Number(c.getAttribute('data-total')),
    parts: Array.from(c.querySelectorAll('.bundle-part h4')).map(h => h.textContent),
    spread: (c.querySelector('.bundle-spread') || {}).textContent || '',
  })));
}

await check('trips: a round trip shows the API\'s bundles, there and back, hotel and car, with the spread', async () => {
  await selectTab(page, 'trips');
  await fillAirport(page, '#trips-from', 'FRA');
  await fillAirport(page, '#trips-to', 'JFK');
  await page.fill('#trips-depart', D20);
  await page.fill('#trips-return', D24);
  await page.fill('#trips-adults', '2');
  const res = await submit(page, 'trips');
  const q = new URL(res.url()).searchParams;
  eq([q.get('return'), q.get('nights'), q.get('adults'), q.get('rooms')], [D24, null, '2', '1'], 'request');
  const again = await api(res.url());
  eq(again.status, 200, 'API status');
  const shown = await shownBundles(page);
  eq(shown.map(b => b.total), again.body.bundles.map(b => b.total.amount), 'bundle totals');
  assert(shown.length > 0, 'bundles shown');
  eq(shown[0].parts, ['Outbound flight', 'Return flight', 'Hotel', 'Car'], 'parts of the cheapest bundle');
  if (again.body.bundles[0].spread.amount > 0) assert(/most expensive providers/.test(shown[0].spread), 'spread shown: ' + shown[0].spread);
  await axe(page, 'trip results');
  await screenshot(page, 'trips-desktop');
});

await check('trips: one way with nights matches the API', async () => {
  await page.check('input[name="tripType"][value="oneway"]');
  await page.waitForSelector('#trips-return', { state: 'hidden' });
  await page.fill('#trips-nights', '3');
  const res = await submit(page, 'trips');
  const q = new URL(res.url()).searchParams;
  eq([q.get('return'), q.get('nights')], [null, '3'], 'request');
  const again = await api(res.url());
  eq(again.body.query.type, 'one-way', 'API trip type');
  const shown = await shownBundles(page);
  eq(shown.map(b => b.total), again.body.bundles.map(b => b.total.amount), 'bundle totals');
  eq(shown[0].parts, ['Outbound flight', 'Hotel', 'Car'], 'parts');
  await page.check('input[name="tripType"][value="round"]');
});

await check('trips: legs with nothing there are said plainly and the trip is not called degraded', async () => {
  await fillAirport(page, '#trips-to', 'PHL');
  const res = await submit(page, 'trips');
  const again = await api(res.url());
  eq([again.body.legs.hotel.count, again.body.legs.car.count, again.body.degraded], [0, 0, false], 'the API: empty legs');
  const text = await page.textContent('#result-list');
  assert(text.includes('No hotel found near PHL') && text.includes('No rental car found at PHL'), 'empty legs said: ' + text);
  assert(await page.isHidden('#degraded'), 'not labelled degraded');
  await fillAirport(page, '#trips-to', 'JFK');
});

await check('a 400 is shown next to the field its parameter names, and the focus moves there', async () => {
  await page.fill('#trips-depart', D20);
  await page.fill('#trips-return', D15);
  const res = await submit(page, 'trips');
  eq(res.status(), 400, 'status');
  const problem = await res.json();
  eq(problem.parameter, 'return', 'the problem names return');
  await page.waitForSelector('#trips-return-error', { state: 'visible' });
  const note = await page.textContent('#trips-return-error');
  assert(note.includes('Return') && note.includes('must be after depart'), 'field message: ' + note);
  eq(await page.getAttribute('#trips-return', 'aria-invalid'), 'true', 'aria-invalid');
  assert((await page.getAttribute('#trips-return', 'aria-describedby')).includes('trips-return-error'), 'described by the message');
  eq(await page.evaluate(() => document.activeElement.id), 'trips-return', 'focus');
  assert((await page.textContent('#error')).includes('Please check your search'), 'summary');
  await axe(page, '400 shown');
  await screenshot(page, 'trips-error-400-desktop');
  await page.fill('#trips-return', D24);
  assert(await page.isHidden('#trips-return-error'), 'the message goes once the field changes');
  noConsoleProblems(page, [400]);
});

await check('a degraded answer (stale after an origin failure) is labelled', async () => {
  await selectTab(page, 'flights');
  await page.route('**/api/v1/flights/search?**', async route => {
    const real = await route.fetch();
    await route.fulfill({ response: real, headers: { ...real.headers(), 'x-degraded': 'true', 'x-cache': 'STALE' } });
  });
  await submit(page, 'flights');
  await page.unroute('**/api/v1/flights/search?**');
  assert(await page.isVisible('#degraded'), 'label shown');
  assert((await page.textContent('#degraded')).includes('Out-of-date prices'), 'label text');
  assert((await page.$$('#result-list article[data-product]')).length > 0, 'results still shown');
  await axe(page, 'degraded');
});

await check('a degraded trip names the leg that failed', async () => {
  await selectTab(page, 'trips');
  await page.route('**/api/v1/trips/search?**', async route => {
    const real = await route.fetch();
    const body = await real.json();
    // the real answer with its hotel leg failed, as the gateway writes it (TripSearchTest checks that shape)
    body.degraded = true;
    body.failedLegs = ['hotel'];
    body.legs.hotel = { failed: true, count: 0, cache: null, degraded: true };
    body.bundles.forEach(b => {
      b.total.amount -= b.prices.hotel.amount;
      delete b.prices.hotel;
      delete b.hotel;
      b.missing = ['hotel'];
    });
    await route.fulfill({ response: real, json: body, headers: { ...real.headers(), 'x-degraded': 'true' } });
  });
  await submit(page, 'trips');
  await page.unroute('**/api/v1/trips/search?**');
  const label = await page.textContent('#degraded');
  assert(label.includes('could not be searched') && label.includes('hotel'), 'label: ' + label);
  assert((await page.textContent('#result-list')).includes('Not included: hotel'), 'bundles say what is missing');
});

await check('a real 429 from the rate limiter is explained in plain words', async () => {
  // exhaust this client's bucket on the cheapest route, keeping the first 429 the gateway writes
  let limited = null;
  for (let round = 0; round < 30 && !limited; round++) {
    const answers = await Promise.all(Array.from({ length: 100 }, () => fetch(new URL('/api/v1/airports?q=fr', baseUrl))));
    for (const r of answers) {
      if (r.status === 429 && !limited) limited = { headers: Object.fromEntries(r.headers), body: await r.text() };
      else await r.arrayBuffer();
    }
  }
  assert(limited, 'the gateway never answered 429');
  const retryAfter = limited.headers['retry-after'];
  assert(retryAfter, 'Retry-After on the 429');
  await selectTab(page, 'flights');
  await page.route('**/api/v1/flights/search?**', route => route.fulfill({ status: 429, headers: limited.headers, body: limited.body }));
  await submit(page, 'flights');
  await page.unroute('**/api/v1/flights/search?**');
  const text = await page.textContent('#error');
  assert(text.includes('Too many searches') && text.includes('Please wait ' + retryAfter), '429 message: ' + text);
  // the bucket refills: wait (bounded) until the gateway answers again
  const deadline = Date.now() + 30_000;
  while ((await fetch(new URL('/api/v1/airports?q=fr', baseUrl))).status === 429) {
    assert(Date.now() < deadline, 'still limited after 30 s');
    await new Promise(r => setTimeout(r, 200));
  }
});

await check('a 503 problem is explained in plain words', async () => {
  // the problem the gateway writes when a service cannot be reached (captured from a gateway whose flights
  // service was down; an all-in-one cannot stop one of its services)
  const problem = { type: 'https://tarifa.dev/problems/service-unavailable', title: 'Service Unavailable', status: 503,
    detail: 'flights is unavailable', instance: '/api/v1/flights/search', requestId: '70ca50541786495a' };
  await page.route('**/api/v1/flights/search?**', route => route.fulfill({ status: 503,
    headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(problem) }));
  await submit(page, 'flights');
  await page.unroute('**/api/v1/flights/search?**');
  const text = await page.textContent('#error');
  assert(text.includes('Prices are not available right now') && text.includes('try again'), '503 message: ' + text);
  await axe(page, '503');
  await page.close();
});

// ---------------------------------------------------------------------------------------------------------------
await check('keyboard only: skip link, tabs with the arrow keys, a trip searched with the keyboard alone', async () => {
  const kb = await openPage(DESKTOP);
  const focused = () => kb.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.className || document.activeElement.tagName));
  await kb.keyboard.press('Tab');
  eq(await focused(), 'skip-link', 'first stop');
  await kb.keyboard.press('Tab');
  eq(await focused(), 'tab-flights', 'second stop: the selected tab');
  for (let i = 0; i < 3; i++) await kb.keyboard.press('ArrowRight');
  eq(await focused(), 'tab-trips', 'arrow keys move along the tabs');
  eq(await kb.getAttribute('#tab-trips', 'aria-selected'), 'true', 'and select them');
  assert(await kb.isVisible('#panel-trips'), 'trips panel shown');
  // into the form: the trip type (one radio group stop), then the fields in order (a date field takes one Tab per
  // part: day, month, year), then the search button
  const order = [];
  for (let i = 0; i < 30 && order[order.length - 1] !== 'submit'; i++) {
    await kb.keyboard.press('Tab');
    const at = await kb.evaluate(() => document.activeElement.id || document.activeElement.name || document.activeElement.type);
    if (order[order.length - 1] !== at) order.push(at);
  }
  eq(order, ['tripType', 'trips-from', 'trips-to', 'trips-depart', 'trips-return', 'trips-adults', 'trips-rooms', 'submit'],
    'tab order');
  // type the airports and press Enter in a field: the form is submitted
  await kb.focus('#trips-from');
  await kb.keyboard.type('FRA');
  await kb.keyboard.press('Tab');
  await kb.keyboard.type('JFK');
  const [res] = await Promise.all([
    kb.waitForResponse(r => new URL(r.url()).pathname === '/api/v1/trips/search'),
    kb.keyboard.press('Enter'),
  ]);
  eq(res.status(), 200, 'searched');
  await kb.waitForSelector('#result-list article[data-total]');
  const status = await kb.textContent('#status');
  assert(/bundles? for FRA → JFK/.test(status), 'status announced: ' + status);
  // the skip link takes the keyboard to the results
  await kb.focus('#tab-trips');
  await kb.keyboard.press('Shift+Tab');
  eq(await focused(), 'skip-link', 'back to the skip link');
  await kb.keyboard.press('Enter');
  eq(await focused(), 'results', 'the skip link moves the focus to the results');
  noConsoleProblems(kb);
  await kb.close();
});

// ---------------------------------------------------------------------------------------------------------------
await check('375 px: every tab searched, nothing scrolls sideways, axe clean', async () => {
  const phone = await openPage(PHONE);
  await noHorizontalScroll(phone, 'start');
  await fillAirport(phone, '#flights-from', 'FRA');
  await fillAirport(phone, '#flights-to', 'JFK');
  await phone.fill('#flights-date', D20);
  await submit(phone, 'flights');
  assert((await phone.$$('#result-list article[data-product]')).length > 0, 'flights shown');
  await noHorizontalScroll(phone, 'flights');
  await axe(phone, 'flights at 375 px');
  await screenshot(phone, 'flights-phone');

  await selectTab(phone, 'hotels');
  await fillAirport(phone, '#hotels-near', 'JFK');
  await submit(phone, 'hotels');
  assert((await phone.$$('#result-list article[data-product]')).length > 0, 'hotels shown');
  await noHorizontalScroll(phone, 'hotels');
  await screenshot(phone, 'hotels-phone');

  await selectTab(phone, 'cars');
  await fillAirport(phone, '#cars-location', 'JFK');
  await submit(phone, 'cars');
  assert((await phone.$$('#result-list article[data-product]')).length > 0, 'cars shown');
  await noHorizontalScroll(phone, 'cars');
  await screenshot(phone, 'cars-phone');

  await selectTab(phone, 'trips');
  await fillAirport(phone, '#trips-from', 'FRA');
  await fillAirport(phone, '#trips-to', 'JFK');
  await submit(phone, 'trips');
  assert((await phone.$$('#result-list article[data-total]')).length > 0, 'bundles shown');
  await noHorizontalScroll(phone, 'trips');
  await axe(phone, 'trips at 375 px');
  await screenshot(phone, 'trips-phone');
  noConsoleProblems(phone);
  await phone.close();
});

await context.close();
rmSync(profile, { recursive: true, force: true });
console.log(passed.length + ' passed, ' + failures.length + ' failed');
if (failures.length) {
  console.log('failed:\n  ' + failures.join('\n  '));
  process.exit(1);
}
