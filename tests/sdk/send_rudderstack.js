'use strict';
// Send generated events through RudderStack's Node.js SDK,
// @rudderstack/rudder-sdk-node, to a segrecv-server batch path: one call per
// event, the SDK batching them (flushAt) and gzip-compressing each batch
// (its `gzip` option, on by default and set here), then flushing until the
// queue is empty. Writes what was sent (--out) and prints one JSON summary
// line; the SDK's axios instance is watched to count the requests, their
// Content-Encoding, the gzip magic bytes of their bodies, and the statuses.
// Exit 1 when any batch failed.
//
// --content-type json sets `Content-Type: application/json` through the
// SDK's axiosConfig. Without it (the SDK's defaults), a gzip body goes out
// with axios's default for a POST of bytes, application/x-www-form-urlencoded,
// which libsegrecv refuses (400); see docs/senders.md.
//
// usage: node send_rudderstack.js --modules DIR --host URL --path P --key KEY
//                                 --count N --flush-at N --tag T --out FILE
//                                 [--content-type json|default]

const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');
const { parseArgs } = require('./args');
const { makeEvents } = require('./events');

const a = parseArgs(['modules', 'host', 'path', 'key', 'count', 'flush-at', 'tag', 'out']);
const sdkRequire = createRequire(path.join(a.modules, 'package.json'));
const Analytics = sdkRequire('@rudderstack/rudder-sdk-node');

const events = makeEvents(a.tag, Number(a.count));
fs.writeFileSync(a.out, JSON.stringify(events));

const axiosConfig = a['content-type'] === 'json'
  ? { headers: { 'Content-Type': 'application/json' } } : undefined;
const summary = { sdk: 'rudderstack', sent: 0, acknowledged: 0, failed: 0, requests: 0,
  gzipRequests: 0, statuses: {}, gzip: false, contentTypes: [] };
const errors = [];
const client = new Analytics(a.key, {
  dataPlaneUrl: a.host,
  path: a.path,
  flushAt: Number(a['flush-at']),
  flushInterval: 60000, // batches leave by size or by flush(), not by timer
  gzip: true,
  axiosConfig,
  retryCount: 0, // a refusal must show, not be retried away
  logLevel: 'error',
  errorHandler: (err) => errors.push(String(err.message || err)),
});

client.axiosInstance.interceptors.request.use((config) => {
  summary.requests++;
  const body = config.data;
  const encoding = config.headers['Content-Encoding'] || config.headers['content-encoding'];
  if (/gzip/i.test(encoding || '') && Buffer.isBuffer(body) && body[0] === 0x1f &&
      body[1] === 0x8b) {
    summary.gzipRequests++;
  }
  return config;
});
// Statuses, and the Content-Type as sent: axios fills in its default after
// the request interceptors run, so it is read from the answered request.
const count = (status, config) => {
  summary.statuses[status] = (summary.statuses[status] || 0) + 1;
  const type = config && config.headers ? String(config.headers['Content-Type'] || '') : '';
  if (!summary.contentTypes.includes(type)) summary.contentTypes.push(type);
};
client.axiosInstance.interceptors.response.use(
  (res) => { count(res.status, res.config); return res; },
  (err) => {
    count(err.response ? err.response.status : err.code, err.config);
    if (err.response) errors.push(`HTTP ${err.response.status} ${JSON.stringify(err.response.data)}`);
    throw err;
  });

function delivered(err) {
  if (err) {
    summary.failed++;
    errors.push(String(err.message || err));
  } else {
    summary.acknowledged++;
  }
}

async function main() {
  for (const { type, params } of events) {
    client[type](params, delivered);
    summary.sent++;
  }
  // flush() sends at most flushAt events per request: repeat until every
  // event is out, then wait for the last request.
  while (client.queue.length > 0) await client.flush();
  await client.flush();
  // Batches flushed concurrently may still be on their way: wait for every
  // event's callback (at most 60 s).
  const deadline = Date.now() + 60000;
  while (summary.acknowledged + summary.failed < summary.sent && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  summary.gzip = summary.requests > 0 && summary.gzipRequests === summary.requests;
  console.log(JSON.stringify(summary));
  if (errors.length) console.error(`errors: ${[...new Set(errors)].join('; ')}`);
  process.exit(summary.failed || summary.acknowledged !== summary.sent ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
