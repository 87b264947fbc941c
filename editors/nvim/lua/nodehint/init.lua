-- nodehint for Neovim: starts `nodehint --stdio` for JavaScript buffers (one client per
-- project root) and adds :NodehintExplain. Works on Neovim 0.7 (vim.lsp.start_client +
-- buf_attach_client), uses vim.lsp.start on 0.10 and vim.lsp.config/vim.lsp.enable on 0.11+.
--
--   require('nodehint').setup({
--     cmd = { 'nodehint', '--stdio' },                 -- or a path: { '/opt/bin/nodehint', '--stdio' }
--     settings = { nodehint = { rules = { ['callback-hell'] = { 'warning', { maxDepth = 4 } } } } },
--   })
--
-- See editors/nvim/README.md and :help nodehint.

local M = {}

local NAME = 'nodehint'
local AUGROUP = 'nodehint'

local defaults = {
  cmd = { 'nodehint', '--stdio' },
  filetypes = { 'javascript', 'javascriptreact' },
  -- Searched upward from the file, in this order: the first marker found names the root
  -- (so a .nodehintrc.json above a package.json wins). No marker: the file's folder.
  root_markers = { '.nodehintrc.json', 'package.json', '.git' },
  -- The `nodehint` section: answered to workspace/configuration and sent with
  -- workspace/didChangeConfiguration. Keys: rules, ignore, maxFileSize, hoverLanguage.
  settings = {},
  init_options = nil,
  capabilities = nil,
  on_attach = nil, -- function(client, bufnr)
  autostart = true,
  -- 'auto' picks by Neovim version; 'start_client' (0.7+), 'start' (0.10+) or 'config'
  -- (0.11+) force one way of starting the server.
  api = 'auto',
}

local SETTING_KEYS = { rules = true, ignore = true, maxFileSize = true, hoverLanguage = true,
                       knowledge = true }

local state = {
  config = nil, -- the resolved options (nil until setup())
  roots = {}, -- root folder -> client id (the start_client path)
}

local function has(feature)
  return vim.fn.has(feature) == 1
end

local function notify(msg, level)
  vim.notify('nodehint: ' .. msg, level or vim.log.levels.INFO)
end

-- settings = { nodehint = {...} } as documented; a bare { rules = ... } is wrapped.
-- An empty Lua table is encoded as a JSON array ([]), which the server refuses where it
-- expects an object: empty sections and rule tables are left out, empty rule options go out
-- as vim.empty_dict().
local function normalize_settings(settings)
  settings = vim.deepcopy(settings or {})
  if settings.nodehint == nil then
    for key in pairs(settings) do
      if SETTING_KEYS[key] then
        settings = { nodehint = settings }
        break
      end
    end
  end
  local section = settings.nodehint
  if type(section) == 'table' then
    if type(section.rules) == 'table' and next(section.rules) == nil then section.rules = nil end
    for _, value in pairs(section.rules or {}) do
      if type(value) == 'table' and type(value[2]) == 'table' and next(value[2]) == nil then
        value[2] = vim.empty_dict()
      end
    end
    if next(section) == nil then settings.nodehint = nil end
  end
  return settings
end

local function resolve(opts)
  opts = opts or {}
  local config = vim.tbl_extend('force', vim.deepcopy(defaults), opts)
  if type(config.cmd) == 'string' then config.cmd = { config.cmd, '--stdio' } end
  config.settings = normalize_settings(config.settings)
  return config
end

--- The options in force (the defaults until setup() is called).
function M.config()
  return state.config or resolve({})
end

--- Whether setup() has been called.
function M.is_setup()
  return state.config ~= nil
end

local function exists(path)
  return (vim.loop or vim.uv).fs_stat(path) ~= nil
end

local function dirname(path)
  local dir = path:match('^(.*)/[^/]*$')
  if dir == nil then return nil end
  return dir == '' and '/' or dir
end

