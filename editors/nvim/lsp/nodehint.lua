-- Neovim 0.11+: the default configuration `vim.lsp.enable('nodehint')` finds on 'runtimepath'
-- (this plugin's folder). require('nodehint').setup() adds to it (settings, root search).
return {
  cmd = { 'nodehint', '--stdio' },
  filetypes = { 'javascript', 'javascriptreact' },
  root_markers = { '.nodehintrc.json', 'package.json', '.git' },
}
