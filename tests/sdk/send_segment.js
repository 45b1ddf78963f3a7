'use strict';
// Send generated events through Segment's own Node.js SDK,
// @segment/analytics-node, to a segrecv-server batch path, the way an
// application would: one call per event, the SDK batching them (flushAt),
// then closeAndFlush(). Writes what was sent (--out) and prints one JSON
// summary line: events sent and acknowledged, requests and their statuses.
// Exit 1 when the SDK reports any failed delivery.
//
// usage: node send_segment.js --modules DIR --host URL --path P --key KEY
//                             --count N --flush-at N --tag T --out FILE

const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');
const { parseArgs } = require('./args');
const { makeEvents } = require('./events');

const a = parseArgs(['modules', 'host', 'path', 'key', 'count', 'flush-at', 'tag', 'out']);
const sdkRequire = createRequire(path.join(a.modules, 'package.json'));
const { Analytics } = sdkRequire('@segment/analytics-node');

const events = makeEvents(a.tag, Number(a.count));
fs.writeFileSync(a.out, JSON.stringify(events));

const analytics = new Analytics({
  writeKey: a.key,
  host: a.host,
  path: a.path,
  flushAt: Number(a['flush-at']),
  flushInterval: 60000, // batches leave by size or at close, not by timer
  maxRetries: 0, // a refusal must show, not be retried away
  httpRequestTimeout: 20000,
});

const summary = { sdk: 'segment', sent: 0, acknowledged: 0, failed: 0, requests: 0,
  statuses: {}, batchSizes: [], gzip: false };
const errors = [];
analytics.on('http_request', (req) => {
  summary.requests++;
  summary.batchSizes.push(JSON.parse(req.body).batch.length);
  if (/gzip/i.test(req.headers['Content-Encoding'] || '')) summary.gzip = true;
});
analytics.on('http_response', (res) => {
  summary.statuses[res.status] = (summary.statuses[res.status] || 0) + 1;
});
analytics.on('error', (err) => errors.push(String(err.reason || err.code || err)));

function delivered(err) {
  if (err) {
    summary.failed++;
    errors.push(String(err.reason || err));
  } else {
    summary.acknowledged++;
  }
}

async function main() {
  for (const { type, params } of events) {
    analytics[type](params, delivered);
    summary.sent++;
  }
  await analytics.closeAndFlush({ timeout: 60000 });
  console.log(JSON.stringify(summary));
  if (errors.length) console.error(`errors: ${[...new Set(errors)].join('; ')}`);
  process.exit(summary.failed || summary.acknowledged !== summary.sent ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
