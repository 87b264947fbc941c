'use strict';

const net = require('net');
const { EventEmitter } = require('events');
const config = require('./config');

class Mailer extends EventEmitter {
  constructor({ host, port, from }) {
    super();
    Object.assign(this, { host, port, from });
  }

  verify() {
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.port, this.host, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', reject);
    });
  }

  send(message, callback) {
    const mail = { from: this.from, ...message, queuedAt: Date.now() };
    // Pretend delivery; a real transport would speak SMTP here.
    setImmediate(() => {
      if (!mail.to) {
        const err = new Error('mail has no recipient');
        this.emit('error', err);
        return callback(err);
      }
      this.emit('sent', mail);
      callback(null, mail);
    });
  }
}

const mailer = new Mailer(config.smtp);

mailer.on('error', (err) => {
  console.error('[mailer]', err.message);
});

module.exports = mailer;
