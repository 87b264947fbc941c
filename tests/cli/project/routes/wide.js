// 中文注释: the column of the finding below counts UTF-16 code units, like editors do.
const fs = require('fs');
module.exports = (router) => {
  router.get('/说明', (req, res) => { const 数据 = fs.readFileSync('说明.txt'); res.send(数据); });
};
