// The shopper's screen: follows the cart's view (GET /events) and draws it.
// Plain DOM, no framework: the page is small and runs in a kiosk browser.
// Text goes in through textContent only, never as HTML.

const $ = (id) => document.getElementById(id);

/** A short headline per alert; the view says what the shopper should do. */
const alertTitles = {
  'unscanned-item': 'Item not scanned',
  'weight-mismatch': 'Item does not match the scan',
  'unknown-removal': 'Something was taken out',
  'ambiguous-removal': 'Which item did you take out?',
};

/** What the scale's state means to a shopper; `warn` ones ask for staff or for patience. */
const scaleTexts = {
  stable: { text: 'Scale ready', warn: false },
  settling: { text: 'Weighing…', warn: false },
  moving: { text: 'Weighing when the cart stops', warn: false },
  degraded: { text: 'Scale ready (3 of 4 sensors)', warn: false },
  overloaded: { text: 'Basket too heavy to weigh', warn: true },
  'out-of-order': { text: 'Scale out of order: please ask a member of staff', warn: true },
};

let money = null;
let last = null;
/** Each line's quantity as last drawn. */
let shownQty = new Map();
let connection = 'connecting';

function formatMoney(cents, currency) {
  if (!money || money.resolvedOptions().currency !== currency) {
    money = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  }
  return money.format(cents / 100);
}

function lineItem(line, currency) {
  const li = document.createElement('li');
  li.className = 'line';
  li.dataset.gtin = line.gtin;
  const name = document.createElement('span');
  name.className = 'line-name';
  name.textContent = line.name ?? `Unknown product ${line.gtin}`;
  const detail = document.createElement('span');
  detail.className = 'line-detail';
  const amount = document.createElement('span');
  amount.className = 'line-amount';
  if (line.byWeight) {
    detail.textContent = `${(line.grams / 1000).toFixed(3)} kg`;
    amount.textContent = 'priced by the store';
    amount.classList.add('unpriced');
  } else if (line.amountCents === null) {
    detail.textContent = `${line.qty} ×`;
    amount.textContent = 'priced by the store';
    amount.classList.add('unpriced');
  } else {
    detail.textContent = `${line.qty} × ${formatMoney(line.priceCents, currency)}`;
    amount.textContent = formatMoney(line.amountCents, currency);
  }
  li.append(name, detail, amount);
  return li;
}

function renderAlert(alerts) {
  const box = $('alert');
  box.hidden = alerts.length === 0;
  $('screen').toggleAttribute('data-alert', alerts.length > 0);
  if (alerts.length === 0) return;
  const first = alerts[0];
  $('alert-title').textContent = alertTitles[first.kind] ?? 'Please check the basket';
  $('alert-ask').textContent = first.ask;
  $('alert-more').textContent = alerts.length > 1 ? `and ${alerts.length - 1} more: a member of staff can help` : '';
}

function render(view) {
  const firstDraw = last === null;
  last = view;
  const { lines, total, alerts, status } = view;
  renderAlert(alerts);

  const list = $('lines');
  const items = lines.map((l) => lineItem(l, total.currency));
  list.replaceChildren(...items);
  $('empty').hidden = lines.length > 0;
  // A line that is new or changed lights up and is scrolled to, so the shopper sees what the cart just did.
  const changed = firstDraw ? [] : items.filter((li, i) => shownQty.get(lines[i].gtin) !== lines[i].qty);
  for (const li of changed) li.classList.add('changed');
  changed[0]?.scrollIntoView({ block: 'nearest' });
  shownQty = new Map(lines.map((l) => [l.gtin, l.qty]));

  $('total').textContent = formatMoney(total.cents, total.currency);
  $('total-label').textContent = total.unpricedLines === 0 ? 'Total'
    : `Total without ${total.unpricedLines} ${total.unpricedLines === 1 ? 'item' : 'items'} the store prices`;

  const scale = scaleTexts[status.scale] ?? { text: `Scale: ${status.scale}`, warn: true };
  $('scale').textContent = scale.text;
  $('scale').classList.toggle('warn', scale.warn);

  $('my-bag-armed').hidden = !status.myBagArmed;
  if (status.myBagArmed) $('action-note').textContent = '';
  renderActions();
}

/** "My bag" only where it makes sense: live, no alert to deal with first, a scale that weighs, not already pressed. */
function renderActions() {
  const v = last;
  const offer = connection === 'live' && v !== null && v.alerts.length === 0 && !v.status.myBagArmed
    && !scaleTexts[v.status.scale]?.warn;
  const button = $('my-bag');
  button.hidden = !offer;
  button.disabled = false;
}

function setConnection(state) {
  if (state === connection) return;
  connection = state;
  $('screen').dataset.connection = state;
  $('connection').textContent = state === 'live' ? ''
    : state === 'connecting' ? 'Connecting to the cart…'
    : 'Reconnecting to the cart… The basket below may not be up to date.';
  renderActions();
}

/** The browser reconnects by itself after the stream drops (at the server's `retry`); a refused stream it gives up on, so that one is retried here. */
const retryClosedMs = 2000;

function connect() {
  const source = new EventSource('/events');
  source.addEventListener('basket', (e) => {
    setConnection('live');
    render(JSON.parse(e.data));
  });
  source.addEventListener('error', () => {
    setConnection(last === null ? 'connecting' : 'reconnecting');
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, retryClosedMs);
  });
}

$('my-bag').addEventListener('click', async () => {
  const button = $('my-bag');
  button.disabled = true;
  let ok = false;
  try {
    ok = (await fetch('/my-bag', { method: 'POST' })).ok;
  } catch {
    ok = false;
  }
  // On success the next view says so ("put your own bag in now"); until then the button stays pressed.
  $('action-note').textContent = ok ? '' : 'The cart did not take that. Please press again, or use the "my bag" button on the handle.';
  if (!ok) button.disabled = false;
});

// A long press on a touchscreen would open the browser's menu: there is nothing in it for a shopper.
document.addEventListener('contextmenu', (e) => e.preventDefault());

connect();
