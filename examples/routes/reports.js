'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { pipeline } = require('stream');
const express = require('express');
const config = require('../lib/config');
const db = require('../lib/db');

const router = express.Router();
const REPORT_DIR = path.join(config.dataDir, 'reports');

function renderReport(req, res) {
  const names = fs.readdirSync(REPORT_DIR).filter((name) => name.endsWith('.csv'));
  const summary = names.map((name) => ({ name, url: `/reports/${name}/download` }));
  const body = zlib.gzipSync(JSON.stringify(summary));
  res.set({ 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
  res.send(body);
}

router.get('/report', renderReport);

router.get('/', (req, res) => {
  db.listReports((err, files) => {
    res.json({ reports: files.filter((f) => f.endsWith('.csv')) });
  });
});

router.get('/:name/download', (req, res) => {
  const name = path.basename(req.params.name);
  res.attachment(name);
  fs.createReadStream(path.join(REPORT_DIR, name)).pipe(res);
});

router.get('/:name/download.gz', (req, res, next) => {
  const name = path.basename(req.params.name);
  res.attachment(`${name}.gz`);
  pipeline(fs.createReadStream(path.join(REPORT_DIR, name)), zlib.createGzip(), res, (err) => {
    if (err) next(err);
  });
});

module.exports = router;
