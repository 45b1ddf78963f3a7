'use strict';
// The events the SDK tests send: `count` calls cycling through the six
// types, each with its own messageId, and traits, properties and context
// that exercise nesting, arrays, numbers in exponent form, booleans, null,
// escapes and non-ASCII text. Deterministic: the same tag and count give
// the same events.

const TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'];
const BASE_MS = Date.UTC(2024, 4, 1, 12, 0, 0);
const TRACKS = ['Order Completed', 'Product Viewed', 'Signed Up'];

function identity(i) {
  // One call in five comes from an anonymous visitor (alias needs a userId).
  return i % 5 === 4 ? { anonymousId: `anon-${i}` } : { userId: `user-${i % 37}` };
}

function common(tag, i) {
  const p = {
    messageId: `${tag}-${String(i).padStart(4, '0')}`,
    timestamp: new Date(BASE_MS + i * 1000),
    context: {
      ip: `192.0.2.${i % 250}`,
      locale: 'fr-FR',
      campaign: { name: 'spring', source: 'sdk-test', term: `t${i}` },
    },
  };
  if (i % 3 === 0) p.integrations = { All: true, Salesforce: false };
  return p;
}

const PER_TYPE = {
  identify: (i) => ({
    ...identity(i),
    traits: {
      email: `user${i}@example.com`,
      name: 'Zoë Lee',
      age: 30 + (i % 40),
      plan: 'pro',
      address: { city: 'Paris', postalCode: '75001', country: 'FR' },
      tags: ['a', 'b', i],
      verified: i % 2 === 0,
      score: 12.5,
      tiny: 1e-7,
      nothing: null,
      note: 'line\nbreak "quoted" \\ tab\t \u0001 ☕ 𝄞',
    },
  }),
  track: (i) => ({
    ...identity(i),
    event: TRACKS[i % TRACKS.length],
    properties: {
      order_id: `order-${i}`,
      revenue: 19.99,
      currency: 'EUR',
      products: [{ sku: `sku-${i}`, price: 9.995, quantity: 2 }, { sku: 'gift', price: 0 }],
      coupon: null,
      gift: false,
      nested: { deep: { n: -i, list: [[1, 2], { k: 'v' }] } },
    },
  }),
  page: (i) => ({
    ...identity(i),
    name: 'Pricing',
    category: 'Docs',
    properties: { url: `https://example.com/pricing?i=${i}`, path: '/pricing', title: 'Prix' },
  }),
  screen: (i) => ({
    ...identity(i),
    name: 'Home',
    category: 'Main',
    properties: { variant: i % 2 ? 'dark' : 'light', count: i },
  }),
  group: (i) => ({
    ...identity(i),
    groupId: `group-${i % 11}`,
    traits: { name: 'Initech', industry: 'Software', employees: 120, plan: 'enterprise' },
  }),
  alias: (i) => ({ userId: `user-${i % 37}`, previousId: `anon-${i}` }),
};

// [{type, params}]: params is what is passed to the SDK's call of that type.
function makeEvents(tag, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const type = TYPES[i % TYPES.length];
    out.push({ type, params: { ...PER_TYPE[type](i), ...common(tag, i) } });
  }
  return out;
}

module.exports = { makeEvents, TYPES };
