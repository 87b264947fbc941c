-- Neovim 0.7–0.10 with nvim-lspconfig, without the plugin: nodehint for JavaScript buffers.
require('lspconfig.configs').nodehint = { default_config = { cmd = { 'nodehint', '--stdio' }, filetypes = { 'javascript', 'javascriptreact' }, root_dir = require('lspconfig.util').root_pattern('.nodehintrc.json', 'package.json', '.git') } }
require('lspconfig').nodehint.setup({})
