-- Neovim 0.11+, without the plugin: nodehint for JavaScript buffers.
vim.lsp.config('nodehint', { cmd = { 'nodehint', '--stdio' }, filetypes = { 'javascript', 'javascriptreact' }, root_markers = { '.nodehintrc.json', 'package.json', '.git' } })
vim.lsp.enable('nodehint')
