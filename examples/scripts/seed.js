#!/usr/bin/env node
'use strict';

// Usage: node scripts/seed.js [--force]   (writes demo data into config.dataDir)
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const config = require('../lib/config');

function writeFile(file, contents) {
  fs.writeFileSync(file, Buffer.from(contents, 'utf8'));
  console.log(`wrote ${path.relative(process.cwd(), file)} (${Buffer.byteLength(contents)} bytes)`);
}

function main() {
  const usersFile = path.join(config.dataDir, 'users.json');
  if (fs.existsSync(usersFile) && !process.argv.includes('--force')) {
    console.error(`${usersFile} already exists; pass --force to overwrite`);
    process.exit(1);
  }
  fs.mkdirSync(path.join(config.dataDir, 'reports'), { recursive: true });

  const users = Array.from({ length: 10 }, (_, i) => ({
    id: crypto.randomUUID(), name: `User ${i + 1}`, email: `user${i + 1}@example.test`, createdAt: new Date().toISOString(),
  }));
  const orders = users.flatMap((user) =>
    [1, 2, 3].map((n) => ({ id: `${user.id}-${n}`, userId: user.id, status: 'paid', totalCents: n * 1250, createdAt: user.createdAt })),
  );
  const csv = ['id,name,email', ...users.map((u) => `${u.id},${u.name},${u.email}`)].join('\n');

  writeFile(usersFile, JSON.stringify(users, null, 2));
  writeFile(path.join(config.dataDir, 'orders.json'), JSON.stringify(orders, null, 2));
  writeFile(path.join(config.dataDir, 'reports', 'users.csv'), `${csv}\n`);
}

main();
