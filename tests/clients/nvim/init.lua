-- Headless Neovim (0.7.2+) as a real LSP client of `nodehint --stdio`.
-- Run by run_nvim.py:  nvim --headless -n -i NONE -u init.lua FILE
-- Environment (set by run_nvim.py):
--   NODEHINT_BIN       the nodehint binary
--   NODEHINT_EXPECT    tests/clients/fixtures/checkout.expect.json
--   NODEHINT_QUESTION  the entry's verbatim question (from knowledge/entries.json)
--   NODEHINT_RESULT    file this script writes its "ok"/"FAIL" lines to
--   NODEHINT_ROOT      the workspace folder (holds FILE)
--   NODEHINT_WAIT_MS   how long to wait for each reply (default 20000)
-- Steps: start the server with vim.lsp.start_client (on_init sends the settings), attach
-- the buffer (Neovim sends didOpen), wait for the pushed diagnostics and check code,
-- severity (raised to error by the settings) and range (Neovim converts the UTF-16 range to
-- bytes itself); edit the buffer in several ways (Neovim computes the incremental didChange,
-- batching quick edits) and check the diagnostic follows; hover on the finding (request and
-- the floating window of vim.lsp.buf.hover()) and find the entry's question; stop the client
-- (shutdown + exit) and check the server's exit code; check :messages holds no error.
-- Exit status: 0 all passed, 1 a check failed.

local env = vim.env
local checks = dofile(assert(env.NODEHINT_CHECKS, 'NODEHINT_CHECKS unset'))
local log, check, wait_ms = checks.log, checks.check, checks.wait_ms

local function read_json(path)
  local f = assert(io.open(path, 'r'))
  local text = f:read('*a')
  f:close()
  return vim.fn.json_decode(text)
end

local function hover_text(contents)
  -- MarkupContent | MarkedString | MarkedString[]
  if type(contents) == 'string' then return contents end
  if type(contents) ~= 'table' then return '' end
  if contents.value then return contents.value end
  local parts = {}
  for _, c in ipairs(contents) do table.insert(parts, hover_text(c)) end
  return table.concat(parts, '\n')
end

local function range_str(r)
  return string.format('%d:%d-%d:%d', r[1], r[2], r[3], r[4])
end

local function lsp_range(d)
  local s, e = d.range.start, d.range['end']
  return { s.line, s.character, e.line, e.character }
end

local function same_range(a, b)
  return a[1] == b[1] and a[2] == b[2] and a[3] == b[3] and a[4] == b[4]
end

local function error_messages()
  local text = vim.api.nvim_exec('messages', true)
  local bad = {}
  for line in vim.gsplit(text, '\n', true) do
    local l = line:lower()
    if line:match('^E%d+:') or l:match('error') or line:match('LSP') or l:match('quit with exit code') then
      table.insert(bad, line)
    end
  end
  return text, bad
end

