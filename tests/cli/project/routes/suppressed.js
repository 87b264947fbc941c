const fs = require('fs');
module.exports = (router) => {
  router.get('/a', (req, res) => {
    res.send(fs.readFileSync('a')); // nodehint-disable-line sync-call-in-handler -- cached by the CDN
  });
  router.get('/b', (req, res) => {
    // nodehint-disable-next-line
    res.send(fs.readFileSync('b'));
  });
  /* nodehint-disable sync-call-in-handler */
  router.get('/c', (req, res) => res.send(fs.readFileSync('c')));
  /* nodehint-enable sync-call-in-handler */
  router.get('/d', (req, res) => {
    res.send(fs.readFileSync('d')); // nodehint-disable-line callback-hell
  });
};