--- The project root of a buffer (or of a file path): the nearest folder above it holding
--- the first of config.root_markers that exists anywhere above it; else the file's folder.
--- nil for buffers that are not files.
function M.find_root(buf_or_path, markers)
  local path = buf_or_path
  if type(buf_or_path) ~= 'string' then
    local bufnr = buf_or_path or 0
    if vim.bo[bufnr].buftype ~= '' then return nil end
    path = vim.api.nvim_buf_get_name(bufnr)
  end
  if path == nil or path == '' or path:match('^%a[%w+.-]*://') then return nil end
  path = vim.fn.fnamemodify(path, ':p')
  local start = dirname(path)
  if start == nil then return nil end
  for _, marker in ipairs(markers or M.config().root_markers) do
    local dir = start
    while dir do
      if exists(dir .. '/' .. marker) then return dir end
      local parent = dirname(dir)
      if parent == dir then break end
      dir = parent
    end
  end
  return start
end

local function get_clients(filter)
  filter = filter or {}
  if vim.lsp.get_clients then return vim.lsp.get_clients(filter) end
  local out = {}
  local pool = filter.bufnr and vim.lsp.buf_get_clients(filter.bufnr) or vim.lsp.get_active_clients()
  for _, client in pairs(pool) do
    if filter.name == nil or client.name == filter.name then table.insert(out, client) end
  end
  return out
end

--- The running nodehint clients (optionally only those attached to bufnr).
function M.clients(bufnr)
  return get_clients({ name = NAME, bufnr = bufnr })
end

local function client_request(client, method, params, handler, bufnr)
  if has('nvim-0.11') then return client:request(method, params, handler, bufnr) end
  return client.request(method, params, handler, bufnr)
end

local function client_notify(client, method, params)
  if has('nvim-0.11') then return client:notify(method, params) end
  return client.notify(method, params)
end

-- The settings go out with didChangeConfiguration once the server is up; Neovim 0.10+ does
-- that itself.
local function on_init(client)
  if has('nvim-0.10') then return end
  local settings = client.config.settings
  if settings and settings.nodehint ~= nil then
    client_notify(client, 'workspace/didChangeConfiguration', { settings = settings })
  end
end

local function lsp_config(config, root)
  return {
    name = NAME,
    cmd = config.cmd,
    root_dir = root,
    settings = config.settings,
    init_options = config.init_options,
    capabilities = config.capabilities,
    on_attach = config.on_attach,
    on_init = on_init,
  }
end

local function which_api(config)
  if config.api ~= 'auto' then return config.api end
  if has('nvim-0.11') then return 'config' end
  if has('nvim-0.10') then return 'start' end
  return 'start_client'
end

local function wanted(config, bufnr)
  return vim.tbl_contains(config.filetypes, vim.bo[bufnr].filetype)
end