local function main()
  local expect = read_json(env.NODEHINT_EXPECT)
  local question = assert(env.NODEHINT_QUESTION, 'NODEHINT_QUESTION unset')
  local bufnr = vim.api.nvim_get_current_buf()
  check(vim.api.nvim_buf_get_name(bufnr):match(expect.file .. '$') ~= nil,
        'the fixture is the current buffer', vim.api.nvim_buf_get_name(bufnr))

  local publishes = {}
  local exit_code, exit_signal
  local client_id = vim.lsp.start_client({
    name = 'nodehint',
    cmd = { env.NODEHINT_BIN, '--stdio' },
    root_dir = env.NODEHINT_ROOT,
    -- Settings the way Neovim 0.7 users (and nvim-lspconfig) send them: on_init pushes
    -- config.settings with workspace/didChangeConfiguration. callback-hell raised to error, so
    -- the diagnostics below prove the settings were applied. (Not empty: Neovim encodes an
    -- empty Lua table as a JSON array.)
    settings = { nodehint = { rules = { ['callback-hell'] = 'error' } } },
    on_init = function(c)
      c.notify('workspace/didChangeConfiguration', { settings = c.config.settings })
    end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        table.insert(publishes, result)
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
    },
    on_exit = function(code, signal)
      exit_code, exit_signal = code, signal
    end,
  })
  if not check(client_id ~= nil, 'vim.lsp.start_client started the server') then return end
  check(vim.lsp.buf_attach_client(bufnr, client_id), 'buf_attach_client')

  local client
  local initialized = vim.wait(wait_ms, function()
    client = vim.lsp.get_client_by_id(client_id)
    return client ~= nil and client.initialized == true
  end, 10)
  if not check(initialized, 'initialize answered') then return end
  check(client.offset_encoding == 'utf-16', 'offset encoding is utf-16',
        tostring(client.offset_encoding))
  local caps = client.server_capabilities or {}
  check(caps.hoverProvider ~= nil and caps.hoverProvider ~= false, 'server advertises hover')

  -- Waits for the newest publish for this buffer to satisfy pred(diagnostics).
  local uri = vim.uri_from_bufnr(bufnr)
  local function wait_publish(pred)
    local last
    local ok = vim.wait(wait_ms, function()
      for i = #publishes, 1, -1 do
        if publishes[i].uri == uri then
          last = publishes[i]
          return pred(last.diagnostics)
        end
      end
      return false
    end, 5)
    return ok, last
  end
  local function one_at(range)
    return function(diags) return #diags == 1 and same_range(lsp_range(diags[1]), range) end
  end
  local function describe(p)
    if not p then return 'no publishDiagnostics for ' .. uri end
    local parts = {}
    for _, d in ipairs(p.diagnostics) do
      table.insert(parts, string.format('%s %s', tostring(d.code), range_str(lsp_range(d))))
    end
    return string.format('version %s: [%s]', tostring(p.version), table.concat(parts, ', '))
  end

  -- 1. didOpen → diagnostics.
  local want = expect.range['utf-16']
  local ok, last = wait_publish(one_at(want))
  check(ok, 'didOpen: one diagnostic at ' .. range_str(want) .. ' (UTF-16)', describe(last))
  if ok then
    local d = last.diagnostics[1]
    check(d.code == expect.rule, 'code is ' .. expect.rule, tostring(d.code))
    check(d.severity == 1, 'severity is 1 (error, from the settings)', tostring(d.severity))
    check(type(d.message) == 'string' and d.message:find(expect.message_contains, 1, true) ~= nil,
          'message', tostring(d.message))
    check(last.version == nil or last.version == vim.lsp.util.buf_versions[bufnr],
          'publish version is the buffer version',
          tostring(last.version) .. ' vs ' .. tostring(vim.lsp.util.buf_versions[bufnr]))
    local vd = vim.diagnostic.get(bufnr)
    local b = expect.range['utf-8']
    check(#vd == 1 and vd[1].lnum == b[1] and vd[1].col == b[2] and vd[1].end_lnum == b[3]
          and vd[1].end_col == b[4] and vd[1].code == expect.rule
          and vd[1].severity == vim.diagnostic.severity.ERROR,
          'vim.diagnostic.get: ' .. expect.rule .. ' at byte range ' .. range_str(b),
          vim.inspect(vd))
  end

  -- 2. Edits: Neovim computes incremental didChange events itself.
  vim.api.nvim_buf_set_lines(bufnr, 0, 0, false, { '// a line added by the test' })
  local moved = { want[1] + 1, want[2], want[3] + 1, want[4] }
  ok, last = wait_publish(one_at(moved))
  check(ok, 'line inserted above: diagnostic moves to ' .. range_str(moved), describe(last))
  local col = expect.edit_emoji_at['utf-8']
  vim.api.nvim_buf_set_text(bufnr, moved[1], col, moved[1], col, { '📧' })
  local after = expect.after_edits['utf-16']
  ok, last = wait_publish(one_at(after))
  check(ok, 'emoji inserted before it: diagnostic moves to ' .. range_str(after), describe(last))
  check(ok and (last.version == nil or last.version == vim.lsp.util.buf_versions[bufnr]),
        'publish version follows the edits', describe(last))

  -- 3. Hover on the finding (the cursor at its first byte) and away from it.
  local b = expect.after_edits['utf-8']
  vim.api.nvim_win_set_cursor(0, { b[1] + 1, b[2] })
  local params = vim.lsp.util.make_position_params()
  check(params.position.line == after[1] and params.position.character == after[2],
        'hover position is the UTF-16 start of the finding', vim.inspect(params.position))
  local replies = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, wait_ms)
  local reply = replies and replies[client_id]
  check(reply ~= nil and reply.err == nil and reply.result ~= nil, 'hover answered',
        vim.inspect(reply))
  local text = reply and reply.result and hover_text(reply.result.contents) or ''
  check(text:find(question, 1, true) ~= nil, 'hover quotes the question «' .. question .. '»',
        text:sub(1, 300))
  -- What a user gets from K / :lua vim.lsp.buf.hover(): a floating window.
  local main_win = vim.api.nvim_get_current_win()
  vim.lsp.buf.hover()
  local float_text
  vim.wait(wait_ms, function()
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= '' then
        float_text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), '\n')
        return true
      end
    end
    return false
  end, 10)
  check(float_text ~= nil and float_text:find(question, 1, true) ~= nil,
        'vim.lsp.buf.hover() opens a float quoting the question', tostring(float_text):sub(1, 300))
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= '' then vim.api.nvim_win_close(w, true) end
  end
  vim.api.nvim_set_current_win(main_win)
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  replies = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover',
                                     vim.lsp.util.make_position_params(), wait_ms)
  reply = replies and replies[client_id]
  check(reply ~= nil and reply.err == nil and reply.result == nil,
        'hover away from any finding answers null', vim.inspect(reply))

  -- 4. More edits: delete a whole line, append one at the end of the buffer (a second
  -- finding on the new last line), then :undo it.
  vim.api.nvim_buf_set_lines(bufnr, 0, 1, false, {})
  local back = { want[1], after[2], want[3], after[4] }
  ok, last = wait_publish(one_at(back))
  check(ok, 'first line deleted: diagnostic moves to ' .. range_str(back), describe(last))
  vim.o.undolevels = vim.o.undolevels -- closes the undo block, so :undo reverts one change
  local n = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, n, n, false, { 'exports = {};' })
  ok, last = wait_publish(function(diags)
    if #diags ~= 2 then return false end
    for _, d in ipairs(diags) do
      if d.code == 'exports-reassign' and d.range.start.line == n and d.range.start.character == 0 then
        return true
      end
    end
    return false
  end)
  check(ok, 'line appended at the end: exports-reassign at ' .. n .. ':0 as well', describe(last))
  vim.cmd('silent undo')
  ok, last = wait_publish(one_at(back))
  check(ok, ':undo: only the first finding is left', describe(last))
  -- The buffer emptied (Neovim's range runs to the end of the document), then undone.
  vim.o.undolevels = vim.o.undolevels
  vim.cmd('silent %delete _')
  ok, last = wait_publish(function(diags) return #diags == 0 end)
  check(ok, ':%delete: no diagnostics left', describe(last))
  vim.cmd('silent undo')
  ok, last = wait_publish(one_at(back))
  check(ok, ':undo: the finding is back at ' .. range_str(back), describe(last))
  -- Two edits in a row, no wait between them: Neovim's debounce sends both changes in one
  -- didChange. A line inserted at the top, then the second emoji removed again.
  vim.api.nvim_buf_set_lines(bufnr, 0, 0, false, { '// another line' })
  local e = expect.edit_emoji_at['utf-8']
  vim.api.nvim_buf_set_text(bufnr, back[1] + 1, e, back[1] + 1, e + #'📧', { '' })
  ok, last = wait_publish(one_at(moved))
  check(ok, 'two quick edits: diagnostic moves to ' .. range_str(moved), describe(last))

  -- 5. Shut down: shutdown request, then exit; the server must exit 0.
  vim.lsp.stop_client(client_id)
  local exited = vim.wait(wait_ms, function() return exit_code ~= nil end, 10)
  check(exited, 'the server exits after shutdown + exit')
  check(exit_code == 0 and (exit_signal == 0 or exit_signal == nil), 'exit code 0',
        string.format('code %s, signal %s', tostring(exit_code), tostring(exit_signal)))
end

local function finish()
  local text, bad = error_messages()
  check(#bad == 0, ':messages has no errors', table.concat(bad, ' | '))
  if text ~= '' then log('---- :messages\n' .. text) end
  checks.finish()
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    local ok, err = xpcall(main, debug.traceback)
    check(ok, 'the script ran to its end', err)
    finish()
  end,
})
