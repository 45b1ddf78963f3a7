'use strict';
// Compare what an SDK was given (--sent, from send_*.js) with what
// segrecv-server wrote (--events, canonical JSON lines): the same number of
// events, each messageId exactly once, and for each event every field that
// was sent: type, ids, event name, page/screen name and category, timestamp,
// traits and properties (whole), integrations (whole), and each context key
// sent (SDKs add their own, such as `library`). Prints the counts per type;
// exit 1 on the first kind of mismatch, listing up to 10 of them.
//
// usage: node verify.js --sent FILE --events FILE --sdk segment|rudderstack

const fs = require('fs');
const { isDeepStrictEqual } = require('util');
const { parseArgs } = require('./args');
const { TYPES } = require('./events');

const a = parseArgs(['sent', 'events', 'sdk']);
// The JSON form of a value, as the SDK puts it on the wire (Dates as ISO text).
const wire = (v) => JSON.parse(JSON.stringify(v));

// Fields the SDK itself changes, documented in docs/senders.md.
function expectedProperties(sdk, type, params) {
  const props = wire(params.properties);
  // analytics-core copies a page's category into its properties.
  if (sdk === 'segment' && type === 'page' && params.category !== undefined)
    props.category = params.category;
  return props;
}

const SPEC = [ // [snake_case field written, camelCase parameter sent]
  ['user_id', 'userId'], ['anonymous_id', 'anonymousId'], ['event', 'event'],
  ['name', 'name'], ['category', 'category'], ['group_id', 'groupId'],
  ['previous_id', 'previousId'], ['timestamp', 'timestamp'], ['traits', 'traits'],
  ['integrations', 'integrations'],
];

function compare(sdk, sent, got) {
  const diffs = [];
  const differ = (field, want, have) => {
    if (!isDeepStrictEqual(want, have))
      diffs.push(`${field}: sent ${JSON.stringify(want)}, written ${JSON.stringify(have)}`);
  };
  const p = sent.params;
  differ('type', sent.type, got.type);
  for (const [field, param] of SPEC)
    if (p[param] !== undefined) differ(field, wire(p[param]), got[field]);
  if (p.properties !== undefined)
    differ('properties', expectedProperties(sdk, sent.type, p), got.properties);
  for (const [key, value] of Object.entries(wire(p.context || {})))
    differ(`context.${key}`, value, (got.context || {})[key]);
  return diffs;
}

function main() {
  const sent = JSON.parse(fs.readFileSync(a.sent, 'utf8'));
  const lines = fs.readFileSync(a.events, 'utf8').split('\n').filter((l) => l !== '');
  const written = new Map();
  const problems = [];
  for (const line of lines) {
    const ev = JSON.parse(line);
    const id = ev.message_id;
    if (written.has(id)) problems.push(`message_id ${id} written more than once`);
    written.set(id, ev);
  }
  const perType = Object.fromEntries(TYPES.map((t) => [t, 0]));
  for (const s of sent) {
    const got = written.get(s.params.messageId);
    if (!got) {
      problems.push(`message_id ${s.params.messageId} (${s.type}) not written`);
      continue;
    }
    written.delete(s.params.messageId);
    const diffs = compare(a.sdk, s, got);
    for (const d of diffs) problems.push(`${s.params.messageId}: ${d}`);
    if (!diffs.length) perType[s.type]++;
  }
  for (const id of written.keys()) problems.push(`message_id ${id} written but never sent`);
  const ok = Object.values(perType).reduce((x, y) => x + y, 0);
  console.log(`${a.sdk}: ${sent.length} sent, ${lines.length} written, ${ok} match every ` +
    `field sent (${TYPES.map((t) => `${t} ${perType[t]}`).join(', ')})`);
  if (problems.length) {
    console.error(`${problems.length} problem(s):\n  ${problems.slice(0, 10).join('\n  ')}`);
    process.exit(1);
  }
}

main();
