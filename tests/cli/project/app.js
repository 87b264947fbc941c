'use strict';
const express = require('express');
const { readFileSync } = require('node:fs');
const db = require('./lib/db');

const app = express();
const template = readFileSync(__dirname + '/views/index.html', 'utf8'); // start-up: fine

app.get('/page', (req, res) => {
  res.send(readFileSync('views/page.html', 'utf8'));
});

app.get('/orders/:id', (req, res) => {
  db.user(req.params.id, (err, user) => {
    if (err) return res.sendStatus(500);
    db.orders(user, (err2, orders) => {
      if (err2) return res.sendStatus(500);
      db.invoice(orders, (err3, invoice) => {
        if (err3) return res.sendStatus(500);
        res.json({ user, orders, invoice, template });
      });
    });
  });
});

app.listen(3000, () => console.log('listening'));
