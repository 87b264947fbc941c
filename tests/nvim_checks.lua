-- The Neovim test scripts' shared tally (the Lua twin of tests/checks.py). Each check is one
-- line in the file $NODEHINT_RESULT, which the Python runner prints; finish() adds the closing
-- "N passed, N failed" line and quits Neovim with status 0 or 1. Load it with
--   local checks = dofile(vim.env.NODEHINT_CHECKS)
local M = {}

local result_file = assert(io.open(assert(vim.env.NODEHINT_RESULT, 'NODEHINT_RESULT unset'), 'w'))
local passed, failed = 0, 0

-- How long to wait for the server (NODEHINT_WAIT_MS, default 20 s).
M.wait_ms = tonumber(vim.env.NODEHINT_WAIT_MS or '') or 20000

function M.log(line)
  result_file:write(line, '\n')
  result_file:flush()
end

-- Records one check; returns cond.
function M.check(cond, what, detail)
  if cond then
    passed = passed + 1
    M.log('ok   ' .. what)
  else
    failed = failed + 1
    M.log('FAIL ' .. what .. (detail and (': ' .. detail) or ''))
  end
  return cond
end

function M.finish()
  M.log(string.format('%d passed, %d failed', passed, failed))
  result_file:close()
  if failed == 0 then vim.cmd('qall!') else vim.cmd('cquit 1') end
end

return M
