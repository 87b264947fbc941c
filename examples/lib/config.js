'use strict';

const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const CONFIG_FILE = process.env.DEMO_CONFIG || path.join(ROOT, 'config.json');

const defaults = {
  port: Number(process.env.PORT) || 3000,
  dataDir: path.join(ROOT, 'data'),
  templateDir: path.join(ROOT, 'templates'),
  smtp: { host: 'localhost', port: 2525, from: 'noreply@example.test' },
};

// Read once at startup; blocking here is fine, nothing is serving yet.
let fileConfig = {};
if (fs.existsSync(CONFIG_FILE)) {
  fileConfig = JSON.parse(fs.readFileSync(CONFIG_FILE, 'utf8'));
}

module.exports = Object.freeze({ ...defaults, ...fileConfig, smtp: { ...defaults.smtp, ...fileConfig.smtp } });
