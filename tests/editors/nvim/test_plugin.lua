-- Headless Neovim (0.7.2+) runs the nodehint plugin (editors/nvim) as a user would.
-- Run by run_nvim_plugin.py:  nvim --headless -n -i NONE -u test_plugin.lua DEMO/app.js
-- with `nodehint` first on PATH (the plugin's default cmd). Environment:
--   NODEHINT_PLUGIN   editors/nvim (put on 'runtimepath')
--   NODEHINT_DEMO     the copy of examples/ (holds package.json: the root)
--   NODEHINT_OTHER    a second project (its own package.json) holding index.js
--   NODEHINT_Q_SYNC   the verbatim question of entry async-vs-sync
--   NODEHINT_Q_HELL   the verbatim question of entry avoid-callback-hell
--   NODEHINT_RESULT   file this script writes its "ok"/"FAIL" lines to
--   NODEHINT_WAIT_MS  how long to wait for each reply (default 20000)
-- Steps: setup() with settings (sync-call-in-handler raised to error, buffer-constructor
-- off); diagnostics arrive for the demo with rule ids and the settings applied; a second
-- file under the same root reuses the client, .mjs attaches, a file in another project
-- gets its own client, a Markdown file none; hover quotes the entry; :NodehintExplain
-- opens a floating window with the entry (cursor on the finding, and elsewhere on its
-- line); :checkhealth nodehint reports binary, version, the initialize probe and the
-- running servers; :messages holds no error; the servers exit 0.

vim.opt.runtimepath:prepend(assert(vim.env.NODEHINT_PLUGIN, 'NODEHINT_PLUGIN unset'))

local env = vim.env
local checks = dofile(assert(env.NODEHINT_CHECKS, 'NODEHINT_CHECKS unset'))
local log, check, wait_ms = checks.log, checks.check, checks.wait_ms

local nodehint = require('nodehint')
nodehint.setup({
  settings = {
    nodehint = {
      rules = { ['sync-call-in-handler'] = 'error', ['buffer-constructor'] = 'off' },
      hoverLanguage = 'both',
    },
  },
})

local function codes(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    out[#out + 1] = string.format('%s@%d:%d/%s/%s', tostring(d.code), d.lnum + 1, d.col + 1,
                                  tostring(d.severity), tostring(d.source))
  end
  table.sort(out)
  return table.concat(out, ' ')
end

local function find_diag(bufnr, code, lnum)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == code and (lnum == nil or d.lnum == lnum) then return d end
  end
end

local function wait_diag(bufnr, code, lnum)
  local d
  vim.wait(wait_ms, function()
    d = find_diag(bufnr, code, lnum)
    return d ~= nil
  end, 10)
  return d
end

local function float_windows()
  local wins = {}
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then table.insert(wins, win) end
  end
  return wins
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
end

local function hover_text(contents)
  if type(contents) == 'string' then return contents end
  if type(contents) ~= 'table' then return '' end
  if contents.value then return contents.value end
  local parts = {}
  for _, c in ipairs(contents) do table.insert(parts, hover_text(c)) end
  return table.concat(parts, '\n')
end

-- Runs :NodehintExplain and waits (up to timeout ms) for the floating window; returns its
-- text ('' if none) and whether it has the focus.
local function explain(row1, col0, timeout)
  for _, win in ipairs(float_windows()) do vim.api.nvim_win_close(win, true) end
  vim.api.nvim_win_set_cursor(0, { row1, col0 })
  local source_win = vim.api.nvim_get_current_win()
  vim.cmd('NodehintExplain')
  local win
  vim.wait(timeout or wait_ms, function()
    win = float_windows()[1]
    return win ~= nil
  end, 10)
  if not win then return '', false end
  local text = buffer_text(vim.api.nvim_win_get_buf(win))
  local focused = vim.api.nvim_get_current_win() == win
  vim.api.nvim_win_close(win, true)
  if vim.api.nvim_win_is_valid(source_win) then vim.api.nvim_set_current_win(source_win) end
  return text, focused
end

local function main()
  local demo = env.NODEHINT_DEMO
  local app = vim.api.nvim_get_current_buf()
  check(vim.api.nvim_buf_get_name(app) == demo .. '/app.js', 'app.js is the current buffer',
        vim.api.nvim_buf_get_name(app))
  check(vim.bo.filetype == 'javascript', 'filetype javascript', vim.bo.filetype)

  -- 1. The server starts from the FileType autocmd; diagnostics carry rule ids.
  local d = wait_diag(app, 'sync-call-in-handler', 20)
  check(d ~= nil, 'app.js: sync-call-in-handler on line 21', codes(app))
  local clients = nodehint.clients(app)
  check(#clients == 1, 'one nodehint client attached to app.js', tostring(#clients))
  local client = clients[1]
  if not client then return end
  check(client.config.root_dir == demo, 'root is the demo folder (package.json)',
        tostring(client.config.root_dir))
  if d then
    check(d.col == 17 and d.source == 'nodehint', 'the finding starts at execSync (col 18), source nodehint',
          codes(app))
    check(d.severity == vim.diagnostic.severity.ERROR,
          'settings applied: sync-call-in-handler is an error', tostring(d.severity))
  end
  check(wait_diag(app, 'promise-catch-missing', 34) ~= nil, 'app.js: promise-catch-missing on line 35',
        codes(app))

  -- 2. A second file under the same root: same client. The rule turned off stays off.
  vim.cmd('edit ' .. vim.fn.fnameescape(demo .. '/routes/users.js'))
  local users = vim.api.nvim_get_current_buf()
  check(wait_diag(users, 'callback-hell', 59) ~= nil, 'users.js: callback-hell on line 60', codes(users))
  check(find_diag(users, 'sync-call-in-handler', 29) ~= nil, 'users.js: sync-call-in-handler on line 30',
        codes(users))
  check(find_diag(users, 'buffer-constructor') == nil,
        'settings applied: buffer-constructor (off) not reported', codes(users))
  local uc = nodehint.clients(users)
  check(#uc == 1 and uc[1].id == client.id, 'users.js reuses the client of its root',
        vim.inspect(vim.tbl_map(function(c) return c.id end, uc)))

  -- .mjs is JavaScript too (Neovim's filetype detection) and attaches to the same client.
  vim.cmd('edit ' .. vim.fn.fnameescape(demo .. '/lib/extra.mjs'))
  local mjs = vim.api.nvim_get_current_buf()
  check(vim.bo[mjs].filetype == 'javascript', '.mjs has filetype javascript', vim.bo[mjs].filetype)
  check(wait_diag(mjs, 'sync-call-in-handler') ~= nil, 'extra.mjs: sync-call-in-handler', codes(mjs))
  local mc = nodehint.clients(mjs)
  check(#mc == 1 and mc[1].id == client.id, 'extra.mjs reuses the client of its root')

  -- A Markdown file gets no client.
  vim.cmd('edit ' .. vim.fn.fnameescape(demo .. '/README.md'))
  check(#nodehint.clients(vim.api.nvim_get_current_buf()) == 0, 'README.md: no nodehint client')

  -- Another project: its own client, rooted at its package.json.
  local other = env.NODEHINT_OTHER
  vim.cmd('edit ' .. vim.fn.fnameescape(other .. '/index.js'))
  local ob = vim.api.nvim_get_current_buf()
  check(wait_diag(ob, 'exports-reassign', 0) ~= nil, 'other project: exports-reassign on line 1', codes(ob))
  local oc = nodehint.clients(ob)
  check(#oc == 1 and oc[1].id ~= client.id and oc[1].config.root_dir == other,
        'other project: a second client rooted at ' .. other,
        vim.inspect(vim.tbl_map(function(c) return { c.id, c.config.root_dir } end, oc)))
  check(#nodehint.clients() == 2, 'two nodehint clients in all', tostring(#nodehint.clients()))

  -- 3. Hover on the finding quotes the entry.
  vim.cmd('buffer ' .. app)
  vim.api.nvim_win_set_cursor(0, { 21, 17 })
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local replies = vim.lsp.buf_request_sync(app, 'textDocument/hover', params, wait_ms)
  local reply = replies and replies[client.id]
  local text = reply and reply.result and hover_text(reply.result.contents) or ''
  check(text:find(env.NODEHINT_Q_SYNC, 1, true) ~= nil,
        'hover quotes «' .. env.NODEHINT_Q_SYNC .. '»', text:sub(1, 300))

  -- 4. :NodehintExplain: on the finding, then elsewhere on its line (the nearest finding
  -- of the line is explained), then on a line without a finding (nothing opens).
  local ftext, focused = explain(21, 17)
  check(ftext:find(env.NODEHINT_Q_SYNC, 1, true) ~= nil,
        ':NodehintExplain on execSync: floating window quotes the entry', ftext:sub(1, 300))
  check(focused, ':NodehintExplain focuses the floating window')
  ftext = explain(21, 0)
  check(ftext:find(env.NODEHINT_Q_SYNC, 1, true) ~= nil,
        ':NodehintExplain at column 1 of the line: the line\'s finding is explained', ftext:sub(1, 300))
  ftext = explain(2, 0, 2000)
  check(ftext == '', ':NodehintExplain on a line without a finding opens nothing', ftext:sub(1, 200))
  vim.cmd('buffer ' .. users)
  ftext = explain(60, 29)
  check(ftext:find(env.NODEHINT_Q_HELL, 1, true) ~= nil,
        ':NodehintExplain on the callback-hell finding quotes «' .. env.NODEHINT_Q_HELL .. '»',
        ftext:sub(1, 300))

  -- 5. :checkhealth nodehint.
  vim.cmd('checkhealth nodehint')
  local health = buffer_text(vim.api.nvim_get_current_buf())
  local version = vim.trim(vim.fn.system({ 'nodehint', '--version' }))
  check(health:find('OK:? binary: ' .. vim.fn.exepath('nodehint'):gsub('%p', '%%%0')) ~= nil,
        ':checkhealth: binary', health)
  check(health:find('version: ' .. version, 1, true) ~= nil, ':checkhealth: version ' .. version, health)
  check(health:find('answers initialize', 1, true) ~= nil, ':checkhealth: the server answers initialize',
        health)
  local _, running = health:gsub('server running: client', '')
  check(running == 2, ':checkhealth: two servers running', health)
  check(health:find('ERROR') == nil and health:find('WARN') == nil, ':checkhealth: no ERROR or WARN', health)
  vim.cmd('bwipeout')

  -- 6. Shut down: both servers exit 0.
  local exits = {}
  for _, c in ipairs(nodehint.clients()) do
    local on_exit = c.config.on_exit
    c.config.on_exit = function(code, signal, id)
      exits[#exits + 1] = { code = code, signal = signal }
      if on_exit then on_exit(code, signal, id) end
    end
  end
  vim.lsp.stop_client(vim.tbl_map(function(c) return c.id end, nodehint.clients()))
  check(vim.wait(wait_ms, function() return #exits == 2 end, 10), 'both servers exit',
        vim.inspect(exits))
  for _, e in ipairs(exits) do
    check(e.code == 0, 'server exit code 0', vim.inspect(e))
  end
end

local function finish()
  local text = vim.api.nvim_exec('messages', true)
  local bad = {}
  for line in vim.gsplit(text, '\n', true) do
    if line:match('^E%d+:') or line:lower():match('error') or line:match('nodehint:') then
      table.insert(bad, line)
    end
  end
  -- The one expected message: explain on a line without a finding.
  local expected = 'nodehint: nothing to explain at the cursor'
  local unexpected = vim.tbl_filter(function(l) return l ~= expected end, bad)
  check(#unexpected == 0, ':messages has no errors', table.concat(unexpected, ' | '))
  if text ~= '' then log('---- :messages\n' .. text) end
  checks.finish()
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  nested = true, -- the :edit commands below must fire BufRead/FileType (filetype, plugin)
  callback = function()
    local ok, err = xpcall(main, debug.traceback)
    check(ok, 'the script ran to its end', err)
    finish()
  end,
})
