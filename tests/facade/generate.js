'use strict';
// Deterministic generator of Segment events for the facade differential
// test: reserved traits and properties under every key casing, falsy values
// where facade's `||` fallbacks take over, revenue as number / "$12.50" /
// missing with total on "Order Completed", names with and without first and
// last, email-shaped ids, and the cases behind each pinned difference.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed) {
  const R = mulberry32(seed);
  const chance = (p) => R() < p;
  const pick = (arr) => arr[Math.floor(R() * arr.length)];
  const cap = (w) => w.charAt(0).toUpperCase() + w.slice(1);

  // One spelling of a camelCase key: camel, snake, Pascal, SCREAMING,
  // Title Case, kebab or flat (camel and snake most often).
  function spell(camel) {
    const w = camel.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(' ');
    const forms = [
      w[0] + w.slice(1).map(cap).join(''),
      w[0] + w.slice(1).map(cap).join(''),
      w.join('_'),
      w.join('_'),
      w.map(cap).join(''),
      w.join('_').toUpperCase(),
      w.map(cap).join(' '),
      w.join('-'),
      w.join(''),
    ];
    return pick(forms);
  }

  const EMAILS = ['ann@example.com', 'Bob.Smith@Example.CO.uk', '', null, 0, false,
    'not-an-email', 'x@y', {}, '2021-03-04', 'z@q.io'];
  const IDS = ['u_1', 'user-42', 'ann@example.com', 'a@b', 'x@y.z', 'no at', 'line\n@x.y',
    'a@b\n.c', 'q@w.e\u2028r', '@x.y', 'x@.y', 'x@y.', 'ann.lee@corp.example.org', 12345,
    '\u00e9l\u00e8ve@\u00e9cole.fr'];
  const NAMES = ['Peter Gibbons', '  Peter Gibbons', 'Peter Gibbons  ', 'Cher', '', '   ',
    'Ann  Lee', '\u00a0Zo\u00eb \u00c5ngstr\u00f6m\u3000', 'Jean-Luc Picard III', 'Ann\tLee',
    5, null, '\u2003Mary Ann Smith', 'Lee '];
  const FIRSTS = ['Ann', ' Bob ', '', null, 7, 'Zo\u00eb', '\u3000Kim'];
  const LASTS = ['Lee', ' Smith', '', null, 'van der Berg', 0];
  const STRINGS = ['x', 'Some Text', '', null, 0, 42, true, false, '  padded  ',
    '\u00fcnic\u00f6de', ['a', 'b'], { k: 'v' }];
  const URLS = ['https://example.com/a', '', null, 'example.com', 0];
  const BIRTHDAYS = ['1988-10-12', '1988-10-12T00:00:00.000Z', '1990-01-01T00:30:00+01:00',
    '2001-06-15T12:00:00Z', '10-12-1988', 'May 5th', 631152000, '', null, '1990-02-30',
    '1991-13-01', '2000-02-29'];
  const CREATED = ['2015-02-23T22:28:55.111Z', '2015-02-23', '2015-02-23T22:28:55+02:00',
    1424730535, 1424730535111, '1424730535111', '', 0, null, 'yesterday',
    '2019-01-01T00:00:00Z'];
  const NUMBERS = [0, 1, 42, -3, 12.5, '7', '', null, 1e21, 0.1];

  const maybe = (p, f) => (chance(p) ? f() : undefined);
  function put(obj, camel, value, exact) {
    if (value === undefined) return;
    obj[exact ? camel : spell(camel)] = value;
  }

  function address() {
    const a = {};
    put(a, 'city', maybe(0.7, () => pick(['San Francisco', '', null, 'Paris', 0])));
    put(a, 'state', maybe(0.5, () => pick(['CA', '', null, 'IDF'])));
    put(a, 'postalCode', maybe(0.5, () => pick(['94103', '', null, 75001, 0])));
    put(a, 'zip', maybe(0.3, () => pick(['10001', '', 0])));
    put(a, 'country', maybe(0.5, () => pick(['USA', 'FR', '', null])));
    put(a, 'street', maybe(0.4, () => pick(['1 Main St', '', null])));
    return a;
  }

  function addressTraits(t) {
    if (chance(0.5)) put(t, 'address', pick([address(), address(), null, 'Main St', []]));
    if (chance(0.3)) put(t, 'city', pick(['Oakland', '', null]));
    if (chance(0.2)) put(t, 'postalCode', pick(['60601', '', 0]));
    if (chance(0.2)) put(t, 'zip', pick(['02139', '']));
    if (chance(0.2)) put(t, 'state', pick(['NY', '']));
    if (chance(0.2)) put(t, 'country', pick(['Canada', '']));
    if (chance(0.2)) put(t, 'street', pick(['2 Side Rd', '']));
  }

  function identifyTraits() {
    const t = {};
    if (chance(0.6)) put(t, 'email', pick(EMAILS));
    if (chance(0.1)) put(t, 'email', pick(EMAILS)); // a second spelling
    if (chance(0.6)) put(t, 'name', pick(NAMES));
    if (chance(0.45)) put(t, 'firstName', pick(FIRSTS));
    if (chance(0.45)) put(t, 'lastName', pick(LASTS));
    if (chance(0.3)) put(t, 'phone', pick(['555-1234', '', null, 0]));
    if (chance(0.2)) put(t, 'phones', pick([['555-0000', '555-1111'], [], [null], 'x', [0]]));
    if (chance(0.3)) put(t, 'website', pick(URLS));
    if (chance(0.2)) put(t, 'websites', pick([['https://a.io', 'https://b.io'], [], 'x']));
    if (chance(0.3)) put(t, 'username', pick(STRINGS));
    if (chance(0.25)) put(t, 'avatar', pick(URLS));
    if (chance(0.25)) put(t, 'photoUrl', pick(URLS));
    if (chance(0.25)) put(t, 'avatarUrl', pick(URLS));
    if (chance(0.3)) put(t, 'title', pick(STRINGS));
    if (chance(0.3)) put(t, 'gender', pick(['female', 'male', '', null, 0]));
    if (chance(0.35)) put(t, 'age', pick(NUMBERS));
    if (chance(0.45)) put(t, 'birthday', pick(BIRTHDAYS));
    if (chance(0.3)) put(t, 'created', pick(CREATED));
    if (chance(0.3)) put(t, 'createdAt', pick(CREATED));
    if (chance(0.3)) put(t, 'description', pick(STRINGS));
    if (chance(0.3)) put(t, 'background', pick(STRINGS));
    if (chance(0.3)) put(t, 'company', pick([{ name: 'Initech', industry: 'Tech' },
      { Name: 'Acme' }, { name: '' }, 'Initech', null, { company_name: 'x' }]));
    if (chance(0.05)) put(t, 'company.name', 'Dotted Co', true);
    if (chance(0.05)) put(t, 'address.city', 'Dotted City', true);
    addressTraits(t);
    if (chance(0.3)) put(t, 'plan', pick(['premium', '']));
    return t;
  }

  function groupTraits() {
    const t = {};
    if (chance(0.5)) put(t, 'name', pick(NAMES));
    if (chance(0.4)) put(t, 'industry', pick(STRINGS));
    if (chance(0.4)) put(t, 'employees', pick([329, '329', 0, '', null, '10-50']));
    if (chance(0.4)) put(t, 'plan', pick(['enterprise', '', null, 0]));
    if (chance(0.4)) put(t, 'email', pick(EMAILS));
    if (chance(0.3)) put(t, 'createdAt', pick(CREATED));
    if (chance(0.3)) put(t, 'created', pick(CREATED));
    addressTraits(t);
    return t;
  }

  const EVENTS = ['Order Completed', 'order_completed', 'Completed Order', 'completed order',
    'Completed_Order', ' Order Completed', 'Order Completed ', 'Order Completed Now',
    'Completed Order Now', 'My Order Completed', 'ORDER COMPLETED', 'OrderCompleted',
    'Order  Completed', '_order_completed_', 'Product Viewed', 'Signed Up', 'order completed!'];
  const REVENUES = [12.5, 0, -3, 100, 1e2, '$12.50', '12.50', '$1,234.50', 'abc', '', null, '$',
    ' 7e2 ', '.5', '5.', '$$3', '0', '-0', '1e3x', '\u00a042', '0x1A', '+8', '1e', true, {},
    '2020-01-01'];

  function product() {
    return pick([null, { sku: 'A-1', price: 9.5 }, { productId: 'p1', Name: 'Shoe' },
      { added_at: '2020-01-01T00:00:00Z' }, 'loose', 3]);
  }

  function trackProperties(event) {
    const p = {};
    const orderish = /order|completed/i.test(event);
    if (chance(orderish ? 0.6 : 0.4)) put(p, 'revenue', pick(REVENUES));
    if (chance(orderish ? 0.6 : 0.3)) put(p, 'total', pick([30, '$45.10', 0, '', 'n/a', 19.99]));
    if (chance(0.4)) put(p, 'currency', pick(['EUR', '', null, 'usd', 0]));
    if (chance(0.1)) p.currency = pick(['GBP', '']);
    if (chance(0.4)) put(p, 'quantity', pick([3, 0, '2', '', null, 1.5]));
    if (chance(0.1)) p.quantity = pick([5, 0]);
    if (chance(0.3)) put(p, 'value', pick(NUMBERS));
    if (chance(0.3)) p.id = pick(['ord_1', '', 0, null, 77]);
    if (chance(0.3)) put(p, 'orderId', pick(['o-9', '', null, 12]));
    if (chance(0.4)) {
      put(p, 'products', pick([[], [product(), product()], [product(), null, product()],
        'not-an-array', {}, null]));
    }
    if (chance(0.2)) put(p, 'email', pick(EMAILS));
    return p;
  }

  function viewProperties() {
    const p = {};
    for (const k of ['title', 'path', 'url', 'search', 'referrer']) {
      if (chance(0.45)) put(p, k, pick(k === 'title' ? STRINGS : URLS));
    }
    if (chance(0.2)) put(p, 'email', pick(EMAILS));
    return p;
  }

  function context(type) {
    if (chance(0.3)) return undefined;
    const c = { ip: '8.8.8.8' };
    if (chance(0.4)) c[spell('traits')] = chance(0.85) ? { [spell('email')]: pick(EMAILS) } : {};
    if (type === 'page' || type === 'screen' || chance(0.2)) {
      if (chance(0.4)) c.page = { [spell('referrer')]: pick(URLS) };
      if (chance(0.4)) c.referrer = { type: 'dataxu', [spell('url')]: pick(URLS) };
    }
    if (chance(0.05)) c['traits.email'] = 'dotted@x.io';
    return c;
  }

  // One event; ~15% use snake_case top-level ids, ~4% carry legacy `options`.
  function event(i) {
    const type = pick(['identify', 'identify', 'identify', 'track', 'track', 'track', 'page',
      'screen', 'group', 'group', 'alias']);
    const snake = chance(0.15);
    const e = { type };
    e.messageId = `gen-${seed}-${i}`;
    e.timestamp = '2024-05-01T12:00:00.000Z';
    const uid = chance(0.85) ? pick(IDS) : undefined;
    if (uid !== undefined) e[snake ? 'user_id' : 'userId'] = uid;
    if (uid === undefined || chance(0.3)) e.anonymousId = `anon-${i}`;
    const ctx = context(type);
    if (ctx !== undefined) e.context = ctx;
    if (chance(0.04)) {
      e.options = { traits: { email: 'legacy@x.io' }, referrer: { url: 'https://legacy.io' } };
    }
    switch (type) {
      case 'identify':
        if (chance(0.92)) e.traits = identifyTraits();
        break;
      case 'group': {
        e[snake ? 'group_id' : 'groupId'] = pick(['grp_1', 'team@acme.io', 42, 'a@b.c']);
        const t = groupTraits();
        if (chance(0.85)) e.traits = t;
        else e.properties = t;
        break;
      }
      case 'track':
        e.event = pick(EVENTS);
        if (chance(0.92)) e.properties = trackProperties(e.event);
        break;
      case 'page':
      case 'screen':
        if (chance(0.7)) e.name = pick(['Home', '', 'Pricing', 'Docs Page']);
        if (chance(0.5)) e.category = pick(['Docs', '', 'Blog']);
        if (chance(0.85)) e.properties = viewProperties();
        break;
      case 'alias':
        if (!e.userId && !e.user_id) e.userId = 'u_9';
        e[snake ? 'previous_id' : 'previousId'] = pick(['anon-1', 0, 'old@x.io', 7]);
        if (chance(0.5)) e.from = pick(['from-1', '', null, 'f@x.io']);
        break;
    }
    return e;
  }

  return { event };
}

// `count` events from `seed`, as JSON lines.
function generate(seed, count) {
  const g = generator(seed);
  const out = [];
  for (let i = 0; i < count; i++) out.push(g.event(i));
  return out;
}

module.exports = { generate };
