const fs = require('fs');
fs.readFile('a', (err, a) => {
  fs.readFile('b', (err2, b) => {
    console.log(err || err2, a, b);
  });
});
