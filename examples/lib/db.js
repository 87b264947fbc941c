'use strict';

// Tiny JSON-file "database" with a callback API.
const fs = require('fs');
const path = require('path');
const util = require('util');
const { EventEmitter } = require('events');
const config = require('./config');

// Runs once, when the module is first required.
if (!fs.existsSync(config.dataDir)) {
  fs.mkdirSync(config.dataDir, { recursive: true });
}

const changes = new EventEmitter();

function readTable(name, callback) {
  fs.readFile(path.join(config.dataDir, `${name}.json`), 'utf8', (err, text) => {
    if (err && err.code === 'ENOENT') return callback(null, []);
    if (err) return callback(err);
    let rows;
    try {
      rows = JSON.parse(text);
    } catch (parseErr) {
      return callback(parseErr);
    }
    callback(null, rows);
  });
}

function writeTable(name, rows, callback) {
  fs.writeFile(path.join(config.dataDir, `${name}.json`), JSON.stringify(rows, null, 2), (err) => {
    if (err) {
      changes.emit('error', err);
      return callback(err);
    }
    changes.emit('change', name, rows.length);
    callback(null);
  });
}

function findUser(id, callback) {
  readTable('users', (err, users) => {
    if (err) return callback(err);
    callback(null, users.find((u) => u.id === id) || null);
  });
}

function loadOrders(userId, callback) {
  readTable('orders', (err, orders) => {
    if (err) return callback(err);
    callback(null, orders.filter((o) => o.userId === userId));
  });
}

function saveUser(user, callback) {
  readTable('users', (err, users) => {
    if (err) return callback(err);
    const others = users.filter((u) => u.id !== user.id);
    writeTable('users', others.concat(user), callback);
  });
}

function listReports(callback) {
  fs.readdir(path.join(config.dataDir, 'reports'), callback);
}

function countUsers() {
  return util.promisify(readTable)('users').then((users) => users.length);
}

module.exports = {
  findUser, loadOrders, saveUser, listReports, countUsers,
  onChange(listener) { changes.on('change', listener); },
  saveUserAsync: util.promisify(saveUser),
};
