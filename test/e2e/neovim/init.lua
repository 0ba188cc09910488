-- Minimal Neovim (0.7+) config for the end-to-end test: start libvirt-gate-lsp over stdio for
-- the fixture workspace, open two drivers, and write what the editor got to a JSON file:
-- vim.diagnostic.get() per file, one hover and the quick fixes for one diagnostic.
-- Env: LVG_ROOT (workspace copy), LVG_SERVER (bin/libvirt-gate-lsp.js), LVG_OUT (JSON file),
-- LVG_EXPECT (expected diagnostic count per file, "guest.py=4,blockio.py=2"), LVG_LINE (0-based
-- line of the LVG001 finding in driver/guest.py to hover and ask quick fixes for).
local root = os.getenv('LVG_ROOT')
local out = { errors = {}, files = {} }
local function fail(msg) table.insert(out.errors, msg) end

local function finish()
  local f = io.open(os.getenv('LVG_OUT'), 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  local client_id = vim.lsp.start_client({
    name = 'libvirt-gate',
    cmd = { 'node', os.getenv('LVG_SERVER'), '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'workspace' } },
  })
  if not client_id then error('vim.lsp.start_client failed') end

  local expect = {}
  for name, n in string.gmatch(os.getenv('LVG_EXPECT') or '', '([^=,]+)=(%d+)') do expect[name] = tonumber(n) end

  local bufs = {}
  for _, rel in ipairs({ 'driver/guest.py', 'driver/blockio.py' }) do
    vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. rel))
    local buf = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(buf, client_id)
    bufs[rel] = buf
  end

  local initialized = vim.wait(20000, function()
    local c = vim.lsp.get_client_by_id(client_id)
    return c ~= nil and c.initialized
  end, 50)
  if not initialized then error('the server did not initialize') end
  out.server = vim.lsp.get_client_by_id(client_id).server_capabilities ~= nil

  for rel, buf in pairs(bufs) do
    local want = expect[vim.fn.fnamemodify(rel, ':t')] or 1
    local got = vim.wait(20000, function() return #vim.diagnostic.get(buf) >= want end, 50)
    if not got then fail(rel .. ': timed out waiting for ' .. want .. ' diagnostics') end
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local lsp = (d.user_data or {}).lsp or {}
      table.insert(list, {
        code = d.code or lsp.code, severity = d.severity, message = d.message, source = d.source,
        range = { d.lnum, d.col, d.end_lnum, d.end_col },
        unnecessary = vim.tbl_contains(lsp.tags or {}, 1),
      })
    end
    out.files[rel] = list
  end

  -- Hover on libvirt.VIR_MIGRATE_POSTCOPY (LVG_LINE, 0-based).
  local guest = bufs['driver/guest.py']
  local line = tonumber(os.getenv('LVG_LINE'))
  local params = { textDocument = { uri = vim.uri_from_bufnr(guest) }, position = { line = line, character = 35 } }
  local responses = vim.lsp.buf_request_sync(guest, 'textDocument/hover', params, 10000) or {}
  for _, r in pairs(responses) do
    if r.err then fail('hover: ' .. vim.inspect(r.err)) end
    if r.result and r.result.contents then out.hover = r.result.contents.value or vim.inspect(r.result.contents) end
  end

  -- Quick fixes for the LVG001 diagnostic there.
  local diags = {}
  for _, d in ipairs(vim.diagnostic.get(guest, { lnum = line })) do
    local lsp = (d.user_data or {}).lsp
    if lsp then table.insert(diags, lsp) end
  end
  local actions = vim.lsp.buf_request_sync(guest, 'textDocument/codeAction', {
    textDocument = params.textDocument,
    range = { start = { line = line, character = 29 }, ['end'] = { line = line, character = 49 } },
    context = { diagnostics = diags, only = { 'quickfix' } },
  }, 10000) or {}
  out.actions = {}
  for _, r in pairs(actions) do
    for _, a in ipairs(r.result or {}) do table.insert(out.actions, a.title) end
  end

  -- Shut the server down the way :qa does, and check it went.
  vim.lsp.stop_client(client_id)
  out.stopped = vim.wait(10000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end)
if not ok then fail(tostring(err)) end
finish()
