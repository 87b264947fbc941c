'use strict';

const fs = require('fs');
const path = require('path');
const { execSync } = require('child_process');
const express = require('express');
const config = require('./lib/config');
const db = require('./lib/db');
const mailer = require('./lib/mailer');
const usersRouter = require('./routes/users');
const reportsRouter = require('./routes/reports');

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8'));

const app = express();

app.use('/users', usersRouter);
app.use('/reports', reportsRouter);

app.get('/version', (req, res) => {
  const commit = execSync('git rev-parse HEAD', { cwd: __dirname }).toString().trim();
  res.json({ name: pkg.name, version: pkg.version, commit });
});

db.onChange((table, rows) => {
  console.log(`[db] ${table} now has ${rows} rows`);
});

app.use((err, req, res, next) => {
  console.error(err.stack || err);
  if (res.headersSent) return next(err);
  res.status(500).json({ error: 'internal error' });
});

mailer.verify().then(() => console.log(`[mailer] SMTP reachable at ${config.smtp.host}:${config.smtp.port}`));

const server = app.listen(config.port, () => {
  console.log(`${pkg.name} listening on http://localhost:${config.port}`);
});

server.on('error', (err) => {
  console.error('server failed to start:', err.message);
  process.exit(1);
});

module.exports = app;
