-- The Neovim 0.10+/0.11+ code paths of the plugin and the no-plugin snippets, checked on
-- any Neovim >= 0.7 (Debian has 0.7.2): vim.lsp.config / vim.lsp.enable / vim.lsp.start and
-- nvim-lspconfig are replaced by recorders, so this checks what the plugin and the snippets
-- hand to those APIs (names, cmd, filetypes, root, settings), that the files load, and — for
-- the vim.lsp.start path, whose recorder starts the client the 0.7 way — that the config it
-- builds starts a working server. Run by run_nvim_plugin.py like test_plugin.lua:
--   nvim --headless -n -i NONE -u test_api_paths.lua DEMO/app.js

local plugin = assert(vim.env.NODEHINT_PLUGIN, 'NODEHINT_PLUGIN unset')
vim.opt.runtimepath:prepend(plugin)

local env = vim.env
local checks = dofile(assert(env.NODEHINT_CHECKS, 'NODEHINT_CHECKS unset'))
local log, check, wait_ms = checks.log, checks.check, checks.wait_ms

local CMD = { 'nodehint', '--stdio' }
local FILETYPES = { 'javascript', 'javascriptreact' }
local MARKERS = { '.nodehintrc.json', 'package.json', '.git' }

local calls = {}
local function record_lsp()
  calls = {}
  vim.lsp.config = function(name, cfg) table.insert(calls, { 'config', name, cfg }) end
  vim.lsp.enable = function(name) table.insert(calls, { 'enable', name }) end
end

