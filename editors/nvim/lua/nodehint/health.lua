-- :checkhealth nodehint — the binary, its version, whether it answers `initialize` as a
-- language server, and the clients running in this Neovim. Uses vim.health on 0.8+ and the
-- health#report_* functions on 0.7.
local M = {}

local function reporter()
  local h = vim.health
  if h and (h.start or h.report_start) then
    return {
      start = h.start or h.report_start,
      ok = h.ok or h.report_ok,
      info = h.info or h.report_info,
      warn = h.warn or h.report_warn,
      error = h.error or h.report_error,
    }
  end
  return {
    start = function(msg) vim.fn['health#report_start'](msg) end,
    ok = function(msg) vim.fn['health#report_ok'](msg) end,
    info = function(msg) vim.fn['health#report_info'](msg) end,
    warn = function(msg, advice) vim.fn['health#report_warn'](msg, advice or {}) end,
    error = function(msg, advice) vim.fn['health#report_error'](msg, advice or {}) end,
  }
end

local function frame(message)
  local body = vim.fn.json_encode(message)
  return 'Content-Length: ' .. #body .. '\r\n\r\n' .. body
end

-- Runs the server for one initialize/shutdown/exit exchange. Returns the serverInfo version
-- (or '?') and the exit code, or nil and a reason.
local function probe(cmd, timeout_ms)
  local out = {}
  local ok, job = pcall(vim.fn.jobstart, cmd, {
    stdout_buffered = true,
    on_stdout = function(_, data) out = data end,
    stderr_buffered = true,
    on_stderr = function() end,
  })
  if not ok or job <= 0 then return nil, 'could not run ' .. table.concat(cmd, ' ') end
  vim.fn.chansend(job, frame({ jsonrpc = '2.0', id = 1, method = 'initialize',
                               params = { processId = vim.NIL, rootUri = vim.NIL,
                                          capabilities = vim.empty_dict() } }))
  vim.fn.chansend(job, frame({ jsonrpc = '2.0', id = 2, method = 'shutdown' }))
  vim.fn.chansend(job, frame({ jsonrpc = '2.0', method = 'exit' }))
  vim.fn.chanclose(job, 'stdin')
  local code = vim.fn.jobwait({ job }, timeout_ms)[1]
  if code == -1 then
    vim.fn.jobstop(job)
    return nil, 'no exit within ' .. timeout_ms .. ' ms'
  end
  local text = table.concat(out, '\n')
  if not text:find('"capabilities"', 1, true) then
    return nil, 'no initialize result (exit code ' .. code .. ')'
  end
  return text:match('"serverInfo":%s*{[^}]*"version":%s*"([^"]*)"') or '?', code
end

function M.check()
  local report = reporter()
  local nodehint = require('nodehint')
  local config = nodehint.config()
  report.start('nodehint')
  if nodehint.is_setup() then
    report.ok('setup() was called; filetypes: ' .. table.concat(config.filetypes, ', '))
  else
    report.warn('setup() has not been called: the server starts for no buffer',
                { "add require('nodehint').setup() to your init.lua" })
  end

  local exe = config.cmd[1]
  local path = vim.fn.exepath(exe)
  if path == '' then
    report.error('binary not found: ' .. exe,
                 { 'install nodehint, or pass its path: setup({ cmd = { "/path/to/nodehint", "--stdio" } })' })
    return
  end
  report.ok('binary: ' .. path)

  local version = vim.fn.system({ path, '--version' })
  if vim.v.shell_error ~= 0 then
    report.error(path .. ' --version failed (exit code ' .. vim.v.shell_error .. '): ' .. vim.trim(version))
  else
    report.ok('version: ' .. vim.trim(version))
  end

  local cmd = vim.deepcopy(config.cmd)
  cmd[1] = path
  local server_version, code = probe(cmd, 10000)
  if server_version then
    report.ok(string.format('%s answers initialize (serverInfo version %s; exit code %d after shutdown + exit)',
                            table.concat(config.cmd, ' '), server_version, code))
  else
    report.error('language server check failed: ' .. code,
                 { 'run `' .. table.concat(cmd, ' ') .. '` in a terminal to see its messages' })
  end

  local clients = nodehint.clients()
  if #clients == 0 then
    report.info('no nodehint server is running in this Neovim (open a JavaScript file)')
  end
  for _, client in ipairs(clients) do
    local buffers = {}
    for bufnr in pairs(client.attached_buffers or {}) do table.insert(buffers, bufnr) end
    local stopped = client.is_stopped and client:is_stopped()
    local line = string.format('server running: client %d, root %s, %d buffer(s), %s',
                               client.id, tostring(client.config.root_dir), #buffers,
                               client.initialized and 'initialized' or 'starting')
    if stopped then
      report.warn(line .. ' (stopped)')
    else
      report.ok(line)
    end
  end
end

return M
