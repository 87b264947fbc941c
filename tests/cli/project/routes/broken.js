const fs = require('fs');
module.exports = (router) => {
  router.get('/x', (req, res) => {
    res.send(fs.readFileSync('x'));
  });
  const = ;
};