local function main()
  local demo = env.NODEHINT_DEMO
  local app = vim.api.nvim_get_current_buf()

  -- 1. The vim.lsp.config snippet (0.11+).
  record_lsp()
  dofile(plugin .. '/snippets/vim-lsp-config.lua')
  local c = calls[1] or {}
  check(c[1] == 'config' and c[2] == 'nodehint', 'vim-lsp-config.lua: vim.lsp.config("nodehint", …)',
        vim.inspect(calls))
  local cfg = c[3] or {}
  check(vim.deep_equal(cfg.cmd, CMD) and vim.deep_equal(cfg.filetypes, FILETYPES) and
        vim.deep_equal(cfg.root_markers, MARKERS), 'vim-lsp-config.lua: cmd, filetypes, root_markers',
        vim.inspect(cfg))
  check(calls[2] and calls[2][1] == 'enable' and calls[2][2] == 'nodehint',
        'vim-lsp-config.lua: vim.lsp.enable("nodehint")')

  -- 2. The nvim-lspconfig snippet, with lspconfig's three modules recorded.
  local configs, setups = {}, {}
  package.preload['lspconfig.configs'] = function() return configs end
  package.preload['lspconfig.util'] = function()
    return {
      root_pattern = function(...)
        local markers = { ... }
        return function() return table.concat(markers, ',') end
      end,
    }
  end
  package.preload['lspconfig'] = function()
    return setmetatable({}, { __index = function(_, name)
      return { setup = function(opts) table.insert(setups, { name, opts }) end }
    end })
  end
  dofile(plugin .. '/snippets/lspconfig.lua')
  local dc = configs.nodehint and configs.nodehint.default_config or {}
  check(vim.deep_equal(dc.cmd, CMD) and vim.deep_equal(dc.filetypes, FILETYPES),
        'lspconfig.lua: configs.nodehint.default_config cmd and filetypes', vim.inspect(dc))
  check(type(dc.root_dir) == 'function' and dc.root_dir('x') == table.concat(MARKERS, ','),
        'lspconfig.lua: root_dir = root_pattern(.nodehintrc.json, package.json, .git)')
  check(#setups == 1 and setups[1][1] == 'nodehint', 'lspconfig.lua: lspconfig.nodehint.setup()',
        vim.inspect(setups))

  -- 3. lsp/nodehint.lua, the runtime-path config of 0.11's vim.lsp.enable.
  local rt = dofile(plugin .. '/lsp/nodehint.lua')
  check(vim.deep_equal(rt.cmd, CMD) and vim.deep_equal(rt.filetypes, FILETYPES) and
        vim.deep_equal(rt.root_markers, MARKERS), 'lsp/nodehint.lua: cmd, filetypes, root_markers',
        vim.inspect(rt))

  -- 4. Settings: empty tables would go out as JSON arrays, so they are left out.
  local nodehint = require('nodehint')
  nodehint.setup({ autostart = false, settings = { nodehint = { rules = {} } } })
  check(vim.deep_equal(nodehint.config().settings, {}), 'settings: an empty section is left out',
        vim.inspect(nodehint.config().settings))
  nodehint.setup({ autostart = false, settings = { rules = { ['callback-hell'] = 'off' } } })
  check(vim.deep_equal(nodehint.config().settings, { nodehint = { rules = { ['callback-hell'] = 'off' } } }),
        'settings: a bare { rules = … } is wrapped in the nodehint section',
        vim.inspect(nodehint.config().settings))
  check(vim.fn.exists(':NodehintExplain') == 2, ':NodehintExplain exists after setup()')

  -- 5. The 0.11+ path: vim.lsp.config + vim.lsp.enable, root from the plugin's search.
  record_lsp()
  nodehint.setup({ api = 'config', settings = { nodehint = { hoverLanguage = 'en' } } })
  c = calls[1] or {}
  cfg = c[3] or {}
  check(c[1] == 'config' and c[2] == 'nodehint', 'api=config: vim.lsp.config("nodehint", …)',
        vim.inspect(calls))
  check(vim.deep_equal(cfg.cmd, CMD) and vim.deep_equal(cfg.filetypes, FILETYPES) and cfg.name == nil,
        'api=config: cmd and filetypes', vim.inspect(cfg))
  check(cfg.settings and cfg.settings.nodehint and cfg.settings.nodehint.hoverLanguage == 'en',
        'api=config: settings.nodehint', vim.inspect(cfg.settings))
  local root
  if type(cfg.root_dir) == 'function' then cfg.root_dir(app, function(dir) root = dir end) end
  check(root == demo, 'api=config: root_dir(bufnr, on_dir) gives the demo folder', tostring(root))
  check(calls[2] and calls[2][1] == 'enable' and calls[2][2] == 'nodehint',
        'api=config: vim.lsp.enable("nodehint")')

  -- 6. The 0.10 path: vim.lsp.start(config, {bufnr}) for the buffers already open; the
  -- recorder starts the client as 0.7 does, reusing one per name + root like vim.lsp.start.
  local starts = {}
  vim.lsp.start = function(config, opts)
    table.insert(starts, { config = config, opts = opts })
    for _, client in ipairs(vim.lsp.get_active_clients()) do
      if client.name == config.name and client.config.root_dir == config.root_dir then
        vim.lsp.buf_attach_client(opts.bufnr, client.id)
        return client.id
      end
    end
    local id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(opts.bufnr, id)
    return id
  end
  nodehint.setup({ api = 'start', settings = { nodehint = { rules = { ['sync-call-in-handler'] = 'error' } } } })
  local s = starts[1] or { config = {}, opts = {} }
  check(#starts == 1 and s.opts.bufnr == app, 'api=start: vim.lsp.start(config, {bufnr}) for app.js',
        vim.inspect(starts))
  check(s.config.name == 'nodehint' and vim.deep_equal(s.config.cmd, CMD) and s.config.root_dir == demo,
        'api=start: name, cmd, root_dir', vim.inspect(s.config))
  local d
  vim.wait(wait_ms, function()
    for _, x in ipairs(vim.diagnostic.get(app)) do
      if x.code == 'sync-call-in-handler' then d = x end
    end
    return d ~= nil
  end, 10)
  check(d ~= nil and d.severity == vim.diagnostic.severity.ERROR,
        'api=start: the config it builds starts the server (settings applied)', vim.inspect(d))
  vim.cmd('edit ' .. vim.fn.fnameescape(demo .. '/lib/db.js'))
  check(#starts == 2 and starts[2].opts.bufnr == vim.api.nvim_get_current_buf() and
        starts[2].config.root_dir == demo, 'api=start: FileType of a second file calls vim.lsp.start again',
        tostring(#starts))
  check(#nodehint.clients() == 1, 'api=start: one client for the root', tostring(#nodehint.clients()))

  local exited
  local client = nodehint.clients()[1]
  if client then
    client.config.on_exit = function(code) exited = code end
    vim.lsp.stop_client(client.id)
    vim.wait(wait_ms, function() return exited ~= nil end, 10)
  end
  check(exited == 0, 'the server exits 0', tostring(exited))
end

local function finish()
  local text = vim.api.nvim_exec('messages', true)
  local bad = {}
  for line in vim.gsplit(text, '\n', true) do
    if line:match('^E%d+:') or line:lower():match('error') or line:match('nodehint:') then
      table.insert(bad, line)
    end
  end
  check(#bad == 0, ':messages has no errors', table.concat(bad, ' | '))
  if text ~= '' then log('---- :messages\n' .. text) end
  checks.finish()
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  nested = true,
  callback = function()
    local ok, err = xpcall(main, debug.traceback)
    check(ok, 'the script ran to its end', err)
    finish()
  end,
})
