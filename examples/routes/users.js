'use strict';

const fs = require('fs');
const path = require('path');
const express = require('express');
const config = require('../lib/config');
const db = require('../lib/db');
const mailer = require('../lib/mailer');
const { formatMoney, formatDate, renderTemplate } = require('../lib/format');

const router = express.Router();

// Cached once at load time.
const LAYOUT = fs.readFileSync(path.join(config.templateDir, 'layout.html'), 'utf8');

function requireAdmin(req, res, next) {
  const token = (req.headers.authorization || '').replace(/^Basic /, '');
  const [user, pass] = new Buffer(token, 'base64').toString('utf8').split(':');
  if (user === 'admin' && pass === process.env.ADMIN_PASSWORD) return next();
  res.status(401).set('WWW-Authenticate', 'Basic').end();
}

router.get('/count', (req, res, next) => {
  db.countUsers()
    .then((n) => res.json({ users: n }))
    .catch(next);
});

router.get('/:id/profile', (req, res) => {
  const tpl = fs.readFileSync(path.join(config.templateDir, 'profile.html'), 'utf8');
  db.findUser(req.params.id, (err, user) => {
    if (err) return res.status(500).send('lookup failed');
    if (!user) return res.sendStatus(404);
    const body = renderTemplate(tpl, { name: user.name, since: formatDate(user.createdAt) });
    res.send(LAYOUT.replace('{{body}}', body));
  });
});

router.get('/:id/orders', (req, res, next) => {
  db.findUser(req.params.id, (err, user) => {
    if (err) return next(err);
    if (!user) return res.sendStatus(404);
    db.loadOrders(user.id, (err, orders) => {
      if (err) return next(err);
      const rows = orders
        .filter((o) => o.status !== 'cancelled')
        .map((o) => ({ id: o.id, total: formatMoney(o.totalCents), date: formatDate(o.createdAt) }));
      res.json({ user: user.name, orders: rows });
    });
  });
});

// Build the invoice from the user's orders and mail it to them.
router.post('/:id/invoice', (req, res, next) => {
  db.findUser(req.params.id, (err, user) => {
    if (err) return next(err);
    if (!user) return res.sendStatus(404);
    fs.readFile(path.join(config.templateDir, 'invoice.html'), 'utf8', (err, tpl) => {
      if (err) return next(err);
      db.loadOrders(user.id, (err, orders) => {
        if (err) return next(err);
        const lines = orders.map((o) => `<tr><td>${o.id}</td><td>${formatMoney(o.totalCents)}</td></tr>`);
        const html = renderTemplate(tpl, { name: user.name, lines: lines.join('\n') });
        mailer.send({ to: user.email, subject: 'Your invoice', html }, (err) => {
          if (err) return next(err);
          res.status(202).json({ queued: true, orders: orders.length });
        });
      });
    });
  });
});

router.post('/', requireAdmin, express.json(), async (req, res, next) => {
  try {
    const user = { id: String(Date.now()), createdAt: new Date().toISOString(), ...req.body };
    await db.saveUserAsync(user);
    res.status(201).json(user);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
