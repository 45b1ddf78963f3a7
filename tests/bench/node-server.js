// The Node.js comparison for the HTTP load benchmark: what a partner writes
// by hand with the http module. Reads the body, JSON.parse, answers 200.
// Usage: node node-server.js PORT
'use strict';
const http = require('http');
const port = Number(process.argv[2]);
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200);
    } catch (e) {
      res.writeHead(400, {'Content-Type': 'application/json'});
    }
    res.end();
  });
}).listen(port, '127.0.0.1', () => console.error(`listening on http://127.0.0.1:${port}/`));
