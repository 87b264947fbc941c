console.log('bundled', require('fs').readFileSync)