--- Starts (or reuses) the client for bufnr's root and attaches the buffer. Returns the
--- client id, or nil when the buffer is not a JavaScript file. (On 0.11+ with
--- vim.lsp.enable, Neovim itself calls this path's equivalent.)
function M.start(bufnr)
  local config = M.config()
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not vim.api.nvim_buf_is_valid(bufnr) or not wanted(config, bufnr) then return nil end
  local root = M.find_root(bufnr, config.root_markers)
  if not root then return nil end
  local api = which_api(config)
  if api == 'start' or api == 'config' then
    return vim.lsp.start(lsp_config(config, root), { bufnr = bufnr })
  end
  local id = state.roots[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client:is_stopped() then
    id = vim.lsp.start_client(lsp_config(config, root))
    if not id then
      notify('could not start ' .. table.concat(config.cmd, ' '), vim.log.levels.ERROR)
      return nil
    end
    state.roots[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

-- Markdown lines of a hover result, without leading/trailing blank lines.
local function hover_lines(result)
  if not (result and result.contents) then return {} end
  local lines = vim.lsp.util.convert_input_to_markdown_lines(result.contents)
  local first, last = 1, #lines
  while first <= last and vim.trim(lines[first]) == '' do first = first + 1 end
  while last >= first and vim.trim(lines[last]) == '' do last = last - 1 end
  return vim.list_slice(lines, first, last)
end

local function show_float(lines)
  local width = math.max(40, math.min(100, vim.o.columns - 4))
  local height = math.max(5, math.floor(vim.o.lines * 0.7))
  local fbuf, win = vim.lsp.util.open_floating_preview(lines, 'markdown', {
    border = 'rounded',
    focus_id = 'nodehint_explain',
    max_width = width,
    max_height = height,
    wrap = true,
  })
  if win and vim.api.nvim_win_is_valid(win) then
    vim.api.nvim_set_current_win(win)
    vim.api.nvim_buf_set_keymap(fbuf, 'n', 'q', '<cmd>close<cr>', { noremap = true, nowait = true })
  end
  return fbuf, win
end

-- Where to ask when the cursor is not on anything the server knows: the nodehint finding on
-- the cursor line that is nearest the cursor. (By source, not namespace: Neovim 0.10+ keeps
-- pulled and pushed diagnostics in different namespaces.)
local function finding_on_line(bufnr, row, col)
  local best
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = row })) do
    if d.source == NAME then
      local stop = d.end_lnum == row and d.end_col or math.huge
      local dist = (col < d.col) and (d.col - col) or ((col > stop) and (col - stop) or 0)
      if best == nil or dist < best.dist then best = { dist = dist, col = d.col } end
    end
  end
  return best and best.col
end

local function hover_at(client, bufnr, row, byte_col, callback)
  local line = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
  local character = vim.lsp.util.character_offset(bufnr, row, byte_col, client.offset_encoding)
  if character == nil then character = #line end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = row, character = character },
  }
  client_request(client, 'textDocument/hover', params, function(err, result)
    if err then
      callback(nil, err)
    else
      callback(hover_lines(result))
    end
  end, bufnr)
end

--- :NodehintExplain — asks the server for the Q&A entry under the cursor (or behind the
--- nearest finding on the cursor line) and shows it in a floating window (q closes it).
function M.explain()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.clients(bufnr)[1]
  if not client then
    notify('no nodehint server is attached to this buffer', vim.log.levels.WARN)
    return
  end
  local cursor = vim.api.nvim_win_get_cursor(0)
  local row, col = cursor[1] - 1, cursor[2]
  local function fail(err)
    notify('hover failed: ' .. tostring(err and err.message or err), vim.log.levels.WARN)
  end
  hover_at(client, bufnr, row, col, function(lines, err)
    if err then return fail(err) end
    if #lines > 0 then return show_float(lines) end
    local at = finding_on_line(bufnr, row, col)
    if not at or at == col then
      notify('nothing to explain at the cursor')
      return
    end
    hover_at(client, bufnr, row, at, function(lines2, err2)
      if err2 then return fail(err2) end
      if #lines2 == 0 then return notify('nothing to explain at the cursor') end
      show_float(lines2)
    end)
  end)
end

local function create_commands()
  vim.api.nvim_create_user_command('NodehintExplain', function() M.explain() end,
    { desc = 'nodehint: show the Q&A entry under the cursor' })
end

--- setup(opts): see the defaults above. Calling it again replaces the options (running
--- clients keep theirs until restarted).
function M.setup(opts)
  local config = resolve(opts)
  state.config = config
  create_commands()
  local group = vim.api.nvim_create_augroup(AUGROUP, { clear = true })
  if not config.autostart then return end
  if which_api(config) == 'config' then
    local cfg = lsp_config(config, nil)
    cfg.name = nil
    cfg.root_dir = function(bufnr, on_dir)
      local root = M.find_root(bufnr, config.root_markers)
      if root then on_dir(root) end
    end
    cfg.filetypes = config.filetypes
    vim.lsp.config(NAME, cfg)
    vim.lsp.enable(NAME)
    return
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(args) M.start(args.buf) end,
    desc = 'nodehint: start or attach the language server',
  })
  -- Buffers already open when setup() runs (lazy loading).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and wanted(config, bufnr) then M.start(bufnr) end
  end
end

return M
